// The PostgreSQL store.
//
// Statements that run once per call (surveys, history, audit) are prepared once per connection
// (PQprepare) and executed with text parameters. SQL never contains a user's value.
//
// The import (PostgresImportSession) is one transaction, written batch by batch with COPY … FROM
// STDIN (text format) straight into the tables. As in the SQLite store, the session keeps
// company_key → id in memory (the survey's companies are read once at the start), takes ids for new
// companies and submissions from their sequences (one round trip per batch), and so sends every row
// complete: no temporary tables, no joins against the big tables, nothing for the planner to get
// wrong. A transaction-level advisory lock on the survey keeps two imports into the same survey
// from creating the same company at once (the second waits). Companies seen before have their
// previous current responses retired and their profile pointer moved by two set-based UPDATEs
// (unnest of arrays) per batch. After a large import the tables are ANALYZEd, so the planner
// knows their size at once.
//
// ScanLatest runs one query in libpq's single-row mode: the client holds one row at a time, and the
// server may plan it as a whole-table job (parallel hash joins and one sort, given the work_mem set
// for that transaction), which for a million companies is several times faster than a cursor's
// index-by-index plan.
#include "store/postgres_store.h"
#include "store/tags.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <charconv>
#include <initializer_list>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "store/import_batch.h"
#include "store/migrations.h"

