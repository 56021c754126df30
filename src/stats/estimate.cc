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
// survey:::onestrat(). A multistage design adds, for each later stage s, the same sum over the
// units of stage s within each unit of stage s − 1 (its "stratum"), times the sampling fractions
// n/N of the stages above (Cochran §10.8, §11.8; Särndal et al. §4.3; R's survey:::multistage()).
// A stratum with one PSU is treated as options(survey.lonely.psu) says (Design::Build). Post-stratification (Lohr §4.4, Lumley §7.2, Särndal et al. §7.6) first
// replaces z_i by its residual from its post-stratum's mean, z_i − w*_i · Σ_g d_j z_j/w*_j / Σ_g d_j
// (d the design weights, w* the post-stratified ones), as survey:::svyrecvar() does.
//
// Sums that matter (weighted totals, PSU totals) are compensated (Neumaier), and every variance is
// computed from deviations about a mean already computed (two passes), so that a variable of
// 1e9 + small values loses no more precision than the small values themselves.
#include "stats/estimate.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
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

std::optional<LonelyPsu> ParseLonelyPsu(std::string_view name) {
  for (LonelyPsu l : {LonelyPsu::kFail, LonelyPsu::kRemove, LonelyPsu::kCertainty, LonelyPsu::kAdjust, LonelyPsu::kAverage}) {
    if (name == LonelyPsuName(l)) return l;
  }
  return std::nullopt;
}

