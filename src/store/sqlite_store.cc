// The SQLite store.
//
// Connection settings and why:
// - journal_mode=WAL: readers never block the writer nor the writer readers, so `shindan serve` can
//   answer while an import runs; synchronous=NORMAL is durable against a crash of the program (a
//   power cut may lose the last commits, never corrupt the file).
// - foreign_keys=ON: SQLite leaves them off by default.
// - busy_timeout 5 s: a second writer waits for the first instead of failing at once (an audit
//   entry waits longer: kAuditBusyTimeoutMs).
// - Opening reads before it writes: the file's identity first (Identify), then the settings that
//   are stored in the file (journal_mode), then migrations only when the schema is behind. A file
//   that is not shindan's is never altered, and opening a current database takes no lock, so a
//   reader never waits for an import.
// - Every statement is prepared once per connection (SQLITE_PREPARE_PERSISTENT) and reused.
//
// The import (SqliteImportSession, below) is one BEGIN IMMEDIATE … COMMIT, so it takes the write
// lock up front and an import either lands whole or not at all; the comment on the class says how
// it writes a million records in a few seconds.
#include "store/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/file.h"
#include "store/import_batch.h"
#include "store/migrations.h"
#include "store/tags.h"

namespace shindan {

namespace {

constexpr int kBusyTimeoutMs = 5000;
// An audit entry waits longer for the write lock: `export` records itself after reading, and an
// import may hold the lock for minutes; the entry is written once it commits, never dropped.
constexpr int kAuditBusyTimeoutMs = 10 * 60 * 1000;

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

struct BackupFinisher {
  void operator()(sqlite3_backup* b) const { sqlite3_backup_finish(b); }
};

// "sqlite PATH: OPERATION: MESSAGE", with a code a caller can act on.
Status SqlError(int rc, const std::string& path, const std::string& op, const std::string& message) {
  const std::string text = "sqlite " + path + ": " + op + ": " + message;
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return Status::InvalidInput(text);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::InvalidInput(text);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
      return Status::IoError(text);
    default:
      return Status::Internal(text);
  }
}

Status DbError(sqlite3* db, int rc, const std::string& path, const std::string& op) {
  return SqlError(rc, path, op, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

Status ExecScript(sqlite3* db, const std::string& path, const char* sql, const std::string& op) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return SqlError(rc, path, op, message);
}

// Opens a connection with the settings that stay in the connection (foreign keys, busy timeout).
// Nothing is written to the file: what would change it (journal_mode) waits for the identity check
// (ApplyStoreSettings).
Result<DbPtr> Connect(const std::string& path, int flags) {
  // Before SQLite's first use in the process: no global allocation statistics, so no global mutex
  // around every allocation (a few per cent of an import). Refused harmlessly if too late.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) return DbError(db.get(), rc, path, "open");
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  if (Status s = ExecScript(db.get(), path, "PRAGMA foreign_keys=ON;", "open (settings)"); !s.ok()) return s;
  return db;
}

// One integer from a one-row query (0 when it returns no row). Reads only.
Result<int64_t> QueryInt(sqlite3* db, const std::string& path, const char* sql, const char* op) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) return DbError(db, rc, path, op);
  rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) return sqlite3_column_int64(stmt.get(), 0);
  if (rc == SQLITE_DONE) return int64_t{0};
  return DbError(db, rc, path, op);
}

// What a SQLite file holds, found by reading only: nothing yet (a new or empty file, which shindan
// may make its own), or a shindan database this build can use. Anything else — another program's
// database, a schema newer than this build, not a database at all — is an InvalidInput naming it.
enum class FileState { kEmpty, kShindan };
Result<FileState> Identify(sqlite3* db, const std::string& path) {
  Result<int64_t> id = QueryInt(db, path, "PRAGMA application_id", "read application_id");
  if (!id.ok()) return id.status().WithContext("not a shindan database");
  if (*id != 0 && *id != kSqliteApplicationId) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%08llx", static_cast<unsigned long long>(*id));
    return Status::InvalidInput("sqlite " + path + ": not a shindan database: it belongs to another program "
                                "(application_id " + hex + ")");
  }
  Result<int64_t> has = QueryInt(
      db, path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
      "look for schema_migrations");
  if (!has.ok()) return has.status();
  if (*has == 0) {
    Result<int64_t> tables = QueryInt(
        db, path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", "list tables");
    if (!tables.ok()) return tables.status();
    if (*tables > 0) {
      return Status::InvalidInput("sqlite " + path + ": not a shindan database: it has " + std::to_string(*tables) +
                                  " tables but no schema_migrations");
    }
    return FileState::kEmpty;
  }
  Result<int64_t> version =
      QueryInt(db, path, "SELECT coalesce(max(version), 0) FROM schema_migrations", "read schema_migrations");
  if (!version.ok()) return version.status();
  if (*version > LatestSchemaVersion()) {
    return Status::InvalidInput("sqlite " + path + ": the database has schema version " + std::to_string(*version) +
                                ", newer than this shindan (up to " + std::to_string(LatestSchemaVersion()) +
                                "): use a newer shindan");
  }
  return FileState::kShindan;
}

// The settings of a store's connection that touch the file (WAL is recorded in it), applied only
// once Identify has said the file is shindan's or empty. A database already in WAL mode is not
// asked to change, so this takes no lock and never waits for a writer. Without `write_ahead_log`
// (a private new file, see OpenOptions) the file keeps the rollback journal.
Status ApplyStoreSettings(sqlite3* db, const std::string& path, bool write_ahead_log) {
  std::string mode;
  {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &raw, nullptr);
    StmtPtr stmt(raw);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW) return DbError(db, rc, path, "open (journal mode)");
    const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
    mode = text ? reinterpret_cast<const char*>(text) : "";
  }
  if (mode != "wal" && write_ahead_log) {
    if (Status s = ExecScript(db, path, "PRAGMA journal_mode=WAL;", "open (settings)"); !s.ok()) return s;
  }
  return ExecScript(db, path, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
                    "open (settings)");
}

Status NoSuchDatabase(const std::string& path) {
  return Status::NotFound("sqlite " + path + ": no such database");
}

// A prepared statement borrowed from the cache: bind, step, read. Reset when it goes out of scope,
// so the next user finds it clean and its read snapshot is released.
class Query {
 public:
  Query(sqlite3_stmt* stmt, const std::string* path, const char* op) : stmt_(stmt), path_(path), op_(op) {}
  Query(Query&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)), path_(other.path_), op_(other.op_) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    if (stmt_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }

  Query& Bind(int i, int64_t v) { return Check(sqlite3_bind_int64(stmt_, i, v)); }
  // The text must outlive the step (SQLITE_STATIC: no copy).
  Query& Bind(int i, std::string_view v) {
    return Check(sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8));
  }
  Query& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Query& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Query& BindNull(int i) { return Check(sqlite3_bind_null(stmt_, i)); }
  // The bytes must outlive the step (SQLITE_STATIC: no copy).
  Query& BindBlob(int i, std::string_view v) { return Check(sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_STATIC)); }

  // One step: true when a row is ready, false when done.
  Result<bool> Step() {
    if (bind_rc_ != SQLITE_OK) return Error(bind_rc_);
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Error(rc);
  }
  // Steps to the end, for statements that return nothing.
  Status Run() {
    for (;;) {
      Result<bool> row = Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
    }
  }

  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string_view Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
  }
  std::string_view Blob(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
  }
  void TextTo(int col, std::string* out) const {
    std::string_view t = Text(col);
    out->assign(t.data(), t.size());
  }

  Status Error(int rc) const { return DbError(sqlite3_db_handle(stmt_), rc, *path_, op_); }

 private:
  Query& Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }
  sqlite3_stmt* stmt_;
  const std::string* path_;
  const char* op_;
  int bind_rc_ = SQLITE_OK;
};