namespace shindan {

namespace {

constexpr size_t kBatchRows = 20000;
// work_mem for the scan's transaction: room to sort a million companies' rows in memory.
constexpr char kScanWorkMem[] = "SET LOCAL work_mem = '256MB'";

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;

struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultClearer>;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// "postgresql: OPERATION: MESSAGE (DETAIL)", with a code a caller can act on.
Status ResultError(const PGresult* res, PGconn* conn, const std::string& op) {
  std::string message, sqlstate;
  if (res) {
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (primary) message = primary;
    if (detail) message += std::string(" (") + detail + ")";
    if (state) sqlstate = state;
  }
  if (message.empty()) message = Trim(PQerrorMessage(conn));
  if (message.empty() && res) message = PQresStatus(PQresultStatus(res));
  const std::string text = "postgresql: " + op + ": " + message;
  if (sqlstate.rfind("23", 0) == 0 || sqlstate.rfind("22", 0) == 0) return Status::InvalidInput(text);
  if (sqlstate.empty() || sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("40", 0) == 0 ||
      sqlstate.rfind("53", 0) == 0 || sqlstate.rfind("57", 0) == 0) {
    return Status::IoError(text);
  }
  return Status::Internal(text);
}

// Parameters in text format: values, or NULL.
class Params {
 public:
  Params() = default;
  Params(std::initializer_list<std::optional<std::string>> values) : values_(values) {}
  const char* const* Pointers() {
    pointers_.clear();
    for (const auto& v : values_) pointers_.push_back(v ? v->c_str() : nullptr);
    return pointers_.data();
  }
  int size() const { return static_cast<int>(values_.size()); }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<const char*> pointers_;
};

std::string Num(int64_t v) { return std::to_string(v); }

std::string_view Value(const PGresult* r, int row, int col) {
  return std::string_view(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
}

int64_t IntValue(const PGresult* r, int row, int col) {
  std::string_view v = Value(r, row, col);
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

// Appends `v` to a COPY text-format buffer, escaped.
void AppendCopyField(std::string* out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      default: out->push_back(c);
    }
  }
}

// --- SQL

constexpr char kCreateMigrations[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";
constexpr char kHasMigrationsTable[] = "SELECT to_regclass('schema_migrations') IS NOT NULL";
constexpr char kCountTables[] =
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
    "AND table_type = 'BASE TABLE'";
constexpr char kAppliedVersions[] = "SELECT version FROM schema_migrations ORDER BY version";
constexpr char kRecordMigration[] = "INSERT INTO schema_migrations(version, name, applied_at) VALUES ($1, $2, $3)";
constexpr char kMigrationLock[] = "SELECT pg_advisory_xact_lock($1::bigint)";

constexpr char kInsertSurvey[] =
    "INSERT INTO surveys(name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
constexpr char kFindSurvey[] = "SELECT id FROM surveys WHERE name = $1";
constexpr char kSurveyName[] = "SELECT name FROM surveys WHERE id = $1::bigint";
// The columnar copy (analytics/column_copy.h) and the revision that tells whether it is current.
// Imports into one survey (and so their copy updates) follow each other: kImportLock.
constexpr char kSurveyRevision[] = "SELECT revision FROM surveys WHERE id = $1::bigint";
constexpr char kBumpRevision[] = "UPDATE surveys SET revision = revision + 1 WHERE id = $1::bigint";
constexpr char kReadCopyParts[] =
    "SELECT name, data FROM survey_copies WHERE survey_id = $1::bigint AND starts_with(name, $2) ORDER BY name";
constexpr char kReadCopyPart[] = "SELECT data FROM survey_copies WHERE survey_id = $1::bigint AND name = $2";
constexpr char kWriteCopyPart[] =
    "INSERT INTO survey_copies(survey_id, name, data) VALUES ($1::bigint, $2, $3::bytea) "
    "ON CONFLICT (survey_id, name) DO UPDATE SET data = excluded.data";
constexpr char kDeleteCopy[] = "DELETE FROM survey_copies WHERE survey_id = $1::bigint";
constexpr char kListSurveys[] =
    "SELECT s.id, s.name, s.created_at, (SELECT count(*) FROM companies c WHERE c.survey_id = s.id) "
    "FROM surveys s ORDER BY s.name";
constexpr char kHistory[] =
    "SELECT s.id, s.profile_version, s.profile, s.size_type, s.industry, s.region, s.submitted_at, "
    "r.instrument_id, r.instrument_version, r.answers "
    "FROM companies c JOIN submissions s ON s.company_id = c.id "
    "LEFT JOIN responses r ON r.company_id = c.id AND r.submission_id = s.id "
    "WHERE c.survey_id = $1::bigint AND c.company_key = $2 "
    "ORDER BY s.id, r.instrument_id";
constexpr char kInsertNote[] =
    "INSERT INTO interview_notes(company_id, topic, note, tags, interviewer, created_at) "
    "SELECT id, $3, $4, $5, $6, $7 FROM companies WHERE survey_id = $1::bigint AND company_key = $2";
constexpr char kListNotes[] =
    "SELECT c.company_key, n.topic, n.note, n.tags, n.interviewer, n.created_at, "
    "coalesce(s.size_type, ''), coalesce(s.industry, ''), coalesce(s.region, '') "
    "FROM interview_notes n JOIN companies c ON c.id = n.company_id "
    "LEFT JOIN submissions s ON s.id = c.profile_submission_id "
    "WHERE c.survey_id = $1::bigint ORDER BY n.topic COLLATE \"C\", c.company_key COLLATE \"C\", n.id";
constexpr char kInsertAudit[] =
    "INSERT INTO audit_log(at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)";
constexpr char kListAudit[] =
    "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id > $1::bigint ORDER BY id LIMIT $2::int";

// The web application (issue 11).
constexpr char kInsertInvitation[] =
    "INSERT INTO invitations(survey_id, company_key, token_hash, label, created_at, expires_at) "
    "VALUES ($1::bigint, $2, $3, $4, $5, nullif($6, '')) RETURNING id";
#define SHINDAN_SELECT_INVITATIONS                                                        \
  "SELECT i.id, i.survey_id, s.name, i.company_key, i.token_hash, i.label, i.created_at, " \
  "coalesce(i.expires_at, ''), coalesce(i.used_at, ''), coalesce(i.revoked_at, '') "     \
  "FROM invitations i JOIN surveys s ON s.id = i.survey_id "
constexpr char kFindInvitation[] = SHINDAN_SELECT_INVITATIONS "WHERE i.token_hash = $1";
// Store::LookupRespondents: the invitations, drafts and addresses' bad tokens of many requests,
// each with the key it answers (the invitation's token_hash is its fifth column).
constexpr char kFindInvitations[] = SHINDAN_SELECT_INVITATIONS "WHERE i.token_hash = ANY($1::text[])";
#undef SHINDAN_SELECT_INVITATIONS
constexpr char kLoadDraftsByTokens[] =
    "SELECT d.field, d.value, i.token_hash FROM draft_answers d JOIN invitations i ON i.id = d.invitation_id "
    "WHERE i.token_hash = ANY($1::text[])";
constexpr char kRevokeInvitation[] =
    "UPDATE invitations SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL";
constexpr char kRevokeCompanyInvitations[] =
    "UPDATE invitations SET revoked_at = $3 WHERE survey_id = $1::bigint AND company_key = $2 AND revoked_at IS NULL";
constexpr char kMarkInvitationUsed[] =
    "UPDATE invitations SET company_key = $2, used_at = coalesce(used_at, $3) WHERE id = $1::bigint";
constexpr char kLoadDraft[] = "SELECT field, value FROM draft_answers WHERE invitation_id = $1::bigint";
// A group of saves (Store::SaveDrafts; the web's group commit, web/group_call.h) is one
// statement, whatever the number of saves in it: the group's (invitation, field, value) triples as
// three arrays, upserted. A round trip per save, with the leader of the group sending them one
// after another while every save of the group waits, was what bounded the saves per second
// (docs/BENCHMARKS.md). The arrays come sorted by (invitation, field) and unnest keeps their order,
// so every group on every server locks the rows it touches in the same order: two groups wait for
// each other rather than deadlock.
constexpr char kSaveDrafts[] =
    "INSERT INTO draft_answers(invitation_id, field, value, updated_at) "
    "SELECT i, f, v, $4 FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(i, f, v) "
    "ON CONFLICT (invitation_id, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
// The removed fields of a group: kSaveDrafts wrote them first (as ''), in the order of all the
// others, so this statement deletes only rows its transaction has locked already and never waits.
constexpr char kDeleteDrafts[] =
    "DELETE FROM draft_answers d USING unnest($1::bigint[], $2::text[]) AS t(i, f) "
    "WHERE d.invitation_id = t.i AND d.field = t.f";
constexpr char kDurableCommits[] =
    "SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'";
constexpr char kInsertSecret[] =
    "INSERT INTO server_secrets(name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING";
constexpr char kFindSecret[] = "SELECT value FROM server_secrets WHERE name = $1";
constexpr char kFindBadTokens[] = "SELECT failures, last_at FROM bad_tokens WHERE address = $1";
constexpr char kFindBadTokensOf[] = "SELECT failures, last_at, address FROM bad_tokens WHERE address = ANY($1::text[])";
#define SHINDAN_ITEM_LINK_COLUMNS \
  "l.id, l.invitation_id, l.item_id, l.token_hash, l.created_at, l.expires_at, l.answered_at, l.answer"
constexpr char kInsertItemLink[] =
    "INSERT INTO item_links(invitation_id, item_id, token_hash, created_at, expires_at) "
    "VALUES ($1::bigint, $2, $3, $4, $5) RETURNING id";
constexpr char kFindItemLink[] =
    "SELECT " SHINDAN_ITEM_LINK_COLUMNS ", i.id, i.survey_id, s.name, i.company_key, i.token_hash, i.label, "
    "i.created_at, coalesce(i.expires_at, ''), coalesce(i.used_at, ''), coalesce(i.revoked_at, '') FROM item_links l "
    "JOIN invitations i ON i.id = l.invitation_id JOIN surveys s ON s.id = i.survey_id WHERE l.token_hash = $1";
constexpr char kListItemLinks[] =
    "SELECT " SHINDAN_ITEM_LINK_COLUMNS " FROM item_links l WHERE l.invitation_id = $1::bigint ORDER BY l.id";
#undef SHINDAN_ITEM_LINK_COLUMNS
constexpr char kMarkItemLinkAnswered[] = "UPDATE item_links SET answer = $2, answered_at = $3 WHERE id = $1::bigint";
constexpr char kRecordBadToken[] =
    "INSERT INTO bad_tokens(address, failures, last_at) VALUES ($1, 1, $2) ON CONFLICT (address) DO UPDATE SET "
    "failures = CASE WHEN bad_tokens.last_at < $3 THEN 1 ELSE bad_tokens.failures + 1 END, last_at = $2 "
    "RETURNING failures, last_at";

// Population frames (issue 11).
constexpr char kSetSurveyFrame[] =
    "INSERT INTO survey_frames(survey_id, source, body, attached_at) VALUES ($1::bigint, $2, $3, $4) "
    "ON CONFLICT (survey_id) DO UPDATE SET source = excluded.source, body = excluded.body, "
    "attached_at = excluded.attached_at";
constexpr char kRemoveSurveyFrame[] = "DELETE FROM survey_frames WHERE survey_id = $1::bigint";
constexpr char kSurveyFrame[] = "SELECT source, body, attached_at FROM survey_frames WHERE survey_id = $1::bigint";

constexpr char kScanLatest[] =
    "SELECT c.id, c.company_key, s.profile_version, s.profile, s.size_type, s.industry, s.region, "
    "coalesce(s.submitted_at, c.created_at), r.instrument_id, r.instrument_version, r.answers, r.submitted_at "
    "FROM companies c "
    "LEFT JOIN submissions s ON s.id = c.profile_submission_id "
    "LEFT JOIN responses r ON r.company_id = c.id AND r.is_current "
    "WHERE c.survey_id = $1::bigint "
    "ORDER BY c.company_key, r.instrument_id";

// The import.
constexpr char kImportLock[] = "SELECT pg_advisory_xact_lock(1397245006, ($1::bigint % 2147483647)::int)";
constexpr char kSurveyCompanies[] = "SELECT company_key, id FROM companies WHERE survey_id = $1::bigint";
constexpr char kAllocateCompanyIds[] =
    "SELECT nextval(pg_get_serial_sequence('companies', 'id')) FROM generate_series(1, $1::int)";
constexpr char kAllocateSubmissionIds[] =
    "SELECT nextval(pg_get_serial_sequence('submissions', 'id')) FROM generate_series(1, $1::int)";
constexpr char kCopyCompanies[] =
    "COPY companies (id, survey_id, company_key, created_at, profile_submission_id) FROM STDIN";
constexpr char kCopySubmissions[] =
    "COPY submissions (id, company_id, profile_version, profile, size_type, industry, region, submitted_at) "
    "FROM STDIN";
constexpr char kCopyResponses[] =
    "COPY responses (company_id, instrument_id, submission_id, instrument_version, answers, submitted_at, "
    "is_current) FROM STDIN";
constexpr char kImportRetire[] =
    "UPDATE responses r SET is_current = FALSE "
    "FROM unnest($1::bigint[], $2::text[]) AS x(company_id, instrument_id) "
    "WHERE r.company_id = x.company_id AND r.instrument_id = x.instrument_id AND r.is_current";
constexpr char kImportMoveProfiles[] =
    "UPDATE companies c SET profile_submission_id = x.submission_id "
    "FROM unnest($1::bigint[], $2::bigint[]) AS x(company_id, submission_id) WHERE c.id = x.company_id";
constexpr char kAnalyze[] = "ANALYZE companies, submissions, responses";

// An array literal for a text[] parameter: {"a","b\"c"}.
std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string IntArray(const std::vector<int64_t>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "}";
}

// The rows of kFindBadTokens, kFindInvitation and kLoadDraft.
BadTokenRecord BadTokensOf(const PGresult* r) {
  if (PQntuples(r) == 0) return BadTokenRecord{};
  return BadTokenRecord{IntValue(r, 0, 0), std::string(Value(r, 0, 1))};
}

// The invitation in the ten columns of row `row` from `first` on, as kFindInvitation selects them.
Invitation InvitationAt(const PGresult* res, int row, int first) {
  Invitation inv;
  inv.id = IntValue(res, row, first);
  inv.survey_id = IntValue(res, row, first + 1);
  inv.survey_name = Value(res, row, first + 2);
  inv.company_key = Value(res, row, first + 3);
  inv.token_hash = Value(res, row, first + 4);
  inv.label = Value(res, row, first + 5);
  inv.created_at = Value(res, row, first + 6);
  inv.expires_at = Value(res, row, first + 7);
  inv.used_at = Value(res, row, first + 8);
  inv.revoked_at = Value(res, row, first + 9);
  return inv;
}

std::optional<Invitation> InvitationOf(const PGresult* r) {
  if (PQntuples(r) == 0) return std::nullopt;
  return InvitationAt(r, 0, 0);
}

std::map<std::string, std::string> DraftOf(const PGresult* r) {
  std::map<std::string, std::string> out;
  for (int i = 0; i < PQntuples(r); ++i) out.emplace(Value(r, i, 0), Value(r, i, 1));
  return out;
}

class PostgresStore;

class PostgresImportSession final : public ImportSession {
 public:
  PostgresImportSession(PostgresStore& store, int64_t survey_id, std::string now)
      : store_(store), survey_id_(survey_id), now_(std::move(now)) {}
  ~PostgresImportSession() override;

  // Takes the survey's lock and reads its companies. REQUIRES: the transaction is open.
  Status Start();
  Status Add(const CompanyRecord& record) override;
  Status Commit(const std::function<Status()>& before_commit) override;
  int64_t survey_id() const override { return survey_id_; }

 private:
  Status Flush();
  Status Copy(const char* sql, const std::string& data, const char* op);
  Result<std::vector<int64_t>> Allocate(const char* sql, size_t n, const char* op);

  PostgresStore& store_;
  int64_t survey_id_;
  std::string now_;
  bool finished_ = false;
  Status failed_;
  size_t rows_ = 0;
  ImportBatch batch_;
};

class PostgresStore final : public Store {
 public:
  PostgresStore(ConnPtr conn, std::string url, OpenOptions options)
      : conn_(std::move(conn)), url_(std::move(url)), options_(std::move(options)) {}

  std::string Kind() const override { return "postgresql"; }

  // Reads only. *empty: the schema has no tables yet (a database shindan may make its own).
  Status CheckIdentity(bool* empty) {
    *empty = false;
    Result<bool> has = HasMigrationsTable();
    if (!has.ok()) return has.status();
    if (!*has) {
      Result<PgResult> tables = Run(kCountTables, {}, "list tables");
      if (!tables.ok()) return tables.status();
      const int64_t n = IntValue(tables->get(), 0, 0);
      if (n > 0) {
        return Status::InvalidInput("postgresql " + RedactUrl(url_) + ": not a shindan database: its schema has " +
                                    std::to_string(n) + " tables but no schema_migrations");
      }
      *empty = true;
      return Status::Ok();
    }
    Result<int> version = SchemaVersion();
    if (!version.ok()) return version.status();
    if (*version > LatestSchemaVersion()) return NewerSchema(*version);
    return Status::Ok();
  }

  Result<int> SchemaVersion() override {
    Result<bool> has = HasMigrationsTable();
    if (!has.ok()) return has.status();
    if (!*has) return 0;
    Result<std::vector<int>> applied = AppliedVersions();
    if (!applied.ok()) return applied.status();
    return applied->empty() ? 0 : applied->back();
  }

  Result<int> Migrate() override {
    // Read first, without the lock: a current schema is opened without a transaction.
    Result<int> version = SchemaVersion();
    if (!version.ok()) return version.status();
    if (*version == LatestSchemaVersion()) return 0;
    if (Status s = Simple("BEGIN", "migrate: begin"); !s.ok()) return s;
    Result<int> applied = MigrateInTransaction();
    if (!applied.ok()) {
      Simple("ROLLBACK", "migrate: rollback");
      return applied.status();
    }
    if (Status s = Simple("COMMIT", "migrate: commit"); !s.ok()) return s;
    return applied;
  }

  Result<int64_t> EnsureSurvey(const std::string& name) override {
    if (name.empty()) return Status::InvalidInput("survey name: empty — expected a name such as 'demo'");
    Result<PgResult> r = Run(kInsertSurvey, {name, Now()}, "create survey");
    if (!r.ok()) return r.status();
    Result<std::optional<int64_t>> id = FindSurvey(name);
    if (!id.ok()) return id.status();
    if (!id->has_value()) return Status::Internal("postgresql: create survey '" + name + "': not found after insert");
    return **id;
  }

  Result<std::optional<int64_t>> FindSurvey(const std::string& name) override {
    Result<PgResult> r = Run(kFindSurvey, {name}, "find survey");
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) return std::optional<int64_t>();
    return std::optional<int64_t>(IntValue(r->get(), 0, 0));
  }

  Result<std::optional<std::string>> SurveyName(int64_t survey_id) override {
    Result<PgResult> r = Run(kSurveyName, {Num(survey_id)}, "survey name");
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) return std::optional<std::string>();
    return std::optional<std::string>(PQgetvalue(r->get(), 0, 0));
  }

