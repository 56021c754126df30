// The database sub-commands through the library (RunDb, RunBackup, RunRestore with string streams):
// what a user sees for migrate/status, a backup and restore round trip, and the refusals.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/test_command.h"
#include "store/migrations.h"
#include "store/store.h"

namespace shindan {
namespace {

using test::Ran;

// The messages checked here are the English ones.
test::Ran CallInEnglish(int (*run)(CommandContext&, std::vector<std::string>), std::vector<std::string> args) {
  return test::Call(run, std::move(args), Lang::kEn);
}

class DbCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("shindan_dbcmd_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "s.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  size_t Companies() {
    Result<std::unique_ptr<Store>> store = Store::Open(db_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    size_t n = 0;
    std::optional<int64_t> survey = *(*store)->FindSurvey("demo");
    if (!survey) return 0;
    (*store)->ScanLatest(*survey, [&](const CompanyRecord&) {
      ++n;
      return Status::Ok();
    });
    return n;
  }
  void AddCompany(const std::string& key) {
    Result<std::unique_ptr<Store>> store = Store::Open(db_);
    ASSERT_TRUE(store.ok());
    Result<std::unique_ptr<ImportSession>> session = (*store)->BeginImport("demo");
    ASSERT_TRUE(session.ok());
    CompanyRecord r;
    r.company_key = key;
    r.responses.push_back({"self-check-2009", "2009.1", std::string(25, '1')});
    ASSERT_TRUE((*session)->Add(r).ok());
    ASSERT_TRUE((*session)->Commit().ok());
  }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(DbCommandTest, StatusOfAMissingDatabaseSaysSoAndCreatesNothing) {
  Ran status = CallInEnglish(RunDb, {"status", "--db", db_});
  EXPECT_EQ(status.code, ExitCodeFor(Status::NotFound("")));
  EXPECT_NE(status.err.find(db_ + ": no such database"), std::string::npos) << status.err;
  EXPECT_FALSE(std::filesystem::exists(db_)) << "status changes nothing";
}

TEST_F(DbCommandTest, StatusThenMigrate) {
  {  // A shindan database before its first migration: its migration table, empty.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    const std::string sql = "PRAGMA application_id = " + std::to_string(kSqliteApplicationId) +
                            "; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                            "applied_at TEXT NOT NULL) STRICT";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  Ran status = CallInEnglish(RunDb, {"status", "--db", db_});
  ASSERT_EQ(status.code, kExitOk) << status.err;
  EXPECT_NE(status.out.find("schema version: 0"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("pending: 1 the product's data model"), std::string::npos) << status.out;

  Ran migrate = CallInEnglish(RunDb, {"migrate", "--db", db_});
  ASSERT_EQ(migrate.code, kExitOk) << migrate.err;
  EXPECT_EQ(migrate.out, "Migrated: version 0 → " + std::to_string(LatestSchemaVersion()) + " (" +
                             std::to_string(Migrations().size()) + " applied)\n");
  Ran again = CallInEnglish(RunDb, {"migrate", "--db", "sqlite:" + db_});
  EXPECT_EQ(again.out, "The schema is up to date (version " + std::to_string(LatestSchemaVersion()) + ")\n");
  EXPECT_NE(CallInEnglish(RunDb, {"status", "--db", db_}).out.find("up to date"), std::string::npos);
}

TEST_F(DbCommandTest, BackupThenRestoreBringsBackTheData) {
  AddCompany("c1");
  const std::string backup = (dir_ / "backup.db").string();
  Ran b = CallInEnglish(RunBackup, {"--db", db_, "-o", backup});
  ASSERT_EQ(b.code, kExitOk) << b.err;
  EXPECT_EQ(b.out.rfind("Backed up " + db_ + " → " + backup + " (", 0), 0u) << b.out;
  AddCompany("c2");
  ASSERT_EQ(Companies(), 2u);
  Ran r = CallInEnglish(RunRestore, {"--db", db_, backup});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "Restored " + backup + " → " + db_ + "\n");
  EXPECT_EQ(Companies(), 1u);
  // The backup's audit entry was written after the copy was taken; the restore's is in the restored
  // database.
  Result<std::unique_ptr<Store>> store = Store::Open(db_);
  Result<std::vector<AuditEntry>> audit = (*store)->ListAudit(0, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->back().action, "restore");
  EXPECT_EQ(audit->back().subject, "file:" + backup);
}

TEST_F(DbCommandTest, RestoreRefusesAFileThatIsNotAShindanDatabase) {
  AddCompany("c1");
  const std::string text = (dir_ / "notes.csv").string();
  std::ofstream(text) << "company_id,sc01\nc1,yes\n";
  Ran r = CallInEnglish(RunRestore, {"--db", db_, text});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find(text + " is not a shindan SQLite database: file is not a database"), std::string::npos)
      << r.err;
  EXPECT_EQ(Companies(), 1u) << "the database is unchanged";
}

// Regression (issue 9): a missing FILE was exit 2 ("no such backup file"), and `restore --db`
// overwrote another program's SQLite database.
TEST_F(DbCommandTest, RegressionRestoreOfAMissingFileIsExit1AndAForeignDatabaseIsNotReplaced) {
  const std::string missing = (dir_ / "missing.db").string();
  Ran r = CallInEnglish(RunRestore, {"--db", db_, missing});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find(missing + ": cannot read (No such file or directory)"), std::string::npos) << r.err;

  AddCompany("c1");
  const std::string backup = (dir_ / "backup.db").string();
  ASSERT_EQ(CallInEnglish(RunBackup, {"--db", db_, "-o", backup}).code, kExitOk);
  const std::string other = (dir_ / "other.db").string();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA application_id = 1234; CREATE TABLE invoices (total INTEGER)", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto bytes = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  const std::string before = bytes(other);
  Ran refused = CallInEnglish(RunRestore, {"--db", other, backup});
  EXPECT_EQ(refused.code, kExitBadInput);
  EXPECT_NE(refused.err.find("restore refused, the database was not changed: sqlite " + other +
                             ": not a shindan database: it belongs to another program"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(bytes(other), before) << "another program's database is left byte for byte";

  const std::string empty = (dir_ / "empty.db").string();
  std::ofstream(empty, std::ios::binary).flush();
  ASSERT_EQ(CallInEnglish(RunRestore, {"--db", empty, backup}).code, kExitOk) << "an empty file is no one's database yet";
}

// Regression (issue 9): `backup -o` had its own temporary file and rename, so a FIFO given as -o
// was replaced by a regular file. A database cannot be streamed: it is refused, exit 2, the pipe
// left as it was.
TEST_F(DbCommandTest, RegressionBackupIntoAPipeIsRefusedAndThePipeStays) {
  AddCompany("c1");
  const std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  Ran b = CallInEnglish(RunBackup, {"--db", db_, "-o", fifo});
  EXPECT_EQ(b.code, kExitBadInput);
  EXPECT_EQ(b.out, "");
  EXPECT_NE(b.err.find("backup: " + fifo + ": パイプ、デバイス、または /dev/stdout のような開いているファイルです"),
            std::string::npos)
      << b.err;
  EXPECT_NE(b.err.find("a pipe, a device or an open file such as /dev/stdout — expected the path of a regular file"),
            std::string::npos)
      << b.err;
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
}

TEST_F(DbCommandTest, PostgresqlIsBackedUpWithPgDump) {
  Ran b = CallInEnglish(RunBackup, {"--db", "postgresql://app:secret@db.example:5432/shindan", "-o", "s.dump"});
  EXPECT_EQ(b.code, kExitBadInput);
  EXPECT_NE(b.err.find("pg_dump --format=custom --file='s.dump' 'postgresql://app:***@db.example:5432/shindan'"),
            std::string::npos)
      << b.err;
  EXPECT_EQ(b.err.find("secret"), std::string::npos) << "no password in messages";
  Ran r = CallInEnglish(RunRestore, {"--db", "postgres://app@db.example/shindan", "s.dump"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("pg_restore --clean --if-exists --single-transaction --no-owner "
                       "--dbname='postgres://app@db.example/shindan' 's.dump'"),
            std::string::npos)
      << r.err;
}

TEST_F(DbCommandTest, AnUnknownUrlIsBadInput) {
  Ran r = CallInEnglish(RunDb, {"migrate", "--db", "mysql://localhost/shindan"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("unknown database URL scheme 'mysql:'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shindan
