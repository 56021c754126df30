#include "report/figures.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "catalog/catalog.h"
#include "exchange/notes.h"
#include "store/store.h"
#include "stats/allocation.h"
#include "stats/frame.h"
#include "stats/frame_strata.h"
#include "stats/groups.h"
#include "stats/stratified.h"

namespace shindan {

namespace {

using Json = nlohmann::ordered_json;  // the tables keep the seed's order
using CellPredicate = std::function<bool(int size, int industry, int region)>;

struct Category {
  const char* code;
  LocalText label;
  CellPredicate in;
};

// The report's dimensions, with the seed's labels (tables 4–6).
std::vector<Category> SizeCategories() {
  return {{"A", {"小規模(20人未満)", "Small (under 20)"}, [](int s, int, int) { return s == dim::kA; }},
          {"B", {"中規模(20人-100人未満)", "Medium (20–99)"}, [](int s, int, int) { return s == dim::kB; }},
          {"C", {"大規模(100人-300人)", "Large (100–300)"}, [](int s, int, int) { return s == dim::kC; }},
          {"S", {"ネット系企業(タイプS)", "IT-core (type S)"}, [](int s, int, int) { return s == dim::kS; }},
          {"unknown", {"不明・対象外", "Unknown or outside"}, [](int s, int, int) { return s == dim::kSizeUnknown; }}};
}
std::vector<Category> IndustryCategories() {
  return {{"mfg", {"製造・建設業", "Manufacturing & construction"}, [](int, int i, int) { return i == dim::kMfg; }},
          {"dist", {"流通・卸・小売業", "Distribution, wholesale & retail"}, [](int, int i, int) { return i == dim::kDist; }},
          {"svc", {"サービス業その他", "Services & other"}, [](int, int i, int) { return i == dim::kSvc; }},
          {"net", {"ネット系企業(タイプS)", "IT-core (type S)"}, [](int, int i, int) { return i == dim::kNet; }},
          {"unknown", {"不明", "Unknown"}, [](int, int i, int) { return i == dim::kIndustryUnknown; }}};
}
std::vector<Category> RegionCategories() {
  return {{"capital", {"大都市圏(首都圏)", "Capital region"}, [](int, int, int r) { return r == dim::kCapital; }},
          {"regional1", {"地方圏1", "Regional 1"}, [](int, int, int r) { return r == dim::kRegional1; }},
          {"regional2", {"地方圏2", "Regional 2"}, [](int, int, int r) { return r == dim::kRegional2; }},
          {"other", {"その他", "Other"}, [](int, int, int r) { return r == dim::kOther; }},
          {"net", {"ネット系企業(タイプS)", "IT-core (type S)"}, [](int, int, int r) { return r == dim::kRegionNet; }},
          {"unknown", {"不明", "Unknown"}, [](int, int, int r) { return r == dim::kRegionUnknown; }}};
}

void ForCells(const CellPredicate& in, const std::function<void(int cell)>& fn) {
  for (int s = 0; s < dim::kSizeCount; ++s) {
    for (int i = 0; i < dim::kIndustryCount; ++i) {
      for (int r = 0; r < dim::kRegionCount; ++r) {
        if (in(s, i, r)) fn(dim::Cell(s, i, r));
      }
    }
  }
}

class Builder {
 public:
  Builder(const Catalog& catalog, const Snapshot& s, const AggregateState& a, const ReportOptions& o)
      : catalog_(catalog), s_(s), a_(a), o_(o) {}

  Json Build() {
    Json j;
    j["survey"] = o_.survey;
    j["instrument"] = s_.primary().id;
    j["respondents"] = a_.rows;
    j["min_cell"] = o_.min_cell;
    j["profile"] = Profile();
    j["self_check"] = SelfCheck();
    j["org_checklist"] = OrgChecklist();
    j["certified"] = Certified();
    j["awareness"] = Awareness();
    if (o_.frame) j["population"] = Population(*o_.frame);
    if (o_.notes && !o_.notes->empty()) j["interviews"] = Interviews(*o_.notes);
    if (o_.design) j["quota"] = Quota(*o_.design);
    return j;
  }

