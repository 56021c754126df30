// Group-difference tests and power, checked against values R prints in its own help pages and
// against hand calculations written out beside each test.
#include "stats/groups.h"

#include <gtest/gtest.h>

#include <cmath>

namespace shindan {
namespace {

// Histograms from lists of totals, bin 0 = min_total.
GroupTotals FromLists(int min_total, const std::vector<std::vector<int>>& lists) {
  GroupTotals t;
  t.min_total = min_total;
  for (const std::vector<int>& list : lists) {
    std::vector<uint64_t> bins;
    for (int x : list) {
      const size_t b = static_cast<size_t>(x - min_total);
      if (bins.size() <= b) bins.resize(b + 1);
      ++bins[b];
    }
    t.counts.push_back(bins);
  }
  return t;
}

// Groups of companies that all passed (total 80) or all failed (total 50), pass mark 70.
GroupTotals PassFail(const std::vector<std::pair<int, int>>& passed_failed) {
  std::vector<std::vector<int>> lists;
  for (auto [p, f] : passed_failed) {
    std::vector<int> l(static_cast<size_t>(p), 80);
    l.insert(l.end(), static_cast<size_t>(f), 50);
    lists.push_back(l);
  }
  return FromLists(0, lists);
}

// R's ?kruskal.test example (Hollander & Wolfe 1973, p. 116), × 10 so that the values are totals:
//   x <- c(2.9, 3.0, 2.5, 2.6, 3.2); y <- c(3.8, 2.7, 4.0, 2.4); z <- c(2.8, 3.4, 3.7, 2.2, 2.0)
//   kruskal.test(list(x, y, z))  →  Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
// By hand (no ties, N = 14): rank sums x 4+5+8+9+10 = 36, y 3+6+13+14 = 36, z 1+2+7+11+12 = 33;
// H = 12/(14·15) (36²/5 + 36²/4 + 33²/5) − 3·15 = 801·12/210 − 45 = 0.771429;
// p = exp(−H/2) (χ² with 2 df) = 0.679965; ε² = H/13 = 0.0593407.
TEST(GroupsKruskalWallis, ReproducesRsHelpExample) {
  const GroupTotals t = FromLists(20, {{29, 30, 25, 26, 32}, {38, 27, 40, 24}, {28, 34, 37, 22, 20}});
  const KruskalWallisResult r = KruskalWallis(t);
  ASSERT_TRUE(r.computable()) << r.not_computable;
  EXPECT_EQ(r.groups, 3);
  EXPECT_EQ(r.n, 14u);
  EXPECT_EQ(r.df, 2);
  EXPECT_DOUBLE_EQ(r.tie_correction, 1);
  EXPECT_NEAR(r.h, 0.77143, 5e-6);
  EXPECT_NEAR(r.h, 0.7714285714, 1e-9);
  EXPECT_NEAR(r.p, 0.6799647736, 1e-9);
  EXPECT_NEAR(r.epsilon_squared, 0.0593406593, 1e-9);
}

// Ties, by hand: A = {70, 80, 80}, B = {80, 90, 90}, C = {90, 90, 100}; N = 9.
// Mid-ranks: 70 → 1; 80 (×3, ranks 2–4) → 3; 90 (×4, ranks 5–8) → 6.5; 100 → 9.
// Rank sums A 1+3+3 = 7, B 3+6.5+6.5 = 16, C 6.5+6.5+9 = 22 (total 45 = 9·10/2).
// H₀ = 12/90 · (49 + 256 + 484)/3 − 30 = 5.066667; C = 1 − ((27−3) + (64−4))/(729 − 9) = 0.883333;
// H = 5.735849; p = exp(−H/2) = 0.0568167; ε² = H/8 = 0.716981.
TEST(GroupsKruskalWallis, CorrectsForTies) {
  const KruskalWallisResult r = KruskalWallis(FromLists(70, {{70, 80, 80}, {80, 90, 90}, {90, 90, 100}}));
  ASSERT_TRUE(r.computable()) << r.not_computable;
  EXPECT_NEAR(r.tie_correction, 0.8833333333, 1e-9);
  EXPECT_NEAR(r.h, 5.7358490566, 1e-9);
  EXPECT_NEAR(r.p, 0.0568167258, 1e-9);
  EXPECT_NEAR(r.epsilon_squared, 0.7169811321, 1e-9);
}

TEST(GroupsKruskalWallis, EmptyGroupsAreDroppedAndBinsMayDifferInLength) {
  const GroupTotals t = FromLists(70, {{70, 80, 80}, {80, 90, 90}, {90, 90, 100}});
  GroupTotals padded = t;
  padded.counts.insert(padded.counts.begin() + 1, std::vector<uint64_t>{});
  padded.counts.push_back(std::vector<uint64_t>(31, 0));
  padded.counts[0].resize(31, 0);
  const KruskalWallisResult a = KruskalWallis(t), b = KruskalWallis(padded);
  EXPECT_EQ(b.groups, 3);
  EXPECT_EQ(b.df, 2);
  EXPECT_DOUBLE_EQ(a.h, b.h);
  EXPECT_DOUBLE_EQ(a.p, b.p);
  // The same totals written from a lower min_total (leading empty bins) change nothing either.
  const KruskalWallisResult c = KruskalWallis(FromLists(0, {{70, 80, 80}, {80, 90, 90}, {90, 90, 100}}));
  EXPECT_DOUBLE_EQ(a.h, c.h);
}

TEST(GroupsKruskalWallis, NotComputableWithOneGroupOrOneValue) {
  EXPECT_EQ(KruskalWallis(FromLists(0, {{50, 60, 70}})).not_computable, "fewer than two groups have companies");
  EXPECT_EQ(KruskalWallis(FromLists(0, {{50, 60, 70}, {}})).not_computable, "fewer than two groups have companies");
  EXPECT_EQ(KruskalWallis(GroupTotals{}).not_computable, "fewer than two groups have companies");
  const KruskalWallisResult r = KruskalWallis(FromLists(0, {{70, 70}, {70, 70, 70}}));
  EXPECT_EQ(r.not_computable, "every company has the same total");
  EXPECT_EQ(r.h, 0);
  EXPECT_EQ(r.p, 0);
}

// By hand: {10, 20, 30}, {40, 50, 60}, {70, 80, 90}: means 20, 50, 80, grand mean 50.
// SS_between = 3 (30² + 0 + 30²) = 5400, SS_within = 3 · 200 = 600; F = (5400/2)/(600/6) = 27;
// with df1 = 2, P(F > f) = (1 + 2f/df2)^(−df2/2) = (1 + 9)^(−3) = 0.001 exactly; η² = 0.9.
// Welch: s² = 100 and n = 3 everywhere, w = 0.03, A = 0.03 · 1800 = 54,
// tmp = 3 (2/3)²/2 / (3² − 1) = 1/12; F = 54 / (2 (1 + 2·1·(1/12))) = 23.142857, df2 = 1/(3 tmp) = 4,
// p = (1 + 2F/4)^(−2) = 0.00632748.
TEST(GroupsAnova, HandExample) {
  const GroupTotals t = FromLists(0, {{10, 20, 30}, {40, 50, 60}, {70, 80, 90}});
  const AnovaResult a = OneWayAnova(t);
  ASSERT_TRUE(a.computable()) << a.not_computable;
  EXPECT_EQ(a.groups, 3);
  EXPECT_EQ(a.n, 9u);
  EXPECT_NEAR(a.f, 27, 1e-12);
  EXPECT_EQ(a.df1, 2);
  EXPECT_EQ(a.df2, 6);
  EXPECT_NEAR(a.p, 0.001, 1e-12);
  EXPECT_NEAR(a.eta_squared, 0.9, 1e-12);
  const AnovaResult w = WelchAnova(t);
  ASSERT_TRUE(w.computable()) << w.not_computable;
  EXPECT_NEAR(w.f, 23.1428571429, 1e-9);
  EXPECT_EQ(w.df1, 2);
  EXPECT_NEAR(w.df2, 4, 1e-12);
  EXPECT_NEAR(w.p, 0.0063274793, 1e-9);
  EXPECT_NEAR(w.eta_squared, 0.9, 1e-12);
}

// R's sleep data (extra sleep, hours), × 10 + 20 so that the values are totals (F is unchanged):
//   group 1: 0.7 −1.6 −0.2 −1.2 −0.1 3.4 3.7 0.8 0.0 2.0;  group 2: 1.9 0.8 1.1 0.1 −0.1 4.4 5.5 1.6 4.6 3.4
//   t.test(extra ~ group, data = sleep, var.equal = TRUE)  →  t = -1.8608, df = 18, p-value = 0.07919
//   oneway.test(extra ~ group, data = sleep)               →  F = 3.4626, num df = 1.000,
//                                                            denom df = 17.776, p-value = 0.07939
// (F = t² with two groups; Welch's df by hand: 17.77647.)
TEST(GroupsAnova, ReproducesRsSleepExample) {
  const GroupTotals t =
      FromLists(0, {{27, 4, 18, 8, 19, 54, 57, 28, 20, 40}, {39, 28, 31, 21, 19, 64, 75, 36, 66, 54}});
  const AnovaResult a = OneWayAnova(t);
  ASSERT_TRUE(a.computable()) << a.not_computable;
  EXPECT_NEAR(std::sqrt(a.f), 1.8608, 5e-5);
  EXPECT_EQ(a.df2, 18);
  EXPECT_NEAR(a.p, 0.07919, 5e-6);
  const AnovaResult w = WelchAnova(t);
  ASSERT_TRUE(w.computable()) << w.not_computable;
  EXPECT_NEAR(w.f, 3.4626, 5e-5);
  EXPECT_EQ(w.df1, 1);
  EXPECT_NEAR(w.df2, 17.776, 5e-4);
  EXPECT_NEAR(w.df2, 17.7764735, 1e-6);
  EXPECT_NEAR(w.p, 0.07939, 5e-6);
}

TEST(GroupsAnova, EdgeCases) {
  EXPECT_EQ(OneWayAnova(FromLists(0, {{50, 60}, {}})).not_computable, "fewer than two groups have companies");
  EXPECT_EQ(WelchAnova(FromLists(0, {{50, 60}})).not_computable, "fewer than two groups have companies");
  EXPECT_EQ(OneWayAnova(FromLists(0, {{70, 70}, {70}})).not_computable, "every company has the same total");
  EXPECT_EQ(OneWayAnova(FromLists(0, {{50}, {60}})).not_computable,
            "every group has one company: no variation within groups to compare with");
  EXPECT_EQ(OneWayAnova(FromLists(0, {{50, 50}, {60, 60}})).not_computable,
            "within each group every company has the same total: F is infinite");
  EXPECT_EQ(WelchAnova(FromLists(0, {{50, 60}, {60}})).not_computable,
            "a group has only one company: its variance is unknown");
  EXPECT_EQ(WelchAnova(FromLists(0, {{50, 60}, {60, 60}})).not_computable,
            "within a group every company has the same total: its variance is 0");
  // The classical test only needs variation within the groups taken together.
  EXPECT_TRUE(OneWayAnova(FromLists(0, {{50, 60}, {60, 60}})).computable());
}

// By hand: passed/not 10/20, 20/10, 15/15; N = 90, 45 passed, so every expected count is 15.
// X² = (5² + 5² + 5² + 5² + 0 + 0)/15 = 6.666667, df = 2, p = exp(−X²/2) = 0.0356740,
// V = √(6.666667/90) = 0.272166. R: chisq.test(matrix(c(10, 20, 15, 20, 10, 15), 3)) prints the same.
TEST(GroupsPassRate, TwoByThreeByHand) {
  const PassRateResult r = PassRateDifference(PassFail({{10, 20}, {20, 10}, {15, 15}}), 70);
  ASSERT_TRUE(r.computable()) << r.not_computable;
  EXPECT_EQ(r.groups, 3);
  EXPECT_EQ(r.n, 90u);
  EXPECT_EQ(r.passed, 45u);
  EXPECT_EQ(r.df, 2);
  EXPECT_NEAR(r.chi_squared, 6.6666666667, 1e-9);
  EXPECT_NEAR(r.p, 0.0356739933, 1e-9);
  EXPECT_NEAR(r.cramers_v, 0.2721655270, 1e-9);
  EXPECT_DOUBLE_EQ(r.min_expected, 15);
  EXPECT_FALSE(r.simulated_p.has_value());
}

TEST(GroupsPassRate, PassMarkIsInclusive) {
  const PassRateResult r = PassRateDifference(FromLists(0, {{69, 70}, {70, 71, 100}}), 70);
  EXPECT_EQ(r.passed, 4u);
}

// The exact permutation p-value that the simulation estimates: P(X²* ≥ X²) over all tables with the
// observed margins, each with its multivariate hypergeometric probability.
double ExactPassP(const std::vector<uint64_t>& n, const std::vector<uint64_t>& a) {
  auto choose = [](double m, double k) {
    return std::exp(std::lgamma(m + 1) - std::lgamma(k + 1) - std::lgamma(m - k + 1));
  };
  const uint64_t N = n[0] + n[1] + n[2], P = a[0] + a[1] + a[2];
  auto x2 = [&](uint64_t a0, uint64_t a1, uint64_t a2) {
    const uint64_t as[3] = {a0, a1, a2};
    double s = 0;
    for (int i = 0; i < 3; ++i) {
      const double e = double(n[i]) * double(P) / double(N), f = double(n[i]) * double(N - P) / double(N);
      const double d = double(as[i]) - e;
      s += d * d / e + d * d / f;
    }
    return s;
  };
  const double observed = x2(a[0], a[1], a[2]);
  double p = 0;
  for (uint64_t a0 = 0; a0 <= n[0]; ++a0)
    for (uint64_t a1 = 0; a1 <= n[1]; ++a1) {
      if (a0 + a1 > P || P - a0 - a1 > n[2]) continue;
      const uint64_t a2 = P - a0 - a1;
      if (x2(a0, a1, a2) >= observed * (1 - 1e-12))
        p += choose(double(n[0]), double(a0)) * choose(double(n[1]), double(a1)) * choose(double(n[2]), double(a2)) /
             choose(double(N), double(P));
    }
  return p;
}

// Passed/not 1/4, 4/1, 3/3: expected passes 5·8/16 = 2.5 < 5, so the p-value is also simulated.
TEST(GroupsPassRate, SmallExpectedCountsAddAReproducibleMonteCarloP) {
  const GroupTotals t = PassFail({{1, 4}, {4, 1}, {3, 3}});
  const PassRateResult r = PassRateDifference(t, 70);
  ASSERT_TRUE(r.computable()) << r.not_computable;
  EXPECT_DOUBLE_EQ(r.min_expected, 2.5);
  ASSERT_TRUE(r.simulated_p.has_value());
  EXPECT_EQ(r.replicates, 10000);
  EXPECT_EQ(r.seed, 0x5348494E44414Eu);
  // Within 4 Monte Carlo standard errors of the exact permutation p-value.
  const double exact = ExactPassP({5, 5, 6}, {1, 4, 3});
  EXPECT_GT(exact, 0.05);
  EXPECT_LT(exact, 0.5);
  EXPECT_NEAR(*r.simulated_p, exact, 4 * std::sqrt(exact * (1 - exact) / 10000));
  // Pinned: 2243 of the 10,000 tables were at least as extreme. This changes only if the random
  // stream or the way tables are drawn changes — which changes published reports, so on purpose.
  EXPECT_EQ(*r.simulated_p, 2244.0 / 10001);
  // Reproducible: the same seed gives the same value, to the last bit.
  EXPECT_EQ(*PassRateDifference(t, 70).simulated_p, *r.simulated_p);
  // The group order does not change the draw (the simulation orders groups by size).
  EXPECT_EQ(*PassRateDifference(PassFail({{3, 3}, {4, 1}, {1, 4}}), 70).simulated_p, *r.simulated_p);
  // p = (1 + #)/(B + 1): never 0, and a multiple of 1/(B + 1).
  const double count = *r.simulated_p * 10001;
  EXPECT_NEAR(count, std::round(count), 1e-6);
}

TEST(GroupsPassRate, SimulationOptions) {
  SimulationOptions o;
  o.always = true;
  o.replicates = 2000;
  o.seed = 7;
  const PassRateResult r = PassRateDifference(PassFail({{10, 20}, {20, 10}, {15, 15}}), 70, o);
  ASSERT_TRUE(r.simulated_p.has_value());
  EXPECT_EQ(r.replicates, 2000);
  EXPECT_EQ(r.seed, 7u);
  EXPECT_NEAR(*r.simulated_p, r.p, 4 * std::sqrt(r.p * (1 - r.p) / 2000) + 0.01);
  // The most extreme table possible: every simulated table is at most as extreme.
  const PassRateResult extreme = PassRateDifference(PassFail({{6, 0}, {0, 6}}), 70);
  ASSERT_TRUE(extreme.simulated_p.has_value());
  EXPECT_GT(*extreme.simulated_p, 1.0 / 10001);
  EXPECT_LT(*extreme.simulated_p, 0.01);  // exact: 2/C(12,6) = 0.00216
}

TEST(GroupsPassRate, EdgeCases) {
  EXPECT_EQ(PassRateDifference(PassFail({{3, 4}}), 70).not_computable, "fewer than two groups have companies");
  EXPECT_EQ(PassRateDifference(PassFail({{3, 4}, {0, 0}}), 70).not_computable, "fewer than two groups have companies");
  EXPECT_EQ(PassRateDifference(PassFail({{3, 0}, {4, 0}}), 70).not_computable, "every company passed");
  EXPECT_EQ(PassRateDifference(PassFail({{0, 3}, {0, 4}}), 70).not_computable, "no company passed");
  // An empty group between two others changes nothing.
  const PassRateResult a = PassRateDifference(PassFail({{10, 20}, {20, 10}}), 70);
  const PassRateResult b = PassRateDifference(PassFail({{10, 20}, {0, 0}, {20, 10}}), 70);
  EXPECT_EQ(b.groups, 2);
  EXPECT_DOUBLE_EQ(a.chi_squared, b.chi_squared);
}

// R's ?power.t.test examples:
//   power.t.test(n = 20, delta = 1)           →  power = 0.8689528
//   power.t.test(power = .90, delta = 1)      →  n = 22.02110
//   power.t.test(delta = 1, sd = 1, power = 0.8)  →  n = 16.71477
// R's default counts only the upper tail (strict = FALSE); we count both, which adds
// P(T < −t_crit) ≈ 1e-7 here. R's uniroot stops at tol = ε^¼ ≈ 1.2e-4, so its n agrees to that.
TEST(GroupsPower, ReproducesRsPowerTTest) {
  EXPECT_NEAR(TTestPower(20, 20, 1, 1, 0.05).value(), 0.8689528, 1e-6);
  EXPECT_NEAR(TTestSampleSize(1, 1).value(), 16.71477, 2e-4);
  EXPECT_NEAR(TTestSampleSize(1, 1, {0.05, 0.90}).value(), 22.02110, 2e-4);
  // Only the ratio delta/sd matters.
  EXPECT_NEAR(TTestSampleSize(10, 10).value(), TTestSampleSize(1, 1).value(), 1e-8);
  // At the solution the power is the one asked for.
  const double n = TTestSampleSize(5, 12).value();
  EXPECT_NEAR(TTestPower(n, n, 5, 12, 0.05).value(), 0.8, 1e-9);
  // With no difference, the power is α.
  EXPECT_NEAR(TTestPower(30, 40, 0, 12, 0.05).value(), 0.05, 1e-12);
}

TEST(GroupsPower, RefusesBadArguments) {
  EXPECT_FALSE(TTestPower(1, 1, 1, 1, 0.05).ok());
  EXPECT_FALSE(TTestPower(10, 10, 1, 0, 0.05).ok());
  EXPECT_FALSE(TTestSampleSize(0, 1).ok());
  EXPECT_FALSE(TTestSampleSize(1, 1, {0.05, 0.04}).ok());
  EXPECT_EQ(TTestSampleSize(1, 1, {0, 0.8}).status().message(), "alpha must be between 0 and 1, got 0");
  EXPECT_FALSE(ProportionsSampleSizeFleiss(0.5, 0.5).ok());
  EXPECT_FALSE(ProportionsSampleSizeCohen(0.5, 1.5).ok());
}

// R's ?power.prop.test example: power.prop.test(p1 = .50, p2 = .75, power = .90)  →  n = 76.7.
// Fleiss by hand: p̄ = 0.625, z.975 = 1.959964, z.90 = 1.281552:
//   n = (1.959964 √(2·0.625·0.375) + 1.281552 √(0.25 + 0.1875))² / 0.25² = 76.70693.
// Cohen: h = 2 asin √.75 − 2 asin √.5 = 2π/3 − π/2 = π/6 = 0.5235988,
//   n = 2 ((1.959964 + 1.281552)/h)² = 76.65297.
TEST(GroupsPower, TwoProportions) {
  EXPECT_NEAR(ProportionsSampleSizeFleiss(0.5, 0.75, {0.05, 0.90}).value(), 76.7, 0.05);
  EXPECT_NEAR(ProportionsSampleSizeFleiss(0.5, 0.75, {0.05, 0.90}).value(), 76.706928, 1e-5);
  EXPECT_NEAR(ProportionsSampleSizeFleiss(0.75, 0.5, {0.05, 0.90}).value(), 76.706928, 1e-5);
  EXPECT_NEAR(ProportionsSampleSizeCohen(0.5, 0.75, {0.05, 0.90}).value(), 76.652967, 1e-5);
}

// Two groups {40, 50, 60} and {60, 70, 80, 90, 100}, a third empty: SS_within = 200 + 1000,
// n − k = 6, pooled SD = √200 = 14.142136.
TEST(GroupsDetect, MeanDifference) {
  GroupTotals t = FromLists(0, {{40, 50, 60}, {60, 70, 80, 90, 100}});
  t.counts.push_back({});
  const Result<MeanDetection> d = DetectMeanDifference(t, 10);
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_TRUE(d->computable()) << d->not_computable;
  EXPECT_NEAR(d->sd, std::sqrt(200.0), 1e-12);
  EXPECT_NEAR(d->n_exact, TTestSampleSize(10, std::sqrt(200.0)).value(), 1e-9);
  // δ/σ = 1/√2, so n is twice the n for δ/σ = 1: n_normal = 2 · 15.697759.
  EXPECT_NEAR(d->n_normal, 2 * 15.6977594687, 1e-8);
  EXPECT_EQ(d->n_per_group, static_cast<int64_t>(std::ceil(d->n_exact)));
  EXPECT_GT(d->n_exact, d->n_normal);  // the t distribution asks for a little more
  EXPECT_EQ(d->smallest[0], 3u);
  EXPECT_EQ(d->smallest[1], 5u);
  ASSERT_TRUE(d->current_power.has_value());
  EXPECT_NEAR(*d->current_power, TTestPower(3, 5, 10, std::sqrt(200.0), 0.05).value(), 1e-12);
  EXPECT_LT(*d->current_power, 0.8);
}

TEST(GroupsDetect, MeanDifferenceEdgeCases) {
  const GroupTotals t = FromLists(0, {{40, 50, 60}, {60, 70}});
  EXPECT_EQ(DetectMeanDifference(t, 0).status().message(),
            "the difference to detect must be a positive number of points, got 0");
  EXPECT_FALSE(DetectMeanDifference(t, 5, {0.05, 1.0}).ok());
  EXPECT_EQ(DetectMeanDifference(FromLists(0, {{40, 50}}), 5)->not_computable, "fewer than two groups have companies");
  EXPECT_EQ(DetectMeanDifference(FromLists(0, {{70, 70}, {70, 70}}), 5)->not_computable,
            "within each group every company has the same total: the SD is 0");
  EXPECT_EQ(DetectMeanDifference(FromLists(0, {{70}, {80}}), 5)->not_computable,
            "every group has one company: the SD within groups is unknown");
  // Groups of 1 and 1 beside a larger one: n and the SD are known, the current power is not.
  const Result<MeanDetection> d = DetectMeanDifference(FromLists(0, {{70}, {80}, {50, 60, 70}}), 5);
  ASSERT_TRUE(d->computable());
  EXPECT_FALSE(d->current_power.has_value());
}

// 12 of 20 companies pass: p = 0.6.
TEST(GroupsDetect, PassRateDifference) {
  const GroupTotals t = PassFail({{5, 5}, {7, 3}});
  const Result<PassRateDetection> d = DetectPassRateDifference(t, 70, 20);
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_TRUE(d->computable()) << d->not_computable;
  EXPECT_DOUBLE_EQ(d->base_rate, 0.6);
  EXPECT_NEAR(d->p1, 0.5, 1e-12);
  EXPECT_NEAR(d->p2, 0.7, 1e-12);
  EXPECT_NEAR(d->n_fleiss, ProportionsSampleSizeFleiss(0.5, 0.7).value(), 1e-9);
  EXPECT_EQ(d->n_per_group, static_cast<int64_t>(std::ceil(d->n_fleiss)));
  EXPECT_NEAR(d->n_cohen, ProportionsSampleSizeCohen(0.5, 0.7).value(), 1e-9);
  EXPECT_EQ(d->smallest[0], 10u);
  ASSERT_TRUE(d->current_power.has_value());
  EXPECT_GT(*d->current_power, 0.05);
  EXPECT_LT(*d->current_power, 0.5);
  // Near the edge the pair is shifted inside [0, 1]: p = 0.9, D = 30 → 0.7 and 1.
  const Result<PassRateDetection> e = DetectPassRateDifference(PassFail({{9, 1}, {9, 1}}), 70, 30);
  EXPECT_NEAR(e->p1, 0.7, 1e-12);
  EXPECT_DOUBLE_EQ(e->p2, 1);
  EXPECT_FALSE(DetectPassRateDifference(t, 70, 0).ok());
  EXPECT_EQ(DetectPassRateDifference(t, 70, 101).status().message(),
            "the pass-rate difference to detect must be between 0 and 100 points, got 101");
  EXPECT_EQ(DetectPassRateDifference(PassFail({{5, 5}}), 70, 20)->not_computable,
            "fewer than two groups have companies");
}

}  // namespace
}  // namespace shindan
