// Storage: one interface, two real implementations (SQLite, the embedded default; PostgreSQL for
// several `shindan serve` processes sharing one database), opened by a factory from a URL.
// One test suite (store/store_test.cc) runs against both.
//
// Answers and profiles are stored compactly (instrument/codec.h): one character per answer, so
// that a million responses read back in well under a second for the report.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace shindan {

// One company's validated row of a survey, ready to store: its profile and its answers to each
// instrument, encoded with instrument/codec.h against the named instrument versions.
struct CompanyRecord {
  std::string company_key;  // the survey's own company id (the `company_id` column)
  std::string profile_version;
  std::string profile;      // EncodeProfile(); empty when no profile was given
  // Classification at the time of storing, for filtering and indexing in SQL.
  std::string size_type, industry, region;
  struct InstrumentAnswers {
    std::string instrument_id;
    std::string instrument_version;
    std::string answers;  // EncodeAnswers()
  };
  std::vector<InstrumentAnswers> responses;
  std::string recorded_at;  // ISO 8601 UTC; filled by the store when read back
};

struct SurveyInfo {
  int64_t id = 0;
  std::string name;
  int64_t companies = 0;
  std::string created_at;
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;      // ISO 8601 UTC, set by the store
  std::string actor;   // user email, "cli", …
  std::string action;  // "import", "export", "grant", …
  std::string subject; // what it acted on: "survey:demo", …
  std::string detail;
};

// Adds companies' responses inside one transaction. Nothing is visible to other connections until
// Commit(); destroying a session that was not committed rolls everything back, so a failed import
// changes nothing.
class ImportSession {
 public:
  virtual ~ImportSession() = default;
  // A company_key seen before in this survey gets a new response in its history (not a second
  // company); the latest response per instrument is the current one.
  virtual Status Add(const CompanyRecord& record) = 0;
  virtual Status Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // `url`: "sqlite:PATH", a plain PATH (SQLite), or "postgresql://…" / "postgres://…". Opens or
  // creates the database and applies pending migrations (never destructive).
  static Result<std::unique_ptr<Store>> Open(const std::string& url);

  virtual std::string Kind() const = 0;  // "sqlite" or "postgresql"
  virtual Result<int> SchemaVersion() = 0;
  // Applies pending migrations; returns how many were applied.
  virtual Result<int> Migrate() = 0;

  // Surveys, by name (unique).
  virtual Result<int64_t> EnsureSurvey(const std::string& name) = 0;
  virtual Result<std::optional<int64_t>> FindSurvey(const std::string& name) = 0;
  virtual Result<std::vector<SurveyInfo>> ListSurveys() = 0;

  virtual Result<std::unique_ptr<ImportSession>> BeginImport(int64_t survey_id) = 0;

  // Calls `fn` for each company of the survey in company_key order, with its latest profile and its
  // latest response to each instrument. Stops at the first error `fn` returns.
  virtual Status ScanLatest(int64_t survey_id, const std::function<Status(const CompanyRecord&)>& fn) = 0;
  // Every stored response of one company, oldest first (one record per import/submission).
  virtual Result<std::vector<CompanyRecord>> History(int64_t survey_id, const std::string& company_key) = 0;

  // The append-only audit log.
  virtual Status Audit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t after_id, int limit) = 0;
};

}  // namespace shindan
