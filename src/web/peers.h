// Where a company stands among its peers on the result page: its percentile among the survey's
// companies of the same size type and industry, read from the survey's cell states
// (analytics/column_copy.h: counts, never the responses). Below `min_peers` companies the group
// widens to the size type alone, then to the whole survey, and the page says so.
//
// When the survey has a population frame (stats/survey_frame.h), the percentile speaks for the
// population rather than for those who chose to answer: the stratified estimate of the share of
// the companies of the group's strata (size type A/B/C × industry, stats/frame_strata.h) whose
// total is below the company's, ties counting half, with its 95% interval. Per stratum h the mean
// p_h and variance s_h² of u = 1 / ½ / 0 (below / equal / above) come from the stratum's histogram
// (ShareBelowSummary), combined with W_h = N_h/N over the group's strata (StratifiedMean: Cochran
// 1977 §5.2–5.3). It is R's svymean(~u, svydesign(id=~1, strata=~h, fpc=~N_h)); the tests check it
// against the row-level estimator of stats/estimate.h. docs/statistics.md §9.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "analytics/column_copy.h"
#include "base/text.h"

namespace shindan {
class Catalog;
struct Instrument;
class Store;
}  // namespace shindan

namespace shindan::web {

// Peer groups smaller than this are not shown (the report's --min-cell default).
inline constexpr uint64_t kMinPeers = 5;

struct PeerStanding {
  enum class Group { kSizeAndIndustry, kSizeType, kSurvey };
  // Why the percentile is not weighted by the population.
  enum class NotWeighted {
    kNone,              // it is
    kNoFrame,           // the survey has no frame
    kFrameUnreadable,   // the stored frame no longer checks (an industry this catalog lacks)
    kOutsideStrata,     // the company is type S, or its size type or industry is not known
    kNoPopulation,      // the frame counts no company in the group's strata
    kEmptyStratum,      // a stratum of the group has no respondent (`stratum` names it)
    kSingleRespondent,  // a stratum has one respondent: its variance, and so the interval, unknown
  };
  Group group = Group::kSizeAndIndustry;
  PeerHistogram histogram;  // the group's respondents, the company's own response taken out
  // 0–100, the figure shown: the weighted estimate when `weighted`, else the mid-rank among the
  // group's respondents (PeerHistogram::Percentile).
  double percentile = 0;
  bool weighted = false;
  double se = 0;                    // its standard error when weighted (Taylor, stratified)
  double ci_low = 0, ci_high = 0;   // the 95% interval when weighted (Wilson, stats/stratified.h)
  std::string frame;               // the frame's source (its file name) when the survey has one
  NotWeighted not_weighted = NotWeighted::kNoFrame;
  std::string stratum_size, stratum_industry;  // the stratum named by kEmptyStratum / kSingleRespondent
  // The narrower groups had fewer than min_peers companies.
  bool widened() const { return group != Group::kSizeAndIndustry; }
};

// The company is compared with the others: when its own response is recorded already
// (`recorded`), one company with its total is taken out of each group (and of its stratum) first.
// Reads the cell states once (ReadPeerCells) and the survey's frame. nullopt when even the whole
// survey has fewer than `min_peers` other companies.
Result<std::optional<PeerStanding>> StandingAmongPeers(const Catalog& catalog, Store& store, int64_t survey_id,
                                                       const std::string& size_type, const std::string& industry,
                                                       int total, bool recorded, uint64_t min_peers = kMinPeers);

// The peers' share of the best points per category (section id → 0…1; the radar's second
// polygon): points earned over the best points of the items they could apply, summed over the
// group, from its answer counts. When the company is recorded already, `own` (item id → code, its
// answers) is taken out first, as its total is from the percentile.
std::map<std::string, double> PeerCategoryMeans(const Instrument& instrument, const PeerStanding& standing,
                                                const std::map<std::string, std::string>* own);

// The reason a standing is not weighted, in `lang`: one sentence naming the stratum where one is
// at fault (its size type and the profile instrument's label of its industry); "" when weighted.
std::string NotWeightedReason(const Catalog& catalog, const PeerStanding& standing, Lang lang);
// The same as a code for the API: "no_frame", "frame_unreadable", "outside_strata",
// "no_population", "empty_stratum", "single_respondent"; "" when weighted.
const char* NotWeightedCode(PeerStanding::NotWeighted reason);

// The group's companies by total in ten bands: 0–9, 10–19, …, 90–100.
std::array<uint64_t, 10> PeerBands(const PeerHistogram& histogram);

// A bar chart of the group's totals in ten bands (0–9, …, 90–100) as SVG, the company's band and
// its total marked.
std::string PeerHistogramSvg(const PeerHistogram& histogram, int total, const std::string& title, Lang lang);

}  // namespace shindan::web
