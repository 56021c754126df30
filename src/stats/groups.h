// Do the totals differ between groups of companies (size type, industry, region)? Tests of group
// differences, and the sample sizes and power needed to see a difference of a given size
// (docs/statistics.md, "Group differences").
//
// Everything starts from what the report holds: per group, a histogram of the integer self-check
// totals (GroupTotals). Groups with no company are left out of every test. A test that the data do
// not allow (fewer than two non-empty groups, every company with the same total, …) is not an
// error: its result says why in `not_computable`, and its figures are 0.
//
// Conventions follow R, the independent implementation the tests reproduce: kruskal.test,
// summary(aov()), oneway.test, chisq.test (simulate.p.value = TRUE), power.t.test,
// power.prop.test. Distributions come from Boost.Math (in groups.cc only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace shindan {

// Totals of the companies of k groups, as histograms over a common range of integer totals.
struct GroupTotals {
  int min_total = 0;  // the total counted in bin 0
  // [group][bin]: the number of companies of the group whose total is min_total + bin. Rows may
  // differ in length (missing bins count 0).
  std::vector<std::vector<uint64_t>> counts;
};

// Kruskal & Wallis (1952): a rank test that the k groups come from one distribution.
struct KruskalWallisResult {
  std::string not_computable;  // why not, empty when computed
  int groups = 0;              // non-empty groups compared (k)
  uint64_t n = 0;              // companies in them
  double h = 0;                // H, corrected for ties (R's "Kruskal-Wallis chi-squared")
  double tie_correction = 1;   // C = 1 − Σ(t³ − t)/(n³ − n); h = H_uncorrected / C
  int df = 0;                  // k − 1
  double p = 0;                // P(χ²_df ≥ h)
  double epsilon_squared = 0;  // ε² = h / ((n² − 1)/(n + 1)), Tomczak & Tomczak (2014)
  bool computable() const { return not_computable.empty(); }
};
KruskalWallisResult KruskalWallis(const GroupTotals& totals);

// One-way analysis of variance of the totals: the classical F test (equal variances, R's
// summary(aov())) or Welch's (R's oneway.test, var.equal = FALSE).
struct AnovaResult {
  std::string not_computable;  // why not, empty when computed
  int groups = 0;              // non-empty groups compared (k)
  uint64_t n = 0;              // companies in them
  double f = 0;
  double df1 = 0, df2 = 0;  // k − 1 and n − k (Welch: k − 1 and a real-valued df2)
  double p = 0;             // P(F_{df1,df2} ≥ f)
  double eta_squared = 0;   // η² = SS_between / SS_total (descriptive; the same for both tests)
  bool computable() const { return not_computable.empty(); }
};
// Not computable with fewer than 2 non-empty groups, n − k < 1, or no variation within groups.
AnovaResult OneWayAnova(const GroupTotals& totals);
// Not computable with fewer than 2 non-empty groups, or a group of 1 company or with variance 0.
AnovaResult WelchAnova(const GroupTotals& totals);

// The Monte Carlo p-value of the pass-rate test, as R's chisq.test(simulate.p.value = TRUE).
struct SimulationOptions {
  int replicates = 10000;            // B
  uint64_t seed = 0x5348494E44414E;  // "SHINDAN": fixed, so the report is reproducible
  bool always = false;               // simulate even when every expected count is ≥ 5
};

// χ² test of independence of group × {passed, not passed} (total ≥ pass_mark).
struct PassRateResult {
  std::string not_computable;  // why not, empty when computed
  int groups = 0;              // non-empty groups compared (k)
  uint64_t n = 0, passed = 0;
  double chi_squared = 0;  // Pearson's X², no continuity correction
  int df = 0;              // k − 1
  double p = 0;            // P(χ²_df ≥ X²)
  double cramers_v = 0;    // √(X² / n): Cramér's V, min(k − 1, 2 − 1) = 1
  double min_expected = 0;
  // When min_expected < 5 (or SimulationOptions::always): (1 + #{X²* ≥ X²}) / (B + 1) over B tables
  // with the same margins drawn at random.
  std::optional<double> simulated_p;
  int replicates = 0;
  uint64_t seed = 0;
  bool computable() const { return not_computable.empty(); }
};
PassRateResult PassRateDifference(const GroupTotals& totals, int pass_mark, const SimulationOptions& options = {});