 private:
  // A count, or null when it is below the suppression threshold.
  Json Count(uint64_t n) const { return Suppressed(n) ? Json(nullptr) : Json(n); }
  bool Suppressed(uint64_t n) const { return o_.min_cell > 0 && n < static_cast<uint64_t>(o_.min_cell); }
  // A fraction num/den, suppressed when den (the respondents it is drawn from) or num is small.
  Json Share(uint64_t num, uint64_t den) const {
    if (den == 0 || Suppressed(den) || Suppressed(num)) return nullptr;
    return static_cast<double>(num) / static_cast<double>(den);
  }

  uint64_t RowsIn(const CellPredicate& in) const {
    uint64_t n = 0;
    ForCells(in, [&](int c) {
      for (int b = 0; b < a_.bins; ++b) n += a_.Total(c, b);
    });
    return n;
  }

  Json Profile() const {
    Json p;
    auto dimension = [&](const std::vector<Category>& cats) {
      Json d = Json::object();
      for (const Category& c : cats) {
        uint64_t n = RowsIn(c.in);
        if (std::string(c.code) == "unknown" && n == 0) continue;
        d[c.code] = {{"count", Count(n)}, {"share", Share(n, a_.rows)}, {"label", {{"ja", c.label.ja}, {"en", c.label.en}}}};
      }
      return d;
    };
    p["size_type"] = dimension(SizeCategories());
    p["industry"] = dimension(IndustryCategories());
    p["region"] = dimension(RegionCategories());
    auto bands = [&](const std::vector<uint64_t>& counts, int width, const std::vector<std::pair<const char*, int>>& names) {
      Json d = Json::object();
      for (const auto& [name, band] : names) {
        uint64_t n = 0;
        for (int c = 0; c < dim::kCells; ++c) n += counts[static_cast<size_t>(c) * width + band];
        if (std::string(name) == "unknown" && n == 0) continue;
        d[name] = {{"count", Count(n)}, {"share", Share(n, a_.rows)}};
      }
      return d;
    };
    p["sites"] = bands(a_.sites, dim::kSitesCount,
                       {{"1", dim::kSites1}, {"2-3", dim::kSites2to3}, {"4+", dim::kSites4plus}, {"unknown", dim::kSitesUnknown}});
    const std::vector<std::pair<const char*, int>> count_bands = {
        {"0", dim::kCount0}, {"1", dim::kCount1}, {"2-3", dim::kCount2to3}, {"4+", dim::kCount4plus}, {"unknown", dim::kCountUnknown}};
    p["it_staff"] = bands(a_.it_staff, dim::kCountCount, count_bands);
    p["servers"] = bands(a_.servers, dim::kCountCount, count_bands);
    // Table 9 is multiple-answer: shares of respondents, not of answers.
    p["it_uses"] = bands(a_.it_uses, 4, {{"core", 0}, {"info", 1}, {"front", 2}, {"other", 3}});
    return p;
  }

  // Mean points of item k over the respondents who answered it, within cells `in`.
  Json ItemMean(int k, const CellPredicate& in, uint64_t* answered_out = nullptr) const {
    const AnswerAlphabet& alpha = s_.alphabet();
    int64_t points = 0;
    uint64_t answered = 0;
    ForCells(in, [&](int c) {
      for (int code = 1; code < a_.codes; ++code) {
        uint64_t n = a_.Answer(c, k, code);
        answered += n;
        points += static_cast<int64_t>(n) * alpha.points[static_cast<size_t>(k)][static_cast<size_t>(code)];
      }
    });
    if (answered_out) *answered_out = answered;
    if (answered == 0 || Suppressed(answered)) return nullptr;
    return static_cast<double>(points) / static_cast<double>(answered);
  }

