// Cases like mine (seed §4.4, §4.6, §5.2): a library of exemplary cases as data
// (data/cases.json), matched to a company by industry, size type and the sections it has not met.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "base/text.h"
#include "profile/classification.h"

namespace shindan {

struct Case {
  std::string id;
  std::string source;
  LocalText title;
  LocalText summary;
  std::vector<std::string> industries;  // mfg, dist, svc, net
  std::vector<std::string> size_types;  // A, B, C, S
  std::vector<std::string> topics;      // self-check section ids
  std::vector<LocalText> lessons;
};

struct CaseMatch {
  const Case* c = nullptr;
  int score = 0;
};

class CaseLibrary {
 public:
  static Result<CaseLibrary> Parse(const std::string& json_text, const std::string& file);
  static Result<CaseLibrary> Load(const FileSystem& fs, const std::string& path);

  // +2 for the same industry, +1 for the same size type, +1 per topic among `unmet_sections`;
  // best first (ties by id), at most `limit`, never a case that scores 0.
  std::vector<CaseMatch> Match(const Classification& company, const std::set<std::string>& unmet_sections,
                               size_t limit) const;

  const std::vector<Case>& cases() const { return cases_; }

 private:
  std::vector<Case> cases_;
};

}  // namespace shindan
