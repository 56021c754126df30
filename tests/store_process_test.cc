// The storage under races and kills, with the real `shindan` binary (issue 9, "nothing lost,
// nobody blocked"): several processes on one SQLite file, a process killed mid-import, readers
// while an import holds the write lock. No timed assertions: each test waits for a state it can
// observe (a file, a lock held, a process ended).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

namespace shindan {
namespace {

// A running `shindan` (from the repository root, as tests/cli_test.cc runs it), its output in files.
class Process {
 public:
  Process(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
    pid_ = fork();
    if (pid_ == 0) {
      if (chdir(SHINDAN_SOURCE_ROOT) != 0) _exit(127);
      const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = open("/dev/null", O_RDONLY);
      if (o < 0 || e < 0 || in < 0) _exit(127);
      dup2(in, 0);
      dup2(o, 1);
      dup2(e, 2);
      std::vector<char*> argv{const_cast<char*>(SHINDAN_BINARY)};
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(SHINDAN_BINARY, argv.data());
      _exit(127);
    }
  }
  ~Process() {
    if (pid_ > 0 && !done_) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }
  // True once the process has ended (without waiting).
  bool Ended() {
    if (done_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) Finish(status);
    return done_;
  }
  void Wait() {
    int status = 0;
    if (!done_ && waitpid(pid_, &status, 0) == pid_) Finish(status);
  }
  void Kill() { kill(pid_, SIGKILL); }
  int exit_code() const { return exit_code_; }
  bool killed() const { return killed_; }

