// The columnar copy equals the rows after every kind of write, on SQLite and PostgreSQL: import,
// re-import of companies, a single answer (existing and new company), a failed import, a killed
// import, and a write that bypassed the copy (readers fall back to the rows; rebuild makes it
// current again). "Equal" is checked on what readers get: the snapshot's aggregate state and the
// peer histograms from the cell states, against the same figures computed from the rows.
#include "analytics/column_copy.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "analytics/aggregate.h"
#include "catalog/test_catalog.h"
#include "exchange/test_demo_records.h"
#include "store/store.h"
#include "store/test_database.h"

namespace shindan {
namespace {




class ColumnCopyTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDatabase>(GetParam(), "shindan_copy_");
    if (db_->skipped()) GTEST_SKIP() << "SHINDAN_TEST_NO_POSTGRES=1: PostgreSQL not tested";
    ASSERT_EQ(db_->error(), "");
    url_ = db_->url();
    dir_ = db_->dir();
    Result<std::unique_ptr<Store>> s = Store::Open(url_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    Result<int64_t> id = store_->EnsureSurvey("copy");
    ASSERT_TRUE(id.ok());
    survey_ = *id;
  }
  void TearDown() override {
    store_.reset();  // closed before its database is dropped
    db_.reset();
  }

  const Catalog& catalog() { return test::SourceCatalog(); }

  // One import through the copy (CommitWithCopy, as the web's submissions write).
  void Import(const std::vector<CompanyRecord>& records) {
    Result<std::unique_ptr<ImportSession>> session = store_->BeginImportOf(survey_);
    ASSERT_TRUE(session.ok()) << session.status().message();
    Status s = CommitWithCopy(catalog(), *store_, **session, records);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  // The copy is current and what it gives equals what the rows give.
  void ExpectCopyEqualsRows() {
    Result<bool> current = CopyIsCurrent(catalog(), *store_, survey_);
    ASSERT_TRUE(current.ok()) << current.status().message();
    ASSERT_TRUE(*current);
    Result<std::optional<std::unique_ptr<Snapshot>>> copy = SnapshotFromCopy(catalog(), *store_, survey_);
    ASSERT_TRUE(copy.ok()) << copy.status().message();
    ASSERT_TRUE(copy->has_value());
    Result<std::unique_ptr<Snapshot>> rows = SnapshotFromStore(catalog(), [&] { return Store::Open(url_); }, survey_);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    const Snapshot& a = ***copy;
    const Snapshot& b = **rows;
    ASSERT_EQ(a.rows(), b.rows());
    const AggregateState x = Aggregate(a, 1), y = Aggregate(b, 1);
    EXPECT_EQ(x.answers, y.answers);
    EXPECT_EQ(x.totals, y.totals);
    EXPECT_EQ(x.sites, y.sites);
    EXPECT_EQ(x.it_staff, y.it_staff);
    EXPECT_EQ(x.servers, y.servers);
    EXPECT_EQ(x.it_uses, y.it_uses);
    EXPECT_EQ(x.flags, y.flags);
    EXPECT_EQ(x.certified_totals, y.certified_totals);
    EXPECT_EQ(x.secondary, y.secondary);
    EXPECT_EQ(x.quota, y.quota);
    EXPECT_EQ(x.secondary_respondents, y.secondary_respondents);
    // The cell states: every peer group's histogram as the rows give it.
    for (const char* size : {"", "A", "B", "C", "S"}) {
      for (const char* industry : {"", "mfg", "dist", "svc", "net"}) {
        Result<PeerHistogram> h = PeerTotals(catalog(), *store_, survey_, size, industry);
        ASSERT_TRUE(h.ok()) << h.status().message();
        EXPECT_TRUE(h->from_copy);
        SnapshotRow want_size, want_industry;
        Classification c;
        c.size_type = size;
        SetDimensions(c, &want_size);
        c.size_type.clear();
        c.industry = industry;
        SetDimensions(c, &want_industry);
        std::vector<uint64_t> expected(static_cast<size_t>(b.bins()), 0);
        uint64_t companies = 0;
        for (size_t r = 0; r < b.rows(); ++r) {
          if (*size && b.size_[r] != want_size.size) continue;
          if (*industry && b.industry_[r] != want_industry.industry) continue;
          ++expected[b.bin_[r]];
          ++companies;
        }
        EXPECT_EQ(h->counts, expected) << size << "/" << industry;
        EXPECT_EQ(h->companies, companies) << size << "/" << industry;
      }
    }
  }

  std::unique_ptr<test::TestDatabase> db_;
  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
  int64_t survey_ = 0;
};

TEST_P(ColumnCopyTest, AnEmptyImportMakesACurrentEmptyCopy) {
  Result<bool> current = CopyIsCurrent(catalog(), *store_, survey_);
  ASSERT_TRUE(current.ok());
  EXPECT_FALSE(*current);  // nothing written yet: no meta, readers use the (empty) rows
  Import({});
  ExpectCopyEqualsRows();
}

TEST_P(ColumnCopyTest, TheCopyEqualsTheRowsAfterImportReimportAndSingleAnswers) {
  std::vector<CompanyRecord> records = test::DemoRecords(2500, 7);  // more than two blocks
  Import(records);
  ExpectCopyEqualsRows();

  // Re-import of some companies with other answers and profiles (another seed's rows under the
  // same keys), one of them without a profile and without the org checklist.
  std::vector<CompanyRecord> again = test::DemoRecords(300, 11);
  again[5].profile_version.clear();
  again[5].profile.clear();
  again[5].responses.resize(1);
  Import(again);
  ExpectCopyEqualsRows();

  // Single answers: a change, a cleared answer, the org checklist, a company not yet in the survey.
  ASSERT_TRUE(SaveAnswers(catalog(), *store_, survey_, records[0].company_key, "self-check-2009", {{"sc01", "no"}}).ok());
  ASSERT_TRUE(SaveAnswers(catalog(), *store_, survey_, records[1].company_key, "self-check-2009", {{"sc25", ""}}).ok());
  ASSERT_TRUE(SaveAnswers(catalog(), *store_, survey_, records[2].company_key, "org-checklist-2009", {{"oc1_1", "yes"}}).ok());
  ASSERT_TRUE(SaveAnswers(catalog(), *store_, survey_, "web-0001", "self-check-2009", {{"sc03", "yes"}}).ok());
  ExpectCopyEqualsRows();
  Result<std::vector<CompanyRecord>> history = store_->History(survey_, "web-0001");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->back().responses.at(0).answers.substr(0, 3), "001");