  Result<std::vector<SurveyInfo>> ListSurveys() override {
    Result<PgResult> r = Run(kListSurveys, {}, "list surveys");
    if (!r.ok()) return r.status();
    std::vector<SurveyInfo> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      SurveyInfo& s = out.emplace_back();
      s.id = IntValue(r->get(), i, 0);
      s.name = Value(r->get(), i, 1);
      s.created_at = Value(r->get(), i, 2);
      s.companies = IntValue(r->get(), i, 3);
    }
    return out;
  }

  Result<std::unique_ptr<ImportSession>> BeginImport(const std::string& survey) override {
    if (survey.empty()) return Status::InvalidInput("survey name: empty — expected a name such as 'demo'");
    if (session_open_) return Status::Internal("postgresql: begin import: another import session of this store is open");
    if (Status s = Simple("BEGIN", "begin import"); !s.ok()) return s;
    // Inside the transaction: a new survey exists only once the import commits. A second import
    // creating the same survey waits on its unique name until this one ends.
    Result<int64_t> survey_id = EnsureSurvey(survey);
    if (!survey_id.ok()) {
      Simple("ROLLBACK", "begin import: rollback");
      return survey_id.status();
    }
    session_open_ = true;
    auto session = std::make_unique<PostgresImportSession>(*this, *survey_id, Now());
    if (Status s = session->Start(); !s.ok()) return s;  // the session's destructor rolls back
    return std::unique_ptr<ImportSession>(std::move(session));
  }

