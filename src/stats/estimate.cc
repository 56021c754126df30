// Design-based estimation by Taylor linearisation (docs/statistics.md).
//
// Every estimator here is a smooth function of weighted totals, so its variance is estimated as
// the variance of a weighted total of its influence values z_i ("linearisation", Lohr 2019 §9.1;
// Lumley 2010 §2.2 and appendix C; Binder 1983):
//
//   total  t̂ = Σ w_i y_i                z_i = w_i y_i
//   mean   ȳ = Σ w_i y_i / Σ w_i        z_i = w_i (y_i − ȳ) / Σ w_i       (a ratio, Lohr §4.1)
//   domain d: y_i and w_i multiplied by the indicator δ_i of "in d and y_i present"
//             (Lohr §4.3, Cochran §5A.14) — the design itself is never cut down.
//
// and the variance of a weighted total under stratified sampling of PSUs without replacement
// (Lohr §3.2 and §5.3 with unequal weights; Cochran eq. 5.6 and §9A; Lumley appendix C) is
//
//   V̂ = Σ_h (1 − n_h/N_h) · n_h/(n_h − 1) · Σ_j (z_hj − z̄_h)²
//
// with z_hj the total of z over PSU j of stratum h, z̄_h their mean, n_h the PSUs sampled and N_h
// the PSUs in the population (no fpc: the factor is 1, sampling with replacement). This is R's
// survey:::onestrat(). Post-stratification (Lohr §4.4, Lumley §7.2, Särndal et al. §7.6) first
// replaces z_i by its residual from its post-stratum's mean, z_i − w*_i · Σ_g d_j z_j/w*_j / Σ_g d_j
// (d the design weights, w* the post-stratified ones), as survey:::svyrecvar() does.
//
// Sums that matter (weighted totals, PSU totals) are compensated (Neumaier), and every variance is
// computed from deviations about a mean already computed (two passes), so that a variable of
// 1e9 + small values loses no more precision than the small values themselves.
#include "stats/estimate.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "base/csv.h"
#include "base/text.h"
#include "base/problems.h"

namespace shindan {

namespace {

// Neumaier's compensated summation: the error of each addition is kept and added back at the end.
class Sum {
 public:
  void Add(double x) {
    const double t = s_ + x;
    if (std::fabs(s_) >= std::fabs(x)) {
      c_ += (s_ - t) + x;
    } else {
      c_ += (x - t) + s_;
    }
    s_ = t;
  }
  double value() const { return s_ + c_; }

 private:
  double s_ = 0, c_ = 0;
};

std::string Trimmed(std::string_view s) { return std::string(TrimAscii(s)); }

std::string Plain(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

bool IsMissing(std::string_view cell) {
  std::string_view t = TrimAscii(cell);
  return t.empty() || t == "NA";
}

std::optional<double> ParseNumber(std::string_view cell) {
  std::string_view t = TrimAscii(cell);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  if (t.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, std::chars_format::general);
  if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

Result<size_t> DataTable::Column(std::string_view name) const {
  std::optional<size_t> found;
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c] != name) continue;
    if (found) {
      return Status::InvalidInput(source + ": column " + Echo(name) +
                                  " appears twice in the header (columns " + std::to_string(*found + 1) + " and " +
                                  std::to_string(c + 1) + ")");
    }
    found = c;
  }
  if (found) return *found;
  std::string list;
  size_t listed = 0;
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c].empty()) continue;
    if (++listed > 40) {  // a header of thousands of columns is not echoed whole
      list += ", … (" + std::to_string(header.size()) + " columns)";
      break;
    }
    if (!list.empty()) list += ", ";
    list += header[c].size() > kEchoLimit ? Echo(header[c]) : header[c];
  }
  return Status::InvalidInput(source + ": no column " + Echo(name) + " — the columns are " + list);
}

std::string DataTable::Where(size_t row, size_t col) const {
  return source + ":" + std::to_string(lines[row]) + ":" + header[col];
}

