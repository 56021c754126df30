// The demo survey's report reproduces the seed's tables 4–10 and its stated counts, number for
// number (seed §4.1, §4.2.1, §4.2.2, §4.7(5)–(7), §3.1).
#include "report/report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "base/file.h"
#include "base/test_util.h"
#include "catalog/catalog.h"
#include "exchange/demo.h"
#include "report/markdown.h"
#include "report/survey_source.h"
#include "report/tabular.h"
#include "stats/allocation.h"
#include "stats/estimate.h"
#include "stats/frame.h"
#include "stats/groups.h"

namespace shindan {
namespace {

class DemoReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = std::move(Catalog::Load(FileSystem::Disk(), SHINDAN_SOURCE_ROOT).value()).release();
    Result<std::string> csv = DemoSurveyText(*catalog_, {});
    ASSERT_TRUE(csv.ok());
    Result<std::unique_ptr<Snapshot>> snap = SnapshotFromText(*catalog_, *csv, "demo.csv");
    ASSERT_TRUE(snap.ok()) << snap.status().message();
    snapshot_ = std::move(snap).value().release();
    AggregateState state = Aggregate(*snapshot_, 2);
    report_ = new nlohmann::json(nlohmann::json::parse(ReportJson(*catalog_, *snapshot_, state, {})));
  }
  static const nlohmann::json& R() { return *report_; }
  static double Count(const nlohmann::json& j) { return j["count"].get<double>(); }

  static Catalog* catalog_;
  static Snapshot* snapshot_;
  static nlohmann::json* report_;
};
Catalog* DemoReport::catalog_ = nullptr;
Snapshot* DemoReport::snapshot_ = nullptr;
nlohmann::json* DemoReport::report_ = nullptr;

TEST_F(DemoReport, Table4SizeType) {
  const auto& t = R()["profile"]["size_type"];
  EXPECT_EQ(R()["respondents"], 66);
  EXPECT_EQ(Count(t["A"]), 15);
  EXPECT_EQ(Count(t["B"]), 24);
  EXPECT_EQ(Count(t["C"]), 21);
  EXPECT_EQ(Count(t["S"]), 6);
  EXPECT_DOUBLE_EQ(t["A"]["share"].get<double>(), 15.0 / 66);  // 22.7%
  EXPECT_DOUBLE_EQ(t["S"]["share"].get<double>(), 6.0 / 66);   // 9.1%
  EXPECT_FALSE(t.contains("unknown"));
}

// Regression (issue 9): the JSON rounded shares to 4 decimals, item means to 2 and mean totals to
// 1, so 15/66 came out as 0.2273; a program merging two surveys needs the exact value.
TEST_F(DemoReport, JsonFiguresAreExactNotRounded) {
  AggregateState state = Aggregate(*snapshot_, 1);
  const std::string text = ReportJson(*catalog_, *snapshot_, state, {});
  EXPECT_NE(text.find("0.22727272727272727"), std::string::npos) << "15/66 at full precision";
  const auto& sc = R()["self_check"];
  // Item means and mean totals from the counts, recomputed here.
  const auto& item = sc["items"]["sc25"];
  double points = 0, answered = 0;
  const AnswerAlphabet& alpha = snapshot_->alphabet();
  const std::vector<Item>& items = catalog_->Find("self-check-2009")->items;
  const size_t k25 = static_cast<size_t>(
      std::find_if(items.begin(), items.end(), [](const Item& i) { return i.id == "sc25"; }) - items.begin());
  ASSERT_LT(k25, items.size());
  for (size_t code = 1; code < alpha.codes.size(); ++code) {
    if (!item["counts"].contains(alpha.codes[code])) continue;
    const double n = item["counts"][alpha.codes[code]].get<double>();
    answered += n;
    points += n * alpha.points[k25][code];
  }
  EXPECT_NE(points / answered, std::round(points / answered * 100) / 100) << "sc25's mean has more than two decimals";
  EXPECT_EQ(item["mean"].get<double>(), points / answered);
  double sum = 0, n = 0;
  for (size_t r = 0; r < snapshot_->rows(); ++r) {
    if (snapshot_->size_[r] != dim::kA) continue;
    int total = 0;
    for (size_t k = 0; k < snapshot_->items_.size(); ++k) total += alpha.points[k][snapshot_->items_[k][r]];
    sum += total;
    ++n;
  }
  EXPECT_EQ(sc["by"]["size_type"]["A"]["mean_total"].get<double>(), sum / n);
  EXPECT_NE(sum / n, std::round(sum / n * 10) / 10) << "the demo's mean total of type A has more than one decimal";
}

