// The percentile weighted by the survey's population frame, on SQLite and PostgreSQL: a small case
// computed by hand, the row-level design-based estimator of stats/estimate.h (R's svymean on a
// stratified design with fpc = N_h) on a larger survey, the company's own response taken out of
// its stratum, and every fallback to the unweighted percentile with the reason the page gives.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "analytics/column_copy.h"
#include "base/file.h"
#include "catalog/test_catalog.h"
#include "exchange/test_demo_records.h"
#include "stats/estimate.h"
#include "stats/stratified.h"
#include "stats/frame_strata.h"
#include "stats/survey_frame.h"
#include "store/store.h"
#include "store/test_database.h"
#include "web/peers.h"

namespace shindan::web {
namespace {

using NotWeighted = PeerStanding::NotWeighted;



// A small frame whose counts make the hand computation easy: W = .6, .3, .1 within size type A.
constexpr char kSmallFrame[] =
    "industry,A,B,C,total\n"
    "mfg,600,60,6,666\n"
    "dist,300,30,3,333\n"
    "svc,100,10,1,111\n"
    "total,1000,100,10,1110\n";

// Sets the company's self-check answers to score `total` (a multiple of 4): the first total/4 items
// 実施している (stored '1'), the others 実施していない ('3' for items 1–20; items 21–25 take only
// yes and no, '2').
void SetTotal(CompanyRecord* c, int total) {
  for (CompanyRecord::InstrumentAnswers& a : c->responses) {
    if (a.instrument_id != "self-check-2009") continue;
    a.answers.assign(25, '1');
    for (int k = total / 4; k < 25; ++k) a.answers[static_cast<size_t>(k)] = k < 20 ? '3' : '2';
  }
}

class WeightedPeersTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDatabase>(GetParam(), "shindan_weighted_");
    if (db_->skipped()) GTEST_SKIP() << "SHINDAN_TEST_NO_POSTGRES=1: PostgreSQL not tested";
    ASSERT_EQ(db_->error(), "");
    url_ = db_->url();
    dir_ = db_->dir();
    Result<std::unique_ptr<Store>> s = Store::Open(url_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();  // closed before its database is dropped
    db_.reset();
  }

  const Catalog& catalog() { return test::SourceCatalog(); }

  // A company of the demo survey's profiles of size type `size` and industry `industry`, scoring
  // `total` (SetTotal).
  CompanyRecord Company(const std::string& size, const std::string& industry, int total) {
    static const std::vector<CompanyRecord> pool = test::DemoRecords(400, 11);
    for (const CompanyRecord& r : pool) {
      if (r.size_type != size || r.industry != industry || used_.count(r.company_key)) continue;
      used_.insert(r.company_key);
      CompanyRecord c = r;
      SetTotal(&c, total);
      return c;
    }
    ADD_FAILURE() << "the demo pool has no more companies of " << size << "×" << industry;
    return {};
  }

