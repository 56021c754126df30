// The database sub-commands through the library (RunDb, RunBackup, RunRestore with string streams):
// what a user sees for migrate/status, a backup and restore round trip, and the refusals.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "cli/command.h"
#include "cli/test_command.h"
#include "store/migrations.h"
#include "store/store.h"

namespace shindan {
namespace {

using test::Ran;

// The messages checked here are the English ones.
test::Ran Call(int (*run)(CommandContext&, std::vector<std::string>), std::vector<std::string> args) {
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
    Result<std::unique_ptr<ImportSession>> session = (*store)->BeginImport(*(*store)->EnsureSurvey("demo"));
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

TEST_F(DbCommandTest, StatusThenMigrate) {
  Ran status = Call(RunDb, {"status", "--db", db_});
  ASSERT_EQ(status.code, kExitOk) << status.err;
  EXPECT_NE(status.out.find("schema version: 0"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("pending: 1 the product's data model"), std::string::npos) << status.out;

  Ran migrate = Call(RunDb, {"migrate", "--db", db_});
  ASSERT_EQ(migrate.code, kExitOk) << migrate.err;
  EXPECT_EQ(migrate.out, "Migrated: version 0 → " + std::to_string(LatestSchemaVersion()) + " (" +
                             std::to_string(Migrations().size()) + " applied)\n");
  Ran again = Call(RunDb, {"migrate", "--db", "sqlite:" + db_});
  EXPECT_EQ(again.out, "The schema is up to date (version " + std::to_string(LatestSchemaVersion()) + ")\n");
  EXPECT_NE(Call(RunDb, {"status", "--db", db_}).out.find("up to date"), std::string::npos);
}

TEST_F(DbCommandTest, BackupThenRestoreBringsBackTheData) {
  AddCompany("c1");
  const std::string backup = (dir_ / "backup.db").string();
  Ran b = Call(RunBackup, {"--db", db_, "-o", backup});
  ASSERT_EQ(b.code, kExitOk) << b.err;
  EXPECT_EQ(b.out.rfind("Backed up " + db_ + " → " + backup + " (", 0), 0u) << b.out;
  AddCompany("c2");
  ASSERT_EQ(Companies(), 2u);
  Ran r = Call(RunRestore, {"--db", db_, backup});
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
  Ran r = Call(RunRestore, {"--db", db_, text});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find(text + " is not a shindan SQLite database: file is not a database"), std::string::npos)
      << r.err;
  EXPECT_EQ(Companies(), 1u) << "the database is unchanged";
}

TEST_F(DbCommandTest, PostgresqlIsBackedUpWithPgDump) {
  Ran b = Call(RunBackup, {"--db", "postgresql://app:secret@db.example:5432/shindan", "-o", "s.dump"});
  EXPECT_EQ(b.code, kExitBadInput);
  EXPECT_NE(b.err.find("pg_dump --format=custom --file='s.dump' 'postgresql://app:***@db.example:5432/shindan'"),
            std::string::npos)
      << b.err;
  EXPECT_EQ(b.err.find("secret"), std::string::npos) << "no password in messages";
  Ran r = Call(RunRestore, {"--db", "postgres://app@db.example/shindan", "s.dump"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("pg_restore --clean --if-exists --single-transaction --no-owner "
                       "--dbname='postgres://app@db.example/shindan' 's.dump'"),
            std::string::npos)
      << r.err;
}

TEST_F(DbCommandTest, AnUnknownUrlIsBadInput) {
  Ran r = Call(RunDb, {"migrate", "--db", "mysql://localhost/shindan"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("unknown database URL scheme 'mysql:'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shindan