// --- SQL. Each constant is prepared once per connection (the cache is keyed by its address).

constexpr char kBeginImmediate[] = "BEGIN IMMEDIATE";
constexpr char kCommit[] = "COMMIT";
constexpr char kRollback[] = "ROLLBACK";
constexpr char kForeignKeysOff[] = "PRAGMA foreign_keys=OFF";
constexpr char kForeignKeysOn[] = "PRAGMA foreign_keys=ON";

constexpr char kCreateMigrations[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL) STRICT";
constexpr char kHasMigrationsTable[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr char kAppliedVersions[] = "SELECT version FROM schema_migrations ORDER BY version";
constexpr char kRecordMigration[] = "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?1, ?2, ?3)";

constexpr char kInsertSurvey[] =
    "INSERT INTO surveys(name, created_at) VALUES (?1, ?2) ON CONFLICT(name) DO NOTHING";
constexpr char kFindSurvey[] = "SELECT id FROM surveys WHERE name = ?1";
constexpr char kSurveyName[] = "SELECT name FROM surveys WHERE id = ?1";
// The columnar copy (analytics/column_copy.h) and the revision that tells whether it is current.
constexpr char kSurveyRevision[] = "SELECT revision FROM surveys WHERE id = ?1";
constexpr char kBumpRevision[] = "UPDATE surveys SET revision = revision + 1 WHERE id = ?1";
constexpr char kReadCopyParts[] =
    "SELECT name, data FROM survey_copies WHERE survey_id = ?1 AND substr(name, 1, ?3) = ?2 ORDER BY name";
constexpr char kReadCopyPart[] = "SELECT data FROM survey_copies WHERE survey_id = ?1 AND name = ?2";
constexpr char kWriteCopyPart[] =
    "INSERT INTO survey_copies(survey_id, name, data) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(survey_id, name) DO UPDATE SET data = excluded.data";
constexpr char kDeleteCopy[] = "DELETE FROM survey_copies WHERE survey_id = ?1";
constexpr char kListSurveys[] =
    "SELECT s.id, s.name, s.created_at, (SELECT count(*) FROM companies c WHERE c.survey_id = s.id) "
    "FROM surveys s ORDER BY s.name";

// The import (see SqliteImportSession). ?1 is the survey or the time, shared by every row.
constexpr char kNextIds[] =
    "SELECT (SELECT coalesce(max(id), 0) + 1 FROM companies), (SELECT coalesce(max(id), 0) + 1 FROM submissions)";
constexpr char kSurveyCompanies[] = "SELECT company_key, id FROM companies WHERE survey_id = ?1";
constexpr char kSetProfileSubmission[] = "UPDATE companies SET profile_submission_id = ?2 WHERE id = ?1";
constexpr char kRetireCurrent[] =
    "UPDATE responses SET is_current = 0 WHERE company_id = ?1 AND instrument_id = ?2 AND is_current = 1";

// Multi-row INSERTs: the VALUES list repeated n times, parameters numbered from ?3 on.
struct BatchInsert {
  const char* head;    // INSERT INTO … VALUES
  const char* row;     // one row, with $ for each per-row parameter, ?1 ?2 for the shared ones
  int params_per_row;  // how many $
};
constexpr BatchInsert kBatchCompanies = {
    "INSERT INTO companies(id, survey_id, company_key, created_at, profile_submission_id) VALUES ",
    "($, ?1, $, ?2, $)", 3};
constexpr BatchInsert kBatchSubmissions = {
    "INSERT INTO submissions(id, company_id, profile_version, profile, size_type, industry, region, submitted_at) "
    "VALUES ",
    "($, $, $, $, $, $, $, ?1)", 7};
constexpr BatchInsert kBatchResponses = {
    "INSERT INTO responses(submission_id, company_id, instrument_id, instrument_version, answers, is_current, "
    "submitted_at) VALUES ",
    "($, $, $, $, $, $, ?1)", 6};
constexpr int kBatchSizes[] = {64, 16, 4, 1};  // rows per statement, largest first
constexpr size_t kFlushRecords = 1024;           // records buffered before they are written

std::string BatchSql(const BatchInsert& b, int rows) {
  std::string sql = b.head;
  int next = 3;
  for (int r = 0; r < rows; ++r) {
    if (r) sql += ", ";
    for (const char* c = b.row; *c; ++c) {
      if (*c == '$') sql += "?" + std::to_string(next++);
      else sql += *c;
    }
  }
  return sql;
}

// One ordered pass: companies by the (survey_id, company_key) index, the current profile by primary
// key, the company's range of responses keeping the current ones — no sort, no grouping (see
// migrations.cc). `+r.is_current` keeps the planner on the clustered primary key: the partial index
// would add a lookup per response.
constexpr char kScanLatest[] =
    "SELECT c.id, c.company_key, s.profile_version, s.profile, s.size_type, s.industry, s.region, "
    "coalesce(s.submitted_at, c.created_at), r.instrument_id, r.instrument_version, r.answers, r.submitted_at "
    "FROM companies c "
    "LEFT JOIN submissions s ON s.id = c.profile_submission_id "
    "LEFT JOIN responses r ON r.company_id = c.id AND +r.is_current = 1 "
    "WHERE c.survey_id = ?1 "
    "ORDER BY c.company_key, r.instrument_id";
// ScanCurrent: two scans in storage order merged by company id — each a sequential read (the
// companies' rowids; responses are clustered by company_id), with one primary-key lookup per
// company for its profile. No sort, no per-company index probe: several times faster than
// ScanLatest's key-ordered join. A part is a range of company ids.
constexpr char kCompanyIdRange[] = "SELECT min(id), max(id) FROM companies WHERE survey_id = ?1";
constexpr char kScanCurrentCompanies[] =
    "SELECT c.id, c.company_key, s.profile_version, s.profile, s.size_type, s.industry, s.region "
    "FROM companies c LEFT JOIN submissions s ON s.id = c.profile_submission_id "
    "WHERE +c.survey_id = ?1 AND c.id BETWEEN ?2 AND ?3 ORDER BY c.id";  // + : by rowid, not the key index
constexpr char kScanCurrentResponses[] =
    "SELECT company_id, instrument_id, instrument_version, answers FROM responses "
    "WHERE +is_current = 1 AND company_id BETWEEN ?1 AND ?2 ORDER BY company_id";
constexpr char kHistory[] =
    "SELECT s.id, s.profile_version, s.profile, s.size_type, s.industry, s.region, s.submitted_at, "
    "r.instrument_id, r.instrument_version, r.answers "
    "FROM companies c JOIN submissions s ON s.company_id = c.id "
    "LEFT JOIN responses r ON r.company_id = c.id AND r.submission_id = s.id "
    "WHERE c.survey_id = ?1 AND c.company_key = ?2 "
    "ORDER BY s.id, r.instrument_id";  // a sort of one company's rows

constexpr char kInsertNote[] =
    "INSERT INTO interview_notes(company_id, topic, note, tags, interviewer, created_at) "
    "SELECT id, ?3, ?4, ?5, ?6, ?7 FROM companies WHERE survey_id = ?1 AND company_key = ?2";
constexpr char kListNotes[] =
    "SELECT c.company_key, n.topic, n.note, n.tags, n.interviewer, n.created_at, "
    "coalesce(s.size_type, ''), coalesce(s.industry, ''), coalesce(s.region, '') "
    "FROM interview_notes n JOIN companies c ON c.id = n.company_id "
    "LEFT JOIN submissions s ON s.id = c.profile_submission_id "
    "WHERE c.survey_id = ?1 ORDER BY n.topic, c.company_key, n.id";
constexpr char kInsertAudit[] =
    "INSERT INTO audit_log(at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kListAudit[] =
    "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2";

// The web application (issue 11).
constexpr char kInsertInvitation[] =
    "INSERT INTO invitations(survey_id, company_key, token_hash, label, created_at, expires_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, ''))";
constexpr char kFindInvitation[] =
    "SELECT i.id, i.survey_id, s.name, i.company_key, i.token_hash, i.label, i.created_at, "
    "coalesce(i.expires_at, ''), coalesce(i.used_at, ''), coalesce(i.revoked_at, '') "
    "FROM invitations i JOIN surveys s ON s.id = i.survey_id WHERE i.token_hash = ?1";
constexpr char kRevokeInvitation[] =
    "UPDATE invitations SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL";
constexpr char kRevokeCompanyInvitations[] =
    "UPDATE invitations SET revoked_at = ?3 WHERE survey_id = ?1 AND company_key = ?2 AND revoked_at IS NULL";
constexpr char kMarkInvitationUsed[] =
    "UPDATE invitations SET company_key = ?2, used_at = coalesce(used_at, ?3) WHERE id = ?1";
constexpr char kLoadDraft[] = "SELECT field, value FROM draft_answers WHERE invitation_id = ?1";
constexpr char kSaveDraftField[] =
    "INSERT INTO draft_answers(invitation_id, field, value, updated_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (invitation_id, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
constexpr char kDeleteDraftField[] = "DELETE FROM draft_answers WHERE invitation_id = ?1 AND field = ?2";
constexpr char kInsertSecret[] =
    "INSERT INTO server_secrets(name, value, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING";
constexpr char kFindSecret[] = "SELECT value FROM server_secrets WHERE name = ?1";
constexpr char kFindBadTokens[] = "SELECT failures, last_at FROM bad_tokens WHERE address = ?1";
constexpr char kInsertItemLink[] =
    "INSERT INTO item_links(invitation_id, item_id, token_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)";
#define SHINDAN_ITEM_LINK_COLUMNS \
  "l.id, l.invitation_id, l.item_id, l.token_hash, l.created_at, l.expires_at, l.answered_at, l.answer"
constexpr char kFindItemLink[] =
    "SELECT " SHINDAN_ITEM_LINK_COLUMNS ", i.id, i.survey_id, s.name, i.company_key, i.token_hash, i.label, "
    "i.created_at, coalesce(i.expires_at, ''), coalesce(i.used_at, ''), coalesce(i.revoked_at, '') FROM item_links l "
    "JOIN invitations i ON i.id = l.invitation_id JOIN surveys s ON s.id = i.survey_id WHERE l.token_hash = ?1";
constexpr char kListItemLinks[] =
    "SELECT " SHINDAN_ITEM_LINK_COLUMNS " FROM item_links l WHERE l.invitation_id = ?1 ORDER BY l.id";
#undef SHINDAN_ITEM_LINK_COLUMNS
constexpr char kMarkItemLinkAnswered[] = "UPDATE item_links SET answer = ?2, answered_at = ?3 WHERE id = ?1";
constexpr char kRecordBadToken[] =
    "INSERT INTO bad_tokens(address, failures, last_at) VALUES (?1, 1, ?2) ON CONFLICT (address) DO UPDATE SET "
    "failures = CASE WHEN bad_tokens.last_at < ?3 THEN 1 ELSE bad_tokens.failures + 1 END, last_at = ?2 "
    "RETURNING failures, last_at";

// Population frames (issue 11).
constexpr char kSetSurveyFrame[] =
    "INSERT INTO survey_frames(survey_id, source, body, attached_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (survey_id) "
    "DO UPDATE SET source = excluded.source, body = excluded.body, attached_at = excluded.attached_at";
constexpr char kRemoveSurveyFrame[] = "DELETE FROM survey_frames WHERE survey_id = ?1";
constexpr char kSurveyFrame[] = "SELECT source, body, attached_at FROM survey_frames WHERE survey_id = ?1";

class SqliteStore;

// The import, one BEGIN IMMEDIATE … COMMIT. Holding the write lock for the whole session is what
// makes it fast: nobody else can insert, so the session numbers new companies and submissions
// itself (from max(id) + 1) and knows every id before it writes. Records are buffered and written
// kFlushRecords at a time with multi-row INSERTs, one table after the other (companies,
// submissions, responses): a cursor per table and statement instead of one per row.
//
// Which companies exist is kept in memory (CompanyIndex; the survey's existing companies are read
// once at the start), so a new company costs no lookup. For a company seen before — in the
// database or earlier in the session — the previous current responses to the same instruments are
// retired first (UPDATE … is_current = 0), and its current-profile pointer moves when the new
// submission carries a profile. Within one buffer, a later record of the same company clears the
// is_current of the earlier one before anything is written.
//
// Foreign keys are not checked during the session (PRAGMA foreign_keys=OFF before BEGIN, ON again
// after COMMIT or ROLLBACK; it cannot change inside a transaction): every id the session writes is
// one it read or numbered itself under the write lock, and the survey was checked by BeginImport,
// so each check would be a cursor opened to confirm what is already known — a fifth of the work
// per row. The connection checks them for every other statement; the tests check the imported
// rows with PRAGMA foreign_key_check.
class SqliteImportSession final : public ImportSession {
 public:
  SqliteImportSession(SqliteStore& store, int64_t survey_id, std::string now)
      : store_(store), survey_id_(survey_id), now_(std::move(now)) {}
  ~SqliteImportSession() override;

  // Reads the next ids and the survey's companies. REQUIRES: the write transaction is open.
  Status Start();
  Status Add(const CompanyRecord& record) override;
  Status Commit(const std::function<Status()>& before_commit) override;
  int64_t survey_id() const override { return survey_id_; }

 private:
  Status Flush();
  void EndTransaction(const char* sql, const char* op);
  template <typename Row, typename BindShared, typename BindRow>
  Status InsertRows(const BatchInsert& batch, const char* op, std::span<const Row> rows, BindShared bind_shared,
                    BindRow bind_row);

  SqliteStore& store_;
  int64_t survey_id_;
  std::string now_;
  bool finished_ = false;
  Status failed_;

  int64_t next_company_ = 1, next_submission_ = 1;
  ImportBatch batch_;
  std::vector<int64_t> company_ids_, submission_ids_;
  std::map<std::pair<const BatchInsert*, int>, sqlite3_stmt*> statements_;  // owned by the store's cache
};

class SqliteStore final : public Store {
 public:
  SqliteStore(DbPtr db, std::string path, OpenOptions options)
      : db_(std::move(db)), path_(std::move(path)), options_(std::move(options)) {}
  ~SqliteStore() override {
    cache_.clear();  // statements before the connection
    generated_.clear();
  }

  std::string Kind() const override { return "sqlite"; }

  Result<int> SchemaVersion() override {
    Result<int64_t> has = Count(kHasMigrationsTable, "look for schema_migrations");
    if (!has.ok()) return has.status();
    if (*has == 0) return 0;
    Result<std::vector<int>> applied = AppliedVersions();
    if (!applied.ok()) return applied.status();
    return applied->empty() ? 0 : applied->back();
  }

  Result<int> Migrate() override {
    // Read first, without a lock: a current schema (every open but the first after an upgrade)
    // takes no write lock, so opening never waits for an import.
    Result<int> version = SchemaVersion();
    if (!version.ok()) return version.status();
    if (*version == LatestSchemaVersion()) return 0;
    if (Status s = Exec(kBeginImmediate, "migrate: begin"); !s.ok()) return s;
    Result<int> applied = MigrateInTransaction();
    if (!applied.ok()) {
      Exec(kRollback, "migrate: rollback");
      return applied.status();
    }
    if (Status s = Exec(kCommit, "migrate: commit"); !s.ok()) {
      Exec(kRollback, "migrate: rollback");
      return s;
    }
    return applied;
  }

  Result<int64_t> EnsureSurvey(const std::string& name) override {
    if (name.empty()) return Status::InvalidInput("survey name: empty — expected a name such as 'demo'");
    Result<Query> q = Prepare(kInsertSurvey, "create survey");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, name).Bind(2, now);
    if (Status s = q->Run(); !s.ok()) return s;
    Result<std::optional<int64_t>> id = FindSurvey(name);
    if (!id.ok()) return id.status();
    if (!id->has_value()) return Status::Internal("sqlite " + path_ + ": create survey '" + name + "': not found after insert");
    return **id;
  }

  Result<std::optional<int64_t>> FindSurvey(const std::string& name) override {
    Result<Query> q = Prepare(kFindSurvey, "find survey");
    if (!q.ok()) return q.status();
    q->Bind(1, name);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<int64_t>();
    return std::optional<int64_t>(q->Int(0));
  }

  Result<std::optional<std::string>> SurveyName(int64_t survey_id) override {
    Result<Query> q = Prepare(kSurveyName, "survey name");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(std::string(q->Text(0)));
  }

  Result<std::vector<SurveyInfo>> ListSurveys() override {
    Result<Query> q = Prepare(kListSurveys, "list surveys");
    if (!q.ok()) return q.status();
    std::vector<SurveyInfo> out;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      SurveyInfo& s = out.emplace_back();
      s.id = q->Int(0);
      q->TextTo(1, &s.name);
      q->TextTo(2, &s.created_at);
      s.companies = q->Int(3);
    }
    return out;
  }

  Result<std::unique_ptr<ImportSession>> BeginImport(const std::string& survey) override {
    if (survey.empty()) return Status::InvalidInput("survey name: empty — expected a name such as 'demo'");
    if (session_open_) {
      return Status::Internal("sqlite " + path_ + ": begin import: another import session of this store is open");
    }
    // See SqliteImportSession on foreign keys; the session turns them on again when it ends.
    if (Status s = Exec(kForeignKeysOff, "begin import: foreign keys off"); !s.ok()) return s;
    if (Status s = Exec(kBeginImmediate, "begin import"); !s.ok()) {
      Exec(kForeignKeysOn, "begin import: foreign keys on");
      return s;
    }
    // Inside the transaction: a new survey exists only once the import commits.
    Result<int64_t> survey_id = EnsureSurvey(survey);
    if (!survey_id.ok()) {
      Exec(kRollback, "begin import: rollback");
      Exec(kForeignKeysOn, "begin import: foreign keys on");
      return survey_id.status();
    }
    session_open_ = true;
    auto session = std::make_unique<SqliteImportSession>(*this, *survey_id, Now());
    if (Status s = session->Start(); !s.ok()) return s;  // the session's destructor rolls back
    return std::unique_ptr<ImportSession>(std::move(session));
  }

  Status ScanLatest(int64_t survey_id, const std::function<Status(const CompanyRecord&)>& fn) override {
    Result<Query> q = Prepare(kScanLatest, "scan latest responses");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id);
    CompanyRecord rec;
    int64_t company = -1;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const int64_t id = q->Int(0);
      if (id != company) {
        if (company != -1) {
          if (Status s = fn(rec); !s.ok()) return s;
        }
        company = id;
        q->TextTo(1, &rec.company_key);
        q->TextTo(2, &rec.profile_version);
        q->TextTo(3, &rec.profile);
        q->TextTo(4, &rec.size_type);
        q->TextTo(5, &rec.industry);
        q->TextTo(6, &rec.region);
        q->TextTo(7, &rec.recorded_at);
        rec.responses.clear();
      }
      if (q->IsNull(8)) continue;
      CompanyRecord::InstrumentAnswers& r = rec.responses.emplace_back();
      q->TextTo(8, &r.instrument_id);
      q->TextTo(9, &r.instrument_version);
      q->TextTo(10, &r.answers);
      std::string_view at = q->Text(11);
      if (at > rec.recorded_at) rec.recorded_at.assign(at.data(), at.size());
    }
    if (company != -1) return fn(rec);
    return Status::Ok();
  }

  Status ScanCurrent(int64_t survey_id, ScanPart part, const std::function<Status(const CompanyRecord&)>& fn) override {
    int64_t lo = 0, hi = -1;
    {
      Result<Query> range = Prepare(kCompanyIdRange, "scan current responses: id range");
      if (!range.ok()) return range.status();
      range->Bind(1, survey_id);
      Result<bool> row = range->Step();
      if (!row.ok()) return row.status();
      if (!*row || range->IsNull(0)) return Status::Ok();  // no companies
      const int64_t min = range->Int(0), span = range->Int(1) - min + 1;
      const int count = std::max(part.count, 1);
      lo = min + span * part.index / count;
      hi = min + span * (part.index + 1) / count - 1;
    }
    Result<Query> companies = Prepare(kScanCurrentCompanies, "scan current responses: companies");
    if (!companies.ok()) return companies.status();
    Result<Query> responses = Prepare(kScanCurrentResponses, "scan current responses: answers");
    if (!responses.ok()) return responses.status();
    companies->Bind(1, survey_id).Bind(2, lo).Bind(3, hi);
    responses->Bind(1, lo).Bind(2, hi);
    Result<bool> response_row = responses->Step();
    if (!response_row.ok()) return response_row.status();
    CompanyRecord rec;
    for (;;) {
      Result<bool> row = companies->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const int64_t id = companies->Int(0);
      companies->TextTo(1, &rec.company_key);
      companies->TextTo(2, &rec.profile_version);
      companies->TextTo(3, &rec.profile);
      companies->TextTo(4, &rec.size_type);
      companies->TextTo(5, &rec.industry);
      companies->TextTo(6, &rec.region);
      rec.responses.clear();
      // Responses of companies before this one belong to other surveys (ids interleave).
      while (*response_row && responses->Int(0) <= id) {
        if (responses->Int(0) == id) {
          CompanyRecord::InstrumentAnswers& r = rec.responses.emplace_back();
          responses->TextTo(1, &r.instrument_id);
          responses->TextTo(2, &r.instrument_version);
          responses->TextTo(3, &r.answers);
        }
        response_row = responses->Step();
        if (!response_row.ok()) return response_row.status();
      }
      if (Status s = fn(rec); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Result<int64_t> SurveyRevision(int64_t survey_id) override {
    Result<Query> q = Prepare(kSurveyRevision, "read survey revision");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    return *row ? q->Int(0) : int64_t{0};
  }

  Status ReadCopyParts(int64_t survey_id, const std::string& prefix,
                       const std::function<Status(const std::string& name, std::string_view data)>& fn) override {
    Result<Query> q = Prepare(kReadCopyParts, "read columnar copy");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id).Bind(2, prefix).Bind(3, static_cast<int64_t>(prefix.size()));
    std::string name;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      q->TextTo(0, &name);
      if (Status s = fn(name, q->Blob(1)); !s.ok()) return s;
    }
  }

  Result<std::optional<std::string>> ReadCopyPart(int64_t survey_id, const std::string& name) override {
    Result<Query> q = Prepare(kReadCopyPart, "read columnar copy");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id).Bind(2, name);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(std::string(q->Blob(0)));
  }

  Status WriteCopyParts(int64_t survey_id, const std::vector<std::pair<std::string, std::string>>& parts,
                        bool replace_all) override {
    const bool own_transaction = !session_open_;
    if (own_transaction) {
      if (Status s = Exec(kBeginImmediate, "write columnar copy: begin"); !s.ok()) return s;
    }
    Status s = Status::Ok();
    if (replace_all) {
      Result<Query> q = Prepare(kDeleteCopy, "write columnar copy: clear");
      s = q.ok() ? q->Bind(1, survey_id).Run() : q.status();
    }
    for (size_t i = 0; s.ok() && i < parts.size(); ++i) {
      Result<Query> q = Prepare(kWriteCopyPart, "write columnar copy");
      s = q.ok() ? q->Bind(1, survey_id).Bind(2, parts[i].first).BindBlob(3, parts[i].second).Run() : q.status();
    }
    if (own_transaction) {
      Status end = Exec(s.ok() ? kCommit : kRollback, "write columnar copy: end");
      if (s.ok()) s = end;
    }
    return s;
  }

  Result<std::vector<CompanyRecord>> History(int64_t survey_id, const std::string& company_key) override {
    Result<Query> q = Prepare(kHistory, "read company history");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id).Bind(2, company_key);
    std::vector<CompanyRecord> out;
    int64_t submission = -1;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (q->Int(0) != submission) {
        submission = q->Int(0);
        CompanyRecord& rec = out.emplace_back();
        rec.company_key = company_key;
        q->TextTo(1, &rec.profile_version);
        q->TextTo(2, &rec.profile);
        q->TextTo(3, &rec.size_type);
        q->TextTo(4, &rec.industry);
        q->TextTo(5, &rec.region);
        q->TextTo(6, &rec.recorded_at);
      }
      if (q->IsNull(7)) continue;
      CompanyRecord::InstrumentAnswers& r = out.back().responses.emplace_back();
      q->TextTo(7, &r.instrument_id);
      q->TextTo(8, &r.instrument_version);
      q->TextTo(9, &r.answers);
    }
    return out;
  }

  Status AddInterviewNotes(int64_t survey_id, const std::vector<InterviewNote>& notes) override {
    if (Status s = Exec(kBeginImmediate, "add interview notes: begin"); !s.ok()) return s;
    const std::string now = Now();
    Status status = Status::Ok();
    for (const InterviewNote& n : notes) {
      Result<Query> q = Prepare(kInsertNote, "add interview note");
      if (!q.ok()) {
        status = q.status();
        break;
      }
      const std::string tags = TagsJson(n.tags);
      q->Bind(1, survey_id).Bind(2, n.company_key).Bind(3, n.topic).Bind(4, n.note).Bind(5, tags).Bind(6, n.interviewer).Bind(7, now);
      if (status = q->Run(); !status.ok()) break;
      if (sqlite3_changes(db_.get()) != 1) {
        status = Status::NotFound("sqlite " + path_ + ": add interview note: no company '" + n.company_key +
                                  "' in this survey — expected a company_id imported into it");
        break;
      }
    }
    if (!status.ok()) {
      Exec(kRollback, "add interview notes: rollback");
      return status;
    }
    if (Status s = Exec(kCommit, "add interview notes: commit"); !s.ok()) {
      Exec(kRollback, "add interview notes: rollback");
      return s;
    }
    return Status::Ok();
  }

  Result<std::vector<InterviewNote>> ListInterviewNotes(int64_t survey_id) override {
    Result<Query> q = Prepare(kListNotes, "read interview notes");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id);
    std::vector<InterviewNote> out;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      InterviewNote& n = out.emplace_back();
      q->TextTo(0, &n.company_key);
      q->TextTo(1, &n.topic);
      q->TextTo(2, &n.note);
      n.tags = TagsFromJson(q->Text(3));
      q->TextTo(4, &n.interviewer);
      q->TextTo(5, &n.noted_at);
      q->TextTo(6, &n.size_type);
      q->TextTo(7, &n.industry);
      q->TextTo(8, &n.region);
    }
    return out;
  }

  Status Audit(const AuditEntry& entry) override {
    Result<Query> q = Prepare(kInsertAudit, "append to audit log");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, now).Bind(2, entry.actor).Bind(3, entry.action).Bind(4, entry.subject).Bind(5, entry.detail);
    sqlite3_busy_timeout(db_.get(), kAuditBusyTimeoutMs);
    Status s = q->Run();
    sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs);
    return s;
  }

  Result<std::vector<AuditEntry>> ListAudit(int64_t after_id, int limit) override {
    Result<Query> q = Prepare(kListAudit, "read audit log");
    if (!q.ok()) return q.status();
    q->Bind(1, after_id).Bind(2, static_cast<int64_t>(limit));
    std::vector<AuditEntry> out;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      AuditEntry& e = out.emplace_back();
      e.id = q->Int(0);
      q->TextTo(1, &e.at);
      q->TextTo(2, &e.actor);
      q->TextTo(3, &e.action);
      q->TextTo(4, &e.subject);
      q->TextTo(5, &e.detail);
    }
    return out;
  }

  // --- The web application (issue 11).

  Result<int64_t> AddInvitation(const Invitation& inv) override {
    Result<Query> q = Prepare(kInsertInvitation, "add invitation");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, inv.survey_id).Bind(2, inv.company_key).Bind(3, inv.token_hash).Bind(4, inv.label).Bind(5, now).Bind(6, inv.expires_at);
    if (Status s = q->Run(); !s.ok()) return s;
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db_.get()));
  }

  Result<std::optional<Invitation>> FindInvitation(const std::string& token_hash) override {
    Result<Query> q = Prepare(kFindInvitation, "find invitation");
    if (!q.ok()) return q.status();
    q->Bind(1, token_hash);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Invitation>();
    return std::optional<Invitation>(InvitationAt(*q, 0));
  }

  Result<int> RevokeInvitation(const std::string& token_hash) override {
    Result<Query> q = Prepare(kRevokeInvitation, "revoke invitation");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, token_hash).Bind(2, now);
    if (Status s = q->Run(); !s.ok()) return s;
    return sqlite3_changes(db_.get());
  }

  Result<int> RevokeCompanyInvitations(int64_t survey_id, const std::string& company_key) override {
    Result<Query> q = Prepare(kRevokeCompanyInvitations, "revoke invitations");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, survey_id).Bind(2, company_key).Bind(3, now);
    if (Status s = q->Run(); !s.ok()) return s;
    return sqlite3_changes(db_.get());
  }

  Status MarkInvitationUsed(int64_t invitation_id, const std::string& company_key) override {
    Result<Query> q = Prepare(kMarkInvitationUsed, "mark invitation used");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, invitation_id).Bind(2, company_key).Bind(3, now);
    return q->Run();
  }

  Result<std::map<std::string, std::string>> LoadDraft(int64_t invitation_id) override {
    Result<Query> q = Prepare(kLoadDraft, "read saved answers");
    if (!q.ok()) return q.status();
    q->Bind(1, invitation_id);
    std::map<std::string, std::string> out;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.emplace(std::string(q->Text(0)), std::string(q->Text(1)));
    }
    return out;
  }

  Status SaveDrafts(std::span<const DraftWrite> writes) override {
    if (Status s = Exec(kBeginImmediate, "save answers: begin"); !s.ok()) return s;
    const std::string now = Now();
    Status status = Status::Ok();
    for (const DraftWrite& write : writes) {
      for (const auto& [field, value] : write.values) {
        Result<Query> q = Prepare(value.empty() ? kDeleteDraftField : kSaveDraftField, "save answers");
        if (!q.ok()) {
          status = q.status();
          break;
        }
        q->Bind(1, write.invitation_id).Bind(2, field);
        if (!value.empty()) q->Bind(3, value).Bind(4, now);
        if (status = q->Run(); !status.ok()) break;
      }
      if (!status.ok()) break;
    }
    if (status.ok()) status = Exec(kCommit, "save answers: commit");
    if (!status.ok()) Exec(kRollback, "save answers: rollback");
    return status;
  }

  Result<std::string> EnsureSecret(const std::string& name, const std::string& candidate) override {
    {
      Result<Query> q = Prepare(kInsertSecret, "store server secret");
      if (!q.ok()) return q.status();
      const std::string now = Now();
      q->Bind(1, name).Bind(2, candidate).Bind(3, now);
      if (Status s = q->Run(); !s.ok()) return s;
    }
    Result<Query> q = Prepare(kFindSecret, "read server secret");
    if (!q.ok()) return q.status();
    q->Bind(1, name);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("sqlite " + path_ + ": server secret '" + name + "' vanished");
    return std::string(q->Text(0));
  }

  Result<BadTokenRecord> BadTokens(const std::string& address) override {
    Result<Query> q = Prepare(kFindBadTokens, "read bad tokens");
    if (!q.ok()) return q.status();
    q->Bind(1, address);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return BadTokenRecord{};
    return BadTokenRecord{q->Int(0), std::string(q->Text(1))};
  }

  Result<BadTokenRecord> RecordBadToken(const std::string& address, const std::string& now,
                                        const std::string& restart_before) override {
    Result<Query> q = Prepare(kRecordBadToken, "count a bad token");
    if (!q.ok()) return q.status();
    q->Bind(1, address).Bind(2, now).Bind(3, restart_before);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("sqlite " + path_ + ": counting a bad token returned no row");
    BadTokenRecord r{q->Int(0), std::string(q->Text(1))};
    if (Result<bool> done = q->Step(); !done.ok()) return done.status();
    return r;
  }

  // --- One-item links.

  Result<int64_t> AddItemLink(const ItemLink& link) override {
    Result<Query> q = Prepare(kInsertItemLink, "add item link");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, link.invitation_id).Bind(2, link.item_id).Bind(3, link.token_hash).Bind(4, now).Bind(5, link.expires_at);
    if (Status s = q->Run(); !s.ok()) return s;
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db_.get()));
  }

  Result<std::optional<ItemLink>> FindItemLink(const std::string& token_hash) override {
    Result<Query> q = Prepare(kFindItemLink, "find item link");
    if (!q.ok()) return q.status();
    q->Bind(1, token_hash);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<ItemLink>();
    ItemLink link = ItemLinkAt(*q);
    link.invitation = InvitationAt(*q, 8);
    return std::optional<ItemLink>(std::move(link));
  }

  Result<std::vector<ItemLink>> ListItemLinks(int64_t invitation_id) override {
    Result<Query> q = Prepare(kListItemLinks, "list item links");
    if (!q.ok()) return q.status();
    q->Bind(1, invitation_id);
    std::vector<ItemLink> out;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.push_back(ItemLinkAt(*q));
    }
    return out;
  }

  Status MarkItemLinkAnswered(int64_t link_id, const std::string& answer) override {
    Result<Query> q = Prepare(kMarkItemLinkAnswered, "record item link answer");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, link_id).Bind(2, answer).Bind(3, now);
    return q->Run();
  }

  // The invitation in the ten columns of `q` from `first` on, as kFindInvitation selects them.
  static Invitation InvitationAt(Query& q, int first) {
    Invitation inv;
    inv.id = q.Int(first);
    inv.survey_id = q.Int(first + 1);
    q.TextTo(first + 2, &inv.survey_name);
    q.TextTo(first + 3, &inv.company_key);
    q.TextTo(first + 4, &inv.token_hash);
    q.TextTo(first + 5, &inv.label);
    q.TextTo(first + 6, &inv.created_at);
    q.TextTo(first + 7, &inv.expires_at);
    q.TextTo(first + 8, &inv.used_at);
    q.TextTo(first + 9, &inv.revoked_at);
    return inv;
  }

  // The item link in the first eight columns of `q` (SHINDAN_ITEM_LINK_COLUMNS).
  static ItemLink ItemLinkAt(Query& q) {
    ItemLink link;
    link.id = q.Int(0);
    link.invitation_id = q.Int(1);
    q.TextTo(2, &link.item_id);
    q.TextTo(3, &link.token_hash);
    q.TextTo(4, &link.created_at);
    q.TextTo(5, &link.expires_at);
    q.TextTo(6, &link.answered_at);
    q.TextTo(7, &link.answer);
    return link;
  }

  // --- Population frames (issue 11).

  Status SetSurveyFrame(int64_t survey_id, const std::string& source, const std::string& body) override {
    Result<std::optional<std::string>> name = SurveyName(survey_id);
    if (!name.ok()) return name.status();
    if (!*name) return Status::NotFound("sqlite " + path_ + ": no survey with id " + std::to_string(survey_id));
    Result<Query> q = Prepare(kSetSurveyFrame, "attach frame");
    if (!q.ok()) return q.status();
    const std::string now = Now();
    q->Bind(1, survey_id).Bind(2, source).Bind(3, body).Bind(4, now);
    return q->Run();
  }

  Result<bool> RemoveSurveyFrame(int64_t survey_id) override {
    Result<Query> q = Prepare(kRemoveSurveyFrame, "detach frame");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id);
    if (Status s = q->Run(); !s.ok()) return s;
    return sqlite3_changes(db_.get()) > 0;
  }

  Result<std::optional<StoredFrame>> SurveyFrame(int64_t survey_id) override {
    Result<Query> q = Prepare(kSurveyFrame, "read frame");
    if (!q.ok()) return q.status();
    q->Bind(1, survey_id);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<StoredFrame>();
    StoredFrame f;
    q->TextTo(0, &f.source);
    q->TextTo(1, &f.body);
    q->TextTo(2, &f.attached_at);
    return std::optional<StoredFrame>(std::move(f));
  }

  // --- for the import session

  // The statement for `sql` (a constant above), prepared on first use. `op` names the operation in
  // error messages.
  Result<Query> Prepare(const char* sql, const char* op) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* raw = nullptr;
      const int rc = sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
      StmtPtr stmt(raw);
      if (rc != SQLITE_OK) return DbError(db_.get(), rc, path_, op);
      it = cache_.emplace(sql, std::move(stmt)).first;
    }
    return Query(it->second.get(), &path_, op);
  }

  // The same for SQL made by the program (the multi-row INSERTs), cached by its text. The statement
  // lives as long as this store.
  Result<sqlite3_stmt*> PrepareGenerated(const std::string& sql, const char* op) {
    auto it = generated_.find(sql);
    if (it == generated_.end()) {
      sqlite3_stmt* raw = nullptr;
      const int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
      StmtPtr stmt(raw);
      if (rc != SQLITE_OK) return DbError(db_.get(), rc, path_, op);
      it = generated_.emplace(sql, std::move(stmt)).first;
    }
    return it->second.get();
  }

  Status Exec(const char* sql, const char* op) {
    Result<Query> q = Prepare(sql, op);
    if (!q.ok()) return q.status();
    return q->Run();
  }

  sqlite3* db() { return db_.get(); }
  const std::string& path() const { return path_; }
  void EndSession() { session_open_ = false; }
  std::string Now() const { return FormatTimestamp(options_.now()); }

 private:
  Result<int64_t> Count(const char* sql, const char* op) {
    Result<Query> q = Prepare(sql, op);
    if (!q.ok()) return q.status();
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    return *row ? q->Int(0) : 0;
  }

  Result<std::vector<int>> AppliedVersions() {
    Result<Query> q = Prepare(kAppliedVersions, "read schema_migrations");
    if (!q.ok()) return q.status();
    std::vector<int> out;
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return out;
      out.push_back(static_cast<int>(q->Int(0)));
    }
  }

  Result<int> MigrateInTransaction() {
    if (Status s = Exec(kCreateMigrations, "create schema_migrations"); !s.ok()) return s;
    Result<std::vector<int>> applied = AppliedVersions();
    if (!applied.ok()) return applied.status();
    if (!applied->empty() && applied->back() > LatestSchemaVersion()) {
      return Status::InvalidInput("sqlite " + path_ + ": the database has schema version " +
                                  std::to_string(applied->back()) + ", newer than this shindan (up to " +
                                  std::to_string(LatestSchemaVersion()) + "): use a newer shindan");
    }
    int count = 0;
    for (const Migration& m : Migrations()) {
      if (std::binary_search(applied->begin(), applied->end(), m.version)) continue;
      char* err = nullptr;
      const int rc = sqlite3_exec(db_.get(), m.sqlite, nullptr, nullptr, &err);
      if (rc != SQLITE_OK) {
        std::string message = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        return SqlError(rc, path_, "migration " + std::to_string(m.version) + " (" + m.name + ")", message);
      }
      Result<Query> q = Prepare(kRecordMigration, "record migration");
      if (!q.ok()) return q.status();
      const std::string now = Now();
      q->Bind(1, static_cast<int64_t>(m.version)).Bind(2, m.name).Bind(3, now);
      if (Status s = q->Run(); !s.ok()) return s;
      ++count;
    }
    if (count > 0) {
      const std::string pragma = "PRAGMA application_id = " + std::to_string(kSqliteApplicationId);
      char* err = nullptr;
      const int rc = sqlite3_exec(db_.get(), pragma.c_str(), nullptr, nullptr, &err);
      if (rc != SQLITE_OK) {
        std::string message = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        return SqlError(rc, path_, "set application_id", message);
      }
    }
    return count;
  }

  DbPtr db_;
  std::string path_;
  OpenOptions options_;
  std::unordered_map<const char*, StmtPtr> cache_;
  std::unordered_map<std::string, StmtPtr> generated_;
  bool session_open_ = false;
};

