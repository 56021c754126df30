// Everything the program knows that is data, not code: the instruments and the reference data
// (prefectures, classification thresholds, advice, cases), loaded and validated together.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "instrument/answer.h"
#include "instrument/codec.h"
#include "instrument/instrument_ids.h"
#include "instrument/instrument.h"
#include "instrument/loader.h"
#include "profile/classification.h"
#include "profile/geography.h"
#include "scoring/advice.h"
#include "scoring/cases.h"

namespace shindan {

class Catalog {
 public:
  // Loads `root`/instruments/*.json and `root`/data/{prefectures,classification,cases}.json and
  // `root`/data/advice/<instrument id>.json. Fails on the first invalid file, naming it.
  static Result<std::unique_ptr<Catalog>> Load(const FileSystem& fs, const std::string& root);

  // Where the data lives: `explicit_root` if given, else $SHINDAN_DATA, else the installed
  // share/shindan beside the binary, else the source tree the binary was built from.
  static std::string FindRoot(const std::string& explicit_root);

  const std::vector<Instrument>& instruments() const { return instruments_; }
  const Instrument* Find(const std::string& id) const;
  const Instrument& profile() const { return *profile_; }
  const Geography& geography() const { return geography_; }
  const ClassificationRules& classification() const { return classification_; }
  const CaseLibrary& cases() const { return cases_; }
  // nullptr when the instrument has no advice file.
  const AdviceBook* AdviceFor(const std::string& instrument_id) const;
  // The parser for answers to `instrument` (one of this catalog's), resolving prefectures through
  // the geography. Built once at load: its lookup tables are not cheap to make.
  const AnswerParser& ParserFor(const Instrument& instrument) const;
  // The stored form of answers to `instrument` (one of this catalog's), compiled once at load.
  const AnswerCodec& CodecFor(const Instrument& instrument) const;

 private:
  Catalog() = default;
  std::vector<Instrument> instruments_;
  const Instrument* profile_ = nullptr;
  Geography geography_;
  ClassificationRules classification_;
  CaseLibrary cases_;
  std::map<std::string, AdviceBook> advice_;
  std::map<std::string, std::unique_ptr<AnswerParser>> parsers_;
  std::map<std::string, std::unique_ptr<AnswerCodec>> codecs_;
};

}  // namespace shindan
