// The result page's standing among peers: the percentile from the cell states equals the one
// counted from the records written, the group widens below the minimum and says so, the company's
// own recorded response is left out, and the histogram's bands hold the group's companies.
#include "web/peers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>

#include "catalog/test_catalog.h"
#include "exchange/test_demo_records.h"
#include "instrument/codec.h"
#include "scoring/score.h"
#include "store/store.h"

namespace shindan::web {
namespace {

class PeersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("shindan_peers_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Result<std::unique_ptr<Store>> s = Store::Open("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    // Real companies (the demo survey's profiles), with self-check answers set so that company i
    // scores 100 - 4 * (i % 21): items 1..(i % 21) answered 実施していない, the rest 実施している.
    records_ = test::DemoRecords(120, 5);
    for (size_t i = 0; i < records_.size(); ++i) {
      const int no = static_cast<int>(i % 21);
      for (CompanyRecord::InstrumentAnswers& r : records_[i].responses) {
        if (r.instrument_id != "self-check-2009") continue;
        r.answers = std::string(25, '1');
        for (int k = 0; k < no; ++k) r.answers[static_cast<size_t>(k)] = '3';
      }
      totals_.push_back(100 - 4 * no);
    }
    Result<std::unique_ptr<ImportSession>> session = store_->BeginImport("peers");
    ASSERT_TRUE(session.ok());
    survey_ = (*session)->survey_id();
    ASSERT_TRUE(CommitWithCopy(test::SourceCatalog(), *store_, **session, records_).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The percentile of `total` among the records of a group, counted directly.
  struct Counted {
    uint64_t companies = 0;
    double percentile = 0;
  };
  Counted Count(const std::string& size, const std::string& industry, int total) const {
    uint64_t n = 0, below = 0, equal = 0;
    for (size_t i = 0; i < records_.size(); ++i) {
      if (!size.empty() && records_[i].size_type != size) continue;
      if (!industry.empty() && records_[i].industry != industry) continue;
      ++n;
      below += totals_[i] < total;
      equal += totals_[i] == total;
    }
    return {n, n ? 100.0 * (static_cast<double>(below) + 0.5 * static_cast<double>(equal)) / static_cast<double>(n) : 0};
  }
  std::map<std::pair<std::string, std::string>, uint64_t> Groups() const {
    std::map<std::pair<std::string, std::string>, uint64_t> out;
    for (const CompanyRecord& r : records_) ++out[{r.size_type, r.industry}];
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  int64_t survey_ = 0;
  std::vector<CompanyRecord> records_;
  std::vector<int> totals_;
};

TEST_F(PeersTest, PercentileAmongTheSameSizeAndIndustryEqualsTheCountFromTheRecords) {
  const std::string size = records_[0].size_type, industry = records_[0].industry;
  const Counted want = Count(size, industry, 62);
  ASSERT_GE(want.companies, kMinPeers) << "the demo's largest groups have more than 5 companies";
  Result<std::optional<PeerStanding>> s =
      StandingAmongPeers(test::SourceCatalog(), *store_, survey_, size, industry, 62, /*recorded=*/false);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->group, PeerStanding::Group::kSizeAndIndustry);
  EXPECT_FALSE((*s)->widened());
  EXPECT_TRUE((*s)->histogram.from_copy) << "counts from the cell states, not the rows";
  EXPECT_EQ((*s)->histogram.companies, want.companies);
  EXPECT_DOUBLE_EQ((*s)->percentile, want.percentile);
}

TEST_F(PeersTest, TheCompanysOwnRecordedResponseIsLeftOut) {
  const std::string size = records_[0].size_type, industry = records_[0].industry;
  const int own = totals_[0];
  const Counted all = Count(size, industry, own);
  Result<std::optional<PeerStanding>> s =
      StandingAmongPeers(test::SourceCatalog(), *store_, survey_, size, industry, own, /*recorded=*/true);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->histogram.companies, all.companies - 1);
  // Among the others: the same counts below, one fewer equal.
  uint64_t below = 0, equal = 0;
  for (size_t i = 1; i < records_.size(); ++i) {
    if (records_[i].size_type != size || records_[i].industry != industry) continue;
    below += totals_[i] < own;
    equal += totals_[i] == own;
  }
  EXPECT_DOUBLE_EQ((*s)->percentile, 100.0 * (below + 0.5 * equal) / static_cast<double>(all.companies - 1));
}

TEST_F(PeersTest, BelowTheMinimumTheGroupWidensToTheSizeTypeThenTheSurvey) {
  // A group smaller than the minimum, in a size type at least as large.
  const auto groups = Groups();
  std::map<std::string, uint64_t> by_size;
  for (const auto& [key, n] : groups) by_size[key.first] += n;
  const auto small = std::min_element(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  const uint64_t min_peers = small->second + 1;
  ASSERT_GE(by_size[small->first.first], min_peers);
  Result<std::optional<PeerStanding>> s = StandingAmongPeers(test::SourceCatalog(), *store_, survey_, small->first.first,
                                                             small->first.second, 50, false, min_peers);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->group, PeerStanding::Group::kSizeType);
  EXPECT_TRUE((*s)->widened());
  EXPECT_EQ((*s)->histogram.companies, by_size[small->first.first]);
  EXPECT_DOUBLE_EQ((*s)->percentile, Count(small->first.first, "", 50).percentile);

  // No size type (a company outside the survey's classes): the whole survey.
  s = StandingAmongPeers(test::SourceCatalog(), *store_, survey_, "", "", 50, false);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->group, PeerStanding::Group::kSurvey);
  EXPECT_EQ((*s)->histogram.companies, records_.size());
  EXPECT_DOUBLE_EQ((*s)->percentile, Count("", "", 50).percentile);