SqliteImportSession::~SqliteImportSession() {
  if (!finished_) EndTransaction(kRollback, "roll back import");
  store_.EndSession();
}

void SqliteImportSession::EndTransaction(const char* sql, const char* op) {
  if (Status s = store_.Exec(sql, op); !s.ok() && failed_.ok()) failed_ = s;
  if (sqlite3_get_autocommit(store_.db())) store_.Exec(kForeignKeysOn, "import: foreign keys on");
}

Status SqliteImportSession::Start() {
  {
    Result<Query> q = store_.Prepare(kNextIds, "import: next ids");
    if (!q.ok()) return q.status();
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    next_company_ = q->Int(0);
    next_submission_ = q->Int(1);
  }
  Result<Query> q = store_.Prepare(kSurveyCompanies, "import: read the survey's companies");
  if (!q.ok()) return q.status();
  q->Bind(1, survey_id_);
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    batch_.AddExisting(q->Text(0), q->Int(1));
  }
}

Status SqliteImportSession::Add(const CompanyRecord& record) {
  if (!failed_.ok()) return failed_;
  if (finished_) return Status::Internal("sqlite " + store_.path() + ": import: Add after Commit");
  Status s = batch_.Add(record);
  if (s.ok() && batch_.size() >= kFlushRecords) s = Flush();
  if (!s.ok()) failed_ = s;
  return s;
}