  Status ScanLatest(int64_t survey_id, const std::function<Status(const CompanyRecord&)>& fn) override {
    // Inside an import session the query shares its transaction; otherwise it has its own.
    const bool own_transaction = PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
    if (own_transaction) {
      if (Status s = Simple("BEGIN READ ONLY", "scan: begin"); !s.ok()) return s;
    }
    Status s = Simple(kScanWorkMem, "scan: work_mem");
    if (s.ok()) s = ScanRows(survey_id, fn, /*may_cancel=*/own_transaction);
    if (own_transaction) {
      Status end = Simple(s.ok() ? "COMMIT" : "ROLLBACK", "scan: end");
      if (s.ok()) s = end;
    }
    return s;
  }

  Result<std::vector<CompanyRecord>> History(int64_t survey_id, const std::string& company_key) override {
    Result<PgResult> r = Run(kHistory, {Num(survey_id), company_key}, "read company history");
    if (!r.ok()) return r.status();
    std::vector<CompanyRecord> out;
    int64_t submission = -1;
    const PGresult* res = r->get();
    for (int i = 0; i < PQntuples(res); ++i) {
      if (IntValue(res, i, 0) != submission) {
        submission = IntValue(res, i, 0);
        CompanyRecord& rec = out.emplace_back();
        rec.company_key = company_key;
        rec.profile_version = Value(res, i, 1);
        rec.profile = Value(res, i, 2);
        rec.size_type = Value(res, i, 3);
        rec.industry = Value(res, i, 4);
        rec.region = Value(res, i, 5);
        rec.recorded_at = Value(res, i, 6);
      }
      if (PQgetisnull(res, i, 7)) continue;
      out.back().responses.push_back({std::string(Value(res, i, 7)), std::string(Value(res, i, 8)),
                                      std::string(Value(res, i, 9))});
    }
    return out;
  }

  Result<int64_t> SurveyRevision(int64_t survey_id) override {
    Result<PgResult> r = Run(kSurveyRevision, {Num(survey_id)}, "read survey revision");
    if (!r.ok()) return r.status();
    return PQntuples(r->get()) ? IntValue(r->get(), 0, 0) : int64_t{0};
  }

