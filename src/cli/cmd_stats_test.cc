// The statistics sub-commands through the library (RunFrame, RunEstimate with string streams); the
// same cases against the real binary are in tests/cli_cases_stats.json.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/test_command.h"
#include "store/store.h"

namespace shindan {
namespace {

using test::Call;
using test::Ran;

TEST(StatsFrameCommand, RefusesTheSeedsTable1AsPrinted) {
  Ran r = Call(RunFrame, {"check", "@/data/frames/teikoku-2009.csv"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("teikoku-2009.csv:7:total: サービス・不動産・運輸・その他 total is 320,562 but its cells add up "
                       "to 500,562"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("teikoku-2009.csv:8:A: 合計 A is 1,027,531 but its column adds up to 1,207,531"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(StatsFrameCommand, AcceptsTheCorrectedFrame) {
  Ran r = Call(RunFrame, {"check", "@/data/frames/teikoku-2009-corrected.csv"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("every total agrees with its cells — 3 業種 / industries × 3 規模 / size types, 合計 / total "
                       "1,211,935"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("svc  サービス・不動産・運輸・その他"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("246,069"), std::string::npos) << r.out;
}

TEST(StatsFrameCommand, MissingFileIsAnEnvironmentFailure) {
  Ran r = Call(RunFrame, {"check", "/nonexistent/frame.csv"});
  EXPECT_EQ(r.code, kExitFailure);
}

// `frame attach` and `frame detach` on a database with a survey: what the organiser reads, what is
// stored (and audited), and the refusals that store nothing.
class StatsFrameAttach : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("shindan_frame_attach_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "s.db").string();
    Result<std::unique_ptr<Store>> store = Store::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    survey_ = *(*store)->EnsureSurvey("demo");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::optional<Store::StoredFrame> Stored() {
    std::unique_ptr<Store> store = std::move(Store::Open(db_)).value();
    return store->SurveyFrame(survey_).value();
  }
  std::vector<AuditEntry> Audit() {
    std::unique_ptr<Store> store = std::move(Store::Open(db_)).value();
    return store->ListAudit(0, 100).value();
  }
  std::filesystem::path dir_;
  std::string db_;
  int64_t survey_ = 0;
};

TEST_F(StatsFrameAttach, AttachesAFrameReplacesItAndDetachesIt) {
  Ran r = Call(RunFrame, {"attach", "--db", db_, "--survey", "demo", "@/data/frames/teikoku-2009-corrected.csv"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("attached as the population frame of survey demo — 3 業種 / industries × 3 規模 / size types, "
                       "合計 / total 1,211,935"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("246,069"), std::string::npos) << "the frame's table, as `check` prints it";
  std::optional<Store::StoredFrame> stored = Stored();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->source, "teikoku-2009-corrected.csv") << "the file's name without its folders";
  EXPECT_NE(stored->body.find("サービス・不動産・運輸・その他,246069,60276,14217,320562"), std::string::npos);

  // Shift_JIS, as Excel saves it, is read as `check` reads it; it replaces the frame, and says so.
  r = Call(RunFrame, {"attach", "--db", db_, "--survey", "demo", "@/tests/fixtures/stats/table1-cp932.csv"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("replacing teikoku-2009-corrected.csv"), std::string::npos) << r.out;
  stored = Stored();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->source, "table1-cp932.csv");
  EXPECT_NE(stored->body.find("サービス・不動産・運輸・その他,246069"), std::string::npos) << "stored as UTF-8";

  r = Call(RunFrame, {"detach", "--db", db_, "--survey", "demo"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("removed the frame table1-cp932.csv of survey demo"), std::string::npos) << r.out;
  EXPECT_FALSE(Stored());
  r = Call(RunFrame, {"detach", "--db", db_, "--survey", "demo"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("survey demo has no frame: nothing changed"), std::string::npos) << r.out;

  const std::vector<AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 3u) << "two attaches and one detach; the detach that changed nothing is not an action";
  EXPECT_EQ(audit[0].action, "frame-attach");
  EXPECT_EQ(audit[0].subject, "survey:demo");
  EXPECT_EQ(audit[0].detail, "teikoku-2009-corrected.csv: 1,211,935 companies");
  EXPECT_EQ(audit[1].detail, "table1-cp932.csv: 1,211,935 companies (replaced teikoku-2009-corrected.csv)");
  EXPECT_EQ(audit[2].action, "frame-detach");
  EXPECT_EQ(audit[2].detail, "table1-cp932.csv");
}

TEST_F(StatsFrameAttach, ABadFrameIsRefusedWithEveryProblemAndNothingIsStored) {
  Ran first = Call(RunFrame, {"attach", "--db", db_, "--survey", "demo", "@/data/frames/teikoku-2009-corrected.csv"});
  ASSERT_EQ(first.code, kExitOk) << first.err;
  Ran r = Call(RunFrame, {"attach", "--db", db_, "--survey", "demo", "@/data/frames/teikoku-2009.csv"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("teikoku-2009.csv:7:total: サービス・不動産・運輸・その他 total is 320,562 but its cells add up "
                       "to 500,562"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("teikoku-2009.csv:8:A: 合計 A is 1,027,531 but its column adds up to 1,207,531"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
  ASSERT_TRUE(Stored());
  EXPECT_EQ(Stored()->source, "teikoku-2009-corrected.csv") << "the frame attached before stays";
  EXPECT_EQ(Audit().size(), 1u);
}

TEST_F(StatsFrameAttach, AnUnknownSurveyOrDatabaseOrNoSurveyIsRefused) {
  Ran r = Call(RunFrame, {"attach", "--db", db_, "--survey", "dmeo", "@/data/frames/teikoku-2009-corrected.csv"},
               Lang::kEn);
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("--survey 'dmeo': no such survey — expected one of: demo"), std::string::npos) << r.err;
  r = Call(RunFrame, {"detach", "--db", (dir_ / "none.db").string(), "--survey", "demo"}, Lang::kEn);
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("no such database"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "none.db")) << "a mistyped --db creates nothing";
  r = Call(RunFrame, {"attach", "--db", db_, "@/data/frames/teikoku-2009-corrected.csv"}, Lang::kEn);
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("--survey — expected the survey's name"), std::string::npos) << r.err;
  EXPECT_FALSE(Stored());
}

TEST(StatsEstimateCommand, JsonHasTheAgreedKeys) {
  Ran r = Call(RunEstimate, {"--data", "@/tests/fixtures/api/apistrat.csv", "--var", "api00", "--strata", "stype",
                             "--weights", "pw", "--fpc", "fpc", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  ASSERT_EQ(j["estimates"].size(), 1u);
  const auto& e = j["estimates"][0];
  for (const char* key : {"domain", "estimate", "se", "ci_low", "ci_high", "n", "deff"}) {
    EXPECT_TRUE(e.contains(key)) << key;
  }
  EXPECT_TRUE(e["domain"].is_null());
  EXPECT_NEAR(e["estimate"].get<double>(), 662.29, 0.005);
  EXPECT_NEAR(e["se"].get<double>(), 9.4089, 0.00005);
  EXPECT_NEAR(e["ci_low"].get<double>(), e["estimate"].get<double>() - 1.959964 * e["se"].get<double>(), 1e-4);
  EXPECT_EQ(e["n"], 200);
  EXPECT_EQ(e["statistic"], "mean");
}

TEST(StatsEstimateCommand, HumanTableIsBilingual) {
  Ran r = Call(RunEstimate, {"--data", "@/tests/fixtures/api/apiclus1.csv", "--var", "enroll", "--total", "--cluster",
                             "dnum", "--weights", "pw", "--fpc", "fpc", "--poststrata", "stype", "--population",
                             "@/tests/fixtures/api/apipop-stype.csv"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("合計 / total — enroll"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("推定値 / estimate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3,680,893"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("406,293"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("事後層 / post-strata stype (3)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("z = 1.959964"), std::string::npos) << r.out;
}

TEST(StatsEstimateCommand, BadCellIsNamed) {
  Ran r = Call(RunEstimate, {"--data", "@/tests/fixtures/api/apistrat.csv", "--var", "sname", "--strata", "stype"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("apistrat.csv:2:sname: 'Open Magnet: Center for Individual (Char' — expected a number"),
            std::string::npos)
      << r.err;
}

TEST(StatsEstimateCommand, PopulationNeedsPoststrata) {
  Ran r = Call(RunEstimate, {"--data", "@/tests/fixtures/api/apiclus1.csv", "--var", "api00", "--population",
                             "@/tests/fixtures/api/apipop-stype.csv"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("needs --poststrata COL"), std::string::npos) << r.err;
}

TEST(StatsDesignCommand, ShowsTable2) {
  Ran r = Call(RunDesign, {"--design", "@/data/designs/ipa-2009.json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("A・首都圏・製造・建設業"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("合計 / total"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("66"), std::string::npos) << r.out;
}

TEST(StatsDesignCommand, AllocatesOverTheFrame) {
  Ran r = Call(RunDesign, {"--frame", "@/data/frames/teikoku-2009-corrected.csv", "--n", "66", "--method",
                           "proportional", "--min", "2", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  std::vector<int64_t> targets;
  for (const auto& c : j["cells"]) targets.push_back(c["target"].get<int64_t>());
  EXPECT_EQ(targets, (std::vector<int64_t>{23, 3, 2, 17, 2, 2, 12, 3, 2}));
  EXPECT_EQ(j["cells"][0]["population"], 455230);
}

TEST(StatsDesignCommand, RefusesAFrameThatDoesNotAddUp) {
  Ran r = Call(RunDesign, {"--frame", "@/data/frames/teikoku-2009.csv", "--n", "66", "--method", "equal"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("total is 320,562 but its cells add up to 500,562"), std::string::npos) << r.err;
}

TEST(StatsSampleCommand, DrawsReproducibly) {
  const std::string dir = ::testing::TempDir() + "shindan_sample_cmd";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir + "/companies.csv");
    f << "company_id,size_type,region,industry\n";
    for (int i = 0; i < 400; ++i) {
      const char* sizes[] = {"A", "B", "C"};
      const char* regions[] = {"capital", "regional1", "other"};
      const char* industries[] = {"mfg", "dist", "svc", "net"};
      f << "c" << i << "," << sizes[i % 3] << "," << regions[(i / 3) % 3] << "," << industries[(i / 9) % 4] << "\n";
    }
  }
  std::string first;
  for (int run = 0; run < 2; ++run) {
    Ran r = Call(RunSample, {"--companies", dir + "/companies.csv", "--design", "@/data/designs/ipa-2009.json",
                             "--seed", "2009", "-o", dir + "/drawn.csv"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("132 社 / companies (seed 2009)"), std::string::npos) << r.out;
    std::ifstream in(dir + "/drawn.csv");
    std::stringstream ss;
    ss << in.rdbuf();
    if (run == 0) first = ss.str();
    EXPECT_EQ(ss.str(), first);
  }
  EXPECT_EQ(first.substr(0, first.find('\r')), "cell,role,rank,company_id,size_type,region,industry");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace shindan