template <typename Row, typename BindShared, typename BindRow>
Status SqliteImportSession::InsertRows(const BatchInsert& batch, const char* op, std::span<const Row> rows,
                                       BindShared bind_shared, BindRow bind_row) {
  size_t done = 0;
  for (int size : kBatchSizes) {
    while (rows.size() - done >= static_cast<size_t>(size)) {
      sqlite3_stmt*& stmt = statements_[{&batch, size}];
      if (!stmt) {
        Result<sqlite3_stmt*> prepared = store_.PrepareGenerated(BatchSql(batch, size), op);
        if (!prepared.ok()) return prepared.status();
        stmt = *prepared;
      }
      Query q(stmt, &store_.path(), op);
      bind_shared(q);
      int param = 3;
      for (int r = 0; r < size; ++r, param += batch.params_per_row) bind_row(q, param, rows[done + r]);
      if (Status s = q.Run(); !s.ok()) return s;
      done += static_cast<size_t>(size);
    }
  }
  return Status::Ok();
}

Status SqliteImportSession::Flush() {
  if (batch_.empty()) return Status::Ok();
  // Under the write lock nobody else inserts: the session numbers its rows itself.
  company_ids_.resize(batch_.new_companies().size());
  submission_ids_.resize(batch_.submissions().size());
  for (int64_t& id : company_ids_) id = next_company_++;
  for (int64_t& id : submission_ids_) id = next_submission_++;
  batch_.AssignIds(company_ids_, submission_ids_);

  Status s;
  for (const ImportBatch::Retire& r : batch_.retired()) {
    Result<Query> q = store_.Prepare(kRetireCurrent, "import: retire previous response");
    if (!q.ok()) return q.status();
    q->Bind(1, r.company).Bind(2, r.instrument_id);
    if (s = q->Run(); !s.ok()) break;
  }
  auto survey_and_time = [this](Query& q) { q.Bind(1, survey_id_).Bind(2, now_); };
  auto time = [this](Query& q) { q.Bind(1, now_); };
  if (s.ok()) {
    s = InsertRows(kBatchCompanies, "import: insert companies", batch_.new_companies(), survey_and_time,
                   [](Query& q, int p, const ImportBatch::NewCompany& c) {
                     q.Bind(p, c.id).Bind(p + 1, c.key);
                     if (c.profile_submission) q.Bind(p + 2, c.profile_submission);
                     else q.BindNull(p + 2);
                   });
  }
  if (s.ok()) {
    s = InsertRows(kBatchSubmissions, "import: insert submissions", batch_.submissions(), time,
                   [](Query& q, int p, const ImportBatch::Submission& r) {
                     q.Bind(p, r.id)
                         .Bind(p + 1, r.company)
                         .Bind(p + 2, r.profile_version)
                         .Bind(p + 3, r.profile)
                         .Bind(p + 4, r.size_type)
                         .Bind(p + 5, r.industry)
                         .Bind(p + 6, r.region);
                   });
  }
  if (s.ok()) {
    s = InsertRows(kBatchResponses, "import: insert responses", batch_.responses(), time,
                   [](Query& q, int p, const ImportBatch::Response& r) {
                     q.Bind(p, r.submission)
                         .Bind(p + 1, r.company)
                         .Bind(p + 2, r.instrument_id)
                         .Bind(p + 3, r.instrument_version)
                         .Bind(p + 4, r.answers)
                         .Bind(p + 5, static_cast<int64_t>(r.current ? 1 : 0));
                   });
  }
  for (const ImportBatch::ProfileMove& m : batch_.profile_moves()) {
    if (!s.ok()) break;
    Result<Query> q = store_.Prepare(kSetProfileSubmission, "import: move current profile");
    if (!q.ok()) return q.status();
    q->Bind(1, m.company).Bind(2, m.submission);
    s = q->Run();
  }
  if (!s.ok()) {
    // Name the companies of the failed buffer, so the message points somewhere.
    const std::string first(batch_.FirstNewCompany());
    return first.empty() ? s : s.WithContext("import (a batch from company '" + first + "')");
  }
  batch_.Written();
  return Status::Ok();
}