TEST_F(DemoReport, Tables5And6IndustryAndRegionCountTypeSApart) {
  const auto& i = R()["profile"]["industry"];
  EXPECT_EQ(Count(i["mfg"]), 24);
  EXPECT_EQ(Count(i["dist"]), 20);
  EXPECT_EQ(Count(i["svc"]), 16);
  EXPECT_EQ(Count(i["net"]), 6);
  const auto& r = R()["profile"]["region"];
  EXPECT_EQ(Count(r["capital"]), 30);
  EXPECT_EQ(Count(r["regional1"]), 16);
  EXPECT_EQ(Count(r["regional2"]), 14);
  EXPECT_EQ(Count(r["net"]), 6);
  EXPECT_EQ(Count(r["other"]), 0);
  EXPECT_DOUBLE_EQ(r["capital"]["share"].get<double>(), 30.0 / 66);
}

TEST_F(DemoReport, Tables7To10) {
  const auto& p = R()["profile"];
  EXPECT_EQ(Count(p["sites"]["1"]), 15);
  EXPECT_EQ(Count(p["sites"]["2-3"]), 23);
  EXPECT_EQ(Count(p["sites"]["4+"]), 28);
  EXPECT_EQ(Count(p["it_staff"]["0"]), 28);
  EXPECT_EQ(Count(p["it_staff"]["1"]), 17);
  EXPECT_EQ(Count(p["it_staff"]["2-3"]), 16);
  EXPECT_EQ(Count(p["it_staff"]["4+"]), 5);
  EXPECT_EQ(Count(p["servers"]["0"]), 5);
  EXPECT_EQ(Count(p["servers"]["1"]), 17);
  EXPECT_EQ(Count(p["servers"]["2-3"]), 10);
  EXPECT_EQ(Count(p["servers"]["4+"]), 34);
  // Table 9: multiple answers, shares of respondents (98.5%, 25.8%, 3.0%, 1.5%).
  EXPECT_EQ(Count(p["it_uses"]["core"]), 65);
  EXPECT_EQ(Count(p["it_uses"]["info"]), 17);
  EXPECT_EQ(Count(p["it_uses"]["front"]), 2);
  EXPECT_EQ(Count(p["it_uses"]["other"]), 1);
  EXPECT_DOUBLE_EQ(p["it_uses"]["core"]["share"].get<double>(), 65.0 / 66);
}

TEST_F(DemoReport, SelfCheckPassAndItem25) {
  const auto& sc = R()["self_check"];
  EXPECT_EQ(sc["passed"], 23);                               // 66社中23社
  EXPECT_DOUBLE_EQ(sc["pass_rate"].get<double>(), 23.0 / 66);  // 35%
  EXPECT_EQ(sc["items"]["sc25"]["counts"]["no"], 38);        // 66社中38社
  EXPECT_DOUBLE_EQ(sc["items"]["sc25"]["not_implemented_rate"].get<double>(), 38.0 / 66);  // 58%
  EXPECT_EQ(sc["worst"].size(), 25u);
  EXPECT_EQ(sc["by"]["size_type"]["S"]["pass_rate"], 1.0);
  EXPECT_EQ(sc["by"]["size_type"]["A"]["n"], 15);
}

TEST_F(DemoReport, OrgChecklistCertificationsAwareness) {
  EXPECT_EQ(R()["org_checklist"]["respondents"], 20);
  EXPECT_EQ(R()["org_checklist"]["items"]["oc3_5"]["no"], 5);
  EXPECT_EQ(R()["org_checklist"]["items"]["oc4_4"]["no"], 6);
  EXPECT_EQ(R()["certified"]["count"], 12);
  EXPECT_EQ(R()["certified"]["under_pass_mark"], 6);
  EXPECT_EQ(R()["awareness"]["knows_ipa"]["count"], 31);
  EXPECT_EQ(R()["awareness"]["knows_benchmark"]["count"], 17);
  EXPECT_EQ(R()["awareness"]["qualified_staff"]["count"], 9);
}