Result<DataTable> ReadDataTable(std::string_view text, const std::string& source) {
  DataTable t;
  t.source = source;
  CsvReader reader(text);
  std::vector<std::string> fields;
  if (!reader.Next(&fields)) {
    if (!reader.status().ok()) return reader.status().WithContext(source);
    return Status::InvalidInput(source + ": empty — expected a header line, then one row per sampled unit");
  }
  for (std::string& f : fields) t.header.push_back(Trimmed(f));
  while (reader.Next(&fields)) {
    if (fields.size() != t.header.size()) {
      return Status::InvalidInput(source + ":" + std::to_string(reader.line()) + ": " + std::to_string(fields.size()) +
                                  " cells, expected " + std::to_string(t.header.size()) + " as in the header");
    }
    t.rows.push_back(fields);
    t.lines.push_back(reader.line());
  }
  if (!reader.status().ok()) return reader.status().WithContext(source);
  if (t.rows.empty()) return Status::InvalidInput(source + ": no rows after the header");
  return t;
}

Result<PopulationCounts> ParsePopulationCounts(std::string_view text, const std::string& source,
                                               std::string_view column) {
  PopulationCounts p;
  p.source = source;
  CsvReader reader(text);
  std::vector<std::string> fields;
  if (!reader.Next(&fields)) {
    if (!reader.status().ok()) return reader.status().WithContext(source);
    return Status::InvalidInput(source + ": empty — expected a header " + std::string(column) + ",count");
  }
  if (fields.size() != 2 || Trimmed(fields[0]) != column || Trimmed(fields[1]) != "count") {
    return Status::InvalidInput(source + ":" + std::to_string(reader.line()) + ": the header must be " +
                                std::string(column) + ",count (the post-stratification column, then count)");
  }
  while (reader.Next(&fields)) {
    const std::string where = source + ":" + std::to_string(reader.line());
    if (fields.size() != 2) {
      return Status::InvalidInput(where + ": " + std::to_string(fields.size()) + " cells, expected 2 (" +
                                  std::string(column) + ",count)");
    }
    std::string level = Trimmed(fields[0]);
    if (IsMissing(level)) return Status::InvalidInput(where + ":" + std::string(column) + ": an empty post-stratum");
    std::optional<double> count = ParseNumber(fields[1]);
    if (!count || *count <= 0) {
      return Status::InvalidInput(where + ":count: " + Echo(fields[1]) + " — expected a population count (a number > 0)");
    }
    for (const std::string& seen : p.levels) {
      if (seen == level)
        return Status::InvalidInput(where + ":" + std::string(column) + ": '" + level + "' appears twice");
    }
    p.levels.push_back(std::move(level));
    p.counts.push_back(*count);
  }
  if (!reader.status().ok()) return reader.status().WithContext(source);
  if (p.levels.empty()) return Status::InvalidInput(source + ": no post-strata after the header");
  return p;
}