Status SqliteImportSession::Commit(const std::function<Status()>& before_commit) {
  if (!failed_.ok()) return failed_;
  if (finished_) return Status::Internal("sqlite " + store_.path() + ": import: Commit called twice");
  Status s = Flush();
  if (s.ok()) {
    Result<Query> q = store_.Prepare(kBumpRevision, "import: survey revision");
    s = q.ok() ? q->Bind(1, survey_id_).Run() : q.status();
  }
  if (s.ok() && before_commit) s = before_commit();
  if (!s.ok()) {
    failed_ = s;
    return s;
  }
  EndTransaction(kCommit, "import: commit");
  if (!failed_.ok()) return failed_;
  finished_ = true;
  return Status::Ok();
}

// Checks that `db` (opened on `path`) holds a shindan database this build can read.
Status CheckShindanFile(sqlite3* db, const std::string& path) {
  const std::string not_shindan = path + " is not a shindan SQLite database";
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &raw, nullptr);
  StmtPtr app(raw);
  if (rc == SQLITE_OK) rc = sqlite3_step(app.get());
  if (rc != SQLITE_ROW) return Status::InvalidInput(not_shindan + ": " + sqlite3_errmsg(db));
  const int64_t id = sqlite3_column_int64(app.get(), 0);
  if (id != kSqliteApplicationId) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%08llx", static_cast<unsigned long long>(id));
    return Status::InvalidInput(not_shindan + " (application_id " + hex + ", expected 0x5348444e)");
  }
  rc = sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_migrations", -1, &raw, nullptr);
  StmtPtr version(raw);
  if (rc == SQLITE_OK) rc = sqlite3_step(version.get());
  if (rc != SQLITE_ROW) return Status::InvalidInput(not_shindan + ": " + sqlite3_errmsg(db));
  const int64_t v = sqlite3_column_int64(version.get(), 0);
  if (v > LatestSchemaVersion()) {
    return Status::InvalidInput(path + " has schema version " + std::to_string(v) +
                                ", newer than this shindan (up to " + std::to_string(LatestSchemaVersion()) +
                                "): use a newer shindan");
  }
  rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &raw, nullptr);
  StmtPtr check(raw);
  if (rc == SQLITE_OK) rc = sqlite3_step(check.get());
  if (rc != SQLITE_ROW) return Status::InvalidInput(path + " is damaged: " + sqlite3_errmsg(db));
  const char* verdict = reinterpret_cast<const char*>(sqlite3_column_text(check.get(), 0));
  if (!verdict || std::string_view(verdict) != "ok") {
    return Status::InvalidInput(path + " is damaged: " + (verdict ? verdict : "quick_check failed"));
  }
  return Status::Ok();
}

