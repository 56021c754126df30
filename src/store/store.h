// Storage: one interface, two real implementations (SQLite, the embedded default; PostgreSQL for
// several `shindan serve` processes sharing one database), opened by a factory from a URL.
// One test suite (store/store_test.cc) runs against both.
//
// Answers and profiles are stored compactly (instrument/codec.h; the record:
// store/company_record.h): one character per answer, so
// that a million responses read back in well under a second for the report.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "store/company_record.h"

namespace shindan {

// One interview note (ヒアリング): what a company said on one topic of the hearing instrument.
struct InterviewNote {
  std::string company_key;
  std::string topic;              // the hearing instrument's item id, q1…q12
  std::string note;               // the comment, as written
  std::vector<std::string> tags;  // e.g. 費用, 人材
  std::string interviewer;        // a name, may be empty
  // Filled by the store when read back: when it was stored (ISO 8601 UTC), and the company's
  // current classification (for grouping comments by attribute without naming the company).
  std::string noted_at;
  std::string size_type, industry, region;
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

// An invitation to answer a survey: the link carries the token, the store keeps only its hash.
struct Invitation {
  int64_t id = 0;
  int64_t survey_id = 0;
  std::string survey_name;   // filled by FindInvitation
  std::string company_key;   // the company it was sent to; empty for an open (--new) invitation
  std::string token_hash;    // HashToken(token)
  std::string label;         // to whom it was sent, for the organiser
  std::string created_at, expires_at, used_at, revoked_at;  // ISO 8601 UTC; empty when not set
  // Neither revoked nor expired at `now` (ISO 8601 UTC).
  bool UsableAt(const std::string& now) const {
    return revoked_at.empty() && (expires_at.empty() || now < expires_at);
  }
};

// A one-item link (issue 11 §4): a respondent who answered わからない sends one item of its sheet
// to a colleague who knows; the colleague's answer fills in that item alone. Its own random token,
// kept only as a hash, names one invitation and one item, nothing else.
struct ItemLink {
  int64_t id = 0;
  int64_t invitation_id = 0;
  std::string item_id;     // an item of the survey's main instrument ("sc05")
  std::string token_hash;  // HashToken(token)
  std::string created_at, expires_at;
  std::string answered_at, answer;  // the colleague's last answer (a canonical code); empty until then
  Invitation invitation;            // filled by FindItemLink: the invitation it belongs to
  // Usable while unexpired and while its invitation is usable (revoking an invitation revokes its
  // links). A link may be answered again until then: the colleague can correct a slip.
  bool UsableAt(const std::string& now) const { return now < expires_at && invitation.UsableAt(now); }
};

// Adds companies' responses inside one transaction. Nothing is visible to other connections until
// Commit(); destroying a session that was not committed rolls everything back, so a failed import
// changes nothing.
class ImportSession {
 public:
  virtual ~ImportSession() = default;
  // A company_key seen before in this survey gets a new response in its history (not a second
  // company); the latest response per instrument is the current one.
  // InvalidInput for an empty company_key or an instrument named twice in one record. After any
  // error the session is failed: later calls return that error and nothing is stored.
  virtual Status Add(const CompanyRecord& record) = 0;
  // Makes every Add visible at once, and increases the survey's revision (Store::SurveyRevision).
  // `before_commit`, when given, runs after every record is written and the revision increased,
  // inside the transaction (what it writes through this Store commits with the records; an error
  // rolls everything back). REQUIRES: called at most once.
  virtual Status Commit(const std::function<Status()>& before_commit) = 0;
  Status Commit() { return Commit(nullptr); }
  // The survey imported into (created by this session when it was new: it exists after Commit).
  virtual int64_t survey_id() const = 0;
};

// The database `--db` names when none is given.
inline constexpr char kDefaultStoreUrl[] = "./shindan.db";

// A database URL taken apart: which store, and the SQLite file path or the libpq connection URI.
struct StoreUrl {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string target;
};
// "sqlite:PATH" and a plain PATH → SQLite; "postgresql://…" / "postgres://…" → PostgreSQL. Anything
// else that looks like a URL (`scheme:` with a scheme of two or more letters) is an InvalidInput
// naming the URL and what was expected; write `sqlite:a:b.db` or `./a:b.db` for a file with a colon.
Result<StoreUrl> ParseStoreUrl(const std::string& url);
// The URL with any password replaced by `***`, for messages.
std::string RedactUrl(const std::string& url);

// Timestamps are ISO 8601 UTC text with second precision, "2024-05-01T09:30:00Z", in both stores.
std::string FormatTimestamp(std::chrono::system_clock::time_point t);

struct BadTokenRecord {
  int64_t failures = 0;
  std::string last_at;  // ISO 8601 UTC, as FormatTimestamp
};

// Whose request a respondent's is (Store::LookupRespondents): the client's address and the hash of
// the token in its link.
struct RespondentKey {
  std::string address;
  std::string token_hash;
};

// What the web reads before it serves a respondent's request (Store::LookupRespondents).
struct RespondentLookup {
  BadTokenRecord bad_tokens;                 // of the client's address
  std::optional<Invitation> invitation;      // the one the token names; nullopt when none does
  std::map<std::string, std::string> draft;  // that invitation's draft (LoadDraft); else empty
};

// One invitation's draft values to save (Store::SaveDrafts); an empty value removes the field.
struct DraftWrite {
  int64_t invitation_id = 0;
  std::map<std::string, std::string> values;
};

struct OpenOptions {
  // Create the database when it does not exist yet (SQLite: no file, or an empty one; PostgreSQL: a
  // schema without tables). When false, such a database is NotFound ("no such database") and
  // nothing is created: readers open this way, and `import` until it knows the file is good.
  bool create_if_missing = true;
  // Bring an older schema up to date on open (the default; `shindan db status` and readers open
  // without). The version is read first, without a lock: a current database is opened without
  // writing anything, so an open never waits for an import.
  bool migrate = true;
  // Every commit survives a power loss, not only a crash of the program (SQLite: synchronous=FULL
  // instead of NORMAL; PostgreSQL: synchronous_commit turned on for the connection where the
  // server's default is off — the server's fsync must be on, which no connection can change). The
  // web application opens this way: an answer it has acknowledged must not be lost.
  bool durable_commits = false;
  // SQLite: put the file in WAL mode (readers and the writer do not block each other; the mode is
  // recorded in the file). False only for a file no other process can open yet — the new database
  // `import` writes under a private name and renames into place (cli/cmd_import.cc): it keeps the
  // rollback journal, in which a new page is written once, where the log writes it twice (into the
  // log, then into the file). The next Open of the file with this true switches it to WAL.
  bool write_ahead_log = true;
  // The clock for created_at / submitted_at / audit times; the system clock when empty.
  std::function<std::chrono::system_clock::time_point()> now;
};

// One connection to one database. Not thread-safe: use one Store per thread (SQLite and PostgreSQL
// both handle several connections to the same database).
class Store {
 public:
  virtual ~Store() = default;