Result<Design> Design::Build(const DataTable& data, const DesignSpec& spec) {
  Design d;
  const size_t n = data.rows.size();
  if (n == 0) return Status::InvalidInput(data.source + ": no rows");

  // Strata, in order of first appearance.
  std::vector<size_t> row_stratum(n, 0);
  std::vector<std::string> stratum_label;
  if (!spec.strata.empty()) {
    Result<size_t> col = data.Column(spec.strata);
    if (!col.ok()) return col.status();
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < n; ++i) {
      const std::string v = Trimmed(data.rows[i][*col]);
      if (IsMissing(v)) {
        return Status::InvalidInput(data.Where(i, *col) + ": no stratum — every row needs one");
      }
      auto [it, added] = index.emplace(v, stratum_label.size());
      if (added) stratum_label.push_back(v);
      row_stratum[i] = it->second;
    }
  } else {
    stratum_label.push_back("");
  }
  const size_t strata = stratum_label.size();

  // PSUs: clusters nested in strata, or each row its own.
  d.row_psu_.resize(n);
  std::vector<int> psu_line;
  if (!spec.cluster.empty()) {
    Result<size_t> col = data.Column(spec.cluster);
    if (!col.ok()) return col.status();
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < n; ++i) {
      const std::string v = Trimmed(data.rows[i][*col]);
      if (IsMissing(v)) return Status::InvalidInput(data.Where(i, *col) + ": no cluster — every row needs one");
      auto [it, added] = index.emplace(v, d.psu_stratum_.size());
      if (added) {
        d.psu_stratum_.push_back(row_stratum[i]);
        psu_line.push_back(data.lines[i]);
      } else if (d.psu_stratum_[it->second] != row_stratum[i]) {
        return Status::InvalidInput(
            data.Where(i, *col) + ": cluster '" + v + "' is in stratum '" + stratum_label[row_stratum[i]] +
            "' here but in stratum '" + stratum_label[d.psu_stratum_[it->second]] + "' on line " +
            std::to_string(psu_line[it->second]) +
            " — clusters must be nested in strata (R's svydesign refuses this too unless nest = TRUE); give each "
            "cluster an id of its own");
      }
      d.row_psu_[i] = it->second;
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      d.row_psu_[i] = i;
      d.psu_stratum_.push_back(row_stratum[i]);
      psu_line.push_back(data.lines[i]);
    }
  }
  d.stratum_psus_.assign(strata, 0);
  for (size_t s : d.psu_stratum_) ++d.stratum_psus_[s];

  // The finite population correction: per stratum, N_h PSUs in the population.
  std::vector<double> population_psus(strata, kNaN);
  d.stratum_fpc_.assign(strata, 1.0);
  if (!spec.fpc.empty()) {
    Result<size_t> col = data.Column(spec.fpc);
    if (!col.ok()) return col.status();
    std::vector<double> value(strata, kNaN);
    std::vector<size_t> first_row(strata, 0);
    bool any_above_one = false, any_below_one = false;
    for (size_t i = 0; i < n; ++i) {
      const std::string& cell = data.rows[i][*col];
      if (IsMissing(cell)) return Status::InvalidInput(data.Where(i, *col) + ": no fpc — every row needs one");
      std::optional<double> v = ParseNumber(cell);
      if (!v || *v <= 0) {
        return Status::InvalidInput(data.Where(i, *col) + ": " + Echo(Trimmed(cell)) +
                                    " — expected the population number of PSUs in the stratum (> 1) or the sampling "
                                    "fraction (≤ 1)");
      }
      const size_t h = row_stratum[i];
      if (std::isnan(value[h])) {
        value[h] = *v;
        first_row[h] = i;
      } else if (*v != value[h]) {
        return Status::InvalidInput(data.Where(i, *col) + ": " + Trimmed(cell) + " differs from " + Plain(value[h]) +
                                    " on line " + std::to_string(data.lines[first_row[h]]) +
                                    (spec.strata.empty() ? std::string() : " in stratum '" + stratum_label[h] + "'") +
                                    " — the fpc must be the same on every row of a stratum");
      }
      if (*v > 1) any_above_one = true;
      if (*v < 1) any_below_one = true;
    }
    if (any_above_one && any_below_one) {
      return Status::InvalidInput(data.source + ":" + spec.fpc +
                                  ": some values are above 1 (population sizes) and some below (sampling fractions) — "
                                  "give all one way (R: \"Must have all fpc>=1 or all fpc<=1\")");
    }
    for (size_t h = 0; h < strata; ++h) {
      const double nh = static_cast<double>(d.stratum_psus_[h]);
      population_psus[h] = any_above_one ? value[h] : nh / value[h];
      if (population_psus[h] < nh * (1 - 1e-12)) {
        return Status::InvalidInput(
            data.Where(first_row[h], *col) + ": by this fpc (" + Plain(value[h]) + ") the population" +
            (spec.strata.empty() ? "" : " of stratum '" + stratum_label[h] + "'") + " has " +
            Plain(population_psus[h]) + " PSUs, fewer than the " + std::to_string(d.stratum_psus_[h]) +
            " in the sample (R: \"FPC implies >100% sampling in some strata\")");
      }
      d.stratum_fpc_[h] = std::max(0.0, (population_psus[h] - nh) / population_psus[h]);
    }
    d.has_fpc_ = true;
  }

  // Weights: given, else N_h / n_h from the fpc, else 1 (R assumes equal probability then).
  d.weight_.assign(n, 1.0);
  if (!spec.weights.empty()) {
    Result<size_t> col = data.Column(spec.weights);
    if (!col.ok()) return col.status();
    for (size_t i = 0; i < n; ++i) {
      const std::string& cell = data.rows[i][*col];
      std::optional<double> v = IsMissing(cell) ? std::nullopt : ParseNumber(cell);
      if (!v || *v <= 0) {
        return Status::InvalidInput(data.Where(i, *col) + ": " + Echo(Trimmed(cell)) +
                                    " — expected a sampling weight (a number > 0)");
      }
      d.weight_[i] = *v;
    }
  } else if (d.has_fpc_) {
    for (size_t i = 0; i < n; ++i) {
      const size_t h = row_stratum[i];
      d.weight_[i] = population_psus[h] / static_cast<double>(d.stratum_psus_[h]);
    }
  }

  // A lonely PSU has no variance to estimate from: R's default (lonely.psu = "fail") stops.
  if (spec.strata.empty() && d.psu_stratum_.size() == 1) {
    return Status::InvalidInput(data.source +
                                ": the design has only one PSU, so no standard error can be estimated (R: \"Design has "
                                "only one primary sampling unit\")");
  }
  for (size_t h = 0; h < strata; ++h) {
    if (d.stratum_psus_[h] == 1 && d.stratum_fpc_[h] >= 1e-7) {
      size_t psu = 0;
      while (d.psu_stratum_[psu] != h) ++psu;
      return Status::InvalidInput(
          data.source + ":" + std::to_string(psu_line[psu]) + ":" + spec.strata + ": stratum '" + stratum_label[h] +
          "' has only one PSU, so its variance cannot be estimated. R's survey package stops here too by default "
          "(options(survey.lonely.psu = \"fail\"): \"Stratum (" +
          stratum_label[h] + ") has only one PSU at stage 1\"); merge the stratum with a similar one");
    }
  }

  // Post-stratification: w*_i = w_i · N_g / N̂_g.
  if (!spec.poststrata.empty()) {
    if (!spec.population) {
      return Status::InvalidInput("--poststrata " + spec.poststrata +
                                  " needs --population FILE, the population count of each post-stratum");
    }
    const PopulationCounts& pop = *spec.population;
    Result<size_t> col = data.Column(spec.poststrata);
    if (!col.ok()) return col.status();
    std::map<std::string, size_t> index;
    for (size_t g = 0; g < pop.levels.size(); ++g) index.emplace(pop.levels[g], g);
    d.poststrata_ = pop.levels.size();
    d.poststratum_.resize(n);
    std::vector<Sum> estimated(d.poststrata_);
    for (size_t i = 0; i < n; ++i) {
      const std::string v = Trimmed(data.rows[i][*col]);
      if (IsMissing(v)) return Status::InvalidInput(data.Where(i, *col) + ": no post-stratum — every row needs one");
      auto it = index.find(v);
      if (it == index.end()) {
        return Status::InvalidInput(data.Where(i, *col) + ": post-stratum '" + v + "' has no population count in " +
                                    pop.source);
      }
      d.poststratum_[i] = it->second;
      estimated[it->second].Add(d.weight_[i]);
    }
    std::vector<double> g(d.poststrata_);
    for (size_t k = 0; k < d.poststrata_; ++k) {
      if (estimated[k].value() <= 0) {
        return Status::InvalidInput(pop.source + ": post-stratum '" + pop.levels[k] +
                                    "' has a population count but no rows in " + data.source +
                                    " (R's postStratify stops here too unless partial = TRUE)");
      }
      g[k] = pop.counts[k] / estimated[k].value();
    }
    d.design_weight_ = d.weight_;
    for (size_t i = 0; i < n; ++i) d.weight_[i] *= g[d.poststratum_[i]];
  }

  // Description.
  std::string s = "設計 / design: ";
  if (!spec.strata.empty()) s += "層 / strata " + spec.strata + " (" + std::to_string(strata) + "), ";
  if (!spec.cluster.empty()) {
    s += "集落 / clusters " + spec.cluster + " (" + std::to_string(d.psus()) + " PSU), ";
  } else {
    s += "各行が抽出単位 / one row per PSU (" + std::to_string(d.psus()) + "), ";
  }
  if (!spec.weights.empty()) {
    s += "重み / weights " + spec.weights;
  } else if (d.has_fpc_) {
    s += "重み / weights N_h/n_h";
  } else {
    s += "重み 1 / weights 1 (no --weights or --fpc)";
  }
  s += d.has_fpc_ ? ", 有限母集団修正 / fpc " + spec.fpc : ", 復元抽出近似 / with replacement (no --fpc)";
  if (!spec.poststrata.empty()) {
    s += ", 事後層 / post-strata " + spec.poststrata + " (" + std::to_string(d.poststrata_) + ")";
  }
  s += "; 自由度 / df " + std::to_string(d.degrees_of_freedom());
  d.description_ = std::move(s);
  return d;
}