// Copies all of `src` into `dst` in one step (one read snapshot of the source, one write
// transaction on the destination, rolled back by sqlite3_backup_finish on failure).
Status CopyDatabase(sqlite3* src, sqlite3* dst, const std::string& dst_path, const std::string& op) {
  std::unique_ptr<sqlite3_backup, BackupFinisher> backup(sqlite3_backup_init(dst, "main", src, "main"));
  if (!backup) return DbError(dst, sqlite3_errcode(dst), dst_path, op);
  int rc = sqlite3_backup_step(backup.get(), -1);
  if (rc != SQLITE_DONE) {
    const std::string message = sqlite3_errstr(rc);
    backup.reset();
    return SqlError(rc, dst_path, op, message);
  }
  rc = sqlite3_backup_finish(backup.release());
  if (rc != SQLITE_OK) return DbError(dst, rc, dst_path, op);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const OpenOptions& options) {
  std::error_code ec;
  if (!options.create_if_missing && !std::filesystem::exists(path, ec)) return NoSuchDatabase(path);
  Result<DbPtr> db = Connect(path, SQLITE_OPEN_READWRITE | (options.create_if_missing ? SQLITE_OPEN_CREATE : 0));
  if (!db.ok()) return db.status();
  // Identity first, reading only: a file that is not shindan's is left exactly as it was.
  Result<FileState> state = Identify(db->get(), path);
  if (!state.ok()) return state.status();
  if (*state == FileState::kEmpty && !options.create_if_missing) return NoSuchDatabase(path);
  if (Status s = ApplyStoreSettings(db->get(), path, options.write_ahead_log); !s.ok()) return s;
  if (options.durable_commits) {
    if (Status s = ExecScript(db->get(), path, "PRAGMA synchronous=FULL;", "open (durable commits)"); !s.ok()) return s;
  }
  auto store = std::make_unique<SqliteStore>(std::move(db).value(), path, options);
  if (options.migrate) {
    Result<int> applied = store->Migrate();
    if (!applied.ok()) return applied.status();
  }
  return std::unique_ptr<Store>(std::move(store));
}