  // `url`: "sqlite:PATH", a plain PATH (SQLite), or "postgresql://…" / "postgres://…". Opens or
  // creates the database and applies pending migrations (never destructive; see OpenOptions). A
  // database that belongs to another program, or whose schema is newer than this build, is refused
  // (InvalidInput) and left exactly as it was: its identity is checked before anything is written.
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  static Result<std::unique_ptr<Store>> Open(const std::string& url, const OpenOptions& options);

  virtual std::string Kind() const = 0;  // "sqlite" or "postgresql"
  // The newest migration applied (0 for an empty database); LatestSchemaVersion() is what this
  // build writes.
  virtual Result<int> SchemaVersion() = 0;
  // Applies pending migrations in one transaction; returns how many were applied. Safe to call
  // from several processes at once. Takes the write lock only when a migration is pending.
  virtual Result<int> Migrate() = 0;

  // Surveys, by name (unique).
  virtual Result<int64_t> EnsureSurvey(const std::string& name) = 0;
  virtual Result<std::optional<int64_t>> FindSurvey(const std::string& name) = 0;
  virtual Result<std::optional<std::string>> SurveyName(int64_t survey_id) = 0;
  virtual Result<std::vector<SurveyInfo>> ListSurveys() = 0;

  // Starts the one transaction of an import into the survey named `survey` (SQLite: takes the write
  // lock, waiting up to the busy timeout for another writer). A new survey is created inside that
  // transaction, so an import that fails or is killed leaves no empty survey behind. InvalidInput
  // for an empty name.
  // REQUIRES: the session is destroyed before this Store, and no other session of this Store is
  // open; calls on this Store while it is open run inside its transaction (and may not see records
  // the session still buffers).
  virtual Result<std::unique_ptr<ImportSession>> BeginImport(const std::string& survey) = 0;
  // The same for a survey known by its id (the columnar copy's rebuild and single answers, the
  // web's submissions): NotFound for an unknown id.
  Result<std::unique_ptr<ImportSession>> BeginImportOf(int64_t survey_id);