const char* LonelyPsuName(LonelyPsu lonely) {
  switch (lonely) {
    case LonelyPsu::kFail:
      return "fail";
    case LonelyPsu::kRemove:
      return "remove";
    case LonelyPsu::kCertainty:
      return "certainty";
    case LonelyPsu::kAdjust:
      return "adjust";
    case LonelyPsu::kAverage:
      return "average";
  }
  return "fail";
}

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

  // Stages: the --cluster columns (or each row its own PSU). A unit of a later stage is numbered
  // within the unit of the stage before, as R's svydesign nests later stages in earlier clusters.
  const std::vector<std::string> cluster_cols = SplitList(spec.cluster, {","});
  const std::vector<std::string> fpc_cols = SplitList(spec.fpc, {","});
  if (!spec.cluster.empty() && cluster_cols.empty()) {
    return Status::InvalidInput("--cluster '" + spec.cluster + "' — expected a column, or one column per stage separated by commas");
  }
  const size_t stage_count = std::max<size_t>(1, cluster_cols.size());
  if (!spec.fpc.empty() && fpc_cols.size() != stage_count) {
    return Status::InvalidInput("--fpc " + spec.fpc + ": " + std::to_string(fpc_cols.size()) + " column" +
                                (fpc_cols.size() == 1 ? "" : "s") + " for " + std::to_string(stage_count) +
                                " stages of --cluster " + spec.cluster +
                                " — give one fpc column per stage (R: fpc = ~F1 + F2 for id = ~A + B)");
  }
  d.lonely_psu_ = spec.lonely_psu;
  d.stages_.resize(stage_count);
  std::vector<std::vector<size_t>> unit_first_row(stage_count);  // per stage, per unit: its first row
  std::vector<std::vector<std::string>> unit_label(stage_count);
  // The group of row i at stage s: its stratum at stage 1, its unit of stage s − 1 later.
  auto group_of = [&](size_t s, size_t i) { return s == 0 ? row_stratum[i] : d.stages_[s - 1].row_unit[i]; };
  // "in dnum '15'" for a group of stage s ≥ 1, "in stratum 'E'" (or nothing) at stage 1.
  auto group_name = [&](size_t s, size_t g) -> std::string {
    if (s > 0) return " in " + cluster_cols[s - 1] + " '" + unit_label[s - 1][g] + "'";
    return spec.strata.empty() ? std::string() : " in stratum '" + stratum_label[g] + "'";
  };
  for (size_t s = 0; s < stage_count; ++s) {
    Stage& st = d.stages_[s];
    st.row_unit.resize(n);
    if (s < cluster_cols.size()) {
      Result<size_t> col = data.Column(cluster_cols[s]);
      if (!col.ok()) return col.status();
      std::map<std::pair<size_t, std::string>, size_t> index;  // (group at a later stage, id) → unit
      for (size_t i = 0; i < n; ++i) {
        const std::string v = Trimmed(data.rows[i][*col]);
        if (IsMissing(v)) return Status::InvalidInput(data.Where(i, *col) + ": no cluster — every row needs one");
        const size_t g = group_of(s, i);
        auto [it, added] = index.emplace(std::make_pair(s == 0 ? 0 : g, v), st.unit_group.size());
        if (added) {
          st.unit_group.push_back(g);
          unit_first_row[s].push_back(i);
          unit_label[s].push_back(v);
        } else if (st.unit_group[it->second] != g) {
          return Status::InvalidInput(
              data.Where(i, *col) + ": cluster '" + v + "' is in stratum '" + stratum_label[g] +
              "' here but in stratum '" + stratum_label[st.unit_group[it->second]] + "' on line " +
              std::to_string(data.lines[unit_first_row[s][it->second]]) +
              " — clusters must be nested in strata (R's svydesign refuses this too unless nest = TRUE); give each "
              "cluster an id of its own");
        }
        st.row_unit[i] = it->second;
      }
    } else {
      for (size_t i = 0; i < n; ++i) {
        st.row_unit[i] = i;
        st.unit_group.push_back(group_of(s, i));
        unit_first_row[s].push_back(i);
        unit_label[s].push_back(std::to_string(data.lines[i]));
      }
    }
    const size_t groups = s == 0 ? strata : d.stages_[s - 1].unit_group.size();
    st.group_units.assign(groups, 0);
    for (size_t g : st.unit_group) ++st.group_units[g];
    st.group_fpc.assign(groups, 1.0);
    st.group_scale.assign(groups, 1.0);
  }

  // The finite population correction: per stage and group, N units in the population.
  std::vector<std::vector<double>> population(stage_count);
  if (!fpc_cols.empty()) {
    std::vector<size_t> cols(stage_count);
    std::vector<std::vector<double>> value(stage_count);
    std::vector<std::vector<size_t>> first_row(stage_count);
    bool any_above_one = false, any_below_one = false;
    for (size_t s = 0; s < stage_count; ++s) {
      Result<size_t> col = data.Column(fpc_cols[s]);
      if (!col.ok()) return col.status();
      cols[s] = *col;
      const size_t groups = d.stages_[s].group_units.size();
      value[s].assign(groups, kNaN);
      first_row[s].assign(groups, 0);
      for (size_t i = 0; i < n; ++i) {
        const std::string& cell = data.rows[i][*col];
        if (IsMissing(cell)) return Status::InvalidInput(data.Where(i, *col) + ": no fpc — every row needs one");
        std::optional<double> v = ParseNumber(cell);
        if (!v || *v <= 0) {
          return Status::InvalidInput(
              data.Where(i, *col) + ": " + Echo(Trimmed(cell)) + " — expected the population number of " +
              (s == 0 ? std::string("PSUs in the stratum") : cluster_cols[s] + " units in its " + cluster_cols[s - 1]) +
              " (> 1) or the sampling fraction (≤ 1)");
        }
        const size_t g = group_of(s, i);
        if (std::isnan(value[s][g])) {
          value[s][g] = *v;
          first_row[s][g] = i;
        } else if (*v != value[s][g]) {
          return Status::InvalidInput(data.Where(i, *col) + ": " + Trimmed(cell) + " differs from " + Plain(value[s][g]) +
                                      " on line " + std::to_string(data.lines[first_row[s][g]]) + group_name(s, g) +
                                      (s == 0 ? " — the fpc must be the same on every row of a stratum"
                                              : " — the fpc of stage " + std::to_string(s + 1) +
                                                    " must be the same on every row of a unit of stage " +
                                                    std::to_string(s)));
        }
        if (*v > 1) any_above_one = true;
        if (*v < 1) any_below_one = true;
      }
    }
    if (any_above_one && any_below_one) {
      return Status::InvalidInput(data.source + ":" + spec.fpc +
                                  ": some values are above 1 (population sizes) and some below (sampling fractions) — "
                                  "give all one way (R: \"Must have all fpc>=1 or all fpc<=1\")");
    }
    for (size_t s = 0; s < stage_count; ++s) {
      Stage& st = d.stages_[s];
      population[s].resize(st.group_units.size());
      for (size_t g = 0; g < st.group_units.size(); ++g) {
        const double nh = static_cast<double>(st.group_units[g]);
        const double N = any_above_one ? value[s][g] : nh / value[s][g];
        if (N < nh * (1 - 1e-12)) {
          const std::string whose =
              s == 0 ? (spec.strata.empty() ? "" : " of stratum '" + stratum_label[g] + "'")
                     : " of " + cluster_cols[s - 1] + " '" + unit_label[s - 1][g] + "'";
          return Status::InvalidInput(data.Where(first_row[s][g], cols[s]) + ": by this fpc (" + Plain(value[s][g]) +
                                      ") the population" + whose + " has " + Plain(N) + (s == 0 ? " PSUs" : " units") +
                                      ", fewer than the " + std::to_string(st.group_units[g]) +
                                      " in the sample (R: \"FPC implies >100% sampling in some strata\")");
        }
        population[s][g] = N;
        st.group_fpc[g] = std::max(0.0, (N - nh) / N);
        // A later stage's variance is scaled by the sampling fractions n/N of the stages above.
        if (s > 0) {
          const Stage& up = d.stages_[s - 1];
          const size_t pg = up.unit_group[g];
          st.group_scale[g] = up.group_scale[pg] * static_cast<double>(up.group_units[pg]) / population[s - 1][pg];
        }
      }
    }
    d.has_fpc_ = true;
  } else {
    d.stages_.resize(1);  // without an fpc R estimates from the first stage alone (ultimate clusters)
  }

  // Weights: given, else Π_s N_s / n_s from the fpc, else 1 (R assumes equal probability then).
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
      for (size_t s = 0; s < stage_count; ++s) {
        const size_t g = group_of(s, i);
        d.weight_[i] *= population[s][g] / static_cast<double>(d.stages_[s].group_units[g]);
      }
    }
  }

  // A lonely PSU has no variance to estimate from: R's default (lonely.psu = "fail") stops.
  if (spec.strata.empty() && d.psus() == 1) {
    return Status::InvalidInput(data.source +
                                ": the design has only one PSU, so no standard error can be estimated (R: \"Design has "
                                "only one primary sampling unit\")");
  }
  for (size_t s = 0; s < d.stages_.size(); ++s) {
    const Stage& st = d.stages_[s];
    for (size_t g = 0; g < st.group_units.size(); ++g) {
      if (st.group_units[g] != 1 || st.group_fpc[g] < 1e-7) continue;
      const bool refuse = spec.lonely_psu == LonelyPsu::kFail || (s > 0 && spec.lonely_psu == LonelyPsu::kAverage);
      if (!refuse) continue;
      size_t unit = 0;
      while (st.unit_group[unit] != g) ++unit;
      const size_t row = unit_first_row[s][unit];
      if (s == 0) {
        return Status::InvalidInput(
            data.source + ":" + std::to_string(data.lines[row]) + ":" + spec.strata + ": stratum '" + stratum_label[g] +
            "' has only one PSU, so its variance cannot be estimated. R's survey package stops here too by default "
            "(options(survey.lonely.psu = \"fail\"): \"Stratum (" +
            stratum_label[g] +
            ") has only one PSU at stage 1\"); merge the stratum with a similar one, or choose another of R's "
            "treatments with --lonely-psu remove|certainty|adjust|average");
      }
      const std::string where = data.Where(row, *data.Column(cluster_cols[s]));
      const std::string what = where + ": " + cluster_cols[s] + " '" + unit_label[s][unit] +
                               "' is the only unit sampled at stage " + std::to_string(s + 1) + group_name(s, g) +
                               " (of " + Plain(population[s][g]) + "), so its variance cannot be estimated";
      if (spec.lonely_psu == LonelyPsu::kFail) {
        return Status::InvalidInput(what + ". R stops here too by default (\"Stratum (…) has only one PSU at stage " +
                                    std::to_string(s + 1) +
                                    "\"); --lonely-psu remove, certainty or adjust treat it as R does");
      }
      return Status::InvalidInput(what + "; --lonely-psu average has no other strata to average over inside " +
                                  cluster_cols[s - 1] + " '" + unit_label[s - 1][g] +
                                  "' (R's variance is NaN here) — use remove, certainty or adjust");
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
  if (cluster_cols.size() > 1) {
    s += "多段 / stages " + spec.cluster + " (" + std::to_string(d.psus()) + " PSU" +
         (d.stages_.size() > 1 ? "" : "; 第 1 段のみで分散推定 / variance from stage 1 alone, no --fpc") + "), ";
  } else if (!spec.cluster.empty()) {
    s += "集落 / clusters " + spec.cluster + " (" + std::to_string(d.psus()) + " PSU), ";
  } else {
    s += "各行が抽出単位 / one row per PSU (" + std::to_string(d.psus()) + "), ";
  }
  if (!spec.weights.empty()) {
    s += "重み / weights " + spec.weights;
  } else if (d.has_fpc_) {
    s += d.stages_.size() > 1 ? "重み / weights Π N/n" : "重み / weights N_h/n_h";
  } else {
    s += "重み 1 / weights 1 (no --weights or --fpc)";
  }
  s += d.has_fpc_ ? ", 有限母集団修正 / fpc " + spec.fpc : ", 復元抽出近似 / with replacement (no --fpc)";
  if (!spec.poststrata.empty()) {
    s += ", 事後層 / post-strata " + spec.poststrata + " (" + std::to_string(d.poststrata_) + ")";
  }
  if (spec.lonely_psu != LonelyPsu::kFail) s += ", 単独PSU / lonely PSUs " + std::string(LonelyPsuName(spec.lonely_psu));
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
  // Per stage, unit totals, then per group (stratum, or unit of the stage above) the sum of
  // squared deviations from their mean: survey:::onestrat() for every group of survey:::onestage(),
  // each later stage's term scaled by the sampling fractions above it (survey:::multistage()).
  Sum v;
  for (size_t s = 0; s < stages_.size(); ++s) {
    const Stage& st = stages_[s];
    const size_t groups = st.group_units.size();
    std::vector<Sum> unit_total(st.unit_group.size());
    for (size_t i = 0; i < r.size(); ++i) unit_total[st.row_unit[i]].Add(r[i]);
    std::vector<Sum> group_sum(groups);
    for (size_t u = 0; u < unit_total.size(); ++u) group_sum[st.unit_group[u]].Add(unit_total[u].value());
    std::vector<Sum> group_ss(groups);
    for (size_t u = 0; u < unit_total.size(); ++u) {
      const size_t g = st.unit_group[u];
      const double dev = unit_total[u].value() - group_sum[g].value() / static_cast<double>(st.group_units[g]);
      group_ss[g].Add(dev * dev);
    }
    Sum stage;
    size_t estimated = 0;  // groups whose variance is known (R's nokstrat)
    for (size_t g = 0; g < groups; ++g) {
      const double n = static_cast<double>(st.group_units[g]), f = st.group_fpc[g];
      if (f < 1e-7) {  // sampled completely: no variance, lonely or not
        ++estimated;
        continue;
      }
      if (st.group_units[g] >= 2) {
        stage.Add(st.group_scale[g] * f * n / (n - 1) * group_ss[g].value());
        ++estimated;
        continue;
      }
      switch (lonely_psu_) {
        case LonelyPsu::kRemove:
        case LonelyPsu::kCertainty:
          ++estimated;
          break;
        case LonelyPsu::kAdjust: {
          const double t = group_sum[g].value();
          stage.Add(st.group_scale[g] * f * t * t);
          ++estimated;
          break;
        }
        case LonelyPsu::kAverage:  // left out, then the others scaled up (at stage 1 only; Build refuses later)
        case LonelyPsu::kFail:     // refused by Build
          break;
      }
    }
    if (estimated == groups) {
      v.Add(stage.value());
    } else {
      v.Add(estimated == 0 ? kNaN : stage.value() * static_cast<double>(groups) / static_cast<double>(estimated));
    }
  }
  return v.value();
}

const char* StatisticName(const EstimateSpec& spec) {
  if (spec.prop) return spec.total ? "count" : "proportion";
  return spec.total ? "total" : "mean";
}

double IntervalQuantile(const IntervalSpec& interval, int df) {
  namespace bm = boost::math;
  namespace bp = boost::math::policies;
  using Policy = bp::policy<bp::domain_error<bp::errno_on_error>, bp::overflow_error<bp::errno_on_error>,
                            bp::evaluation_error<bp::errno_on_error>>;
  if (!(interval.level > 0 && interval.level < 1)) return kNaN;
  const double p = (1 + interval.level) / 2;
  if (interval.kind == IntervalKind::kNormal) {
    // R's qnorm(0.975) exactly, so that the default interval is the one R prints to the last digit.
    if (interval.level == 0.95) return kZ95;
    return bm::quantile(bm::normal_distribution<double, Policy>(0, 1), p);
  }
  if (df < 1) return kNaN;
  return bm::quantile(bm::students_t_distribution<double, Policy>(static_cast<double>(df)), p);
}

namespace {

// Whether a cell is the --prop VALUE: as numbers when both are numbers (a 0/1 column written 1.0
// is 1), else as text after trimming.
bool PropMatches(std::string_view cell, std::string_view value) {
  std::optional<double> a = ParseNumber(cell), b = ParseNumber(value);
  if (a && b) return *a == *b;
  return TrimAscii(cell) == TrimAscii(value);
}

}  // namespace

Result<std::vector<Estimate>> EstimateAll(const DataTable& data, const Design& design, const EstimateSpec& spec,
                                          std::vector<std::string>* warnings) {
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
      y[i] = PropMatches(cell, *spec.prop) ? 1.0 : 0.0;
    } else {
      std::optional<double> v = ParseNumber(cell);
      if (!v) return Status::InvalidInput(data.Where(i, *col) + ": " + Echo(Trimmed(cell)) + " — expected a number");
      y[i] = *v;
    }
    present[i] = 1;
  }
  if (spec.prop && warnings && std::find(y.begin(), y.end(), 1.0) == y.end()) {
    std::set<std::string> values;
    for (size_t i = 0; i < n && values.size() <= 10; ++i) {
      if (present[i]) values.insert(Trimmed(data.rows[i][*col]));
    }
    std::string list;
    for (const std::string& v : values) {
      if (list.size() > 200) break;
      list += (list.empty() ? "" : ", ") + v;
    }
    if (values.size() > 10) list += ", …";
    warnings->push_back("列 " + spec.var + " に --prop " + Trimmed(*spec.prop) + " と一致する値がありません（割合は 0）/ --prop " +
                        Trimmed(*spec.prop) + " matches no value of column " + spec.var + " in " + data.source + " (" +
                        (list.empty() ? "no values" : "values: " + list) + "), so the share is 0");
  }
  const double q = IntervalQuantile(spec.interval, design.degrees_of_freedom());

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
    double variance = design.Variance(z);
    if (variance < 0) variance = 0;  // rounding; NaN (no stratum estimable) stays NaN
    e.se = std::sqrt(variance);
    e.ci_low = e.estimate - q * e.se;
    e.ci_high = e.estimate + q * e.se;
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