Status SqliteBackup(const std::string& db_path, const std::string& out_path, FileSystem& fs) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) return Status::NotFound(db_path + ": no such database file");
  Result<DbPtr> src = Connect(db_path, SQLITE_OPEN_READWRITE);
  if (!src.ok()) return src.status();
  if (Status s = CheckShindanFile(src->get(), db_path); !s.ok()) return s;
  // SQLite writes the copy by name, page by page: it is built in the writer's staging file and
  // renamed over out_path by Commit(), so a failure at any point leaves out_path as it was. A pipe
  // or a device is refused by NewStagedFile (a database cannot be streamed), before it is opened.
  Result<std::unique_ptr<WritableFile>> out = fs.NewStagedFile(out_path);
  if (!out.ok()) return out.status().WithContext("backup");
  Result<std::string> staging = (*out)->StagingPath();
  if (!staging.ok()) return staging.status();
  {
    Result<DbPtr> dst = Connect(*staging, SQLITE_OPEN_READWRITE);
    if (!dst.ok()) return dst.status();
    if (Status s = CopyDatabase(src->get(), dst->get(), out_path, "backup"); !s.ok()) return s;
    // A backup is one self-contained file, whatever the source's journal mode.
    if (Status s = ExecScript(dst->get(), out_path, "PRAGMA journal_mode=DELETE", "backup: journal mode"); !s.ok()) {
      return s;
    }
  }  // closed before the commit: SQLite holds no lock and no journal on the file any more
  return (*out)->Commit();
}