  // Calls `fn` for each company of the survey in company_key order, with its latest profile and its
  // latest response to each instrument. Stops at the first error `fn` returns.
  virtual Status ScanLatest(int64_t survey_id, const std::function<Status(const CompanyRecord&)>& fn) = 0;
  // The same records as ScanLatest in no promised order and without recorded_at, as fast as the
  // store can read them: what the report reads. `part` splits the survey's companies into
  // `part.count` disjoint parts, to be read at once by as many connections (one Store each).
  // The default reads everything with ScanLatest in part 0 and nothing in the others.
  struct ScanPart {
    int index = 0, count = 1;
  };
  virtual Status ScanCurrent(int64_t survey_id, ScanPart part, const std::function<Status(const CompanyRecord&)>& fn) {
    return part.index == 0 ? ScanLatest(survey_id, fn) : Status::Ok();
  }
  // Every stored response of one company, oldest first (one record per import/submission); empty
  // for an unknown company.
  virtual Result<std::vector<CompanyRecord>> History(int64_t survey_id, const std::string& company_key) = 0;

  // The survey's revision: 0 for a survey never written, increased by every write of its rows (each
  // import's Commit). What the columnar copy records to know whether it is current.
  virtual Result<int64_t> SurveyRevision(int64_t survey_id) = 0;
  // The columnar copy of a survey (analytics/column_copy.h says what is in it): named binary parts
  // per survey, opaque to the store. Inside an import session these run in its transaction.
  // ReadCopyParts calls `fn` for every part whose name starts with `prefix` ("" for all), in name
  // (byte) order, all read at one point in time.
  virtual Status ReadCopyParts(int64_t survey_id, const std::string& prefix,
                               const std::function<Status(const std::string& name, std::string_view data)>& fn) = 0;
  // One part; nullopt when it does not exist.
  virtual Result<std::optional<std::string>> ReadCopyPart(int64_t survey_id, const std::string& name) = 0;
  // Writes (inserts or replaces) the parts; with `replace_all`, every other part of the survey is
  // removed first. One transaction (the session's when one is open).
  virtual Status WriteCopyParts(int64_t survey_id, const std::vector<std::pair<std::string, std::string>>& parts,
                                bool replace_all) = 0;

  // Interview notes of companies of the survey, all in one transaction: NotFound naming the first
  // company_key the survey does not have (and nothing is stored).
  virtual Status AddInterviewNotes(int64_t survey_id, const std::vector<InterviewNote>& notes) = 0;
  // Every note of the survey, by topic, then company_key (byte order), then the order stored.
  virtual Result<std::vector<InterviewNote>> ListInterviewNotes(int64_t survey_id) = 0;

  // The append-only audit log. Audit() ignores entry.id and entry.at (the store sets them).
  virtual Status Audit(const AuditEntry& entry) = 0;
  // Entries with id > after_id, oldest first, at most `limit`.
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t after_id, int limit) = 0;

  // --- The web application (issue 11): invitations, the answers given so far, server secrets.