  Json SelfCheck() const {
    const AnswerAlphabet& alpha = s_.alphabet();
    const Instrument& ins = s_.primary();
    auto all = [](int, int, int) { return true; };
    Json sc;
    uint64_t passed = 0;
    Json totals = Json::object();
    for (int c = 0; c < dim::kCells; ++c) {
      for (int b = 0; b < a_.bins; ++b) {
        if (a_.min_total + b >= a_.pass_mark) passed += a_.Total(c, b);
      }
    }
    for (int b = 0; b < a_.bins; ++b) {
      uint64_t n = 0;
      for (int c = 0; c < dim::kCells; ++c) n += a_.Total(c, b);
      if (n) totals[std::to_string(a_.min_total + b)] = Count(n);
    }
    sc["passed"] = Count(passed);
    sc["pass_rate"] = Share(passed, a_.rows);
    sc["pass_mark"] = a_.pass_mark;
    sc["totals"] = totals;
    Json items = Json::object();
    std::vector<std::pair<double, int>> means;
    for (int k = 0; k < a_.items; ++k) {
      const Item& item = ins.items[static_cast<size_t>(k)];
      Json counts = Json::object();
      uint64_t no = 0, answered = 0;
      for (int code = 1; code < a_.codes; ++code) {
        uint64_t n = 0;
        for (int c = 0; c < dim::kCells; ++c) n += a_.Answer(c, k, code);
        if (alpha.allowed[static_cast<size_t>(k)][static_cast<size_t>(code)] || n) counts[alpha.codes[static_cast<size_t>(code)]] = Count(n);
        if (alpha.codes[static_cast<size_t>(code)] == "no") no = n;
        answered += n;
      }
      Json mean = ItemMean(k, all);
      items[item.id] = {{"number", item.number}, {"mean", mean}, {"counts", counts}, {"answered", Count(answered)},
                        {"not_implemented", Count(no)}, {"not_implemented_rate", Share(no, answered)}};
      // Ranked by the mean as the tables show it (two decimals): items whose shown means are equal
      // keep the instrument's order.
      if (mean.is_number()) means.push_back({Round(mean.get<double>(), 2), k});
    }
    sc["items"] = items;
    std::stable_sort(means.begin(), means.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    Json worst = Json::array();
    for (const auto& [m, k] : means) worst.push_back(ins.items[static_cast<size_t>(k)].id);
    sc["worst"] = worst;
    Json by;
    by["size_type"] = ByCategory(SizeCategories());
    by["industry"] = ByCategory(IndustryCategories());
    by["region"] = ByCategory(RegionCategories());
    sc["by"] = by;
    Json differences;
    differences["size_type"] = Differences(SizeCategories());
    differences["industry"] = Differences(IndustryCategories());
    differences["region"] = Differences(RegionCategories());
    sc["differences"] = differences;
    return sc;
  }

  // Whether the totals and pass rates differ between the categories of one dimension (companies
  // that could not be classified are left out), and what it would take to see a difference of
  // --detect POINTS. Test statistics are not suppressed by --min-cell: they reveal no one group.
  Json Differences(const std::vector<Category>& cats) const {
    GroupTotals groups;
    groups.min_total = a_.min_total;
    for (const Category& cat : cats) {
      if (std::string(cat.code) == "unknown") continue;
      std::vector<uint64_t> hist(static_cast<size_t>(a_.bins), 0);
      ForCells(cat.in, [&](int c) {
        for (int b = 0; b < a_.bins; ++b) hist[static_cast<size_t>(b)] += a_.Total(c, b);
      });
      groups.counts.push_back(std::move(hist));
    }
    Json d;
    const KruskalWallisResult kw = KruskalWallis(groups);
    d["groups"] = kw.groups;
    d["n"] = kw.n;
    if (kw.computable()) {
      d["kruskal_wallis"] = {{"h", kw.h}, {"df", kw.df}, {"p", kw.p}, {"epsilon_squared", kw.epsilon_squared}};
    } else {
      d["kruskal_wallis"] = {{"not_computable", kw.not_computable}};
    }
    const AnovaResult anova = OneWayAnova(groups);
    if (anova.computable()) {
      d["anova"] = {{"f", anova.f}, {"df1", anova.df1}, {"df2", anova.df2}, {"p", anova.p}, {"eta_squared", anova.eta_squared}};
    } else {
      d["anova"] = {{"not_computable", anova.not_computable}};
    }
    // The Monte Carlo p-value costs replicates × companies outside the largest group; beyond
    // kMaxSimulated companies the χ² approximation stands (a cell that sparse is then a rounding
    // error of the whole) and min_expected tells the reader.
    constexpr uint64_t kMaxSimulated = 20000;
    SimulationOptions simulation;
    if (kw.n > kMaxSimulated) simulation.replicates = 0;
    const PassRateResult pass = PassRateDifference(groups, a_.pass_mark, simulation);
    if (pass.computable()) {
      d["pass_rate"] = {{"chi_squared", pass.chi_squared}, {"df", pass.df}, {"p", pass.p},
                        {"cramers_v", pass.cramers_v}, {"min_expected", pass.min_expected},
                        {"simulated_p", pass.simulated_p ? Json(*pass.simulated_p) : Json(nullptr)},
                        {"replicates", pass.replicates}};
    } else {
      d["pass_rate"] = {{"not_computable", pass.not_computable}};
    }
    if (o_.detect_points) {
      Result<MeanDetection> mean = DetectMeanDifference(groups, *o_.detect_points);
      if (mean.ok() && mean->computable()) {
        d["detect"] = {{"points", mean->points},
                       {"sd", mean->sd},
                       {"n_per_group", mean->n_per_group},
                       {"n_exact", mean->n_exact},
                       {"smallest_groups", {mean->smallest[0], mean->smallest[1]}},
                       {"current_power", mean->current_power ? Json(*mean->current_power) : Json(nullptr)}};
      } else {
        d["detect"] = {{"points", *o_.detect_points},
                       {"not_computable", mean.ok() ? mean->not_computable : mean.status().message()}};
      }
    }
    return d;
  }

  Json ByCategory(const std::vector<Category>& cats) const {
    const Instrument& ins = s_.primary();
    Json d = Json::object();
    for (const Category& cat : cats) {
      uint64_t n = 0, passed = 0;
      int64_t sum = 0;
      ForCells(cat.in, [&](int c) {
        for (int b = 0; b < a_.bins; ++b) {
          uint64_t k = a_.Total(c, b);
          n += k;
          sum += static_cast<int64_t>(k) * (a_.min_total + b);
          if (a_.min_total + b >= a_.pass_mark) passed += k;
        }
      });
      if (std::string(cat.code) == "unknown" && n == 0) continue;
      Json items = Json::object();
      for (int k = 0; k < a_.items; ++k) items[ins.items[static_cast<size_t>(k)].id] = ItemMean(k, cat.in);
      Json mean_total = (n == 0 || Suppressed(n)) ? Json(nullptr) : Json(static_cast<double>(sum) / static_cast<double>(n));
      d[cat.code] = {{"n", Count(n)}, {"mean_total", mean_total}, {"passed", Count(passed)}, {"pass_rate", Share(passed, n)},
                     {"items", items}};
    }
    return d;
  }

  // Population estimates: strata size type (A, B, C) × industry (mfg, dist, svc) with the frame's
  // counts (FrameStrata, as the result page's weighted percentile stratifies). Type-S companies and
  // companies that could not be classified are in no stratum.
  Json Population(const Frame& frame) const {
    using Stratum = FrameStratum;
    const std::vector<Stratum> strata = FrameStrata(frame);
    std::vector<std::string> labels;
    for (const Stratum& h : strata) labels.push_back(h.label);
    auto in = [](const Stratum& h) {
      return [&h](int s, int i, int) { return s == h.size && i == h.industry; };
    };
    // Per stratum: the totals' histogram, then each statistic's summary.
    auto totals_summary = [&](const Stratum& h) {
      double n = 0, sum = 0, sum2 = 0;
      ForCells(in(h), [&](int c) {
        for (int b = 0; b < a_.bins; ++b) {
          const double k = static_cast<double>(a_.Total(c, b)), t = a_.min_total + b;
          n += k;
          sum += k * t;
          sum2 += k * t * t;
        }
      });
      StratumSummary st;
      st.population = h.population;
      st.n = n;
      if (n > 0) st.mean = sum / n;
      if (n > 1) st.variance = std::max(0.0, (sum2 - n * st.mean * st.mean) / (n - 1));
      return st;
    };
    auto pass_summary = [&](const Stratum& h) {
      double n = 0, passed = 0;
      ForCells(in(h), [&](int c) {
        for (int b = 0; b < a_.bins; ++b) {
          n += static_cast<double>(a_.Total(c, b));
          if (a_.min_total + b >= a_.pass_mark) passed += static_cast<double>(a_.Total(c, b));
        }
      });
      return ProportionSummary(h.population, passed, n);
    };
    const AnswerAlphabet& alpha = s_.alphabet();
    const int yes = alpha.Index("yes"), na = alpha.Index("na");
    // The item is implemented ("yes") among the companies it applies to (answered, not "na"): a
    // domain cutting across the strata, estimated over every respondent of each stratum.
    auto item_stratum = [&](int k, const Stratum& h) {
      DomainStratum d;
      d.population = h.population;
      ForCells(in(h), [&](int c) {
        for (int code = 0; code < a_.codes; ++code) {
          const auto count = static_cast<double>(a_.Answer(c, k, code));
          d.n += count;
          if (code == 0 || code == na) continue;
          d.in_domain += count;
          if (code == yes) d.yes += count;
        }
      });
      return d;
    };
    auto render = [&](const StratifiedEstimate& e, bool rate) {
      const auto n = static_cast<int64_t>(e.n);
      if (!e.computable()) return Json{{"not_computable", e.not_computable}, {"n", n}};
      if (Suppressed(static_cast<uint64_t>(e.n))) return Json{{"estimate", nullptr}, {"se", nullptr}, {"ci_low", nullptr}, {"ci_high", nullptr}, {"n", nullptr}};
      auto opt = [&](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
      // A rate's Wald interval is cut at 0 and 1: what lies beyond is no rate at all.
      auto bound = [&](const std::optional<double>& v) {
        return v && rate ? std::optional<double>(std::clamp(*v, 0.0, 1.0)) : v;
      };
      return Json{{"estimate", e.estimate}, {"se", opt(e.se)}, {"ci_low", opt(bound(e.ci_low))},
                  {"ci_high", opt(bound(e.ci_high))}, {"n", n}};
    };
    auto estimate = [&](const std::function<StratumSummary(const Stratum&)>& summary, const std::function<bool(const Stratum&)>& keep,
                        bool rate) {
      std::vector<StratumSummary> sums;
      std::vector<std::string> names;
      for (size_t i = 0; i < strata.size(); ++i) {
        if (!keep(strata[i])) continue;
        sums.push_back(summary(strata[i]));
        names.push_back(labels[i]);
      }
      return render(StratifiedMean(sums, names), rate);
    };
    // An item's rate, with its base: "applicable" when some respondents answered 該当なし (the
    // rate is over the companies the item applies to, a domain), else "all".
    auto item_estimate = [&](int k) {
      std::vector<DomainStratum> sums;
      bool some_na = false;
      for (const Stratum& h : strata) {
        sums.push_back(item_stratum(k, h));
        ForCells(in(h), [&](int c) { some_na |= na > 0 && a_.Answer(c, k, na) > 0; });
      }
      const StratifiedEstimate e = StratifiedDomainProportion(sums, labels);
      Json j = render(e, true);
      j["base"] = some_na ? "applicable" : "all";
      if (j.contains("estimate") && !j["estimate"].is_null()) j["base_population"] = Round(e.population, 0);
      return j;
    };
    auto all = [](const Stratum&) { return true; };
    Json p;
    p["frame"] = frame.source;
    double population = 0, used = 0;
    for (const Stratum& h : strata) {
      population += h.population;
      used += totals_summary(h).n;
    }
    p["population"] = static_cast<int64_t>(population);
    p["respondents"] = static_cast<int64_t>(used);
    p["excluded"] = static_cast<int64_t>(a_.rows) - static_cast<int64_t>(used);
    p["mean_total"] = estimate(totals_summary, all, false);
    p["pass_rate"] = estimate(pass_summary, all, true);
    Json items = Json::object();
    for (int k = 0; k < a_.items; ++k) items[s_.primary().items[static_cast<size_t>(k)].id] = item_estimate(k);
    p["items"] = items;
    // Domains: each size type and each industry of the strata, the union of its strata.
    Json by = {{"size_type", Json::object()}, {"industry", Json::object()}};
    for (const Stratum& first : strata) {
      if (!by["size_type"].contains(first.size_type)) {
        auto keep = [s = first.size](const Stratum& h) { return h.size == s; };
        by["size_type"][first.size_type] = {{"mean_total", estimate(totals_summary, keep, false)},
                                            {"pass_rate", estimate(pass_summary, keep, true)}};
      }
      if (!by["industry"].contains(first.industry_code)) {
        auto keep = [i = first.industry](const Stratum& h) { return h.industry == i; };
        by["industry"][first.industry_code] = {{"mean_total", estimate(totals_summary, keep, false)},
                                               {"pass_rate", estimate(pass_summary, keep, true)}};
      }
    }
    p["by"] = by;
    return p;
  }

  // Quota tracking: per cell of the design, the target, the companies invited (with --invited),
  // those who answered (matched on size type by employees, industry and region, as `sample`
  // matched the company list) and the shortfall. The seed's type A fell short: 15 of 22.
  Json Quota(const SampleDesign& design) const {
    const std::vector<std::pair<int, std::string>> sizes = {{dim::kA, "A"}, {dim::kB, "B"}, {dim::kC, "C"}};
    const std::vector<std::pair<int, std::string>> industries = {
        {dim::kMfg, "mfg"}, {dim::kDist, "dist"}, {dim::kSvc, "svc"}, {dim::kNet, "net"}};
    const std::vector<std::pair<int, std::string>> regions = {
        {dim::kCapital, "capital"}, {dim::kRegional1, "regional1"}, {dim::kRegional2, "regional2"}, {dim::kOther, "other"}};
    // Whether `cell` takes the value (`code`, empty for unknown) of `column`; a column the cell
    // does not name takes anything.
    auto takes = [](const DesignCell& cell, const std::string& column, const std::string& code) {
      for (const auto& [name, values] : cell.match) {
        if (name == column) return std::find(values.begin(), values.end(), code) != values.end();
      }
      return true;
    };
    auto code_of = [](const std::vector<std::pair<int, std::string>>& codes, int v) {
      for (const auto& [value, code] : codes) {
        if (value == v) return code;
      }
      return std::string();
    };
    Json cells = Json::array();
    int64_t target = 0, invited = 0, answered = 0, shortfall = 0;
    for (const DesignCell& cell : design.cells) {
      std::string unknown_column;
      for (const auto& [name, values] : cell.match) {
        if (name != "size_type" && name != "industry" && name != "region") unknown_column = name;
      }
      Json c = {{"label", cell.label}, {"target", cell.target}};
      if (o_.invited) {
        auto it = o_.invited->find(cell.label);
        const int64_t n = it == o_.invited->end() ? 0 : it->second;
        c["invited"] = n;
        invited += n;
      } else {
        c["invited"] = nullptr;
      }
      if (!unknown_column.empty()) {
        c["answered"] = nullptr;
        c["shortfall"] = nullptr;
        c["not_computable"] = "the cell matches on " + unknown_column + ", which the responses do not carry";
        cells.push_back(c);
        target += cell.target;
        continue;
      }
      int64_t n = 0;
      for (int qs = 0; qs < dim::kQuotaSizes; ++qs) {
        for (int qi = 0; qi < dim::kIndustryCount; ++qi) {
          for (int qr = 0; qr < dim::kQuotaRegions; ++qr) {
            if (takes(cell, "size_type", code_of(sizes, qs)) && takes(cell, "industry", code_of(industries, qi)) &&
                takes(cell, "region", code_of(regions, qr))) {
              n += static_cast<int64_t>(a_.quota[static_cast<size_t>(dim::QuotaKey(qs, qi, qr))]);
            }
          }
        }
      }
      const int64_t missing = std::max<int64_t>(0, cell.target - n);
      c["answered"] = n;
      c["shortfall"] = missing;
      c["reached"] = cell.target > 0 ? Json(static_cast<double>(n) / static_cast<double>(cell.target)) : Json(nullptr);
      cells.push_back(c);
      target += cell.target;
      answered += n;
      shortfall += missing;
    }
    Json total = {{"target", target}, {"invited", o_.invited ? Json(invited) : Json(nullptr)}, {"answered", answered},
                  {"shortfall", shortfall}};
    return {{"design", design.id}, {"cells", cells}, {"total", total}};
  }

  // Comments by topic, in the hearing instrument's order, each with the company's size type,
  // industry and region (the categories of tables 4–6) and tags.
  Json Interviews(const std::vector<InterviewNote>& notes) const {
    const Instrument* hearing = catalog_.Find(kHearingInstrument);
    // Each dimension's categories test only their own dimension of the row.
    auto label = [](const std::vector<Category>& cats, const SnapshotRow& row) -> Json {
      for (const Category& c : cats) {
        if (c.in(row.size, row.industry, row.region)) return {{"code", c.code}, {"ja", c.label.ja}, {"en", c.label.en}};
      }
      return nullptr;
    };
    Json topics = Json::object();
    if (hearing) {
      for (const Item& item : hearing->items) {
        topics[item.id] = {{"number", item.number}, {"title", {{"ja", item.text.ja}, {"en", item.text.en}}}, {"comments", Json::array()}};
      }
    }
    for (const InterviewNote& n : notes) {
      if (!topics.contains(n.topic)) {
        topics[n.topic] = {{"number", n.topic}, {"title", {{"ja", n.topic}, {"en", n.topic}}}, {"comments", Json::array()}};
      }
      Classification c;
      c.size_type = n.size_type;
      c.industry = n.industry;
      c.region = n.region;
      SnapshotRow row;
      SetDimensions(c, &row);
      topics[n.topic]["comments"].push_back(
          {{"size_type", label(SizeCategories(), row)},
           {"industry", label(IndustryCategories(), row)},
           {"region", label(RegionCategories(), row)},
           {"tags", n.tags},
           {"note", n.note}});
    }
    return {{"notes", notes.size()}, {"topics", topics}};
  }

  Json OrgChecklist() const {
    Json o;
    o["respondents"] = Count(a_.secondary_respondents);
    Json items = Json::object();
    if (const Instrument* sec = s_.secondary()) {
      const AnswerAlphabet& alpha = s_.secondary_alphabet();
      for (int k = 0; k < a_.secondary_items; ++k) {
        Json counts = Json::object();
        for (int code = 1; code < a_.secondary_codes; ++code) {
          counts[alpha.codes[static_cast<size_t>(code)]] = Count(a_.secondary[static_cast<size_t>(k) * a_.secondary_codes + code]);
        }
        counts["number"] = sec->items[static_cast<size_t>(k)].number;
        items[sec->items[static_cast<size_t>(k)].id] = counts;
      }
    }
    o["items"] = items;
    return o;
  }

  Json Certified() const {
    uint64_t count = 0, under = 0;
    for (int b = 0; b < a_.bins; ++b) {
      count += a_.certified_totals[static_cast<size_t>(b)];
      if (a_.min_total + b < a_.pass_mark) under += a_.certified_totals[static_cast<size_t>(b)];
    }
    return {{"count", Count(count)}, {"under_pass_mark", Count(under)}};
  }

  Json Awareness() const {
    auto flag = [&](int bit) {
      uint64_t n = 0;
      for (int c = 0; c < dim::kCells; ++c) n += a_.flags[static_cast<size_t>(c) * 4 + bit];
      return Json{{"count", Count(n)}, {"share", Share(n, a_.rows)}};
    };
    return {{"knows_ipa", flag(2)}, {"knows_benchmark", flag(3)}, {"qualified_staff", flag(1)}};
  }

  const Catalog& catalog_;
  const Snapshot& s_;
  const AggregateState& a_;
  const ReportOptions& o_;
};

}  // namespace

double Round(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

nlohmann::ordered_json ReportFigures(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                                     const ReportOptions& options) {
  return Builder(catalog, snapshot, state, options).Build();
}

std::string ReportJson(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                       const ReportOptions& options) {
  return ReportFigures(catalog, snapshot, state, options).dump(2);
}

}  // namespace shindan