TEST_F(DemoReport, MinCellSuppressesSmallFigures) {
  AggregateState state = Aggregate(*snapshot_, 1);
  ReportOptions o;
  o.min_cell = 10;
  nlohmann::json j = nlohmann::json::parse(ReportJson(*catalog_, *snapshot_, state, o));
  EXPECT_TRUE(j["profile"]["size_type"]["S"]["count"].is_null());  // 6 < 10
  EXPECT_TRUE(j["profile"]["size_type"]["S"]["share"].is_null());
  EXPECT_EQ(j["profile"]["size_type"]["A"]["count"], 15);
  EXPECT_TRUE(j["self_check"]["by"]["size_type"]["S"]["mean_total"].is_null());
  EXPECT_TRUE(j["self_check"]["by"]["size_type"]["S"]["items"]["sc01"].is_null());
  EXPECT_FALSE(j["self_check"]["by"]["size_type"]["A"]["mean_total"].is_null());
  EXPECT_TRUE(j["org_checklist"]["items"]["oc3_5"]["no"].is_null());  // 5 < 10
  std::string md = RenderMarkdown(BuildReportDocument(*catalog_, *snapshot_, state, o), Lang::kJa);
  EXPECT_NE(md.find("| ネット系企業(タイプS) | – | – |"), std::string::npos) << md;
}

TEST_F(DemoReport, MarkdownShowsTheSeedsTables) {
  AggregateState state = Aggregate(*snapshot_, 1);
  std::string md = RenderMarkdown(BuildReportDocument(*catalog_, *snapshot_, state, {}), Lang::kJa);
  EXPECT_NE(md.find("## 表4 従業員規模の分布"), std::string::npos);
  EXPECT_NE(md.find("| 小規模(20人未満) | 15 | 22.7% |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 大都市圏(首都圏) | 30 | 45.5% |"), std::string::npos);
  EXPECT_NE(md.find("70点以上: 23 (34.8%)"), std::string::npos);
}

TEST_F(DemoReport, GroupDifferencesAreTestedOnEachCompanysTotal) {
  // The report sums per-cell histograms; here the groups are built from each row's own answers.
  const AnswerAlphabet& alpha = snapshot_->alphabet();
  GroupTotals by_size;
  by_size.min_total = snapshot_->min_total();
  by_size.counts.assign(4, std::vector<uint64_t>(static_cast<size_t>(snapshot_->bins()), 0));
  for (size_t r = 0; r < snapshot_->rows(); ++r) {
    int total = 0;
    for (size_t k = 0; k < snapshot_->items_.size(); ++k) total += alpha.points[k][snapshot_->items_[k][r]];
    ASSERT_LT(snapshot_->size_[r], 4) << "every demo company has a size type";
    ++by_size.counts[snapshot_->size_[r]][static_cast<size_t>(total - snapshot_->min_total())];
  }
  const KruskalWallisResult kw = KruskalWallis(by_size);
  const nlohmann::json& d = R()["self_check"]["differences"]["size_type"];
  EXPECT_EQ(d["groups"], 4);
  EXPECT_EQ(d["n"], 66);
  EXPECT_DOUBLE_EQ(d["kruskal_wallis"]["h"].get<double>(), kw.h);
  EXPECT_DOUBLE_EQ(d["kruskal_wallis"]["p"].get<double>(), kw.p);
  EXPECT_EQ(d["kruskal_wallis"]["df"], 3);
  EXPECT_DOUBLE_EQ(d["anova"]["f"].get<double>(), OneWayAnova(by_size).f);
  EXPECT_DOUBLE_EQ(d["pass_rate"]["chi_squared"].get<double>(), PassRateDifference(by_size, 70).chi_squared);
  EXPECT_FALSE(d.contains("detect")) << "only with --detect";
}

