#include "web/peers.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "catalog/catalog.h"
#include "instrument/instrument.h"
#include "stats/estimate.h"  // kZ95
#include "stats/frame_strata.h"
#include "stats/stratified.h"
#include "stats/survey_frame.h"
#include "web/render.h"

namespace shindan::web {

namespace {

// Takes one company with the total `total` out of `h`, when it has one: the company's own
// recorded response.
void TakeOutOwn(PeerHistogram* h, int total) {
  const int64_t own = total - h->min_total;
  if (own >= 0 && static_cast<size_t>(own) < h->counts.size() && h->counts[static_cast<size_t>(own)] > 0) {
    --h->counts[static_cast<size_t>(own)];
    --h->companies;
  }
}

// Weights `s` (its group chosen, its unweighted percentile set) by the survey's frame, or says
// why it cannot be weighted. Errors only for the store's.
Status Weigh(const Catalog& catalog, Store& store, int64_t survey_id, const PeerCells& cells,
             const std::string& size_type, const std::string& industry, int total, bool recorded, PeerStanding* s) {
  using NotWeighted = PeerStanding::NotWeighted;
  Result<std::optional<Frame>> frame = AttachedFrame(catalog, store, survey_id);
  if (!frame.ok() && frame.status().code() == Status::Code::kInvalidInput) {
    s->not_weighted = NotWeighted::kFrameUnreadable;
    return Status::Ok();
  }
  if (!frame.ok()) return frame.status();
  if (!*frame) {
    s->not_weighted = NotWeighted::kNoFrame;
    return Status::Ok();
  }
  s->frame = (*frame)->source;
  if (!InFrameStrata(size_type, industry)) {
    s->not_weighted = NotWeighted::kOutsideStrata;
    return Status::Ok();
  }
  // The group's strata with their respondents; a stratum with no population is in no estimate.
  std::vector<StratumSummary> summaries;
  const FrameStratum* empty = nullptr;
  const FrameStratum* single = nullptr;
  const std::vector<FrameStratum> strata = FrameStrata(**frame);
  for (const FrameStratum& h : strata) {
    if (s->group != PeerStanding::Group::kSurvey && h.size_type != size_type) continue;
    if (s->group == PeerStanding::Group::kSizeAndIndustry && h.industry_code != industry) continue;
    if (h.population <= 0) continue;
    PeerHistogram cell = cells.Cell(h.size, h.industry);
    if (recorded && h.size_type == size_type && h.industry_code == industry) TakeOutOwn(&cell, total);
    if (cell.companies == 0 && !empty) empty = &h;
    if (cell.companies == 1 && !single) single = &h;
    summaries.push_back(ShareBelowSummary(h.population, cell.min_total, cell.counts, total));
  }
  const FrameStratum* at_fault = empty ? empty : single;
  if (at_fault) {
    s->not_weighted = empty ? NotWeighted::kEmptyStratum : NotWeighted::kSingleRespondent;
    s->stratum_size = at_fault->size_type;
    s->stratum_industry = at_fault->industry_code;
    return Status::Ok();
  }
  const StratifiedEstimate e = StratifiedMean(summaries);
  if (summaries.empty() || !e.computable() || !e.se) {
    s->not_weighted = NotWeighted::kNoPopulation;
    return Status::Ok();
  }
  s->weighted = true;
  s->not_weighted = NotWeighted::kNone;
  s->percentile = std::clamp(100 * e.estimate, 0.0, 100.0);
  // A share's interval: Wilson's on the design's effective sample size, which stays inside 0…100
  // and keeps its width when every peer is below (or above) the company, where Wald's collapses.
  double respondents = 0;
  for (const StratumSummary& h : summaries) respondents += h.n;
  const ShareInterval ci = WilsonInterval(e.estimate, *e.se, respondents, kZ95);
  s->se = 100 * *e.se;
  s->ci_low = 100 * ci.low;
  s->ci_high = 100 * ci.high;
  return Status::Ok();
}

}  // namespace

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
  // Every group and stratum from one read of the cell states.
  Result<PeerCells> cells = ReadPeerCells(catalog, store, survey_id);
  if (!cells.ok()) return cells.status();
  for (const Candidate& candidate : candidates) {
    PeerHistogram h = cells->Group(candidate.size_type, candidate.industry);
    if (recorded) TakeOutOwn(&h, total);
    if (h.companies < min_peers) continue;
    PeerStanding s;
    s.group = candidate.group;
    s.percentile = h.Percentile(total);
    s.histogram = std::move(h);
    Status weighed = Weigh(catalog, store, survey_id, *cells, size_type, industry, total, recorded, &s);
    if (!weighed.ok()) return weighed;
    return std::optional<PeerStanding>(std::move(s));
  }
  return std::optional<PeerStanding>();
}

const char* NotWeightedCode(PeerStanding::NotWeighted reason) {
  using NotWeighted = PeerStanding::NotWeighted;
  switch (reason) {
    case NotWeighted::kNone: return "";
    case NotWeighted::kNoFrame: return "no_frame";
    case NotWeighted::kFrameUnreadable: return "frame_unreadable";
    case NotWeighted::kOutsideStrata: return "outside_strata";
    case NotWeighted::kNoPopulation: return "no_population";
    case NotWeighted::kEmptyStratum: return "empty_stratum";
    case NotWeighted::kSingleRespondent: return "single_respondent";
  }
  return "";
}

std::string NotWeightedReason(const Catalog& catalog, const PeerStanding& standing, Lang lang) {
  if (standing.weighted) return "";
  std::string text = Text(lang, std::string("peers_not_weighted_") + NotWeightedCode(standing.not_weighted));
  // The stratum: its size type and its industry as the profile instrument labels it.
  std::string industry = standing.stratum_industry;
  const Instrument& profile = catalog.profile();
  for (const Item& item : profile.items) {
    if (item.id != "industry") continue;
    const AnswerOption* option = profile.FindOption(item, standing.stratum_industry);
    if (option) industry = option->label.in(lang);
  }
  const std::string stratum = Text(lang, "peers_size_type") + standing.stratum_size + " × " + industry;
  if (const size_t at = text.find("{stratum}"); at != std::string::npos) text.replace(at, 9, stratum);
  return text;
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
