#include "web/peers.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "instrument/instrument.h"
#include "web/render.h"

namespace shindan::web {

Result<std::optional<PeerStanding>> StandingAmongPeers(const Catalog& catalog, Store& store, int64_t survey_id,
                                                       const std::string& size_type, const std::string& industry,
                                                       int total, bool recorded, uint64_t min_peers) {
  struct Candidate {
    PeerStanding::Group group;
    std::string size_type, industry;
  };
  std::vector<Candidate> candidates;
  if (!size_type.empty() && !industry.empty()) candidates.push_back({PeerStanding::Group::kSizeAndIndustry, size_type, industry});
  if (!size_type.empty()) candidates.push_back({PeerStanding::Group::kSizeType, size_type, ""});
  candidates.push_back({PeerStanding::Group::kSurvey, "", ""});
  for (size_t i = 0; i < candidates.size(); ++i) {
    Result<PeerHistogram> h = PeerTotals(catalog, store, survey_id, candidates[i].size_type, candidates[i].industry);
    if (!h.ok()) return h.status();
    const int64_t own = total - h->min_total;
    if (recorded && own >= 0 && static_cast<size_t>(own) < h->counts.size() && h->counts[static_cast<size_t>(own)] > 0) {
      --h->counts[static_cast<size_t>(own)];
      --h->companies;
    }
    if (h->companies < min_peers) continue;
    PeerStanding s;
    s.group = candidates[i].group;
    s.percentile = h->Percentile(total);
    s.histogram = std::move(h).value();
    return std::optional<PeerStanding>(std::move(s));
  }
  return std::optional<PeerStanding>();
}

std::map<std::string, double> PeerCategoryMeans(const Instrument& ins, const PeerStanding& standing,
                                                const std::map<std::string, std::string>* own) {
  std::map<std::string, std::pair<double, double>> sums;  // section → (points, best of the applicable)
  const std::vector<std::map<std::string, uint64_t>>& answers = standing.histogram.item_answers;
  for (size_t k = 0; k < ins.items.size() && k < answers.size(); ++k) {
    const Item& item = ins.items[k];
    const int best = ins.BestPoints(item);
    std::string own_code;
    if (own) {
      auto it = own->find(item.id);
      if (it != own->end()) own_code = it->second;
    }
    auto& [points, applicable_best] = sums[item.section];
    for (const auto& [code, companies] : answers[k]) {
      const uint64_t n = companies - (code == own_code && companies > 0 ? 1 : 0);
      const AnswerOption* option = ins.FindOption(item, code);
      if (!option || n == 0) continue;
      points += static_cast<double>(n) * option->points.value_or(0);
      const bool applicable = !(ins.not_applicable && code == ins.not_applicable->code);
      if (applicable) applicable_best += static_cast<double>(n) * best;
    }
  }
  std::map<std::string, double> out;
  for (const auto& [section, s] : sums) out[section] = s.second > 0 ? std::max(0.0, s.first) / s.second : 0;
  return out;
}

std::array<uint64_t, 10> PeerBands(const PeerHistogram& histogram) {
  std::array<uint64_t, 10> bands{};
  for (size_t i = 0; i < histogram.counts.size(); ++i) {
    const int t = histogram.min_total + static_cast<int>(i);
    bands[static_cast<size_t>(std::clamp(t / 10, 0, 9))] += histogram.counts[i];
  }
  return bands;
}

std::string PeerHistogramSvg(const PeerHistogram& histogram, int total, const std::string& title, Lang lang) {
  const std::array<uint64_t, 10> bands = PeerBands(histogram);
  const size_t mine = static_cast<size_t>(std::clamp(total / 10, 0, 9));
  const uint64_t top = std::max<uint64_t>(1, *std::max_element(bands.begin(), bands.end()));
  // Ten bars 26 wide, 30 apart, at most 100 high, in a 300 × 130 box; the axis labels below.
  mstch::array bars;
  for (size_t b = 0; b < bands.size(); ++b) {
    const double h = 100.0 * static_cast<double>(bands[b]) / static_cast<double>(top);
    char y[16], height[16];
    std::snprintf(y, sizeof y, "%.1f", 105 - h);
    std::snprintf(height, sizeof height, "%.1f", h);
    bars.push_back(mstch::map{{"x", std::to_string(b * 30 + 2)}, {"y", std::string(y)}, {"height", std::string(height)},
                              {"band", std::to_string(b * 10)}, {"count", std::to_string(bands[b])}, {"mine", b == mine}});
  }
  // The company's own total, as a line across the bars (its band may hold no other company).
  const std::string mark_x = std::to_string(std::clamp(total, 0, 100) * 3);
  return Render("peers_histogram", {{"title", title}, {"bars", bars}, {"mark_x", mark_x}}, lang);
}

}  // namespace shindan::web