  // Writes `records` as survey "peers" through the copy, as the web's submissions do.
  void Write(const std::vector<CompanyRecord>& records) {
    Result<std::unique_ptr<ImportSession>> session = store_->BeginImport("peers");
    ASSERT_TRUE(session.ok()) << session.status().message();
    survey_ = (*session)->survey_id();
    Status s = CommitWithCopy(catalog(), *store_, **session, records);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  void Attach(const std::string& text, const std::string& path) {
    Result<Frame> f = AttachFrame(catalog(), *store_, survey_, text, path);
    ASSERT_TRUE(f.ok()) << f.status().message();
  }

  PeerStanding Standing(const std::string& size, const std::string& industry, int total, bool recorded,
                        uint64_t min_peers = kMinPeers) {
    Result<std::optional<PeerStanding>> s =
        StandingAmongPeers(catalog(), *store_, survey_, size, industry, total, recorded, min_peers);
    EXPECT_TRUE(s.ok()) << s.status().message();
    EXPECT_TRUE(s.ok() && s->has_value()) << "a group with enough companies";
    return s.ok() && s->has_value() ? **s : PeerStanding{};
  }

  // The small survey: size type A, mfg 40 60 80, dist 60 100, svc 20 60; size type B, mfg 80 80.
  void WriteSmallSurvey() {
    Write({Company("A", "mfg", 40), Company("A", "mfg", 60), Company("A", "mfg", 80), Company("A", "dist", 60),
           Company("A", "dist", 100), Company("A", "svc", 20), Company("A", "svc", 60), Company("B", "mfg", 80),
           Company("B", "mfg", 80)});
  }

  std::unique_ptr<test::TestDatabase> db_;
  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
  int64_t survey_ = 0;
  std::set<std::string> used_;
};

// By hand. Company A×mfg with 60 points, compared with size type A (A×mfg has 3 < 4 companies).
// u per stratum: mfg 1 ½ 0 → p .5, s² .25; dist ½ 0 → p .25, s² .125; svc 1 ½ → p .75, s² .125.
// W = .6 .3 .1: estimate .3 + .075 + .075 = .45.
// V = .36 (1 − 3/600) .25/3 + .09 (1 − 2/300) .125/2 + .01 (1 − 2/100) .125/2
//   = .02985 + .0055875 + .0006125 = .03605; SE .189868. The 95% interval is Wilson's on the
// effective sample size n* = .45 · .55 / .03605 = 6.8655 (< 7 respondents): 16.94 … 76.65.
// Unweighted, the 7 companies of A: 2 below, 3 equal → (2 + 1.5)/7 = 50%.
TEST_P(WeightedPeersTest, ASmallCaseComputedByHand) {
  WriteSmallSurvey();
  Attach(kSmallFrame, "/organiser/frames/small.csv");
  const PeerStanding s = Standing("A", "mfg", 60, /*recorded=*/false, /*min_peers=*/4);
  EXPECT_EQ(s.group, PeerStanding::Group::kSizeType);
  EXPECT_EQ(s.histogram.companies, 7u);
  ASSERT_TRUE(s.weighted) << NotWeightedCode(s.not_weighted);
  EXPECT_EQ(s.not_weighted, NotWeighted::kNone);
  EXPECT_EQ(s.frame, "small.csv") << "the file's name, not the organiser's folders";
  EXPECT_NEAR(s.percentile, 45.0, 1e-9);
  EXPECT_NEAR(s.se, 100 * std::sqrt(0.03605), 1e-9);
  EXPECT_NEAR(s.ci_low, 16.9409, 0.0001);
  EXPECT_NEAR(s.ci_high, 76.6470, 0.0001);

  // Without the frame: the rank among those who answered, and why.
  Result<bool> removed = store_->RemoveSurveyFrame(survey_);
  ASSERT_TRUE(removed.ok() && *removed);
  const PeerStanding u = Standing("A", "mfg", 60, false, 4);
  EXPECT_FALSE(u.weighted);
  EXPECT_EQ(u.not_weighted, NotWeighted::kNoFrame);
  EXPECT_DOUBLE_EQ(u.percentile, 50.0);
  EXPECT_EQ(u.frame, "");
  EXPECT_EQ(NotWeightedReason(catalog(), u, Lang::kEn),
            "The survey has no population frame (counts of companies by size type × industry).");
  EXPECT_EQ(NotWeightedReason(catalog(), u, Lang::kJa), "この調査には母集団の枠（規模×業種の企業数）がありません。");
}

// A stratum of the group without respondents: the survey's B×dist (after A×mfg, A×dist, A×svc,
// B×mfg, which have some) — named in both languages.
TEST_P(WeightedPeersTest, AStratumWithoutRespondentsFallsBackNamingIt) {
  WriteSmallSurvey();
  Attach(kSmallFrame, "small.csv");
  const PeerStanding s = Standing("A", "mfg", 60, false, /*min_peers=*/8);
  EXPECT_EQ(s.group, PeerStanding::Group::kSurvey);
  EXPECT_FALSE(s.weighted);
  EXPECT_EQ(s.not_weighted, NotWeighted::kEmptyStratum);
  EXPECT_EQ(s.frame, "small.csv");
  EXPECT_EQ(s.stratum_size + "×" + s.stratum_industry, "B×dist");
  EXPECT_DOUBLE_EQ(s.percentile, 100.0 * (2 + 1.5) / 9) << "the unweighted percentile, as without a frame";
  EXPECT_EQ(NotWeightedReason(catalog(), s, Lang::kEn),
            "No company of the stratum size type B × Distribution, wholesale and retail has answered yet.");
  EXPECT_EQ(NotWeightedReason(catalog(), s, Lang::kJa),
            "比べる範囲の層「規模B × 流通・卸・小売業」には、まだ回答がありません。");
}

// The company's recorded response is taken out of its own stratum: A×svc keeps one respondent,
// whose variance is unknown, so no interval and no weighting.
TEST_P(WeightedPeersTest, TheOwnResponseLeavesAStratumWithOneRespondent) {
  WriteSmallSurvey();
  Attach(kSmallFrame, "small.csv");
  const PeerStanding s = Standing("A", "svc", 20, /*recorded=*/true, /*min_peers=*/4);
  EXPECT_EQ(s.group, PeerStanding::Group::kSizeType);
  EXPECT_EQ(s.histogram.companies, 6u);
  EXPECT_FALSE(s.weighted);
  EXPECT_EQ(s.not_weighted, NotWeighted::kSingleRespondent);
  EXPECT_EQ(s.stratum_size + "×" + s.stratum_industry, "A×svc");
  EXPECT_DOUBLE_EQ(s.percentile, 0.0) << "the lowest total of size type A once its own is out";
  EXPECT_EQ(NotWeightedReason(catalog(), s, Lang::kEn),
            "Only one company of the stratum size type A × Services and other has answered, so no interval can be "
            "computed.");
}

// Type S and unclassified companies are in no stratum of the frame; a frame the catalog no longer
// reads, or one without the group's strata, leaves the page working, unweighted.
TEST_P(WeightedPeersTest, CompaniesOutsideTheStrataAndBadFramesAreNotWeighted) {
  WriteSmallSurvey();
  Write({Company("C", "mfg", 40), Company("C", "mfg", 60), Company("C", "mfg", 80), Company("C", "mfg", 80)});
  Attach(kSmallFrame, "small.csv");
  PeerStanding s = Standing("S", "net", 60, false, 4);
  EXPECT_EQ(s.group, PeerStanding::Group::kSurvey);
  EXPECT_FALSE(s.weighted);
  EXPECT_EQ(s.not_weighted, NotWeighted::kOutsideStrata);
  s = Standing("", "", 60, false, 4);
  EXPECT_EQ(s.not_weighted, NotWeighted::kOutsideStrata);
  EXPECT_EQ(NotWeightedReason(catalog(), s, Lang::kJa),
            "自社の規模・業種は、枠の層（規模A・B・C × 3業種）に当たりません。");

  // A frame without the C column: a C company's strata have no population.
  Attach("industry,A,B,total\nmfg,600,60,660\ndist,300,30,330\nsvc,100,10,110\ntotal,1000,100,1100\n", "no-c.csv");
  s = Standing("C", "mfg", 60, false, 4);
  EXPECT_EQ(s.group, PeerStanding::Group::kSizeAndIndustry);
  EXPECT_EQ(s.not_weighted, NotWeighted::kNoPopulation);
  EXPECT_EQ(s.frame, "no-c.csv");

  // Stored text that is no frame (written past AttachFrame): not weighted, and the page still works.
  ASSERT_TRUE(store_->SetSurveyFrame(survey_, "old.csv", "industry,A,total\nmining,5,5\ntotal,5,5\n").ok());
  s = Standing("A", "mfg", 60, false, 4);
  EXPECT_EQ(s.not_weighted, NotWeighted::kFrameUnreadable);
  EXPECT_DOUBLE_EQ(s.percentile, 50.0);
}

// The weighted percentile is R's svymean(~u, svydesign(id = ~1, strata = ~h, fpc = ~N_h)) of the
// mid-rank indicator u over the companies of the group's strata: the row-level estimator of
// stats/estimate.h on a DataTable made from the companies' totals gives the same estimate and
// interval, for the size type and the whole survey, with and without the company's own response.
TEST_P(WeightedPeersTest, EqualsTheRowLevelEstimatorOnTheSameData) {
  std::vector<CompanyRecord> records;
  std::vector<int> totals;
  std::mt19937 rng(2009);
  for (const CompanyRecord& r : test::DemoRecords(300, 3)) {
    const int total = 4 * static_cast<int>(rng() % 26);
    CompanyRecord c = r;
    SetTotal(&c, total);
    records.push_back(c);
    totals.push_back(total);
  }
  Write(records);
  const std::string path = std::string(SHINDAN_SOURCE_ROOT) + "/data/frames/teikoku-2009-corrected.csv";
  Attach(FileSystem::Disk().ReadFile(path).value(), path);
  Result<std::optional<Frame>> frame = AttachedFrame(catalog(), *store_, survey_);
  ASSERT_TRUE(frame.ok() && *frame);
  const std::vector<FrameStratum> strata = FrameStrata(**frame);

  size_t checked = 0;
  std::set<PeerStanding::Group> groups;
  for (size_t own = 0; own < records.size() && checked < 6; own += 37) {
    const CompanyRecord& me = records[own];
    if (!InFrameStrata(me.size_type, me.industry)) continue;
    for (const bool recorded : {false, true}) {
      // min_peers above any size type's count: the whole survey; then above any cell's: the size type.
      for (const uint64_t min_peers : {uint64_t{200}, uint64_t{60}}) {
        const PeerStanding s = Standing(me.size_type, me.industry, totals[own], recorded, min_peers);
        SCOPED_TRACE(me.size_type + "×" + me.industry + " " + std::to_string(totals[own]) +
                     (recorded ? " recorded" : "") + " group " + std::to_string(static_cast<int>(s.group)));
        ASSERT_TRUE(s.weighted) << NotWeightedCode(s.not_weighted);
        groups.insert(s.group);
        DataTable t;
        t.source = "peers";
        t.header = {"h", "fpc", "u"};
        for (size_t i = 0; i < records.size(); ++i) {
          if (recorded && i == own) continue;
          for (const FrameStratum& h : strata) {
            if (records[i].size_type != h.size_type || records[i].industry != h.industry_code) continue;
            if (s.group != PeerStanding::Group::kSurvey && h.size_type != me.size_type) continue;
            if (s.group == PeerStanding::Group::kSizeAndIndustry && h.industry_code != me.industry) continue;
            const double u = totals[i] < totals[own] ? 1 : totals[i] == totals[own] ? 0.5 : 0;
            t.rows.push_back({h.label, std::to_string(static_cast<int64_t>(h.population)), std::to_string(u)});
            t.lines.push_back(static_cast<int>(t.rows.size()) + 1);
          }
        }
        DesignSpec spec;
        spec.strata = "h";
        spec.fpc = "fpc";
        Result<Design> design = Design::Build(t, spec);
        ASSERT_TRUE(design.ok()) << design.status().message();
        EstimateSpec what;
        what.var = "u";
        Result<std::vector<Estimate>> e = EstimateAll(t, *design, what);
        ASSERT_TRUE(e.ok()) << e.status().message();
        ASSERT_EQ(e->size(), 1u);
        EXPECT_NEAR(s.percentile, 100 * (*e)[0].estimate, 1e-9);
        EXPECT_NEAR(s.se, 100 * (*e)[0].se, 1e-9);
        const ShareInterval ci = WilsonInterval((*e)[0].estimate, (*e)[0].se, static_cast<double>(t.rows.size()), kZ95);
        EXPECT_NEAR(s.ci_low, 100 * ci.low, 1e-9);
        EXPECT_NEAR(s.ci_high, 100 * ci.high, 1e-9);
        EXPECT_LE(s.ci_low, s.percentile);
        EXPECT_GE(s.ci_high, s.percentile);
        EXPECT_GT(s.ci_high - s.ci_low, 0);
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 6u) << "six companies of the strata checked";
  EXPECT_TRUE(groups.count(PeerStanding::Group::kSurvey) && groups.count(PeerStanding::Group::kSizeType))
      << "a whole survey and a size type, each the union of its strata";
}

std::string WeightedBackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }
INSTANTIATE_TEST_SUITE_P(Backends, WeightedPeersTest, ::testing::Values("sqlite", "postgresql"), WeightedBackendName);

}  // namespace
}  // namespace shindan::web