  Status ReadCopyParts(int64_t survey_id, const std::string& prefix,
                       const std::function<Status(const std::string& name, std::string_view data)>& fn) override {
    Result<PgResult> r = RunBinary(kReadCopyParts, {Num(survey_id), prefix}, {}, "read columnar copy");
    if (!r.ok()) return r.status();
    const PGresult* res = r->get();
    for (int i = 0; i < PQntuples(res); ++i) {
      if (Status s = fn(std::string(Value(res, i, 0)), Value(res, i, 1)); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Result<std::optional<std::string>> ReadCopyPart(int64_t survey_id, const std::string& name) override {
    Result<PgResult> r = RunBinary(kReadCopyPart, {Num(survey_id), name}, {}, "read columnar copy");
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) return std::optional<std::string>();
    return std::optional<std::string>(std::string(Value(r->get(), 0, 0)));
  }

  Status WriteCopyParts(int64_t survey_id, const std::vector<std::pair<std::string, std::string>>& parts,
                        bool replace_all) override {
    const bool own_transaction = PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
    if (own_transaction) {
      if (Status s = Simple("BEGIN", "write columnar copy: begin"); !s.ok()) return s;
    }
    Status s = Status::Ok();
    if (replace_all) {
      Result<PgResult> r = Run(kDeleteCopy, {Num(survey_id)}, "write columnar copy: clear");
      if (!r.ok()) s = r.status();
    }
    for (size_t i = 0; s.ok() && i < parts.size(); ++i) {
      Result<PgResult> r = RunBinary(kWriteCopyPart, {Num(survey_id), parts[i].first}, parts[i].second, "write columnar copy");
      if (!r.ok()) s = r.status();
    }
    if (own_transaction) {
      Status end = Simple(s.ok() ? "COMMIT" : "ROLLBACK", "write columnar copy: end");
      if (s.ok()) s = end;
    }
    return s;
  }

  Status AddInterviewNotes(int64_t survey_id, const std::vector<InterviewNote>& notes) override {
    if (Status s = Simple("BEGIN", "add interview notes: begin"); !s.ok()) return s;
    const std::string now = Now();
    for (const InterviewNote& n : notes) {
      Result<PgResult> r = Run(kInsertNote, {Num(survey_id), n.company_key, n.topic, n.note, TagsJson(n.tags), n.interviewer, now},
                               "add interview note");
      Status status = r.ok() ? Status::Ok() : r.status();
      if (status.ok() && std::string(PQcmdTuples(r->get())) != "1") {
        status = Status::NotFound("postgresql: add interview note: no company '" + n.company_key +
                                  "' in this survey — expected a company_id imported into it");
      }
      if (!status.ok()) {
        Simple("ROLLBACK", "add interview notes: rollback");
        return status;
      }
    }
    return Simple("COMMIT", "add interview notes: commit");
  }

  Result<std::vector<InterviewNote>> ListInterviewNotes(int64_t survey_id) override {
    Result<PgResult> r = Run(kListNotes, {Num(survey_id)}, "read interview notes");
    if (!r.ok()) return r.status();
    std::vector<InterviewNote> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      InterviewNote& n = out.emplace_back();
      n.company_key = Value(r->get(), i, 0);
      n.topic = Value(r->get(), i, 1);
      n.note = Value(r->get(), i, 2);
      n.tags = TagsFromJson(Value(r->get(), i, 3));
      n.interviewer = Value(r->get(), i, 4);
      n.noted_at = Value(r->get(), i, 5);
      n.size_type = Value(r->get(), i, 6);
      n.industry = Value(r->get(), i, 7);
      n.region = Value(r->get(), i, 8);
    }
    return out;
  }

  Status Audit(const AuditEntry& entry) override {
    Result<PgResult> r =
        Run(kInsertAudit, {Now(), entry.actor, entry.action, entry.subject, entry.detail}, "append to audit log");
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<std::vector<AuditEntry>> ListAudit(int64_t after_id, int limit) override {
    Result<PgResult> r = Run(kListAudit, {Num(after_id), std::to_string(limit)}, "read audit log");
    if (!r.ok()) return r.status();
    std::vector<AuditEntry> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      AuditEntry& e = out.emplace_back();
      e.id = IntValue(r->get(), i, 0);
      e.at = Value(r->get(), i, 1);
      e.actor = Value(r->get(), i, 2);
      e.action = Value(r->get(), i, 3);
      e.subject = Value(r->get(), i, 4);
      e.detail = Value(r->get(), i, 5);
    }
    return out;
  }

  // --- The web application (issue 11).

  Result<int64_t> AddInvitation(const Invitation& inv) override {
    Result<PgResult> r = Run(kInsertInvitation,
                             {Num(inv.survey_id), inv.company_key, inv.token_hash, inv.label, Now(), inv.expires_at},
                             "add invitation");
    if (!r.ok()) return r.status();
    return IntValue(r->get(), 0, 0);
  }

  Result<std::optional<Invitation>> FindInvitation(const std::string& token_hash) override {
    Result<PgResult> r = Run(kFindInvitation, {token_hash}, "find invitation");
    if (!r.ok()) return r.status();
    return InvitationOf(r->get());
  }

  Result<int> RevokeInvitation(const std::string& token_hash) override {
    Result<PgResult> r = Run(kRevokeInvitation, {token_hash, Now()}, "revoke invitation");
    if (!r.ok()) return r.status();
    return std::atoi(PQcmdTuples(r->get()));
  }

  Result<int> RevokeCompanyInvitations(int64_t survey_id, const std::string& company_key) override {
    Result<PgResult> r = Run(kRevokeCompanyInvitations, {Num(survey_id), company_key, Now()}, "revoke invitations");
    if (!r.ok()) return r.status();
    return std::atoi(PQcmdTuples(r->get()));
  }

  Status MarkInvitationUsed(int64_t invitation_id, const std::string& company_key) override {
    Result<PgResult> r = Run(kMarkInvitationUsed, {Num(invitation_id), company_key, Now()}, "mark invitation used");
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<std::map<std::string, std::string>> LoadDraft(int64_t invitation_id) override {
    Result<PgResult> r = Run(kLoadDraft, {Num(invitation_id)}, "read saved answers");
    if (!r.ok()) return r.status();
    return DraftOf(r->get());
  }

  Status SaveDrafts(std::span<const DraftWrite> writes) override {
    // The last value of each (invitation, field) in the group, in that order: one statement
    // cannot upsert a row twice, and the order is the lock order (kSaveDrafts).
    std::map<std::pair<int64_t, std::string_view>, std::string_view> last;
    for (const DraftWrite& write : writes) {
      for (const auto& [field, value] : write.values) last[{write.invitation_id, field}] = value;
    }
    if (last.empty()) return Status::Ok();
    std::vector<int64_t> ids, removed_ids;
    std::vector<std::string> fields, values, removed_fields;
    for (const auto& [key, value] : last) {
      ids.push_back(key.first);
      fields.emplace_back(key.second);
      values.emplace_back(value);
      if (value.empty()) {
        removed_ids.push_back(key.first);
        removed_fields.emplace_back(key.second);
      }
    }
    Params upsert{IntArray(ids), TextArray(fields), TextArray(values), Now()};
    // One statement commits on its own: one round trip for the group.
    if (removed_ids.empty()) {
      Result<PgResult> r = Run(kSaveDrafts, std::move(upsert), "save answers");
      return r.ok() ? Status::Ok() : r.status();
    }
    // With removals, both statements in one transaction, still in one round trip.
    Result<std::vector<PgResult>> r = Pipeline(
        {{kSaveDrafts, std::move(upsert)}, {kDeleteDrafts, {IntArray(removed_ids), TextArray(removed_fields)}}},
        "save answers");
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<std::string> EnsureSecret(const std::string& name, const std::string& candidate) override {
    if (Result<PgResult> r = Run(kInsertSecret, {name, candidate, Now()}, "store server secret"); !r.ok()) return r.status();
    Result<PgResult> r = Run(kFindSecret, {name}, "read server secret");
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) return Status::Internal("postgresql: server secret '" + name + "' vanished");
    return std::string(Value(r->get(), 0, 0));
  }

  Result<BadTokenRecord> BadTokens(const std::string& address) override {
    Result<PgResult> r = Run(kFindBadTokens, {address}, "read bad tokens");
    if (!r.ok()) return r.status();
    return BadTokensOf(r->get());
  }

  Result<BadTokenRecord> RecordBadToken(const std::string& address, const std::string& now,
                                        const std::string& restart_before) override {
    Result<PgResult> r = Run(kRecordBadToken, {address, now, restart_before}, "count a bad token");
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) return Status::Internal("postgresql: counting a bad token returned no row");
    return BadTokenRecord{std::stoll(std::string(Value(r->get(), 0, 0))), std::string(Value(r->get(), 0, 1))};
  }

  // --- One-item links.

  Result<int64_t> AddItemLink(const ItemLink& link) override {
    Result<PgResult> r = Run(kInsertItemLink, {Num(link.invitation_id), link.item_id, link.token_hash, Now(), link.expires_at},
                             "add item link");
    if (!r.ok()) return r.status();
    return IntValue(r->get(), 0, 0);
  }

  Result<std::optional<ItemLink>> FindItemLink(const std::string& token_hash) override {
    Result<PgResult> r = Run(kFindItemLink, {token_hash}, "find item link");
    if (!r.ok()) return r.status();
    const PGresult* res = r->get();
    if (PQntuples(res) == 0) return std::optional<ItemLink>();
    ItemLink link = ItemLinkAt(res, 0);
    link.invitation = InvitationAt(res, 0, 8);
    return std::optional<ItemLink>(std::move(link));
  }

  Result<std::vector<ItemLink>> ListItemLinks(int64_t invitation_id) override {
    Result<PgResult> r = Run(kListItemLinks, {Num(invitation_id)}, "list item links");
    if (!r.ok()) return r.status();
    std::vector<ItemLink> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(ItemLinkAt(r->get(), i));
    return out;
  }

  Status MarkItemLinkAnswered(int64_t link_id, const std::string& answer) override {
    Result<PgResult> r = Run(kMarkItemLinkAnswered, {Num(link_id), answer, Now()}, "record item link answer");
    return r.ok() ? Status::Ok() : r.status();
  }

  // The item link in the first eight columns of row `row` (SHINDAN_ITEM_LINK_COLUMNS).
  static ItemLink ItemLinkAt(const PGresult* res, int row) {
    ItemLink link;
    link.id = IntValue(res, row, 0);
    link.invitation_id = IntValue(res, row, 1);
    link.item_id = Value(res, row, 2);
    link.token_hash = Value(res, row, 3);
    link.created_at = Value(res, row, 4);
    link.expires_at = Value(res, row, 5);
    link.answered_at = Value(res, row, 6);
    link.answer = Value(res, row, 7);
    return link;
  }

  // --- Population frames (issue 11).

  Status SetSurveyFrame(int64_t survey_id, const std::string& source, const std::string& body) override {
    Result<std::optional<std::string>> name = SurveyName(survey_id);
    if (!name.ok()) return name.status();
    if (!*name) return Status::NotFound("postgresql: no survey with id " + std::to_string(survey_id));
    Result<PgResult> r = Run(kSetSurveyFrame, {Num(survey_id), source, body, Now()}, "attach frame");
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<bool> RemoveSurveyFrame(int64_t survey_id) override {
    Result<PgResult> r = Run(kRemoveSurveyFrame, {Num(survey_id)}, "detach frame");
    if (!r.ok()) return r.status();
    return std::string_view(PQcmdTuples(r->get())) != "0";
  }

  Result<std::optional<StoredFrame>> SurveyFrame(int64_t survey_id) override {
    Result<PgResult> r = Run(kSurveyFrame, {Num(survey_id)}, "read frame");
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) return std::optional<StoredFrame>();
    StoredFrame f{std::string(Value(r->get(), 0, 0)), std::string(Value(r->get(), 0, 1)),
                  std::string(Value(r->get(), 0, 2))};
    return std::optional<StoredFrame>(std::move(f));
  }

  // The default's reads of every key in three statements and one round trip (Pipeline): on a busy
  // server every round trip is a wake-up of a thread here and of the server's backend, and the web
  // sends here the keys of all the requests that arrived together. The drafts are read by the
  // tokens' hashes, so they need no answer of the invitations' read first; they are read for every
  // request, also those that do not use them (a POST of a whole page), which costs less than a
  // round trip more for those that do.
  Result<std::vector<RespondentLookup>> LookupRespondents(std::span<const RespondentKey> keys) override {
    std::vector<std::string> addresses, hashes;
    for (const RespondentKey& key : keys) {
      addresses.push_back(key.address);
      hashes.push_back(key.token_hash);
    }
    const std::string hash_array = TextArray(hashes);
    Result<std::vector<PgResult>> r = Pipeline({{kFindBadTokensOf, {TextArray(addresses)}},
                                                {kFindInvitations, {hash_array}},
                                                {kLoadDraftsByTokens, {hash_array}}},
                                               "look up respondents");
    if (!r.ok()) return r.status();
    std::map<std::string, BadTokenRecord, std::less<>> bad;
    const PGresult* bad_rows = (*r)[0].get();
    for (int i = 0; i < PQntuples(bad_rows); ++i) {
      bad[std::string(Value(bad_rows, i, 2))] = BadTokenRecord{IntValue(bad_rows, i, 0), std::string(Value(bad_rows, i, 1))};
    }
    std::map<std::string, Invitation, std::less<>> invitations;
    const PGresult* invitation_rows = (*r)[1].get();
    for (int i = 0; i < PQntuples(invitation_rows); ++i) {
      Invitation inv = InvitationAt(invitation_rows, i, 0);
      invitations.emplace(inv.token_hash, std::move(inv));
    }
    std::map<std::string, std::map<std::string, std::string>, std::less<>> drafts;
    const PGresult* draft_rows = (*r)[2].get();
    for (int i = 0; i < PQntuples(draft_rows); ++i) {
      drafts[std::string(Value(draft_rows, i, 2))].emplace(Value(draft_rows, i, 0), Value(draft_rows, i, 1));
    }
    std::vector<RespondentLookup> out(keys.size());
    for (size_t k = 0; k < keys.size(); ++k) {
      if (auto it = bad.find(keys[k].address); it != bad.end()) out[k].bad_tokens = it->second;
      if (auto it = invitations.find(keys[k].token_hash); it != invitations.end()) {
        out[k].invitation = it->second;
        if (auto d = drafts.find(keys[k].token_hash); d != drafts.end()) out[k].draft = d->second;
      }
    }
    return out;
  }

  // --- for the import session

  // Runs `sql` (a constant above) as a statement prepared once per connection.
  Result<PgResult> Run(const char* sql, Params params, const std::string& op) {
    Result<const std::string*> name = Prepared(sql, op);
    if (!name.ok()) return name.status();
    PgResult res(PQexecPrepared(conn_.get(), (*name)->c_str(), params.size(), params.Pointers(), nullptr, nullptr, 0));
    return Check(std::move(res), op);
  }

  // Runs statements (constants above, prepared once per connection) in one round trip and one
  // transaction: libpq's pipeline mode, the statements and then one Sync. The server runs what
  // comes before a Sync as one implicit transaction, committed at the Sync, so no BEGIN and
  // COMMIT cost round trips of their own; after a failed statement it skips the rest, and the
  // transaction rolls back. REQUIRES: no transaction open on the connection.
  Result<std::vector<PgResult>> Pipeline(std::vector<std::pair<const char*, Params>> statements, const std::string& op) {
    std::vector<const std::string*> names;
    for (const auto& statement : statements) {
      Result<const std::string*> name = Prepared(statement.first, op);
      if (!name.ok()) return name.status();
      names.push_back(*name);
    }
    PGconn* c = conn_.get();
    if (!PQenterPipelineMode(c)) return ResultError(nullptr, c, op + " (pipeline)");
    for (size_t i = 0; i < statements.size(); ++i) {
      Params& params = statements[i].second;
      if (!PQsendQueryPrepared(c, names[i]->c_str(), params.size(), params.Pointers(), nullptr, nullptr, 0)) {
        // Only a broken connection refuses to send (the caller drops it); nothing to read back.
        Status status = ResultError(nullptr, c, op + " (send)");
        PQexitPipelineMode(c);
        return status;
      }
    }
    if (!PQpipelineSync(c)) {
      Status status = ResultError(nullptr, c, op + " (send)");
      PQexitPipelineMode(c);
      return status;
    }
    // Each statement's result and its end (a null), then the Sync's: the connection is then
    // idle, ready for the next call, whatever failed. After the first error the server skips the
    // rest (PGRES_PIPELINE_ABORTED) and the transaction rolls back.
    Status status = Status::Ok();
    std::vector<PgResult> results;
    for (size_t i = 0; i < statements.size(); ++i) {
      PgResult res(PQgetResult(c));
      if (!res) break;  // the connection is gone
      const ExecStatusType st = PQresultStatus(res.get());
      if (status.ok() && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) status = ResultError(res.get(), c, op);
      results.push_back(std::move(res));
      PgResult end(PQgetResult(c));
    }
    PgResult sync(PQgetResult(c));
    if (status.ok() && PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) status = ResultError(sync.get(), c, op + " (commit)");
    if (!PQexitPipelineMode(c) && status.ok()) status = ResultError(nullptr, c, op + " (pipeline end)");
    if (!status.ok()) return status;
    return results;
  }

  // The name of `sql` (a constant above) prepared on this connection, preparing it the first time.
  Result<const std::string*> Prepared(const char* sql, const std::string& op) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      std::string name = "shindan_" + std::to_string(prepared_.size() + 1);
      PgResult res(PQprepare(conn_.get(), name.c_str(), sql, 0, nullptr));
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return ResultError(res.get(), conn_.get(), op + " (prepare)");
      it = prepared_.emplace(sql, std::move(name)).first;
    }
    return &it->second;
  }

  // Runs `sql` (a constant above) with text parameters and, when `blob` is not empty, one more binary
  // parameter holding it; every result column comes back in binary (bytea as its raw bytes; only
  // text and bytea columns are read this way).
  Result<PgResult> RunBinary(const char* sql, const std::vector<std::string>& params, std::string_view blob,
                             const std::string& op) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const std::string& p : params) {
      values.push_back(p.c_str());
      lengths.push_back(static_cast<int>(p.size()));
      formats.push_back(0);
    }
    if (!blob.empty() || std::string_view(sql).find("$3::bytea") != std::string_view::npos) {
      values.push_back(blob.data());
      lengths.push_back(static_cast<int>(blob.size()));
      formats.push_back(1);
    }
    PgResult res(PQexecParams(conn_.get(), sql, static_cast<int>(values.size()), nullptr, values.data(), lengths.data(),
                              formats.data(), 1));
    return Check(std::move(res), op);
  }

  // Runs `sql` once, unprepared (transaction control, DDL, statements on temporary tables).
  Result<PgResult> Once(const char* sql, Params params, const std::string& op) {
    PgResult res(PQexecParams(conn_.get(), sql, params.size(), nullptr, params.Pointers(), nullptr, nullptr, 0));
    return Check(std::move(res), op);
  }

  // Runs statements without parameters (several allowed).
  Status Simple(const char* sql, const std::string& op) {
    PgResult res(PQexec(conn_.get(), sql));
    Result<PgResult> r = Check(std::move(res), op);
    return r.ok() ? Status::Ok() : r.status();
  }

  PGconn* conn() { return conn_.get(); }
  void EndSession() { session_open_ = false; }
  std::string Now() const { return FormatTimestamp(options_.now()); }

 private:
  Result<PgResult> Check(PgResult res, const std::string& op) {
    const ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ResultError(res.get(), conn_.get(), op);
    return res;
  }

  Status NewerSchema(int version) const {
    return Status::InvalidInput("postgresql " + RedactUrl(url_) + ": the database has schema version " +
                                std::to_string(version) + ", newer than this shindan (up to " +
                                std::to_string(LatestSchemaVersion()) + "): use a newer shindan");
  }

  Result<bool> HasMigrationsTable() {
    Result<PgResult> r = Run(kHasMigrationsTable, {}, "look for schema_migrations");
    if (!r.ok()) return r.status();
    return Value(r->get(), 0, 0) == "t";
  }

  Result<std::vector<int>> AppliedVersions() {
    Result<PgResult> r = Run(kAppliedVersions, {}, "read schema_migrations");
    if (!r.ok()) return r.status();
    std::vector<int> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(static_cast<int>(IntValue(r->get(), i, 0)));
    return out;
  }

  Result<int> MigrateInTransaction() {
    // Unprepared: schema_migrations may not exist yet when the statements would be planned.
    if (Result<PgResult> r = Once(kMigrationLock, {Num(kPostgresMigrationLock)}, "migrate: lock"); !r.ok()) {
      return r.status();
    }
    if (Status s = Simple(kCreateMigrations, "create schema_migrations"); !s.ok()) return s;
    Result<PgResult> versions = Once(kAppliedVersions, {}, "read schema_migrations");
    if (!versions.ok()) return versions.status();
    std::vector<int> applied;
    for (int i = 0; i < PQntuples(versions->get()); ++i) applied.push_back(static_cast<int>(IntValue(versions->get(), i, 0)));
    if (!applied.empty() && applied.back() > LatestSchemaVersion()) return NewerSchema(applied.back());
    int count = 0;
    for (const Migration& m : Migrations()) {
      if (std::binary_search(applied.begin(), applied.end(), m.version)) continue;
      if (Status s = Simple(m.postgres, "migration " + std::to_string(m.version) + " (" + m.name + ")"); !s.ok()) {
        return s;
      }
      Result<PgResult> r = Once(kRecordMigration, {std::to_string(m.version), std::string(m.name), Now()},
                                "record migration");
      if (!r.ok()) return r.status();
      ++count;
    }
    return count;
  }

  // Sends the scan and reads it row by row, calling `fn` per company. On an error of `fn` the rest
  // is discarded — cancelled when `may_cancel` (the scan's own transaction, which a cancel aborts),
  // else read to the end — so the connection is ready for the next call.
  Status ScanRows(int64_t survey_id, const std::function<Status(const CompanyRecord&)>& fn, bool may_cancel) {
    Params params{Num(survey_id)};
    if (!PQsendQueryParams(conn_.get(), kScanLatest, params.size(), nullptr, params.Pointers(), nullptr, nullptr, 0) ||
        !PQsetSingleRowMode(conn_.get())) {
      return ResultError(nullptr, conn_.get(), "scan: send");
    }
    Status status;
    bool cancelled = false;
    CompanyRecord rec;
    int64_t company = -1;
    while (PGresult* raw = PQgetResult(conn_.get())) {
      PgResult res(raw);
      const ExecStatusType st = PQresultStatus(raw);
      if (st == PGRES_TUPLES_OK) continue;  // the end
      if (st != PGRES_SINGLE_TUPLE) {
        if (status.ok() && !cancelled) status = ResultError(raw, conn_.get(), "scan latest responses");
        continue;
      }
      if (!status.ok()) continue;  // draining after an error
      const int64_t id = IntValue(raw, 0, 0);
      if (id != company) {
        if (company != -1) status = fn(rec);
        if (!status.ok()) {
          if (PGcancel* cancel = may_cancel ? PQgetCancel(conn_.get()) : nullptr) {
            char buf[256];
            PQcancel(cancel, buf, sizeof buf);
            PQfreeCancel(cancel);
          }
          cancelled = may_cancel;
          continue;
        }
        company = id;
        rec.company_key = Value(raw, 0, 1);
        rec.profile_version = Value(raw, 0, 2);
        rec.profile = Value(raw, 0, 3);
        rec.size_type = Value(raw, 0, 4);
        rec.industry = Value(raw, 0, 5);
        rec.region = Value(raw, 0, 6);
        rec.recorded_at = Value(raw, 0, 7);
        rec.responses.clear();
      }
      if (PQgetisnull(raw, 0, 8)) continue;
      CompanyRecord::InstrumentAnswers& a = rec.responses.emplace_back();
      a.instrument_id = Value(raw, 0, 8);
      a.instrument_version = Value(raw, 0, 9);
      a.answers = Value(raw, 0, 10);
      std::string_view at = Value(raw, 0, 11);
      if (at > rec.recorded_at) rec.recorded_at = at;
    }
    if (status.ok() && company != -1) status = fn(rec);
    return status;
  }

  ConnPtr conn_;
  std::string url_;
  OpenOptions options_;
  std::unordered_map<const char*, std::string> prepared_;
  bool session_open_ = false;
};

