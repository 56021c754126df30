// Building a Snapshot from where responses live: a wide CSV or JSON-lines file (validated exactly
// as `shindan import` validates it, by the same streaming importer) or a survey in the database.
//
// Both sources yield CompanyRecords — the profile and answers in their compact stored form
// (instrument/codec.h) — and both are decoded straight into the snapshot's byte columns through
// lookup tables, without building a map per company: a million companies load in well under a
// second once read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>
#include <functional>
#include <memory>
#include <string>

#include "analytics/snapshot.h"
#include "base/status.h"
#include "exchange/import.h"
#include "instrument/codec.h"
#include "instrument/instrument_ids.h"
#include "profile/company.h"
#include "store/company_record.h"

namespace shindan {

class Catalog;
class ClassificationRules;

class Store;

// The instruments the report reads: the self-check scored by points, the org checklist counted by
// answers.
inline constexpr const char* kReportPrimaryInstrument = instrument_id::kSelfCheck;
inline constexpr const char* kReportSecondaryInstrument = instrument_id::kOrgChecklist;

// Reads and validates every row. A file with problems makes no snapshot: the error lists the
// first 100 problems (FILE:ROW:COLUMN: value — expected …) and counts the rest.
Result<std::unique_ptr<Snapshot>> SnapshotFromFile(const Catalog& catalog, const std::string& path,
                                                   const ImportOptions& options = {});
// The same from bytes already in memory; `file` names them in problems.
Result<std::unique_ptr<Snapshot>> SnapshotFromText(const Catalog& catalog, std::string_view bytes, const std::string& file);

// A stored record decoded to the snapshot's bytes: the attribute columns and the answers as
// alphabet indices (0 = no answer).
struct DecodedRecord {
  SnapshotRow row;
  bool has_profile = false;  // the record carried a profile (else its attributes are unknown)
  bool has_primary = false, has_secondary = false;
  std::vector<uint8_t> primary, secondary;  // one per item of the report's instruments
};

// Decodes stored records into snapshot rows. Built once per report: for each item a table from
// the stored answer character to the snapshot alphabet's index, and the profile field of each
// stored profile value. Copyable (one per reading thread).
class RecordDecoder {
 public:
  // NotFound when the catalog lacks the report's primary instrument. REQUIRES: `catalog` outlives it.
  static Result<RecordDecoder> New(const Catalog& catalog);
  std::unique_ptr<Snapshot> NewSnapshot() const;
  const Instrument& primary() const { return primary_; }
  const Instrument* secondary() const { return secondary_; }
  // InvalidInput naming the company for a version the catalog lacks or a stored character that is
  // not an option.
  Status Decode(const CompanyRecord& record, DecodedRecord* out) const;
  // Decode, then Snapshot::AddCoded.
  Status Add(const CompanyRecord& record, Snapshot* snapshot);

 private:
  using Table = std::vector<std::array<uint8_t, 256>>;  // [item][stored char] → alphabet index
  static constexpr uint8_t kInvalid = 0xff;
  RecordDecoder(const Catalog& catalog, const Instrument& primary, const Instrument* secondary);
  static Table TableFor(const AnswerCodec& codec, const AnswerAlphabet& alphabet);
  static Status DecodeAnswers(const CompanyRecord& record, const Instrument& ins, const Table& table, const std::string& stored,
                              std::vector<uint8_t>* codes);
  static Status VersionError(const CompanyRecord& record, const Instrument& ins, const std::string& version);
  void DecodeProfile(std::string_view stored, SnapshotRow* row, std::optional<long long>* employees) const;
  static uint8_t UsesOf(std::string_view list);

  const Instrument* profile_;
  const ClassificationRules* rules_;
  const Instrument& primary_;
  const Instrument* secondary_;
  Table primary_table_, secondary_table_;
  std::vector<ProfileField> fields_;  // per profile item
  DecodedRecord scratch_;             // reused by Add
};

// Opens one more connection to the database being read.
using StoreOpener = std::function<Result<std::unique_ptr<Store>>()>;

// Every company of a stored survey, with its latest profile and answers, read by `threads`
// connections at once (Store::ScanCurrent's parts). A record stored with an instrument version the
// catalog lacks is refused, naming the company, the instrument and version.
Result<std::unique_ptr<Snapshot>> SnapshotFromStore(const Catalog& catalog, const StoreOpener& open, int64_t survey_id,
                                                    int threads = 2);

}  // namespace shindan