// Significance level and power for the sample-size questions.
struct PowerOptions {
  double alpha = 0.05;  // two-sided
  double power = 0.80;
};

// Power of the two-sided two-sample t test (pooled variance) with n1 and n2 companies to detect a
// difference `delta` between two means when the SD is `sd`, from the noncentral t distribution,
// both tails counted (R's power.t.test(strict = TRUE)). n1, n2 may be real; n1 + n2 > 2.
Result<double> TTestPower(double n1, double n2, double delta, double sd, double alpha);

// The number of companies per group (real, not rounded up) at which TTestPower(n, n, …) equals
// `power` (R's power.t.test(delta, sd, power)$n). At least 2.
Result<double> TTestSampleSize(double delta, double sd, const PowerOptions& options = {});

// Two-proportion sample sizes per group (two-sided): Fleiss's formula without continuity
// correction (R's power.prop.test), and Cohen's (1988) through h = |2 asin √p1 − 2 asin √p2|.
Result<double> ProportionsSampleSizeFleiss(double p1, double p2, const PowerOptions& options = {});
Result<double> ProportionsSampleSizeCohen(double p1, double p2, const PowerOptions& options = {});

// `--detect POINTS` for the mean total: how many companies per group a difference of POINTS needs,
// and the power the survey has for it now.
struct MeanDetection {
  std::string not_computable;  // why not, empty when computed
  double points = 0;
  double sd = 0;                        // pooled SD of the totals, √(SS_within / (n − k))
  double n_exact = 0;                   // per group, noncentral t (TTestSampleSize)
  int64_t n_per_group = 0;              // ⌈n_exact⌉
  double n_normal = 0;                  // 2 ((z_{1−α/2} + z_power) · sd / points)², for comparison
  uint64_t smallest[2] = {0, 0};        // the two smallest non-empty groups
  std::optional<double> current_power;  // TTestPower(smallest[0], smallest[1], …); none if both 1
  bool computable() const { return not_computable.empty(); }
};
// Fails (InvalidInput) for points ≤ 0 or options out of range; not computable with fewer than 2
// non-empty groups, n − k < 1 or a pooled SD of 0.
Result<MeanDetection> DetectMeanDifference(const GroupTotals& totals, double points, const PowerOptions& options = {});

// The same for the pass rate: a difference of POINTS percentage points between two groups, centred
// on the overall pass rate p: p1 = p − D/2, p2 = p + D/2, shifted into [0, 1] when they fall out.
struct PassRateDetection {
  std::string not_computable;  // why not, empty when computed
  double points = 0;
  double base_rate = 0;     // p, the overall pass rate
  double p1 = 0, p2 = 0;    // the two rates compared
  double n_fleiss = 0;      // per group (ProportionsSampleSizeFleiss)
  int64_t n_per_group = 0;  // ⌈n_fleiss⌉
  double cohens_h = 0;
  double n_cohen = 0;                   // per group (ProportionsSampleSizeCohen)
  uint64_t smallest[2] = {0, 0};        // the two smallest non-empty groups
  std::optional<double> current_power;  // normal approximation through h with those sizes
  bool computable() const { return not_computable.empty(); }
};
// Fails (InvalidInput) unless 0 < points ≤ 100 and options in range; not computable with fewer
// than 2 non-empty groups.
Result<PassRateDetection> DetectPassRateDifference(const GroupTotals& totals, int pass_mark, double points,
                                                   const PowerOptions& options = {});

}  // namespace shindan
