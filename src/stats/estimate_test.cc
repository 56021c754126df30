// Design-based estimation checked against R's survey package (the values printed in
// ../shared/reference/README.md, from the package's own regression outputs) and, beyond them,
// against textbook formulas computed here by another route (per-stratum summaries rather than
// influence values), each with the reason it is the right value.
#include "stats/estimate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "base/file.h"

namespace shindan {
namespace {

// A CSV under tests/fixtures/ (`folder`/`name`), read once.
const DataTable& Fixture(const std::string& folder, const std::string& name) {
  static std::map<std::string, DataTable> cache;
  auto it = cache.find(folder + "/" + name);
  if (it == cache.end()) {
    const std::string path = std::string(SHINDAN_SOURCE_ROOT) + "/tests/fixtures/" + folder + "/" + name;
    Result<DataTable> t = ReadDataTable(FileSystem::Disk().ReadFile(path).value(), name);
    EXPECT_TRUE(t.ok()) << t.status().message();
    it = cache.emplace(folder + "/" + name, std::move(t).value()).first;
  }
  return it->second;
}

const DataTable& Api(const std::string& name) { return Fixture("api", name); }

PopulationCounts StypeCounts() {
  const std::string path = std::string(SHINDAN_SOURCE_ROOT) + "/tests/fixtures/api/apipop-stype.csv";
  return ParsePopulationCounts(FileSystem::Disk().ReadFile(path).value(), "apipop-stype.csv", "stype").value();
}

// svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
Design Dstrat() {
  DesignSpec s;
  s.strata = "stype";
  s.weights = "pw";
  s.fpc = "fpc";
  Result<Design> d = Design::Build(Api("apistrat.csv"), s);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return std::move(d).value();
}

// postStratify(svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc), ~stype, pop.types)
Design Rclus1() {
  DesignSpec s;
  s.cluster = "dnum";
  s.weights = "pw";
  s.fpc = "fpc";
  s.poststrata = "stype";
  s.population = StypeCounts();
  Result<Design> d = Design::Build(Api("apiclus1.csv"), s);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return std::move(d).value();
}

std::vector<Estimate> Estimates(const std::string& file, const Design& d, EstimateSpec spec) {
  Result<std::vector<Estimate>> e = EstimateAll(Api(file), d, spec);
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? std::move(e).value() : std::vector<Estimate>{};
}

EstimateSpec Mean(const std::string& var) {
  EstimateSpec s;
  s.var = var;
  return s;
}

EstimateSpec Total(const std::string& var) {
  EstimateSpec s;
  s.var = var;
  s.total = true;
  return s;
}

// --- R's printing ------------------------------------------------------------------------------
//
// print.svystat() calls printCoefmat() on the 1 × 2 matrix [estimate, SE] with digits = 5. With two
// columns printCoefmat treats only the first as a coefficient and the second (the SE) as a test
// statistic (its k = ncol − 1 = 1, tst.ind = 2). So:
//   estimate: rounded to max(1, digits − (1 + ⌊log10 |estimate|⌋)) decimals,
//   SE:       rounded to dig.tst = digits − 1 = 4 decimals,
// and each is then formatted with format(digits = 5): five significant digits, no exponent here,
// trailing zeros dropped. The two roundings matter: R's SE of the post-stratified cluster mean is
// 23.920486…, which rounds to 23.9205 and then prints as 23.921, although 23.920486 to five
// significant digits is 23.920. Comparing our value rounded the same way is comparing exactly what
// R printed.
double RoundTo(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

std::string Format5(double x) {
  const int decimals = std::max(0, 5 - 1 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string RPrintEstimate(double x) {
  const int digmin = 1 + static_cast<int>(std::floor(std::log10(std::fabs(x))));
  return Format5(RoundTo(x, std::max(1, 5 - digmin)));
}

std::string RPrintSE(double se) { return Format5(RoundTo(se, 4)); }

TEST(StatsRPrint, MimicsPrintCoefmat) {
  EXPECT_EQ(RPrintEstimate(662.2873631593), "662.29");
  EXPECT_EQ(RPrintSE(9.40894080278), "9.4089");
  EXPECT_EQ(RPrintEstimate(3687177.5324), "3687178");
  EXPECT_EQ(RPrintSE(114641.716), "114642");
  EXPECT_EQ(RPrintSE(23.920486445), "23.921");  // the double rounding described above
  EXPECT_EQ(RPrintSE(23.92044), "23.92");       // 23.9204 → 23.920 → trailing zero dropped
}

// --- R's published values ----------------------------------------------------------------------

TEST(StatsApiReference, StratifiedMeanOfApi00) {
  // R: svymean(~api00, dstrat)  →  662.29  SE 9.4089
  std::vector<Estimate> e = Estimates("apistrat.csv", Dstrat(), Mean("api00"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(RPrintEstimate(e[0].estimate), "662.29");
  EXPECT_EQ(RPrintSE(e[0].se), "9.4089");
  EXPECT_EQ(e[0].n, 200);
  EXPECT_FALSE(e[0].domain.has_value());
}

TEST(StatsApiReference, StratifiedTotalOfEnroll) {
  // R: svytotal(~enroll, dstrat)  →  3687178  SE 114642
  std::vector<Estimate> e = Estimates("apistrat.csv", Dstrat(), Total("enroll"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(RPrintEstimate(e[0].estimate), "3687178");
  EXPECT_EQ(RPrintSE(e[0].se), "114642");
}

TEST(StatsApiReference, PostStratifiedClusterMeanOfApi00) {
  // R: svymean(~api00, rclus1)  →  642.31  SE 23.921
  std::vector<Estimate> e = Estimates("apiclus1.csv", Rclus1(), Mean("api00"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(RPrintEstimate(e[0].estimate), "642.31");
  EXPECT_EQ(RPrintSE(e[0].se), "23.921");
  // What the print tells about R's unrounded SE: it rounds to 23.9205 at four decimals.
  EXPECT_EQ(RoundTo(e[0].se, 4), RoundTo(23.9205, 4));
  // Post-stratified weights reproduce the population counts exactly.
  EXPECT_NEAR(e[0].population, 4421 + 755 + 1018, 1e-8);
}

TEST(StatsApiReference, PostStratifiedClusterTotalOfEnroll) {
  // R: svytotal(~enroll, rclus1)  →  3680893  SE 406293
  std::vector<Estimate> e = Estimates("apiclus1.csv", Rclus1(), Total("enroll"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(RPrintEstimate(e[0].estimate), "3680893");
  EXPECT_EQ(RPrintSE(e[0].se), "406293");
}

TEST(StatsApiReference, PopulationCountsOfStypeComeFromApipop) {
  // pop.types in R's example: table(apipop$stype) = E 4421, H 755, M 1018.
  const DataTable& pop = Api("apipop.csv");
  const size_t col = pop.Column("stype").value();
  std::map<std::string, double> counts;
  for (const auto& row : pop.rows) counts[row[col]] += 1;
  PopulationCounts file = StypeCounts();
  ASSERT_EQ(file.levels.size(), counts.size());
  for (size_t i = 0; i < file.levels.size(); ++i) EXPECT_EQ(file.counts[i], counts[file.levels[i]]) << file.levels[i];
  EXPECT_EQ(counts["E"], 4421);
  EXPECT_EQ(counts["H"], 755);
  EXPECT_EQ(counts["M"], 1018);
}

// --- Beyond R's printed values: hand-derived formulas -------------------------------------------

// Per-stratum summaries of the stratified sample: n_h, N̂_h = Σ_h w (= n_h · pw_h), f_h = n_h/N_h.
struct Stratum {
  double n = 0, weight_sum = 0, fpc = 0, w = 0;
  std::vector<double> y;  // values in the stratum (missing left out, see `present`)
  std::vector<char> in;   // per row of the stratum: in the domain with a value
};

// Groups apistrat by stype; for each row, `value` gives y (or nullopt = not in the domain).
template <typename F>
std::map<std::string, Stratum> Strata(F value) {
  const DataTable& t = Api("apistrat.csv");
  const size_t s = t.Column("stype").value(), pw = t.Column("pw").value(), fpc = t.Column("fpc").value();
  std::map<std::string, Stratum> out;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    Stratum& h = out[t.rows[i][s]];
    h.n += 1;
    h.w = *ParseNumber(t.rows[i][pw]);
    h.weight_sum += h.w;
    h.fpc = *ParseNumber(t.rows[i][fpc]);
    std::optional<double> v = value(t.rows[i]);
    h.in.push_back(v.has_value());
    h.y.push_back(v.value_or(0));
  }
  return out;
}

double Col(const std::vector<std::string>& row, const char* name) {
  return *ParseNumber(row[Api("apistrat.csv").Column(name).value()]);
}
const std::string& Cell(const std::vector<std::string>& row, const char* name) {
  return row[Api("apistrat.csv").Column(name).value()];
}

TEST(StatsExtras, StratifiedProportionMatchesTheStratifiedSrsFormula) {
  // Share of schools meeting their school-wide growth target (sch.wide == "Yes").
  // Lohr §3.2 (stratified proportion): p̂ = Σ_h (N_h/N) p̂_h and
  //   V̂(p̂) = Σ_h (1 − n_h/N_h) (N_h/N)² p̂_h (1 − p̂_h) / (n_h − 1),
  // which is the stratified variance Σ (1 − f_h)(N_h/N)² s_h²/n_h with s_h² = n_h p̂_h(1 − p̂_h)/(n_h − 1).
  // With weights pw, N_h is the stratum's weight total n_h·pw_h (pw is stored in single precision, so
  // this is 4421 to 7 digits): the linearised variance of the ratio Σwy/Σw reduces to exactly this
  // because the weight is constant within each stratum.
  auto strata =
      Strata([](const std::vector<std::string>& r) { return std::optional<double>(Cell(r, "sch.wide") == "Yes"); });
  double N = 0;
  for (auto& [k, h] : strata) N += h.weight_sum;
  double p = 0, v = 0;
  for (auto& [k, h] : strata) {
    double ph = 0;
    for (double y : h.y) ph += y;
    ph /= h.n;
    p += h.weight_sum / N * ph;
    v += (1 - h.n / h.fpc) * std::pow(h.weight_sum / N, 2) * ph * (1 - ph) / (h.n - 1);
  }
  EstimateSpec spec;
  spec.var = "sch.wide";
  spec.prop = "Yes";
  std::vector<Estimate> e = Estimates("apistrat.csv", Dstrat(), spec);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NEAR(e[0].estimate, p, 1e-12);
  EXPECT_NEAR(e[0].se, std::sqrt(v), 1e-12);
  EXPECT_EQ(e[0].n, 200);
  // The normal 95% interval, as R's confint(): estimate ∓ qnorm(0.975)·SE, qnorm(0.975) = 1.959964.
  EXPECT_NEAR(e[0].ci_low, p - 1.959964 * std::sqrt(v), 1e-6 * std::sqrt(v));
  EXPECT_NEAR(e[0].ci_high, p + 1.959964 * std::sqrt(v), 1e-6 * std::sqrt(v));
  // 152 of the 200 sampled schools say Yes (0.76); weighted by stratum it is 0.82795.
  EXPECT_NEAR(e[0].estimate, 0.82795, 0.000005) << e[0].estimate;

  // The same as a count (--prop Yes --total): N̂ · p̂, its SE N̂ · SE(p̂) since Σw is fixed by design
  // within each stratum.
  spec.total = true;
  std::vector<Estimate> c = Estimates("apistrat.csv", Dstrat(), spec);
  EXPECT_NEAR(c[0].estimate, N * p, 1e-6);
  EXPECT_NEAR(c[0].se, N * std::sqrt(v), 1e-6);
}

TEST(StatsExtras, DomainsThatAreStrataGiveTheStratumMeans) {
  // A domain that is a stratum (by stype in the stratified design) is an SRS of n_h from N_h:
  // ȳ_h and SE = sqrt((1 − n_h/N_h) s_h² / n_h) (Lohr §2.3, SRS without replacement).
  auto strata = Strata([](const std::vector<std::string>& r) { return std::optional<double>(Col(r, "api00")); });
  EstimateSpec spec = Mean("api00");
  spec.by = "stype";
  std::vector<Estimate> e = Estimates("apistrat.csv", Dstrat(), spec);
  ASSERT_EQ(e.size(), 3u);
  const char* names[] = {"E", "H", "M"};  // sorted
  for (size_t k = 0; k < 3; ++k) {
    const Stratum& h = strata[names[k]];
    double mean = 0, ss = 0;
    for (double y : h.y) mean += y;
    mean /= h.n;
    for (double y : h.y) ss += (y - mean) * (y - mean);
    const double s2 = ss / (h.n - 1);
    ASSERT_EQ(*e[k].domain, names[k]);
    EXPECT_NEAR(e[k].estimate, mean, 1e-10) << names[k];
    EXPECT_NEAR(e[k].se, std::sqrt((1 - h.n / h.fpc) * s2 / h.n), 1e-10) << names[k];
    EXPECT_EQ(e[k].n, static_cast<int64_t>(h.n));
  }
  // The plain sample means of each stratum (computed independently from the CSV): 674.43, 625.82, 636.6.
  EXPECT_EQ(RPrintEstimate(e[0].estimate), "674.43");
  EXPECT_EQ(RPrintEstimate(e[1].estimate), "625.82");
  EXPECT_EQ(RPrintEstimate(e[2].estimate), "636.6");
}

// The domain mean across strata by per-stratum sums (Lohr §4.3; Cochran §2.13 within each stratum):
// with u_hi = δ_hi (y_hi − ȳ_d) over all n_h sampled units of stratum h (zeros outside the domain),
//   V̂(ȳ_d) = Σ_h (1 − f_h) n_h/(n_h − 1) (w_h/N̂_d)² [Σ_i u_hi² − (Σ_i u_hi)²/n_h].
// `naive_subset` instead treats the domain's units as if they were the whole stratum sample (n_h
// replaced by n_hd): the mistake the indicator method avoids.
std::pair<double, double> DomainMeanByHand(const std::map<std::string, Stratum>& strata, bool naive_subset) {
  double num = 0, den = 0;
  for (auto& [k, h] : strata) {
    for (size_t i = 0; i < h.y.size(); ++i) {
      if (h.in[i]) {
        num += h.w * h.y[i];
        den += h.w;
      }
    }
  }
  const double mean = num / den;
  double v = 0;
  for (auto& [k, h] : strata) {
    double su = 0, su2 = 0, nd = 0;
    for (size_t i = 0; i < h.y.size(); ++i) {
      if (!h.in[i]) continue;
      su += h.y[i] - mean;
      su2 += (h.y[i] - mean) * (h.y[i] - mean);
      nd += 1;
    }
    const double n = naive_subset ? nd : h.n;
    if (n < 2) continue;
    v += (1 - n / h.fpc) * n / (n - 1) * std::pow(h.w / den, 2) * (su2 - su * su / n);
  }
  return {mean, std::sqrt(v)};
}

TEST(StatsExtras, DomainsAcrossStrataUseTheIndicatorMethod) {
  // comp.imp (met the comparable-improvement target) cuts across the school-type strata.
  EstimateSpec spec = Mean("api00");
  spec.by = "comp.imp";
  std::vector<Estimate> e = Estimates("apistrat.csv", Dstrat(), spec);
  ASSERT_EQ(e.size(), 2u);
  const char* names[] = {"No", "Yes"};
  for (size_t k = 0; k < 2; ++k) {
    const std::string want = names[k];
    auto strata = Strata([&](const std::vector<std::string>& r) -> std::optional<double> {
      if (Cell(r, "comp.imp") != want) return std::nullopt;
      return Col(r, "api00");
    });
    auto [mean, se] = DomainMeanByHand(strata, false);
    ASSERT_EQ(*e[k].domain, want);
    EXPECT_NEAR(e[k].estimate, mean, 1e-10) << want;
    EXPECT_NEAR(e[k].se, se, 1e-10) << want;
    // Cutting the design down to the domain would give another (wrong) SE.
    auto [naive_mean, naive_se] = DomainMeanByHand(strata, true);
    EXPECT_NEAR(naive_mean, mean, 1e-10);
    EXPECT_GT(std::fabs(naive_se - se), 1e-3) << want;
  }
  EXPECT_EQ(e[0].n + e[1].n, 200);
}

TEST(StatsExtras, DomainTotalsAddUpToTheTotal) {
  // Totals are linear: the domain totals of enroll by awards add up to the overall total, in every
  // digit that double arithmetic keeps.
  EstimateSpec spec = Total("enroll");
  std::vector<Estimate> all = Estimates("apistrat.csv", Dstrat(), spec);
  spec.by = "awards";
  std::vector<Estimate> by = Estimates("apistrat.csv", Dstrat(), spec);
  ASSERT_EQ(by.size(), 2u);
  EXPECT_NEAR(by[0].estimate + by[1].estimate, all[0].estimate, 1e-6);
  // Domain proportions: the two shares of awards add up to 1 and have the same SE.
  EstimateSpec yes;
  yes.var = "awards";
  yes.prop = "Yes";
  EstimateSpec no = yes;
  no.prop = "No";
  std::vector<Estimate> py = Estimates("apistrat.csv", Dstrat(), yes), pn = Estimates("apistrat.csv", Dstrat(), no);
  EXPECT_NEAR(py[0].estimate + pn[0].estimate, 1.0, 1e-12);
  EXPECT_NEAR(py[0].se, pn[0].se, 1e-12);
}

TEST(StatsExtras, MissingValuesAreADomainNotADeletion) {
  // acs.k3 (average class size, K–3) is NA for schools without those grades. R's na.rm = TRUE keeps
  // the rows in the design with zero weight, i.e. the estimate is the domain "has a value".
  auto strata = Strata([](const std::vector<std::string>& r) -> std::optional<double> {
    const std::string& c = Cell(r, "acs.k3");
    if (IsMissing(c)) return std::nullopt;
    return *ParseNumber(c);
  });
  auto [mean, se] = DomainMeanByHand(strata, false);
  std::vector<Estimate> e = Estimates("apistrat.csv", Dstrat(), Mean("acs.k3"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NEAR(e[0].estimate, mean, 1e-10);
  EXPECT_NEAR(e[0].se, se, 1e-10);
  int64_t with_value = 0;
  for (auto& [k, h] : strata) with_value += std::count(h.in.begin(), h.in.end(), 1);
  EXPECT_EQ(e[0].n, with_value);
  EXPECT_EQ(with_value, 97);  // 103 of the 200 schools have no K–3 classes
}

TEST(StatsExtras, OneStageClusterMeanIsTheRatioEstimator) {
  // Without post-stratification the cluster design's mean is Lohr §5.2's ratio estimator:
  //   ȳ = Σ t_j / Σ M_j,  V̂ = (1 − n/N) s_r² / (n M̄²),  s_r² = Σ (t_j − ȳ M_j)² / (n − 1),
  // with t_j the cluster total, M_j its sampled size, n = 15 of N = 757 districts (the weight is the
  // same for every school, so it cancels). R's help page shows svymean(~api00, dclus1) as 644.17
  // SE 23.542 — the same formula.
  DesignSpec s;
  s.cluster = "dnum";
  s.weights = "pw";
  s.fpc = "fpc";
  Design d = Design::Build(Api("apiclus1.csv"), s).value();
  const DataTable& t = Api("apiclus1.csv");
  const size_t dn = t.Column("dnum").value(), api = t.Column("api00").value();
  std::map<std::string, std::pair<double, double>> clusters;  // dnum → (t_j, M_j)
  for (const auto& row : t.rows) {
    clusters[row[dn]].first += *ParseNumber(row[api]);
    clusters[row[dn]].second += 1;
  }
  double T = 0, M = 0;
  for (auto& [k, c] : clusters) {
    T += c.first;
    M += c.second;
  }
  const double n = static_cast<double>(clusters.size()), mean = T / M, mbar = M / n;
  double sr2 = 0;
  for (auto& [k, c] : clusters) sr2 += std::pow(c.first - mean * c.second, 2);
  sr2 /= n - 1;
  std::vector<Estimate> e = Estimates("apiclus1.csv", d, Mean("api00"));
  EXPECT_EQ(n, 15);
  EXPECT_NEAR(e[0].estimate, mean, 1e-10);
  EXPECT_NEAR(e[0].se, std::sqrt((1 - n / 757) * sr2 / (n * mbar * mbar)), 1e-10);
  EXPECT_EQ(RPrintEstimate(e[0].estimate), "644.17");
  EXPECT_EQ(RPrintSE(e[0].se), "23.542");
  EXPECT_EQ(d.degrees_of_freedom(), 14);
}

TEST(StatsExtras, DesignEffectOfSimpleRandomSamplingIsOne) {
  // An SRS without replacement (one stratum, weights N/n, fpc N): the design variance is
  // (1 − n/N) s²/n, exactly R's V_srs for deff, so deff = 1 for means and totals alike.
  DesignSpec s;
  s.fpc = "N";
  DataTable t;
  t.source = "srs.csv";
  t.header = {"y", "N"};
  const double ys[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
  for (double y : ys) {
    t.rows.push_back({std::to_string(y), "40"});
    t.lines.push_back(static_cast<int>(t.lines.size()) + 2);
  }
  Design d = Design::Build(t, s).value();
  for (bool total : {false, true}) {
    EstimateSpec spec;
    spec.var = "y";
    spec.total = total;
    Estimate e = EstimateAll(t, d, spec).value()[0];
    EXPECT_NEAR(e.deff, 1.0, 1e-12) << total;
  }
  Estimate e = EstimateAll(t, d, Mean("y")).value()[0];
  // ȳ = 3.9, s² = Σ(y − ȳ)²/9 = 54.9/9, SE = sqrt((1 − 10/40) s²/10).
  EXPECT_NEAR(e.estimate, 3.9, 1e-12);
  EXPECT_NEAR(e.se, std::sqrt(0.75 * (54.9 / 9) / 10), 1e-12);
}

TEST(StatsExtras, StratifiedDesignEffect) {
  // deff = V̂_design / V̂_srs with V̂_srs = s²/n · (1 − n/N̂), s² = n/(n − 1) Σ w (y − ȳ)² / Σ w
  // (R's svymean(deff = TRUE), which uses svyvar for s²). The sample takes 100/50/50 schools from
  // strata of 4421/755/1018: the unequal weights alone cost Kish's 1 + CV²(w) = n Σw²/(Σw)² ≈ 1.19,
  // and stratification wins a little of it back, so deff ≈ 1.20.
  const DataTable& t = Api("apistrat.csv");
  const size_t pw = t.Column("pw").value(), api = t.Column("api00").value();
  double W = 0, Wy = 0;
  for (const auto& r : t.rows) {
    W += *ParseNumber(r[pw]);
    Wy += *ParseNumber(r[pw]) * *ParseNumber(r[api]);
  }
  const double mean = Wy / W;
  double ss = 0;
  for (const auto& r : t.rows) ss += *ParseNumber(r[pw]) * std::pow(*ParseNumber(r[api]) - mean, 2);
  const double n = 200, s2 = n / (n - 1) * ss / W;
  Estimate e = Estimates("apistrat.csv", Dstrat(), Mean("api00"))[0];
  EXPECT_NEAR(e.deff, e.se * e.se / (s2 / n * (1 - n / W)), 1e-12);
  EXPECT_GT(e.deff, 1.20);
  EXPECT_LT(e.deff, 1.21);
}

TEST(StatsExtras, PostStratifyingOnTheStrataChangesNothing) {
  // When the post-strata are the strata and the weights already reproduce their counts (weights
  // N_h/n_h from the fpc), post-stratification multiplies every weight by 1 and removes from z
  // stratum means that the stratified variance removes anyway (Lohr §4.4).
  DesignSpec plain;
  plain.strata = "stype";
  plain.fpc = "fpc";
  DesignSpec post = plain;
  post.poststrata = "stype";
  post.population = StypeCounts();
  Design a = Design::Build(Api("apistrat.csv"), plain).value();
  Design b = Design::Build(Api("apistrat.csv"), post).value();
  for (const char* var : {"api00", "enroll"}) {
    for (bool total : {false, true}) {
      EstimateSpec spec;
      spec.var = var;
      spec.total = total;
      Estimate x = Estimates("apistrat.csv", a, spec)[0], y = Estimates("apistrat.csv", b, spec)[0];
      EXPECT_NEAR(x.estimate, y.estimate, 1e-9 * std::fabs(x.estimate)) << var << total;
      EXPECT_NEAR(x.se, y.se, 1e-9 * x.se) << var << total;
    }
  }
}

TEST(StatsExtras, LargeOffsetsLoseNoPrecision) {
  // api00 + 10⁹: the mean moves by exactly 10⁹ and the SE does not move (two-pass deviations and
  // compensated sums; a one-pass Σy² − n ȳ² would lose about 9 of the 16 digits here).
  DataTable t = Api("apistrat.csv");
  t.source = "shifted.csv";
  const size_t api = t.Column("api00").value();
  for (auto& r : t.rows) r[api] = std::to_string(1e9 + *ParseNumber(r[api]));
  Estimate base = Estimates("apistrat.csv", Dstrat(), Mean("api00"))[0];
  DesignSpec s;
  s.strata = "stype";
  s.weights = "pw";
  s.fpc = "fpc";
  Design d = Design::Build(t, s).value();
  Estimate shifted = EstimateAll(t, d, Mean("api00")).value()[0];
  EXPECT_NEAR(shifted.estimate - 1e9, base.estimate, 1e-5);
  EXPECT_NEAR(shifted.se, base.se, 1e-5);
}

// --- Errors -------------------------------------------------------------------------------------

DataTable Small(std::vector<std::vector<std::string>> rows) {
  DataTable t;
  t.source = "s.csv";
  t.header = rows.front();
  for (size_t i = 1; i < rows.size(); ++i) {
    t.rows.push_back(rows[i]);
    t.lines.push_back(static_cast<int>(i) + 1);
  }
  return t;
}

TEST(StatsErrors, NonNumericValueNamesFileRowAndColumn) {
  DataTable t = Small({{"y", "h"}, {"1", "a"}, {"abc", "a"}, {"3", "b"}, {"4", "b"}});
  DesignSpec s;
  s.strata = "h";
  Design d = Design::Build(t, s).value();
  Result<std::vector<Estimate>> e = EstimateAll(t, d, Mean("y"));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "s.csv:3:y: 'abc' — expected a number");
  // As a proportion any value is fine.
  EstimateSpec p;
  p.var = "y";
  p.prop = "abc";
  Estimate share = EstimateAll(t, d, p).value()[0];
  EXPECT_NEAR(share.estimate, 0.25, 1e-12);
}

TEST(StatsErrors, LonelyPsuIsRefusedAsRDoes) {
  DataTable t = Small({{"y", "h"}, {"1", "a"}, {"2", "a"}, {"3", "b"}});
  DesignSpec s;
  s.strata = "h";
  Result<Design> d = Design::Build(t, s);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "s.csv:4:h: stratum 'b' has only one PSU, so its variance cannot be estimated. R's survey package stops "
            "here too by default (options(survey.lonely.psu = \"fail\"): \"Stratum (b) has only one PSU at stage "
            "1\"); merge the stratum with a similar one, or choose another of R's treatments with --lonely-psu "
            "remove|certainty|adjust|average");
}

TEST(StatsErrors, ACensusStratumWithOnePsuIsFine) {
  // A stratum sampled completely (fpc = n_h) contributes no variance, lonely or not (R likewise).
  DataTable t = Small({{"y", "h", "N"}, {"1", "a", "10"}, {"2", "a", "10"}, {"3", "b", "1"}});
  DesignSpec s;
  s.strata = "h";
  s.fpc = "N";
  EXPECT_TRUE(Design::Build(t, s).ok());
}

struct DesignError {
  std::vector<std::vector<std::string>> rows;
  DesignSpec spec;
  std::string message;
};

DesignSpec Spec(std::string strata, std::string cluster, std::string fpc, std::string weights) {
  DesignSpec s;
  s.strata = std::move(strata);
  s.cluster = std::move(cluster);
  s.fpc = std::move(fpc);
  s.weights = std::move(weights);
  return s;
}

TEST(StatsErrors, DesignProblemsSayWhereAndWhat) {
  const std::vector<DesignError> cases = {
      {{{"y", "h"}, {"1", "a"}, {"2", ""}}, Spec("h", "", "", ""), "s.csv:3:h: no stratum — every row needs one"},
      {{{"y", "c"}, {"1", "x"}, {"2", "NA"}}, Spec("", "c", "", ""), "s.csv:3:c: no cluster — every row needs one"},
      {{{"y", "h", "c"}, {"1", "a", "x"}, {"2", "a", "y"}, {"3", "b", "x"}, {"4", "b", "z"}},
       Spec("h", "c", "", ""),
       "s.csv:4:c: cluster 'x' is in stratum 'b' here but in stratum 'a' on line 2 — clusters must be nested in "
       "strata (R's svydesign refuses this too unless nest = TRUE); give each cluster an id of its own"},
      {{{"y", "N"}, {"1", "10"}, {"2", "11"}},
       Spec("", "", "N", ""),
       "s.csv:3:N: 11 differs from 10 on line 2 — the fpc must be the same on every row of a stratum"},
      {{{"y", "N"}, {"1", "2"}, {"2", "2"}, {"3", "2"}},
       Spec("", "", "N", ""),
       "s.csv:2:N: by this fpc (2) the population has 2 PSUs, fewer than the 3 in the sample (R: \"FPC implies >100% "
       "sampling in some strata\")"},
      {{{"y", "N", "h"}, {"1", "20", "a"}, {"2", "20", "a"}, {"3", "0.5", "b"}, {"4", "0.5", "b"}},
       Spec("h", "", "N", ""),
       "s.csv:N: some values are above 1 (population sizes) and some below (sampling fractions) — give all one way "
       "(R: \"Must have all fpc>=1 or all fpc<=1\")"},
      {{{"y", "w"}, {"1", "2"}, {"2", "0"}},
       Spec("", "", "", "w"),
       "s.csv:3:w: '0' — expected a sampling weight (a number > 0)"},
      {{{"y", "w"}, {"1", "2"}, {"2", "x"}},
       Spec("", "", "", "w"),
       "s.csv:3:w: 'x' — expected a sampling weight (a number > 0)"},
      {{{"y"}, {"1"}},
       Spec("", "", "", ""),
       "s.csv: the design has only one PSU, so no standard error can be estimated (R: \"Design has only one primary "
       "sampling unit\")"},
      {{{"y"}, {"1"}, {"2"}}, Spec("stratum", "", "", ""), "s.csv: no column 'stratum' — the columns are y"},
  };
  for (const DesignError& c : cases) {
    Result<Design> d = Design::Build(Small(c.rows), c.spec);
    ASSERT_FALSE(d.ok()) << c.message;
    EXPECT_EQ(d.status().message(), c.message);
  }
}

TEST(StatsErrors, FpcAsSamplingFractionWorksAsPopulationSize) {
  // fpc 0.25 with 4 PSUs is N = 16, as fpc 16 (R's as.fpc).
  DataTable a = Small({{"y", "f"}, {"1", "0.25"}, {"2", "0.25"}, {"4", "0.25"}, {"8", "0.25"}});
  DataTable b = Small({{"y", "f"}, {"1", "16"}, {"2", "16"}, {"4", "16"}, {"8", "16"}});
  DesignSpec s;
  s.fpc = "f";
  Estimate x = EstimateAll(a, Design::Build(a, s).value(), Mean("y")).value()[0];
  Estimate y = EstimateAll(b, Design::Build(b, s).value(), Mean("y")).value()[0];
  EXPECT_NEAR(x.se, y.se, 1e-12);
  EXPECT_NEAR(x.population, 16, 1e-12);
}

TEST(StatsErrors, PostStrataMustMatchThePopulation) {
  DataTable t = Small({{"y", "g"}, {"1", "a"}, {"2", "a"}, {"3", "c"}});
  DesignSpec s;
  s.poststrata = "g";
  Result<Design> none = Design::Build(t, s);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(),
            "--poststrata g needs --population FILE, the population count of each post-stratum");
  s.population = ParsePopulationCounts("g,count\na,10\nb,5\n", "pop.csv", "g").value();
  Result<Design> d = Design::Build(t, s);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "s.csv:4:g: post-stratum 'c' has no population count in pop.csv");
  s.population = ParsePopulationCounts("g,count\na,10\nb,5\nc,1\n", "pop.csv", "g").value();
  d = Design::Build(t, s);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "pop.csv: post-stratum 'b' has a population count but no rows in s.csv (R's postStratify stops here too "
            "unless partial = TRUE)");
}

TEST(StatsErrors, PopulationFile) {
  EXPECT_EQ(ParsePopulationCounts("type,count\n", "p.csv", "g").status().message(),
            "p.csv:1: the header must be g,count (the post-stratification column, then count)");
  EXPECT_EQ(ParsePopulationCounts("g,count\na,x\n", "p.csv", "g").status().message(),
            "p.csv:2:count: 'x' — expected a population count (a number > 0)");
  EXPECT_EQ(ParsePopulationCounts("g,count\na,1\na,2\n", "p.csv", "g").status().message(),
            "p.csv:3:g: 'a' appears twice");
  EXPECT_EQ(ParsePopulationCounts("g,count\n", "p.csv", "g").status().message(),
            "p.csv: no post-strata after the header");
}

TEST(StatsErrors, DataTable) {
  EXPECT_EQ(ReadDataTable("", "d.csv").status().message(),
            "d.csv: empty — expected a header line, then one row per sampled unit");
  EXPECT_EQ(ReadDataTable("a,b\n", "d.csv").status().message(), "d.csv: no rows after the header");
  EXPECT_EQ(ReadDataTable("a,b\n1,2\n3\n", "d.csv").status().message(),
            "d.csv:3: 1 cells, expected 2 as in the header");
  DataTable t = ReadDataTable("a,a\n1,2\n", "d.csv").value();
  EXPECT_EQ(t.Column("a").status().message(), "d.csv: column 'a' appears twice in the header (columns 1 and 2)");
}

TEST(StatsNumbers, ParseAndMissing) {
  EXPECT_EQ(ParseNumber("662"), 662);
  EXPECT_EQ(ParseNumber(" -1.5 "), -1.5);
  EXPECT_EQ(ParseNumber("+2"), 2);
  EXPECT_EQ(ParseNumber("3.2e4"), 32000);
  EXPECT_EQ(ParseNumber("abc"), std::nullopt);
  EXPECT_EQ(ParseNumber("1,000"), std::nullopt);
  EXPECT_EQ(ParseNumber("inf"), std::nullopt);
  EXPECT_EQ(ParseNumber("nan"), std::nullopt);
  EXPECT_EQ(ParseNumber(""), std::nullopt);
  EXPECT_TRUE(IsMissing(""));
  EXPECT_TRUE(IsMissing(" NA "));
  EXPECT_FALSE(IsMissing("0"));
  EXPECT_FALSE(IsMissing("na"));
}

TEST(StatsDomains, NumericValuesSortNumericallyAndEmptyDomainsAreReported) {
  DataTable t = Small({{"y", "k"}, {"1", "10"}, {"2", "9"}, {"NA", "2"}, {"4", "10"}});
  Design d = Design::Build(t, DesignSpec{}).value();
  EstimateSpec spec = Mean("y");
  spec.by = "k";
  std::vector<Estimate> e = EstimateAll(t, d, spec).value();
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(*e[0].domain, "2");
  EXPECT_EQ(*e[1].domain, "9");
  EXPECT_EQ(*e[2].domain, "10");
  EXPECT_EQ(e[0].n, 0);
  EXPECT_TRUE(std::isnan(e[0].estimate));
  EXPECT_NEAR(e[2].estimate, 2.5, 1e-12);
}


// --- Multistage designs, lonely PSUs and intervals, against R -------------------------------------
//
// Every expected value below was computed by R 4.2 with survey 4.1.1 and is printed, with the R
// code that gives it, by tests/fixtures/stats/r_reference.R (its output: r_reference.out). The
// fixtures apiclus2.csv, apiclus2-lonely.csv and apiclus1-counties.csv are written by that script.

const DataTable& Stats(const std::string& name) { return Fixture("stats", name); }

// Absolute agreement with R to 1e-6 (R's values carry 15 significant digits).
constexpr double kR = 1e-6;

Estimate One(const DataTable& t, const DesignSpec& design, const EstimateSpec& spec) {
  Result<Design> d = Design::Build(t, design);
  EXPECT_TRUE(d.ok()) << d.status().message();
  if (!d.ok()) return {};
  Result<std::vector<Estimate>> e = EstimateAll(t, *d, spec);
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() && !e->empty() ? e->front() : Estimate{};
}

// svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
DesignSpec TwoStage() {
  DesignSpec s;
  s.cluster = "dnum,snum";
  s.fpc = "fpc1,fpc2";
  return s;
}

TEST(StatsMultistage, TwoStageMeanOfApi00IsRs) {
  // R's published value: 670.81, SE 30.099 (the first stage alone gives 29.889).
  const Estimate e = One(Stats("apiclus2.csv"), TwoStage(), Mean("api00"));
  EXPECT_NEAR(e.estimate, 670.811808118081, kR);
  EXPECT_NEAR(e.se, 30.0990273768366, kR);
  EXPECT_EQ(RPrintEstimate(e.estimate), "670.81");
  EXPECT_EQ(RPrintSE(e.se), "30.099");
  EXPECT_EQ(e.n, 126);
}

TEST(StatsMultistage, TwoStageTotalProportionAndDomainsAreRs) {
  const DataTable& t = Stats("apiclus2.csv");
  const Estimate total = One(t, TwoStage(), Total("enroll"));  // na.rm = TRUE: 6 schools have no enroll
  EXPECT_NEAR(total.estimate, 2639272.93, kR);
  EXPECT_NEAR(total.se, 799637.773648358, kR);
  EstimateSpec yes;
  yes.var = "sch.wide";
  yes.prop = "Yes";
  const Estimate p = One(t, TwoStage(), yes);
  EXPECT_NEAR(p.estimate, 0.751291512915129, kR);
  EXPECT_NEAR(p.se, 0.0663949884342883, kR);
  EstimateSpec by = Mean("api00");
  by.by = "stype";
  Design d = Design::Build(t, TwoStage()).value();
  std::vector<Estimate> domains = EstimateAll(t, d, by).value();
  ASSERT_EQ(domains.size(), 3u);
  const double expected[3][2] = {{692.810400866739, 29.926604237403}, {598.340659340659, 17.694167126091},
                                 {642.352, 45.0913163003311}};
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(*domains[i].domain);
    EXPECT_NEAR(domains[i].estimate, expected[i][0], kR);
    EXPECT_NEAR(domains[i].se, expected[i][1], kR);
  }
}

TEST(StatsMultistage, WeightsAreTheProductOfTheStagesFractions) {
  // Without --weights, w = (N1/n1)(N2/n2): apiclus2's own pw (R: weights(dclus2) − pw ≈ 0).
  const DataTable& t = Stats("apiclus2.csv");
  Design d = Design::Build(t, TwoStage()).value();
  const size_t pw = t.Column("pw").value();
  for (size_t i = 0; i < t.rows.size(); ++i) EXPECT_NEAR(d.weights()[i], *ParseNumber(t.rows[i][pw]), 1e-9) << i;
  EXPECT_EQ(d.psus(), 40u);
  EXPECT_EQ(d.stages(), 2u);
  EXPECT_EQ(d.degrees_of_freedom(), 39);  // R's degf(dclus2)
}

TEST(StatsMultistage, TheFirstStageAloneIsTheUltimateClusterEstimate) {
  // svydesign(id = ~dnum, fpc = ~fpc1, weights = ~pw, data = apiclus2): what shindan gave before.
  DesignSpec s;
  s.cluster = "dnum";
  s.fpc = "fpc1";
  s.weights = "pw";
  const Estimate e = One(Stats("apiclus2.csv"), s, Mean("api00"));
  EXPECT_NEAR(e.se, 29.8891624724711, kR);
  // Without any fpc R also estimates from the first stage alone, whatever the later stages.
  DesignSpec two, one;
  two.cluster = "dnum,snum";
  one.cluster = "dnum";
  two.weights = one.weights = "pw";
  EXPECT_NEAR(One(Stats("apiclus2.csv"), two, Mean("api00")).se, One(Stats("apiclus2.csv"), one, Mean("api00")).se, 1e-12);
}

TEST(StatsMultistage, LaterStagesAreCheckedWithinTheirUnit) {
  DataTable t = Small({{"y", "a", "b", "N1", "N2"},
                       {"1", "p", "x", "10", "3"},
                       {"2", "p", "y", "10", "4"},
                       {"3", "q", "x", "10", "2"},
                       {"4", "q", "z", "10", "2"}});
  DesignSpec s = Spec("", "a,b", "N1,N2", "");
  Result<Design> d = Design::Build(t, s);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "s.csv:3:N2: 4 differs from 3 on line 2 in a 'p' — the fpc of stage 2 must be the same on every row of a "
            "unit of stage 1");
  s.fpc = "N1";
  d = Design::Build(t, s);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "--fpc N1: 1 column for 2 stages of --cluster a,b — give one fpc column per stage (R: fpc = ~F1 + F2 for "
            "id = ~A + B)");
  t.rows[1][4] = "3";
  t.rows[2][4] = t.rows[3][4] = "1";
  s.fpc = "N1,N2";
  d = Design::Build(t, s);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "s.csv:4:N2: by this fpc (1) the population of a 'q' has 1 units, fewer than the 2 in the sample (R: \"FPC "
            "implies >100% sampling in some strata\")");
  // Stage-2 ids need only be unique within their stage-1 unit: x in p and x in q are two schools.
  t.rows[2][4] = t.rows[3][4] = "2";
  d = Design::Build(t, s);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->psus(), 2u);
}

// apiclus1 by county: 8 of 11 counties have one sampled district; Plumas is a census (1 of 1).
DesignSpec Counties(LonelyPsu lonely) {
  DesignSpec s;
  s.strata = "cname";
  s.cluster = "dnum";
  s.fpc = "ndist";
  s.lonely_psu = lonely;
  return s;
}

struct LonelyCase {
  LonelyPsu lonely;
  double mean_se, total_se, prop_se, pw_mean_se, stage2_mean_se, stage2_total_se;
};

TEST(StatsLonelyPsu, EveryTreatmentIsRs) {
  const LonelyCase cases[] = {
      {LonelyPsu::kRemove, 7.4623042115855, 233755.347828011, 0.0209628591187007, 7.81825635335149, 29.9306697788236,
       798312.484083015},
      {LonelyPsu::kCertainty, 7.4623042115855, 233755.347828011, 0.0209628591187007, 7.81825635335149,
       29.9306697788236, 798312.484083015},
      {LonelyPsu::kAdjust, 20.2777299861509, 498835.770658234, 0.0261469438127391, 22.0684757015184, 29.932600173904,
       798326.877633212},
      {LonelyPsu::kAverage, 12.374831570659, 387639.390742265, 0.0347629691149052, 14.9708211361739, std::nan(""), std::nan("")},
  };
  const DataTable& counties = Stats("apiclus1-counties.csv");
  const DataTable& lonely2 = Stats("apiclus2-lonely.csv");
  EstimateSpec yes;
  yes.var = "sch.wide";
  yes.prop = "Yes";
  for (const LonelyCase& c : cases) {
    SCOPED_TRACE(LonelyPsuName(c.lonely));
    const Estimate mean = One(counties, Counties(c.lonely), Mean("api00"));
    EXPECT_NEAR(mean.estimate, 635.196648408265, kR);
    EXPECT_NEAR(mean.se, c.mean_se, kR);
    const Estimate total = One(counties, Counties(c.lonely), Total("enroll"));
    EXPECT_NEAR(total.estimate, 1699814.16666667, kR);
    EXPECT_NEAR(total.se, c.total_se, kR);
    const Estimate p = One(counties, Counties(c.lonely), yes);
    EXPECT_NEAR(p.estimate, 0.871413851076523, kR);
    EXPECT_NEAR(p.se, c.prop_se, kR);
    // Without fpc, weights pw: every lonely stratum is estimable or not alike (no census).
    DesignSpec pw = Counties(c.lonely);
    pw.fpc.clear();
    pw.weights = "pw";
    const Estimate weighted = One(counties, pw, Mean("api00"));
    EXPECT_NEAR(weighted.estimate, 644.169398907104, kR);
    EXPECT_NEAR(weighted.se, c.pw_mean_se, kR);
    // A lonely unit at stage 2 (a district with one school sampled of 2, one of 4).
    DesignSpec two = TwoStage();
    two.lonely_psu = c.lonely;
    if (c.lonely == LonelyPsu::kAverage) {
      Result<Design> d = Design::Build(lonely2, two);
      ASSERT_FALSE(d.ok());
      EXPECT_NE(d.status().message().find("--lonely-psu average has no other strata to average over inside dnum '15'"),
                std::string::npos)
          << d.status().message();
      continue;
    }
    const Estimate m2 = One(lonely2, two, Mean("api00"));
    EXPECT_NEAR(m2.estimate, 672.472727272727, kR);
    EXPECT_NEAR(m2.se, c.stage2_mean_se, kR);
    const Estimate t2 = One(lonely2, two, Total("enroll"));
    EXPECT_NEAR(t2.estimate, 2659863.33, kR);
    EXPECT_NEAR(t2.se, c.stage2_total_se, kR);
  }
}

TEST(StatsLonelyPsu, FailIsTheDefaultAtEveryStage) {
  Result<Design> d = Design::Build(Stats("apiclus1-counties.csv"), Counties(LonelyPsu::kFail));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "apiclus1-counties.csv:2:cname: stratum 'Alameda' has only one PSU, so its variance cannot be estimated. "
            "R's survey package stops here too by default (options(survey.lonely.psu = \"fail\"): \"Stratum (Alameda) "
            "has only one PSU at stage 1\"); merge the stratum with a similar one, or choose another of R's treatments "
            "with --lonely-psu remove|certainty|adjust|average");
  d = Design::Build(Stats("apiclus2-lonely.csv"), TwoStage());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "apiclus2-lonely.csv:2:snum: snum '3269' is the only unit sampled at stage 2 in dnum '15' (of 2), so its "
            "variance cannot be estimated. R stops here too by default (\"Stratum (…) has only one PSU at stage 2\"); "
            "--lonely-psu remove, certainty or adjust treat it as R does");
  // A census at stage 2 (a district with one school, of one) is no lonely unit: apiclus2 as it is.
  EXPECT_TRUE(Design::Build(Stats("apiclus2.csv"), TwoStage()).ok());
}

TEST(StatsLonelyPsu, ParseNames) {
  EXPECT_EQ(ParseLonelyPsu("adjust"), LonelyPsu::kAdjust);
  EXPECT_EQ(ParseLonelyPsu("Adjust"), std::nullopt);
  for (LonelyPsu l : {LonelyPsu::kFail, LonelyPsu::kRemove, LonelyPsu::kCertainty, LonelyPsu::kAdjust, LonelyPsu::kAverage}) {
    EXPECT_EQ(ParseLonelyPsu(LonelyPsuName(l)), l);
  }
}

TEST(StatsIntervals, NormalAndTOnTheDesignsDegreesOfFreedomAreRs) {
  const DataTable& t = Stats("apiclus2.csv");
  struct Case {
    IntervalKind kind;
    double level, low, high;
  };
  const Case cases[] = {
      {IntervalKind::kNormal, 0.95, 611.818798489796, 729.804817746366},  // confint(m)
      {IntervalKind::kT, 0.95, 609.930778741016, 731.692837495146},       // confint(m, df = degf(dclus2)), df 39
      {IntervalKind::kNormal, 0.90, 621.30331376958, 720.320302466583},
      {IntervalKind::kT, 0.90, 620.098705703144, 721.524910533018},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.level) + (c.kind == IntervalKind::kT ? " t" : " normal"));
    EstimateSpec spec = Mean("api00");
    spec.interval = {c.kind, c.level};
    const Estimate e = One(t, TwoStage(), spec);
    EXPECT_NEAR(e.ci_low, c.low, kR);
    EXPECT_NEAR(e.ci_high, c.high, kR);
  }
  // The stratified sample: df = 200 − 3 = 197, 99%.
  EstimateSpec spec = Mean("api00");
  spec.interval = {IntervalKind::kT, 0.99};
  Result<std::vector<Estimate>> e = EstimateAll(Api("apistrat.csv"), Dstrat(), spec);
  ASSERT_TRUE(e.ok());
  EXPECT_NEAR(e->front().ci_low, 637.814560959547, kR);
  EXPECT_NEAR(e->front().ci_high, 686.760165359094, kR);
  EXPECT_EQ(IntervalQuantile({}, 0), kZ95);
  EXPECT_TRUE(std::isnan(IntervalQuantile({IntervalKind::kT, 0.95}, 0)));
}

// Issue 9: on a 0/1 column written 1.0 / 0.0, --prop 1 compared text and found nothing: 0, SE 0,
// and no word of warning.
TEST(StatsProp, PropOneOnAColumnWrittenOnePointZeroCountsTheOnes) {
  DataTable t = Small({{"y"}, {"1.0"}, {"0.0"}, {"1.0"}, {"1"}, {"NA"}});
  Design d = Design::Build(t, DesignSpec{}).value();
  EstimateSpec spec;
  spec.var = "y";
  spec.prop = "1";
  std::vector<std::string> warnings;
  std::vector<Estimate> e = EstimateAll(t, d, spec, &warnings).value();
  EXPECT_NEAR(e[0].estimate, 0.75, 1e-12);
  EXPECT_GT(e[0].se, 0);
  EXPECT_TRUE(warnings.empty());
  spec.prop = "1e0";  // the same number, written otherwise
  EXPECT_NEAR(EstimateAll(t, d, spec).value()[0].estimate, 0.75, 1e-12);
  // A value that matches nothing is a share of 0 — and a warning naming the values there are.
  spec.prop = "2";
  e = EstimateAll(t, d, spec, &warnings).value();
  EXPECT_EQ(e[0].estimate, 0);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "列 y に --prop 2 と一致する値がありません（割合は 0）/ --prop 2 matches no value of column y in s.csv "
            "(values: 0.0, 1, 1.0), so the share is 0");
  // Text still compares as text.
  DataTable u = Small({{"y"}, {"Yes"}, {"No"}});
  spec.prop = "Yes";
  EXPECT_NEAR(EstimateAll(u, Design::Build(u, DesignSpec{}).value(), spec).value()[0].estimate, 0.5, 1e-12);
}

}  // namespace
}  // namespace shindan