  // Several answers are one submission; answers that change nothing write nothing.
  ASSERT_TRUE(SaveAnswers(catalog(), *store_, survey_, "web-0001", "self-check-2009",
                          {{"sc01", "yes"}, {"sc02", "no"}, {"sc03", "yes"}})
                  .ok());
  ASSERT_TRUE(SaveAnswers(catalog(), *store_, survey_, "web-0001", "self-check-2009", {{"sc01", "yes"}, {"sc03", "yes"}}).ok());
  ExpectCopyEqualsRows();
  history = store_->History(survey_, "web-0001");
  ASSERT_EQ(history->size(), 2u) << "one submission more, for the change";
  EXPECT_EQ(history->back().responses.at(0).answers.substr(0, 3), "131");

  // A profile changed: a submission of the profile alone, the company's cells moving with its
  // size type; the same profile again writes nothing.
  size_t r = 400;  // past the companies imported again above
  while (r < records.size() && records[r].size_type != "A" && records[r].size_type != "B" && records[r].size_type != "C") ++r;
  ASSERT_LT(r, records.size()) << "a company classified by its employees";
  const std::string key = records[r].company_key;
  const size_t before = store_->History(survey_, key)->size();
  const std::string size_before = store_->History(survey_, key)->back().size_type;
  const std::string employees = size_before == "A" ? "150" : "3";
  ASSERT_TRUE(SaveProfile(catalog(), *store_, survey_, key, {{"employees", employees}}).ok());
  ExpectCopyEqualsRows();
  history = store_->History(survey_, key);
  ASSERT_EQ(history->size(), before + 1);
  EXPECT_TRUE(history->back().responses.empty()) << "the profile alone";
  EXPECT_NE(history->back().size_type, size_before);
  ASSERT_TRUE(SaveProfile(catalog(), *store_, survey_, key, {{"employees", employees}}).ok());
  EXPECT_EQ(store_->History(survey_, key)->size(), before + 1) << "nothing changed";
  EXPECT_EQ(SaveProfile(catalog(), *store_, survey_, key, {{"employees", "many"}}).code(), Status::Code::kInvalidInput);
  ExpectCopyEqualsRows();
}

TEST_P(ColumnCopyTest, ASingleAnswerWithAnUnknownCodeIsRefusedAndChangesNothing) {
  Import(test::DemoRecords(50, 3));
  Status s = SaveAnswers(catalog(), *store_, survey_, "demo-0001", "self-check-2009", {{"sc01", "maybe"}});
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("'maybe'"), std::string::npos) << s.message();
  EXPECT_EQ(SaveAnswers(catalog(), *store_, survey_, "demo-0001", "self-check-2009", {{"sc99", "yes"}}).code(),
            Status::Code::kInvalidInput);
  ExpectCopyEqualsRows();
}