  // Fewer companies in the whole survey than the minimum: nothing to show.
  s = StandingAmongPeers(test::SourceCatalog(), *store_, survey_, "", "", 50, false, records_.size() + 1);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->has_value());
}

TEST_F(PeersTest, TheHistogramsBandsHoldTheGroupAndMarkTheCompanysBand) {
  Result<std::optional<PeerStanding>> s = StandingAmongPeers(test::SourceCatalog(), *store_, survey_, "", "", 91, false);
  ASSERT_TRUE(s.ok() && s->has_value());
  const std::string svg = PeerHistogramSvg((*s)->histogram, 91, "<title & more>", Lang::kEn);
  EXPECT_NE(svg.find("aria-label=\"&lt;title &amp; more&gt;\""), std::string::npos) << "escaped";
  std::map<int, uint64_t> want;
  for (int t : totals_) ++want[std::min(t / 10, 9) * 10];
  const std::regex bar(R"re(<rect class="(bar(?: company)?)"[^>]*data-band="(\d+)" data-count="(\d+)")re");
  int bars = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it, ++bars) {
    const int band = std::stoi((*it)[2]);
    EXPECT_EQ(std::stoull((*it)[3]), want[band]) << "band " << band;
    EXPECT_EQ((*it)[1] == "bar company", band == 90) << "91 is in the band 90–100";
  }
  EXPECT_EQ(bars, 10);
  EXPECT_NE(svg.find(R"(<line class="mark" x1="273")"), std::string::npos) << "91 points, 3 units a point";
}

// The radar's peer polygon: each category's points over its applicable best, summed over the
// group, equal to scoring every record of the group directly; taking out the company's own answers
// equals scoring the group without it.
TEST_F(PeersTest, PeerCategoryMeansEqualScoringEveryRecordOfTheGroup) {
  const Catalog& catalog = test::SourceCatalog();
  const Instrument& ins = *catalog.Find("self-check-2009");
  Result<std::optional<PeerStanding>> standing = StandingAmongPeers(catalog, *store_, survey_, "", "", 60, false);
  ASSERT_TRUE(standing.ok() && standing->has_value());
  auto direct = [&](size_t skip) {
    std::map<std::string, std::pair<double, double>> sums;
    for (size_t i = 0; i < records_.size(); ++i) {
      if (i == skip) continue;
      for (const CompanyRecord::InstrumentAnswers& r : records_[i].responses) {
        if (r.instrument_id != ins.id) continue;
        Result<Answers> answers = DecodeAnswers(ins, r.answers);
        EXPECT_TRUE(answers.ok());
        for (const SectionResult& sec : Score(ins, *answers).sections) {
          sums[sec.section->id].first += sec.points;
          sums[sec.section->id].second += sec.applicable_max;
        }
      }
    }
    std::map<std::string, double> out;
    for (const auto& [id, s] : sums) out[id] = s.first / s.second;
    return out;
  };
  const std::map<std::string, double> means = PeerCategoryMeans(ins, **standing, nullptr);
  const std::map<std::string, double> want = direct(records_.size());
  ASSERT_EQ(means.size(), want.size());
  for (const auto& [id, v] : want) EXPECT_NEAR(means.at(id), v, 1e-12) << id;
  EXPECT_LT(means.at(ins.items[0].section), 1.0) << "item 1 is often not met";

  // Company 20 (items 1–20 not met) is in the survey: taken out, the means are the others'.
  std::string encoded;
  for (const CompanyRecord::InstrumentAnswers& r : records_[20].responses) {
    if (r.instrument_id == ins.id) encoded = r.answers;
  }
  Result<Answers> own = DecodeAnswers(ins, encoded);
  ASSERT_TRUE(own.ok());
  const std::map<std::string, double> without = PeerCategoryMeans(ins, **standing, &*own);
  for (const auto& [id, v] : direct(20)) EXPECT_NEAR(without.at(id), v, 1e-12) << id;
}

}  // namespace
}  // namespace shindan::web