 private:
  void Finish(int status) {
    done_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    killed_ = WIFSIGNALED(status);
  }
  pid_t pid_ = -1;
  bool done_ = false, killed_ = false;
  int exit_code_ = -1;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Whether another connection holds the write lock of the SQLite file now (never waits).
bool WriteLockHeld(const std::string& path) {
  sqlite3* db = nullptr;
  bool held = false;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    held = (rc & 0xff) == SQLITE_BUSY;
    if (rc == SQLITE_OK) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  sqlite3_close(db);
  return held;
}

// The first answer of `PRAGMA name` on the file, opened read-only; "cannot open" when it cannot be.
std::string Pragma(const std::string& path, const std::string& name) {
  sqlite3* db = nullptr;
  std::string verdict = "cannot open";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, ("PRAGMA " + name).c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      verdict = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return verdict;
}

std::string IntegrityCheck(const std::string& path) { return Pragma(path, "integrity_check"); }

void Pause() { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }

class StoreProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("shindan_proc_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    db_ = Path("s.db");
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs shindan to the end; its exit code (stderr in *err when given).
  int Run(const std::vector<std::string>& args, std::string* err = nullptr) {
    Process p(args, Path("run.out"), Path("run.err"));
    p.Wait();
    if (err) *err = ReadAll(Path("run.err"));
    return p.exit_code();
  }
  // A demo survey of `companies` companies as CSV.
  std::string Demo(int companies, const std::string& name) {
    const std::string path = Path(name);
    EXPECT_EQ(Run({"demo", "--companies", std::to_string(companies), "-o", path}), 0);
    return path;
  }
  std::unique_ptr<Store> OpenDb() {
    Result<std::unique_ptr<Store>> s = Store::Open(db_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  int64_t Companies(const std::string& survey) {
    std::unique_ptr<Store> store = OpenDb();
    if (!store) return -1;
    Result<std::vector<SurveyInfo>> surveys = store->ListSurveys();
    if (!surveys.ok()) return -1;
    for (const SurveyInfo& s : *surveys) {
      if (s.name == survey) return s.companies;
    }
    return -1;
  }

  std::filesystem::path dir_;
  std::string db_;
};

// Regression (issue 9): a failing import into a database file that did not exist yet removed "the
// file it created" while a good import was writing to it: the good one said "imported", the file
// was gone.
TEST_F(StoreProcessTest, RegressionAFailingImportNeverDeletesTheDatabaseAnotherImportWrites) {
  const std::string good = Demo(2000, "good.csv");
  // The bad file is bad only at its end, so that its import runs for a while before failing.
  const std::string bad = Path("bad.csv");
  {
    std::string text = ReadAll(Demo(20000, "big.csv"));
    text.resize(text.rfind('\n', text.size() - 2) + 1);
    text += "last,not-an-answer\n";
    std::ofstream(bad, std::ios::binary) << text;
  }
  Process failing({"import", "--db", db_, "--survey", "bad", bad}, Path("bad.out"), Path("bad.err"));
  // The good import starts once the failing one has made the file (the old order of events), or
  // at once if it never makes one.
  while (!std::filesystem::exists(db_) && !failing.Ended()) Pause();
  Process importing({"import", "--db", db_, "--survey", "good", good}, Path("good.out"), Path("good.err"));
  failing.Wait();
  importing.Wait();
  EXPECT_EQ(failing.exit_code(), 2) << ReadAll(Path("bad.err"));
  ASSERT_EQ(importing.exit_code(), 0) << ReadAll(Path("good.err"));
  EXPECT_NE(ReadAll(Path("good.out")).find("imported 2000 companies"), std::string::npos);
  ASSERT_TRUE(std::filesystem::exists(db_)) << "the database the good import wrote is there";
  EXPECT_EQ(Companies("good"), 2000);
  EXPECT_EQ(Companies("bad"), -1) << "the failed import left no survey";
  EXPECT_EQ(IntegrityCheck(db_), "ok");
}

// A bad file imported into a database that does not exist yet makes no file at all (the import
// checks the whole file before it creates the database), and deletes nothing.
TEST_F(StoreProcessTest, ABadImportIntoANewDatabaseCreatesNothing) {
  const std::string bad = Path("bad.csv");
  std::ofstream(bad) << "company_id,sc01\nc1,maybe\n";
  std::string err;
  EXPECT_EQ(Run({"import", "--db", db_, bad}, &err), 2);
  EXPECT_NE(err.find("the database is unchanged"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(db_));
  EXPECT_FALSE(std::filesystem::exists(db_ + "-wal"));
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().rfind("s.db", 0), std::string::npos)
        << entry.path() << ": the private file of the new database is removed too";
  }
}

// A new database is written under a private name and named after the commit (cli/cmd_import.cc):
// what is left is the database alone, with every row, in WAL mode like any other.
TEST_F(StoreProcessTest, AGoodImportIntoANewDatabaseLeavesTheDatabaseAloneInWalMode) {
  const std::string csv = Demo(300, "demo.csv");
  ASSERT_EQ(Run({"import", "--db", db_, "--survey", "demo", csv}), 0);
  EXPECT_EQ(Companies("demo"), 300);
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("s.db", 0) == 0) left.push_back(name);
  }
  EXPECT_EQ(left, std::vector<std::string>{"s.db"});
  EXPECT_EQ(Pragma(db_, "journal_mode"), "wal");
  EXPECT_EQ(IntegrityCheck(db_), "ok");
}

// Regression (issue 9): the survey was created outside the import's transaction, so a killed
// import left an empty survey behind.
TEST_F(StoreProcessTest, RegressionAKilledImportLeavesNoSurveyAndAnIntactDatabase) {
  ASSERT_EQ(Run({"import", "--db", db_, "--survey", "before", Demo(50, "small.csv")}), 0);
  const std::string big = Demo(200000, "big.csv");
  Process importing({"import", "--db", db_, "--survey", "killed", big}, Path("imp.out"), Path("imp.err"));
  // Killed while it holds the write lock: in the middle of its one transaction.
  while (!WriteLockHeld(db_) && !importing.Ended()) Pause();
  importing.Kill();
  importing.Wait();
  ASSERT_TRUE(importing.killed()) << "the import ended before it could be killed (exit " << importing.exit_code()
                                  << "); use a larger file";
  EXPECT_EQ(IntegrityCheck(db_), "ok");
  std::unique_ptr<Store> store = OpenDb();
  ASSERT_TRUE(store);
  EXPECT_FALSE(*store->FindSurvey("killed")) << "no empty survey is left behind";
  EXPECT_EQ(Companies("before"), 50);
  // And the next import goes through.
  ASSERT_EQ(Run({"import", "--db", db_, "--survey", "killed", Demo(30, "again.csv")}), 0);
  EXPECT_EQ(Companies("killed"), 30);
}

// Regression (issue 9): every open took the write lock to migrate, so `report` and `export`
// during an import waited 5 s and failed with "database is locked".
TEST_F(StoreProcessTest, RegressionReportAndExportRunWhileAnImportHoldsTheWriteLock) {
  ASSERT_EQ(Run({"import", "--db", db_, "--survey", "demo", Demo(66, "demo.csv")}), 0);
  std::unique_ptr<Store> writer = OpenDb();
  ASSERT_TRUE(writer);
  Result<std::unique_ptr<ImportSession>> session = writer->BeginImport("demo");
  ASSERT_TRUE(session.ok()) << session.status().message();
  CompanyRecord record;
  record.company_key = "new-1";
  record.responses.push_back({"self-check-2009", "2009.1", std::string(25, '1')});
  ASSERT_TRUE((*session)->Add(record).ok());
  ASSERT_TRUE(WriteLockHeld(db_));

  // The report only reads: it runs to the end while the lock is held.
  std::string err;
  EXPECT_EQ(Run({"report", "--db", db_, "--survey", "demo", "--format", "json", "-o", Path("r.json")}, &err), 0)
      << err;
  const nlohmann::json report = nlohmann::json::parse(ReadAll(Path("r.json")), nullptr, /*allow_exceptions=*/false);
  EXPECT_EQ(report.value("respondents", -1), 66) << "the state before the import";

  // The export reads at once too; its audit entry (a write) waits for the import's commit.
  const std::string csv = Path("out.csv");
  std::atomic<bool> done{false};
  int code = -1;
  std::thread exporter([&] {
    code = Run({"export", "--db", db_, "--survey", "demo", "--format", "csv", "-o", csv}, &err);
    done = true;
  });
  while (!std::filesystem::exists(csv) && !done) Pause();
  const bool written_under_lock = std::filesystem::exists(csv) && WriteLockHeld(db_);
  ASSERT_TRUE((*session)->Commit().ok());
  session->reset();
  exporter.join();
  EXPECT_TRUE(written_under_lock) << "the export wrote its file while the import held the lock";
  EXPECT_EQ(code, 0) << err;
  std::string text = ReadAll(csv);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 67) << "a header and the 66 companies before the import";
  Result<std::vector<AuditEntry>> audit = writer->ListAudit(0, 100);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->back().action, "export") << "the export's audit entry was written after the import";
}

}  // namespace
}  // namespace shindan
