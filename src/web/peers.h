// Where a company stands among its peers on the result page: its percentile among the survey's
// companies of the same size type and industry, read from the survey's cell states
// (analytics/column_copy.h: counts, never the responses). Below `min_peers` companies the group
// widens to the size type alone, then to the whole survey, and the page says so.
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
  Group group = Group::kSizeAndIndustry;
  PeerHistogram histogram;
  double percentile = 0;  // 0–100, mid-rank (PeerHistogram::Percentile)
  // The narrower groups had fewer than min_peers companies.
  bool widened() const { return group != Group::kSizeAndIndustry; }
};

// The company is compared with the others: when its own response is recorded already
// (`recorded`), one company with its total is taken out of each group first. nullopt when even the
// whole survey has fewer than `min_peers` other companies.
Result<std::optional<PeerStanding>> StandingAmongPeers(const Catalog& catalog, Store& store, int64_t survey_id,
                                                       const std::string& size_type, const std::string& industry,
                                                       int total, bool recorded, uint64_t min_peers = kMinPeers);

// The peers' share of the best points per category (section id → 0…1; the radar's second
// polygon): points earned over the best points of the items they could apply, summed over the
// group, from its answer counts. When the company is recorded already, `own` (item id → code, its
// answers) is taken out first, as its total is from the percentile.
std::map<std::string, double> PeerCategoryMeans(const Instrument& instrument, const PeerStanding& standing,
                                                const std::map<std::string, std::string>* own);

// The group's companies by total in ten bands: 0–9, 10–19, …, 90–100.
std::array<uint64_t, 10> PeerBands(const PeerHistogram& histogram);

// A bar chart of the group's totals in ten bands (0–9, …, 90–100) as SVG, the company's band and
// its total marked.
std::string PeerHistogramSvg(const PeerHistogram& histogram, int total, const std::string& title, Lang lang);

}  // namespace shindan::web