double Design::Variance(std::span<const double> z) const {
  std::vector<double> r(z.begin(), z.end());
  if (!poststratum_.empty()) {
    // Residuals from the post-stratum means: survey:::svyrecvar's
    //   psmeans <- rowsum(x*oldw/psw, psvar) / by(oldw, psvar, sum);  x <- x - psmeans[psvar]*psw
    std::vector<Sum> num(poststrata_), den(poststrata_);
    for (size_t i = 0; i < r.size(); ++i) {
      num[poststratum_[i]].Add(design_weight_[i] * r[i] / weight_[i]);
      den[poststratum_[i]].Add(design_weight_[i]);
    }
    for (size_t i = 0; i < r.size(); ++i) {
      const size_t g = poststratum_[i];
      r[i] -= weight_[i] * (num[g].value() / den[g].value());
    }
  }
  // PSU totals, then per stratum the sum of squared deviations from their mean.
  std::vector<Sum> psu_total(psu_stratum_.size());
  for (size_t i = 0; i < r.size(); ++i) psu_total[row_psu_[i]].Add(r[i]);
  std::vector<Sum> stratum_sum(stratum_psus_.size());
  for (size_t j = 0; j < psu_total.size(); ++j) stratum_sum[psu_stratum_[j]].Add(psu_total[j].value());
  std::vector<Sum> stratum_ss(stratum_psus_.size());
  for (size_t j = 0; j < psu_total.size(); ++j) {
    const size_t h = psu_stratum_[j];
    const double dev = psu_total[j].value() - stratum_sum[h].value() / static_cast<double>(stratum_psus_[h]);
    stratum_ss[h].Add(dev * dev);
  }
  Sum v;
  for (size_t h = 0; h < stratum_psus_.size(); ++h) {
    const double nh = static_cast<double>(stratum_psus_[h]);
    if (stratum_psus_[h] < 2) continue;  // a census stratum (fpc factor 0); lonely PSUs were refused
    v.Add(stratum_fpc_[h] * nh / (nh - 1) * stratum_ss[h].value());
  }
  return v.value();
}