Status SqliteRestore(const std::string& backup_path, const std::string& db_path) {
  {
    // Readable at all: a missing file or a folder is a read error (exit 1), not a bad backup.
    const int fd = ::open(backup_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IoError(backup_path + ": cannot read (" + std::strerror(errno) + ")");
    struct stat st;
    const bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    ::close(fd);
    if (!regular) return Status::IoError(backup_path + ": cannot read (not a regular file)");
  }
  std::error_code ec;
  const bool target_exists = std::filesystem::exists(db_path, ec);
  if (target_exists && std::filesystem::equivalent(backup_path, db_path, ec)) {
    return Status::InvalidInput(backup_path + ": the backup is the database itself — expected another file");
  }
  // Read-write without CREATE: a WAL-mode backup needs its -shm; nothing is written to it.
  Result<DbPtr> src = Connect(backup_path, SQLITE_OPEN_READWRITE);
  if (!src.ok()) return src.status();
  if (Status s = CheckShindanFile(src->get(), backup_path); !s.ok()) return s;
  {
    Result<DbPtr> dst = Connect(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dst.ok()) return dst.status();
    // Only a shindan database (or a new, empty file) is replaced; another program's database is
    // refused before anything is written to it.
    Result<FileState> state = Identify(dst->get(), db_path);
    if (!state.ok()) return Status(state.status()).WithContext("restore refused, the database was not changed");
    if (Status s = ApplyStoreSettings(dst->get(), db_path, /*write_ahead_log=*/true); !s.ok()) return s;
    if (Status s = CopyDatabase(src->get(), dst->get(), db_path, "restore"); !s.ok()) {
      return Status(s).WithContext("the database was not changed");
    }
  }
  // The backup may predate the newest migrations: bring it up to date now.
  OpenOptions options;
  options.now = [] { return std::chrono::system_clock::now(); };
  Result<std::unique_ptr<Store>> reopened = OpenSqliteStore(db_path, options);
  return reopened.ok() ? Status::Ok() : reopened.status();
}

}  // namespace shindan