  // Adds an invitation (survey_id, company_key, token_hash, label, expires_at are used; the store
  // sets id and created_at). InvalidInput when token_hash is already taken.
  virtual Result<int64_t> AddInvitation(const Invitation& invitation) = 0;
  // The invitation whose token hashes to `token_hash`, whatever its state (the caller checks
  // Invitation::UsableAt); nullopt when there is none.
  virtual Result<std::optional<Invitation>> FindInvitation(const std::string& token_hash) = 0;
  // Revokes the invitation of one token, or every open invitation of one company of a survey;
  // returns how many were revoked now (0: none, or already revoked).
  virtual Result<int> RevokeInvitation(const std::string& token_hash) = 0;
  virtual Result<int> RevokeCompanyInvitations(int64_t survey_id, const std::string& company_key) = 0;
  // Records that the invitation was answered for `company_key` (an open invitation gets its company
  // here) and sets used_at the first time.
  virtual Status MarkInvitationUsed(int64_t invitation_id, const std::string& company_key) = 0;

  // The answers saved so far under an invitation, by field; SaveDraft writes `values` in one
  // transaction, field by field (an empty value removes the field), so concurrent saves of
  // different fields never lose one another.
  virtual Result<std::map<std::string, std::string>> LoadDraft(int64_t invitation_id) = 0;
  Status SaveDraft(int64_t invitation_id, const std::map<std::string, std::string>& values) {
    const DraftWrite write{invitation_id, values};
    return SaveDrafts({&write, 1});
  }
  // Several invitations' saves in one transaction, in order (a later value of the same field
  // wins): the web's group commit (web/group_call.h), one durable commit for many answers.
  virtual Status SaveDrafts(std::span<const DraftWrite> writes) = 0;

  // The secret named `name`: stored as `candidate` when it is not there yet, otherwise the one
  // stored first (so every server on the database uses the same one).
  virtual Result<std::string> EnsureSecret(const std::string& name, const std::string& candidate) = 0;

  // Bad invitation tokens given from one client address (web/bad_tokens.h): the record, or
  // failures 0 when there is none. RecordBadToken counts one more at `now` in one statement (so
  // servers counting at once lose no count), starting again from 1 when the last was before
  // `restart_before`; it answers the record after the count.
  virtual Result<BadTokenRecord> BadTokens(const std::string& address) = 0;
  virtual Result<BadTokenRecord> RecordBadToken(const std::string& address, const std::string& now,
                                                const std::string& restart_before) = 0;

  // For each key, in order: BadTokens(address), FindInvitation(token_hash) and, when it names one,
  // its LoadDraft — what every request of a respondent reads first, for the requests that arrive
  // together (web/app.cc, web/group_call.h). The default makes the three calls for each key;
  // PostgreSQL reads all the keys with three statements in one round trip.
  virtual Result<std::vector<RespondentLookup>> LookupRespondents(std::span<const RespondentKey> keys);

  // --- One-item links for a colleague (ItemLink).

  // Adds a link (invitation_id, item_id, token_hash, expires_at are used; the store sets id and
  // created_at); returns its id. InvalidInput when token_hash is already taken.
  virtual Result<int64_t> AddItemLink(const ItemLink& link) = 0;
  // The link whose token hashes to `token_hash`, with its invitation, whatever its state; nullopt
  // when there is none.
  virtual Result<std::optional<ItemLink>> FindItemLink(const std::string& token_hash) = 0;
  // The links of one invitation, oldest first (without `invitation`).
  virtual Result<std::vector<ItemLink>> ListItemLinks(int64_t invitation_id) = 0;
  // Records the colleague's answer (a canonical code) and when it was given.
  virtual Status MarkItemLinkAnswered(int64_t link_id, const std::string& answer) = 0;

  // --- Population frames (issue 11): the frame a survey's figures are weighted by
  // (stats/survey_frame.h checks it and reads it back; the store keeps it as given).

  struct StoredFrame {
    std::string source;       // the file's name, as `frame attach` was given it (no folders)
    std::string body;         // the CSV text (UTF-8)
    std::string attached_at;  // ISO 8601 UTC, set by the store
  };
  // Sets the survey's frame, replacing any it had. NotFound for an unknown survey.
  virtual Status SetSurveyFrame(int64_t survey_id, const std::string& source, const std::string& body) = 0;
  // Removes the survey's frame; false when it had none.
  virtual Result<bool> RemoveSurveyFrame(int64_t survey_id) = 0;
  // The survey's frame; nullopt when it has none.
  virtual Result<std::optional<StoredFrame>> SurveyFrame(int64_t survey_id) = 0;
};

}  // namespace shindan