TEST_F(DemoReport, DetectSaysHowManyCompaniesADifferenceNeeds) {
  AggregateState state = Aggregate(*snapshot_, 1);
  ReportOptions o;
  o.detect_points = 10;
  nlohmann::json j = nlohmann::json::parse(ReportJson(*catalog_, *snapshot_, state, o));
  const nlohmann::json& det = j["self_check"]["differences"]["region"]["detect"];
  EXPECT_EQ(det["points"], 10.0);
  // A 10-point difference with SD ≈ 15 needs about 2·((1.96 + 0.84)·15/10)² ≈ 36 per group.
  EXPECT_GE(det["n_per_group"].get<int>(), 30);
  EXPECT_LE(det["n_per_group"].get<int>(), 45);
  EXPECT_GT(det["current_power"].get<double>(), 0.05);
  EXPECT_LT(det["current_power"].get<double>(), 0.8) << "the seed's groups of 6 to 30 are too small";
  std::string md = RenderMarkdown(BuildReportDocument(*catalog_, *snapshot_, state, o), Lang::kJa);
  EXPECT_NE(md.find("必要社数（1群あたり）"), std::string::npos);
}

TEST_F(DemoReport, QuotasShowTypeAFellShortFifteenOfTwentyTwo) {
  // 表2 asks 22 companies of type A (10 capital, 10 regional, 2 IT-core); 表4 counts 15 answered.
  const std::string path = std::string(SHINDAN_SOURCE_ROOT) + "/data/designs/ipa-2009.json";
  SampleDesign design = ParseSampleDesign(FileSystem::Disk().ReadFile(path).value(), "ipa-2009.json").value();
  AggregateState state = Aggregate(*snapshot_, 2);
  std::map<std::string, int64_t> invited = {{"A・首都圏・製造・建設業", 5}};
  ReportOptions o;
  o.design = &design;
  o.invited = &invited;
  nlohmann::json j = nlohmann::json::parse(ReportJson(*catalog_, *snapshot_, state, o));
  int64_t target_a = 0, answered_a = 0, answered = 0;
  for (const auto& cell : j["quota"]["cells"]) {
    const std::string label = cell["label"].get<std::string>();
    answered += cell["answered"].get<int64_t>();
    EXPECT_EQ(cell["shortfall"].get<int64_t>(), std::max<int64_t>(0, cell["target"].get<int64_t>() - cell["answered"].get<int64_t>()));
    if (label.rfind("A・", 0) == 0) {
      target_a += cell["target"].get<int64_t>();
      answered_a += cell["answered"].get<int64_t>();
    }
    if (label == "A・首都圏・製造・建設業") {
      EXPECT_EQ(cell["invited"], 5);
    }
    if (label == "B・首都圏・製造・建設業") {
      EXPECT_EQ(cell["invited"], 0);
    }
  }
  EXPECT_EQ(target_a, 22);
  EXPECT_EQ(answered_a, 15);
  EXPECT_EQ(answered, 66) << "every demo company falls in one cell";
  EXPECT_EQ(j["quota"]["total"]["target"], 66);
  EXPECT_EQ(j["quota"]["total"]["invited"], 5);
}

TEST_F(DemoReport, TheWorkbookReadsBackWithTheSeedsTables) {
  AggregateState state = Aggregate(*snapshot_, 2);
  const ReportDocument doc = BuildReportDocument(*catalog_, *snapshot_, state, {});
  const std::string path = ::testing::TempDir() + "demo_report_" + std::to_string(getpid()) + ".xlsx";
  Status s = WriteXlsx(doc, Lang::kJa, path);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string workbook = test::ZipMember(path, "xl/workbook.xml");
  size_t tables = 0;
  for (const ReportSection& section : doc.sections) {
    for (const ReportTable& t : section.tables) {
      ++tables;
      EXPECT_NE(workbook.find("name=\"" + t.id.substr(0, 31) + "\""), std::string::npos) << t.id << " has no sheet";
    }
  }
  EXPECT_GE(tables, 15u);
  const std::string strings = test::ZipMember(path, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("表4 従業員規模の分布"), std::string::npos);
  EXPECT_NE(strings.find("小規模(20人未満)"), std::string::npos);
  // Sheet 2 is table 4: the small companies' count is the number 15, not text.
  const std::string table4 = test::ZipMember(path, "xl/worksheets/sheet2.xml");
  EXPECT_NE(table4.find("<v>15</v>"), std::string::npos) << table4;
  std::remove(path.c_str());
}