TEST_P(ColumnCopyTest, AFailedImportChangesNeitherTheRowsNorTheCopy) {
  Import(test::DemoRecords(200, 5));
  {
    Result<std::unique_ptr<ImportSession>> session = store_->BeginImportOf(survey_);
    ASSERT_TRUE(session.ok());
    CopyWriter copy(catalog(), *store_, survey_);
    ASSERT_TRUE(copy.Start().ok());
    for (const CompanyRecord& r : test::DemoRecords(100, 9)) {
      ASSERT_TRUE((*session)->Add(r).ok());
      copy.Add(r);
    }
    CompanyRecord bad;  // no company_key: the session fails, and is never committed
    EXPECT_FALSE((*session)->Add(bad).ok());
    EXPECT_FALSE((*session)->Commit([&] { return copy.Finish(); }).ok());
  }
  ExpectCopyEqualsRows();
  // A failure in the copy's own step rolls the records back too.
  {
    Result<std::unique_ptr<ImportSession>> session = store_->BeginImportOf(survey_);
    ASSERT_TRUE(session.ok());
    for (const CompanyRecord& r : test::DemoRecords(100, 13)) ASSERT_TRUE((*session)->Add(r).ok());
    EXPECT_FALSE((*session)->Commit([] { return Status::Internal("injected"); }).ok());
  }
  ExpectCopyEqualsRows();
  EXPECT_EQ(store_->SurveyRevision(survey_).value(), 1);
}

TEST_P(ColumnCopyTest, AKilledImportChangesNeitherTheRowsNorTheCopy) {
  Import(test::DemoRecords(200, 5));
  std::vector<CompanyRecord> more = test::DemoRecords(400, 17);
  store_.reset();  // the child opens its own connection
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Result<std::unique_ptr<Store>> s = Store::Open(url_);
    if (!s.ok()) _exit(3);
    Result<std::unique_ptr<ImportSession>> session = (*s)->BeginImportOf(survey_);
    if (!session.ok()) _exit(4);
    CopyWriter copy(test::SourceCatalog(), **s, survey_);
    if (!copy.Start().ok()) _exit(5);
    for (const CompanyRecord& r : more) {
      if (!(*session)->Add(r).ok()) _exit(6);
      copy.Add(r);
    }
    // Killed in the middle of the commit's hook: after the copy is written, before COMMIT.
    (void)(*session)->Commit([&] {
      (void)copy.Finish();
      kill(getpid(), SIGKILL);
      return Status::Ok();
    });
    _exit(7);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit " << WEXITSTATUS(status);
  Result<std::unique_ptr<Store>> s = Store::Open(url_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  store_ = std::move(s).value();
  ExpectCopyEqualsRows();
}

TEST_P(ColumnCopyTest, AWriteThatBypassesTheCopyMakesReadersUseTheRowsUntilRebuilt) {
  Import(test::DemoRecords(300, 5));
  {
    Result<std::unique_ptr<ImportSession>> session = store_->BeginImportOf(survey_);
    ASSERT_TRUE(session.ok());
    for (const CompanyRecord& r : test::DemoRecords(50, 23)) ASSERT_TRUE((*session)->Add(r).ok());
    ASSERT_TRUE((*session)->Commit().ok());  // no copy writer
  }
  EXPECT_FALSE(CopyIsCurrent(catalog(), *store_, survey_).value());
  Result<std::optional<std::unique_ptr<Snapshot>>> copy = SnapshotFromCopy(catalog(), *store_, survey_);
  ASSERT_TRUE(copy.ok());
  EXPECT_FALSE(copy->has_value());
  Result<PeerHistogram> peers = PeerTotals(catalog(), *store_, survey_, "A", "");
  ASSERT_TRUE(peers.ok());
  EXPECT_FALSE(peers->from_copy);
  // The next write through the copy rebuilds it; so does `db rebuild`.
  Import(test::DemoRecords(10, 29));
  ExpectCopyEqualsRows();
  {
    Result<std::unique_ptr<ImportSession>> session = store_->BeginImportOf(survey_);
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE((*session)->Add(test::DemoRecords(1, 31)[0]).ok());
    ASSERT_TRUE((*session)->Commit().ok());
  }
  ASSERT_TRUE(RebuildCopy(catalog(), *store_, survey_).ok());
  ExpectCopyEqualsRows();
}

// The cost of one single-answer write with the copy and the cell states kept (docs/BENCHMARKS.md):
// SHINDAN_BENCH_ROWS companies imported (default 100,000), then SHINDAN_BENCH_WRITES SaveAnswers
// calls (default 200) on companies spread over the survey, and as many PeerTotals reads. Run with
// --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_BenchmarkSaveAnswer*'.
// The peer of one single-answer write: the least a durable write of one answer costs on the same
// database, one row (company key, 25 answer bytes) upserted in a transaction of its own — SQLite
// with the store's settings (WAL, synchronous=NORMAL) in a file beside it, PostgreSQL in a table of
// the same database over one connection. Milliseconds per write, the mean of `writes`.
double PeerWriteMs(const std::string& backend, const std::filesystem::path& dir, const std::string& url, int writes) {
  const std::string answers(25, '1');
  auto t0 = std::chrono::steady_clock::now();
  if (backend == "sqlite") {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir / "peer.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db,
                           "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                           "CREATE TABLE peer(company_key TEXT PRIMARY KEY, answers TEXT NOT NULL)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_stmt* upsert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO peer VALUES(?1, ?2) ON CONFLICT(company_key) DO UPDATE SET answers = ?2", -1,
                       &upsert, nullptr);
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < writes; ++i) {
      const std::string key = "c" + std::to_string(i);
      sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
      sqlite3_bind_text(upsert, 1, key.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(upsert, 2, answers.c_str(), -1, SQLITE_TRANSIENT);
      EXPECT_EQ(sqlite3_step(upsert), SQLITE_DONE);
      sqlite3_reset(upsert);
      EXPECT_EQ(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    }
    auto t1 = std::chrono::steady_clock::now();
    sqlite3_finalize(upsert);
    sqlite3_close(db);
    return std::chrono::duration<double, std::milli>(t1 - t0).count() / writes;
  }
  PGconn* conn = PQconnectdb(url.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK);
  PQclear(PQexec(conn, "CREATE TABLE peer(company_key text PRIMARY KEY, answers text NOT NULL)"));
  t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < writes; ++i) {
    const std::string key = "c" + std::to_string(i);
    const char* values[] = {key.c_str(), answers.c_str()};
    PGresult* r = PQexecParams(
        conn, "INSERT INTO peer VALUES($1, $2) ON CONFLICT(company_key) DO UPDATE SET answers = EXCLUDED.answers", 2,
        nullptr, values, nullptr, nullptr, 0);
    EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
  }
  auto t1 = std::chrono::steady_clock::now();
  PQfinish(conn);
  return std::chrono::duration<double, std::milli>(t1 - t0).count() / writes;
}