PostgresImportSession::~PostgresImportSession() {
  if (!finished_) store_.Simple("ROLLBACK", "roll back import");
  store_.EndSession();
}

Status PostgresImportSession::Start() {
  if (Result<PgResult> r = store_.Once(kImportLock, {Num(survey_id_)}, "import: lock survey"); !r.ok()) {
    return r.status();
  }
  Result<PgResult> r = store_.Once(kSurveyCompanies, {Num(survey_id_)}, "import: read the survey's companies");
  if (!r.ok()) return r.status();
  for (int i = 0; i < PQntuples(r->get()); ++i) batch_.AddExisting(Value(r->get(), i, 0), IntValue(r->get(), i, 1));
  return Status::Ok();
}

Status PostgresImportSession::Add(const CompanyRecord& record) {
  if (!failed_.ok()) return failed_;
  if (finished_) return Status::Internal("postgresql: import: Add after Commit");
  Status s = batch_.Add(record);
  if (s.ok()) ++rows_;
  if (s.ok() && batch_.size() >= kBatchRows) s = Flush();
  if (!s.ok()) failed_ = s;
  return s;
}

Status PostgresImportSession::Commit(const std::function<Status()>& before_commit) {
  if (!failed_.ok()) return failed_;
  if (finished_) return Status::Internal("postgresql: import: Commit called twice");
  Status s = Flush();
  if (s.ok()) {
    Result<PgResult> r = store_.Run(kBumpRevision, {Num(survey_id_)}, "import: survey revision");
    if (!r.ok()) s = r.status();
  }
  if (s.ok() && before_commit) s = before_commit();
  if (s.ok()) s = store_.Simple("COMMIT", "import: commit");
  if (!s.ok()) {
    failed_ = s;
    return s;
  }
  finished_ = true;
  // A large import changes the tables' size by orders of magnitude: tell the planner now rather
  // than when autovacuum gets round to it. Best effort.
  if (rows_ >= 10000) store_.Simple(kAnalyze, "import: analyze");
  return Status::Ok();
}