TEST_F(DemoReport, PopulationEstimatesAgreeWithTheRowLevelEstimator) {
  // The report estimates from per-stratum counts; stats/estimate.h (checked against R's survey
  // package) estimates from one row per company. Both on the demo survey with the corrected 表1.
  const std::string frame_path = std::string(SHINDAN_SOURCE_ROOT) + "/data/frames/teikoku-2009-corrected.csv";
  Frame frame = ParseFrame(FileSystem::Disk().ReadFile(frame_path).value(), "teikoku-2009-corrected.csv",
                           IndustryLookupFor(catalog_->profile()))
                    .value();
  AggregateState state = Aggregate(*snapshot_, 1);
  ReportOptions o;
  o.frame = &frame;
  nlohmann::json j = nlohmann::json::parse(ReportJson(*catalog_, *snapshot_, state, o));
  const nlohmann::json& pop = j["population"];

  const char* sizes[] = {"A", "B", "C"};
  const char* industries[] = {"mfg", "dist", "svc"};
  const AnswerAlphabet& alpha = snapshot_->alphabet();
  DataTable rows;
  rows.source = "demo";
  rows.header = {"stratum", "fpc", "total", "passed", "size"};
  for (size_t r = 0; r < snapshot_->rows(); ++r) {
    const int size = snapshot_->size_[r], industry = snapshot_->industry_[r];
    if (size > dim::kC || industry > dim::kSvc) continue;  // type S and unclassified: no stratum
    int total = 0;
    for (size_t k = 0; k < snapshot_->items_.size(); ++k) total += alpha.points[k][snapshot_->items_[k][r]];
    const int64_t population = *frame.Count(industries[industry], sizes[size]);
    rows.rows.push_back({std::string(sizes[size]) + industries[industry], std::to_string(population), std::to_string(total),
                         total >= 70 ? "1" : "0", sizes[size]});
    rows.lines.push_back(static_cast<int>(r) + 2);
  }
  DesignSpec spec;
  spec.strata = "stratum";
  spec.fpc = "fpc";
  Result<Design> built = Design::Build(rows, spec);
  ASSERT_TRUE(built.ok()) << built.status().message();
  const Design& design = *built;
  EstimateSpec mean;
  mean.var = "total";
  Result<std::vector<Estimate>> means = EstimateAll(rows, design, mean);
  ASSERT_TRUE(means.ok()) << means.status().message();
  const Estimate& m = means->at(0);
  EXPECT_EQ(pop["respondents"], static_cast<double>(rows.rows.size()));
  EXPECT_NEAR(pop["mean_total"]["estimate"].get<double>(), m.estimate, 1e-9);
  EXPECT_NEAR(pop["mean_total"]["se"].get<double>(), m.se, 1e-9);
  EstimateSpec pass;
  pass.var = "passed";
  Result<std::vector<Estimate>> passes = EstimateAll(rows, design, pass);
  ASSERT_TRUE(passes.ok()) << passes.status().message();
  const Estimate& p = passes->at(0);
  EXPECT_NEAR(pop["pass_rate"]["estimate"].get<double>(), p.estimate, 1e-12);
  EXPECT_NEAR(pop["pass_rate"]["se"].get<double>(), p.se, 1e-12);
  // A size type is a domain of whole strata: the row-level estimator by domain agrees.
  pass.by = "size";
  Result<std::vector<Estimate>> domains = EstimateAll(rows, design, pass);
  ASSERT_TRUE(domains.ok()) << domains.status().message();
  for (const Estimate& d : *domains) {
    SCOPED_TRACE(*d.domain);
    EXPECT_NEAR(pop["by"]["size_type"][*d.domain]["pass_rate"]["estimate"].get<double>(), d.estimate, 1e-12);
  }
}

}  // namespace
}  // namespace shindan