TEST_P(ColumnCopyTest, DISABLED_BenchmarkSaveAnswer) {
  const char* rows_env = std::getenv("SHINDAN_BENCH_ROWS");
  const char* writes_env = std::getenv("SHINDAN_BENCH_WRITES");
  const long long rows = rows_env ? std::atoll(rows_env) : 100000;
  const int writes = writes_env ? std::atoi(writes_env) : 200;
  std::vector<CompanyRecord> records = test::DemoRecords(rows, 7);
  auto t0 = std::chrono::steady_clock::now();
  Import(records);
  auto t1 = std::chrono::steady_clock::now();
  const char* codes[] = {"yes", "partial", "no"};
  for (int i = 0; i < writes; ++i) {
    const std::string& key = records[static_cast<size_t>(i) * records.size() / static_cast<size_t>(writes)].company_key;
    ASSERT_TRUE(SaveAnswers(catalog(), *store_, survey_, key, "self-check-2009", {{"sc07", codes[i % 3]}}).ok());
  }
  auto t2 = std::chrono::steady_clock::now();
  for (int i = 0; i < writes; ++i) {
    Result<PeerHistogram> h = PeerTotals(catalog(), *store_, survey_, i % 2 ? "A" : "B", "mfg");
    ASSERT_TRUE(h.ok() && h->from_copy);
  }
  auto t3 = std::chrono::steady_clock::now();
  const double peer_ms = PeerWriteMs(GetParam(), dir_, url_, writes);
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf("bench %s: import %lld companies with the copy %.0f ms; SaveAnswers %.2f ms per write; PeerTotals %.2f ms per "
              "read; peer %.3f ms per write\n",
              GetParam().c_str(), rows, ms(t1 - t0), ms(t2 - t1) / writes, ms(t3 - t2) / writes, peer_ms);
  ExpectCopyEqualsRows();
}

TEST(PeerHistogram, PercentileIsTheMidRankShareBelow) {
  PeerHistogram h;
  h.min_total = 10;
  h.counts = {1, 2, 1};  // totals 10, 11, 11, 12
  h.companies = 4;
  EXPECT_DOUBLE_EQ(h.Percentile(11), 100.0 * (1 + 1) / 4);
  EXPECT_DOUBLE_EQ(h.Percentile(13), 100.0);
  EXPECT_DOUBLE_EQ(PeerHistogram().Percentile(50), 0.0);
}

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }
INSTANTIATE_TEST_SUITE_P(Backends, ColumnCopyTest, ::testing::Values("sqlite", "postgresql"), BackendName);

}  // namespace
}  // namespace shindan