Result<std::vector<int64_t>> PostgresImportSession::Allocate(const char* sql, size_t n, const char* op) {
  std::vector<int64_t> ids;
  if (n == 0) return ids;
  Result<PgResult> r = store_.Once(sql, {std::to_string(n)}, op);
  if (!r.ok()) return r.status();
  for (int i = 0; i < PQntuples(r->get()); ++i) ids.push_back(IntValue(r->get(), i, 0));
  if (ids.size() != n) return Status::Internal(std::string("postgresql: ") + op + ": wrong number of ids");
  std::sort(ids.begin(), ids.end());  // in sequence order, so a company's submissions keep theirs
  return ids;
}

Status PostgresImportSession::Copy(const char* sql, const std::string& data, const char* op) {
  if (data.empty()) return Status::Ok();
  PGconn* conn = store_.conn();
  {
    PgResult res(PQexec(conn, sql));
    if (PQresultStatus(res.get()) != PGRES_COPY_IN) return ResultError(res.get(), conn, op);
  }
  constexpr size_t kChunk = 1 << 20;
  for (size_t off = 0; off < data.size(); off += kChunk) {
    const size_t n = std::min(kChunk, data.size() - off);
    if (PQputCopyData(conn, data.data() + off, static_cast<int>(n)) != 1) return ResultError(nullptr, conn, op);
  }
  if (PQputCopyEnd(conn, nullptr) != 1) return ResultError(nullptr, conn, op);
  Status status;
  while (PGresult* raw = PQgetResult(conn)) {
    PgResult res(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK && status.ok()) status = ResultError(raw, conn, op);
  }
  return status;
}

