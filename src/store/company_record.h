// One company's row of a survey in its stored form: what the importer makes, the store keeps and
// the exporters and the snapshot read. Its own header so that those include the record, not the
// storage interface.
#pragma once

#include <string>
#include <vector>

namespace shindan {

// One company's validated row of a survey, ready to store: its profile and its answers to each
// instrument, encoded with instrument/codec.h against the named instrument versions.
struct CompanyRecord {
  std::string company_key;  // the survey's own company id (the `company_id` column)
  // The profile instrument's version, empty when this record carries no profile: the company's
  // current profile then stays the one it had.
  std::string profile_version;
  std::string profile;      // AnswerCodec::EncodeValues; empty when no profile was given
  // Classification at the time of storing, for filtering and indexing in SQL.
  std::string size_type, industry, region;
  struct InstrumentAnswers {
    std::string instrument_id;
    std::string instrument_version;
    std::string answers;  // AnswerCodec::Encode: one character per item
  };
  std::vector<InstrumentAnswers> responses;
  // ISO 8601 UTC; filled by the store when read back: the time of the submission (History), or the
  // latest time of the parts returned (ScanLatest).
  std::string recorded_at;
};

}  // namespace shindan