const char* StatisticName(const EstimateSpec& spec) {
  if (spec.prop) return spec.total ? "count" : "proportion";
  return spec.total ? "total" : "mean";
}

Result<std::vector<Estimate>> EstimateAll(const DataTable& data, const Design& design, const EstimateSpec& spec) {
  const size_t n = data.rows.size();
  if (design.rows() != n) return Status::Internal("the design was not built from " + data.source);
  Result<size_t> col = data.Column(spec.var);
  if (!col.ok()) return col.status();
  std::optional<size_t> by_col;
  if (!spec.by.empty()) {
    Result<size_t> b = data.Column(spec.by);
    if (!b.ok()) return b.status();
    by_col = *b;
  }

  // The variable: y_i, or missing.
  std::vector<double> y(n, 0.0);
  std::vector<char> present(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const std::string& cell = data.rows[i][*col];
    if (IsMissing(cell)) continue;
    if (spec.prop) {
      y[i] = Trimmed(cell) == Trimmed(*spec.prop) ? 1.0 : 0.0;
    } else {
      std::optional<double> v = ParseNumber(cell);
      if (!v) return Status::InvalidInput(data.Where(i, *col) + ": " + Echo(Trimmed(cell)) + " — expected a number");
      y[i] = *v;
    }
    present[i] = 1;
  }

  // The domains: every value of --by (sorted, numerically when all are numbers), or the whole.
  std::vector<std::optional<std::string>> domains;
  std::vector<std::string> by_value;
  if (by_col) {
    std::set<std::string> values;
    by_value.resize(n);
    for (size_t i = 0; i < n; ++i) {
      by_value[i] = Trimmed(data.rows[i][*by_col]);
      if (!IsMissing(by_value[i])) values.insert(by_value[i]);
    }
    std::vector<std::string> sorted(values.begin(), values.end());
    bool numeric =
        std::all_of(sorted.begin(), sorted.end(), [](const std::string& v) { return ParseNumber(v).has_value(); });
    if (numeric) {
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const std::string& a, const std::string& b) { return *ParseNumber(a) < *ParseNumber(b); });
    }
    for (std::string& v : sorted) domains.emplace_back(std::move(v));
  } else {
    domains.emplace_back(std::nullopt);
  }

  std::span<const double> w = design.weights();
  std::vector<Estimate> out;
  std::vector<double> z(n);
  for (const std::optional<std::string>& domain : domains) {
    Estimate e;
    e.domain = domain;
    std::vector<char> in(n, 0);
    Sum weight_sum, weighted_y;
    for (size_t i = 0; i < n; ++i) {
      in[i] = present[i] && (!domain || by_value[i] == *domain);
      if (!in[i]) continue;
      ++e.n;
      weight_sum.Add(w[i]);
      weighted_y.Add(w[i] * y[i]);
    }
    const double W = weight_sum.value();
    e.population = W;
    if (e.n == 0) {
      e.estimate = e.se = e.ci_low = e.ci_high = e.deff = kNaN;
      out.push_back(std::move(e));
      continue;
    }
    const double mean = weighted_y.value() / W;
    // Influence values (Lohr §9.1): of the total, w_i δ_i y_i; of the mean (a ratio),
    // w_i δ_i (y_i − ȳ_d) / Ŵ_d.
    Sum weighted_ss;
    for (size_t i = 0; i < n; ++i) {
      if (!in[i]) {
        z[i] = 0;
        continue;
      }
      const double dev = y[i] - mean;
      weighted_ss.Add(w[i] * dev * dev);
      z[i] = spec.total ? w[i] * y[i] : w[i] * dev / W;
    }
    e.estimate = spec.total ? weighted_y.value() : mean;
    const double variance = std::max(0.0, design.Variance(z));
    e.se = std::sqrt(variance);
    e.ci_low = e.estimate - kZ95 * e.se;
    e.ci_high = e.estimate + kZ95 * e.se;
    // Kish's design effect against simple random sampling of the same n without replacement, as
    // R's svymean / svytotal(deff = TRUE): s² = n/(n − 1) · Σ w (y − ȳ)² / Σ w (svyvar), and
    //   V_srs(mean) = s² / n · (1 − n/Ŵ),   V_srs(total) = Ŵ² · V_srs(mean).
    const double nd = static_cast<double>(e.n);
    e.deff = kNaN;
    if (e.n >= 2 && W > nd) {
      const double s2 = nd / (nd - 1) * weighted_ss.value() / W;
      double srs = s2 / nd * (W - nd) / W;
      if (spec.total) srs *= W * W;
      if (srs > 0) e.deff = variance / srs;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace shindan