Status PostgresImportSession::Flush() {
  if (batch_.empty()) return Status::Ok();
  Result<std::vector<int64_t>> company_ids =
      Allocate(kAllocateCompanyIds, batch_.new_companies().size(), "import: allocate company ids");
  if (!company_ids.ok()) return company_ids.status();
  Result<std::vector<int64_t>> submission_ids =
      Allocate(kAllocateSubmissionIds, batch_.submissions().size(), "import: allocate submission ids");
  if (!submission_ids.ok()) return submission_ids.status();
  batch_.AssignIds(*company_ids, *submission_ids);

  const std::string survey = Num(survey_id_);
  std::string data;
  for (const ImportBatch::NewCompany& c : batch_.new_companies()) {
    data += Num(c.id);
    data += '\t';
    data += survey;
    data += '\t';
    AppendCopyField(&data, c.key);
    data += '\t';
    data += now_;
    data += '\t';
    data += c.profile_submission ? Num(c.profile_submission) : "\\N";
    data += '\n';
  }
  if (Status s = Copy(kCopyCompanies, data, "import: copy companies"); !s.ok()) return s;

  if (!batch_.retired().empty()) {
    std::vector<int64_t> ids;
    std::vector<std::string> instruments;
    for (const ImportBatch::Retire& r : batch_.retired()) {
      ids.push_back(r.company);
      instruments.emplace_back(r.instrument_id);
    }
    Result<PgResult> r = store_.Once(kImportRetire, {IntArray(ids), TextArray(instruments)},
                                     "import: retire previous responses");
    if (!r.ok()) return r.status();
  }

  data.clear();
  for (const ImportBatch::Submission& r : batch_.submissions()) {
    data += Num(r.id);
    data += '\t';
    data += Num(r.company);
    for (std::string_view field : {r.profile_version, r.profile, r.size_type, r.industry, r.region}) {
      data += '\t';
      AppendCopyField(&data, field);
    }
    data += '\t';
    data += now_;
    data += '\n';
  }
  if (Status s = Copy(kCopySubmissions, data, "import: copy submissions"); !s.ok()) return s;

  data.clear();
  for (const ImportBatch::Response& r : batch_.responses()) {
    data += Num(r.company);
    data += '\t';
    AppendCopyField(&data, r.instrument_id);
    data += '\t';
    data += Num(r.submission);
    data += '\t';
    AppendCopyField(&data, r.instrument_version);
    data += '\t';
    AppendCopyField(&data, r.answers);
    data += '\t';
    data += now_;
    data += r.current ? "\tt\n" : "\tf\n";
  }
  if (Status s = Copy(kCopyResponses, data, "import: copy responses"); !s.ok()) return s;

  if (!batch_.profile_moves().empty()) {
    std::vector<int64_t> ids, submissions;
    for (const ImportBatch::ProfileMove& m : batch_.profile_moves()) {
      ids.push_back(m.company);
      submissions.push_back(m.submission);
    }
    Result<PgResult> r = store_.Once(kImportMoveProfiles, {IntArray(ids), IntArray(submissions)},
                                     "import: move current profiles");
    if (!r.ok()) return r.status();
  }
  batch_.Written();
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const OpenOptions& options) {
  // Later keywords override what the URI says; connect_timeout comes first so the URI may set it.
  const char* keywords[] = {"connect_timeout", "dbname", "application_name", "client_encoding", nullptr};
  const char* values[] = {"10", url.c_str(), "shindan", "UTF8", nullptr};
  ConnPtr conn(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (!conn) return Status::IoError("postgresql " + RedactUrl(url) + ": connect: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::IoError("postgresql " + RedactUrl(url) + ": connect: " + Trim(PQerrorMessage(conn.get())));
  }
  // NOTICEs ("relation … already exists, skipping") are not for the user.
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  auto store = std::make_unique<PostgresStore>(std::move(conn), url, options);
  if (options.durable_commits) {
    // A commit returns only once its WAL is on disk, whatever the server's default: with
    // synchronous_commit off (a server tuned for speed) PostgreSQL acknowledges a commit it may
    // lose to a crash. Its other values (local, remote_write, on, remote_apply) all flush locally
    // first, and a stricter one chosen for a standby is kept. fsync=off, which no session can
    // override, is the operator's to avoid (docs/web.md).
    Result<PgResult> r = store->Once(kDurableCommits, {}, "open (durable commits)");
    if (!r.ok()) return r.status();
  }
  bool empty = false;
  if (Status s = store->CheckIdentity(&empty); !s.ok()) return s;
  if (empty && !options.create_if_missing) {
    return Status::NotFound("postgresql " + RedactUrl(url) + ": no such database: its schema has no shindan tables");
  }
  if (options.migrate) {
    Result<int> applied = store->Migrate();
    if (!applied.ok()) return applied.status();
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace shindan
