// Group differences from histograms of totals.
//
// Every statistic here is a sum over bins, never over companies: a bin of c companies with total x
// contributes c·x, c·(x − mean)², or c times its mid-rank. So a report of a million companies costs
// what one of a hundred does, except the Monte Carlo p-value (see SimulatePassTable).
//
// Boost.Math's distributions are used with a policy that returns NaN/∞ instead of throwing, so no
// exception crosses this module's boundary; the inputs are checked before they get there anyway.
#include "stats/groups.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/non_central_t.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <sstream>

#include "stats/sample.h"  // SplitMix64

namespace shindan {
namespace {

namespace bm = boost::math;
namespace bp = boost::math::policies;
using Policy = bp::policy<bp::domain_error<bp::errno_on_error>, bp::pole_error<bp::errno_on_error>,
                          bp::overflow_error<bp::errno_on_error>, bp::evaluation_error<bp::errno_on_error>,
                          bp::rounding_error<bp::errno_on_error>>;
using ChiSquared = bm::chi_squared_distribution<double, Policy>;
using FisherF = bm::fisher_f_distribution<double, Policy>;
using StudentsT = bm::students_t_distribution<double, Policy>;
using NoncentralT = bm::non_central_t_distribution<double, Policy>;
using Normal = bm::normal_distribution<double, Policy>;

double ChiSquaredUpper(double df, double x) { return bm::cdf(bm::complement(ChiSquared(df), x)); }
double FUpper(double df1, double df2, double x) { return bm::cdf(bm::complement(FisherF(df1, df2), x)); }
double Z(double p) { return bm::quantile(Normal(0, 1), p); }
double Phi(double x) { return bm::cdf(Normal(0, 1), x); }

// One non-empty group: its histogram and moments.
struct Group {
  const std::vector<uint64_t>* bins = nullptr;
  uint64_t n = 0;
  double mean = 0;
  double ss = 0;  // Σ c (x − mean)², about the group's own mean
};

std::vector<Group> NonEmptyGroups(const GroupTotals& totals) {
  std::vector<Group> out;
  for (const std::vector<uint64_t>& bins : totals.counts) {
    Group g;
    g.bins = &bins;
    double sum = 0;
    for (size_t b = 0; b < bins.size(); ++b) {
      g.n += bins[b];
      sum += static_cast<double>(bins[b]) * static_cast<double>(totals.min_total + static_cast<int>(b));
    }
    if (g.n == 0) continue;
    g.mean = sum / static_cast<double>(g.n);
    for (size_t b = 0; b < bins.size(); ++b) {
      const double d = totals.min_total + static_cast<double>(b) - g.mean;
      g.ss += static_cast<double>(bins[b]) * d * d;
    }
    out.push_back(g);
  }
  return out;
}

uint64_t Companies(const std::vector<Group>& groups) {
  uint64_t n = 0;
  for (const Group& g : groups) n += g.n;
  return n;
}

double GrandMean(const std::vector<Group>& groups) {
  double sum = 0;
  for (const Group& g : groups) sum += static_cast<double>(g.n) * g.mean;
  return sum / static_cast<double>(Companies(groups));
}

constexpr char kFewerThanTwoGroups[] = "fewer than two groups have companies";
constexpr char kAllEqual[] = "every company has the same total";

// The two smallest group sizes, smallest first. REQUIRES: groups.size() >= 2.
void TwoSmallest(const std::vector<Group>& groups, uint64_t out[2]) {
  std::vector<uint64_t> n;
  for (const Group& g : groups) n.push_back(g.n);
  std::partial_sort(n.begin(), n.begin() + 2, n.end());
  out[0] = n[0];
  out[1] = n[1];
}

std::string Num(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

Status CheckOptions(const PowerOptions& o) {
  if (!(o.alpha > 0 && o.alpha < 1)) return Status::InvalidInput("alpha must be between 0 and 1, got " + Num(o.alpha));
  if (!(o.power > o.alpha && o.power < 1))
    return Status::InvalidInput("power must be between alpha (" + Num(o.alpha) + ") and 1, got " + Num(o.power));
  return Status::Ok();
}

// --- Pass-rate simulation -------------------------------------------------------------------------

// SplitMix64 as a generator (Steele, Lea & Flood 2014), with Lemire's (2019) unbiased bounded
// integers: the same stream on every machine, unlike the std:: distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    const uint64_t r = SplitMix64(state_);
    state_ += 0x9E3779B97F4A7C15ull;
    return r;
  }
  // Uniform on [0, range). REQUIRES: range > 0.
  uint64_t Below(uint64_t range) {
    __extension__ using U128 = unsigned __int128;
    U128 m = static_cast<U128>(Next()) * range;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < range) {
      const uint64_t threshold = (0 - range) % range;
      while (low < threshold) {
        m = static_cast<U128>(Next()) * range;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

 private:
  uint64_t state_;
};

// Pearson's X² of the k × 2 table with passes a[i] of n[i], P passes of N in all.
double PassChiSquared(const std::vector<uint64_t>& a, const std::vector<uint64_t>& n, uint64_t passed, uint64_t total) {
  const double N = static_cast<double>(total), P = static_cast<double>(passed), F = N - P;
  double x2 = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double ni = static_cast<double>(n[i]);
    const double e_pass = ni * P / N, e_fail = ni * F / N;
    const double d = static_cast<double>(a[i]) - e_pass;  // = −(b_i − e_fail)
    x2 += d * d / e_pass + d * d / e_fail;
  }
  return x2;
}

// A random k × 2 table with the observed margins is a random assignment of the P passes to the N
// companies: the groups are filled one after another, each company passing with probability
// (passes left)/(companies left) — the multivariate hypergeometric distribution that R's r2dtable
// (Patefield 1981) samples too, though with another random stream, so the p-values agree with R's
// in distribution, not digit for digit. The largest group goes last (it is whatever is left), so a
// replicate costs N − n_max draws, or fewer when the passes or the failures run out.
double SimulatePassTable(const std::vector<uint64_t>& n, uint64_t passed, uint64_t total, double observed,
                         const SimulationOptions& options) {
  std::vector<size_t> order(n.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return n[x] < n[y]; });
  Rng rng(options.seed);
  std::vector<uint64_t> a(n.size());
  // R: STAT >= almost.1 * STATISTIC, almost.1 = 1 − 64 ε, so that a table equal to the observed
  // one counts despite rounding.
  const double threshold = observed * (1 - 64 * std::numeric_limits<double>::epsilon());
  uint64_t at_least = 0;
  for (int r = 0; r < options.replicates; ++r) {
    uint64_t passes_left = passed, left = total;
    for (size_t j = 0; j < order.size(); ++j) {
      const size_t i = order[j];
      if (j + 1 == order.size()) {
        a[i] = passes_left;
        break;
      }
      uint64_t x = 0;
      for (uint64_t c = 0; c < n[i]; ++c) {
        const uint64_t p = passes_left - x, l = left - c;  // passes and companies not yet placed
        if (p == 0) break;
        if (p == l) {  // only passes are left
          x += n[i] - c;
          break;
        }
        if (rng.Below(l) < p) ++x;
      }
      a[i] = x;
      passes_left -= x;
      left -= n[i];
    }
    if (PassChiSquared(a, n, passed, total) >= threshold) ++at_least;
  }
  return (1.0 + static_cast<double>(at_least)) / (options.replicates + 1.0);
}

}  // namespace

// --- Kruskal–Wallis ---------------------------------------------------------------------------------

KruskalWallisResult KruskalWallis(const GroupTotals& totals) {
  KruskalWallisResult r;
  const std::vector<Group> groups = NonEmptyGroups(totals);
  if (groups.size() < 2) {
    r.not_computable = kFewerThanTwoGroups;
    return r;
  }
  const uint64_t n = Companies(groups);
  const double N = static_cast<double>(n);
  size_t bins = 0;
  for (const Group& g : groups) bins = std::max(bins, g.bins->size());

  // All companies of a bin share its mid-rank: the ranks before it plus (t + 1)/2.
  std::vector<double> rank_sum(groups.size(), 0);
  double before = 0, ties = 0;
  for (size_t b = 0; b < bins; ++b) {
    uint64_t t = 0;
    for (const Group& g : groups)
      if (b < g.bins->size()) t += (*g.bins)[b];
    if (t == 0) continue;
    const double T = static_cast<double>(t);
    const double mid = before + (T + 1) / 2;
    for (size_t i = 0; i < groups.size(); ++i)
      if (b < groups[i].bins->size()) rank_sum[i] += static_cast<double>((*groups[i].bins)[b]) * mid;
    ties += T * T * T - T;
    before += T;
  }
  r.groups = static_cast<int>(groups.size());
  r.n = n;
  r.df = r.groups - 1;
  r.tie_correction = 1 - ties / (N * N * N - N);
  // Written about the mean rank (N + 1)/2 rather than as 12/(N(N+1)) Σ R²/n − 3(N+1), which
  // subtracts two large numbers.
  double between = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    const double d = rank_sum[i] / static_cast<double>(groups[i].n) - (N + 1) / 2;
    between += static_cast<double>(groups[i].n) * d * d;
  }
  if (r.tie_correction <= 0) {  // one bin holds everybody (R: NaN)
    r.not_computable = kAllEqual;
    r.tie_correction = 0;
    return r;
  }
  r.h = 12 / (N * (N + 1)) * between / r.tie_correction;
  r.p = ChiSquaredUpper(r.df, r.h);
  r.epsilon_squared = r.h / ((N * N - 1) / (N + 1));
  return r;
}

// --- ANOVA ------------------------------------------------------------------------------------------

AnovaResult OneWayAnova(const GroupTotals& totals) {
  AnovaResult r;
  const std::vector<Group> groups = NonEmptyGroups(totals);
  if (groups.size() < 2) {
    r.not_computable = kFewerThanTwoGroups;
    return r;
  }
  r.groups = static_cast<int>(groups.size());
  r.n = Companies(groups);
  r.df1 = r.groups - 1;
  r.df2 = static_cast<double>(r.n) - r.groups;
  const double grand = GrandMean(groups);
  double between = 0, within = 0;
  for (const Group& g : groups) {
    between += static_cast<double>(g.n) * (g.mean - grand) * (g.mean - grand);
    within += g.ss;
  }
  if (r.df2 < 1) {
    r.not_computable = "every group has one company: no variation within groups to compare with";
  } else if (between + within <= 0) {
    r.not_computable = kAllEqual;
  } else if (within <= 0) {
    r.not_computable = "within each group every company has the same total: F is infinite";
  }
  if (!r.computable()) return r;
  r.f = (between / r.df1) / (within / r.df2);
  r.p = FUpper(r.df1, r.df2, r.f);
  r.eta_squared = between / (between + within);
  return r;
}

AnovaResult WelchAnova(const GroupTotals& totals) {
  AnovaResult r;
  const std::vector<Group> groups = NonEmptyGroups(totals);
  if (groups.size() < 2) {
    r.not_computable = kFewerThanTwoGroups;
    return r;
  }
  r.groups = static_cast<int>(groups.size());
  r.n = Companies(groups);
  for (const Group& g : groups) {
    if (g.n < 2) {
      r.not_computable = "a group has only one company: its variance is unknown";
      return r;
    }
    if (g.ss <= 0) {
      r.not_computable = "within a group every company has the same total: its variance is 0";
      return r;
    }
  }
  // Welch (1951), term for term as R's oneway.test: weights w_i = n_i / s_i².
  const double k = r.groups;
  double sum_w = 0, sum_wm = 0;
  for (const Group& g : groups) {
    const double w = static_cast<double>(g.n) / (g.ss / static_cast<double>(g.n - 1));
    sum_w += w;
    sum_wm += w * g.mean;
  }
  const double m = sum_wm / sum_w;
  double a = 0, tmp = 0;
  for (const Group& g : groups) {
    const double w = static_cast<double>(g.n) / (g.ss / static_cast<double>(g.n - 1));
    a += w * (g.mean - m) * (g.mean - m);
    tmp += (1 - w / sum_w) * (1 - w / sum_w) / static_cast<double>(g.n - 1);
  }
  tmp /= k * k - 1;
  r.f = a / ((k - 1) * (1 + 2 * (k - 2) * tmp));
  r.df1 = k - 1;
  r.df2 = 1 / (3 * tmp);
  r.p = FUpper(r.df1, r.df2, r.f);
  const double grand = GrandMean(groups);
  double between = 0, within = 0;
  for (const Group& g : groups) {
    between += static_cast<double>(g.n) * (g.mean - grand) * (g.mean - grand);
    within += g.ss;
  }
  r.eta_squared = between / (between + within);
  return r;
}

// --- Pass rates -------------------------------------------------------------------------------------

PassRateResult PassRateDifference(const GroupTotals& totals, int pass_mark, const SimulationOptions& options) {
  PassRateResult r;
  const std::vector<Group> groups = NonEmptyGroups(totals);
  if (groups.size() < 2) {
    r.not_computable = kFewerThanTwoGroups;
    return r;
  }
  std::vector<uint64_t> a, n;
  for (const Group& g : groups) {
    uint64_t passed = 0;
    for (size_t b = 0; b < g.bins->size(); ++b)
      if (totals.min_total + static_cast<int64_t>(b) >= pass_mark) passed += (*g.bins)[b];
    a.push_back(passed);
    n.push_back(g.n);
    r.passed += passed;
  }
  r.groups = static_cast<int>(groups.size());
  r.n = Companies(groups);
  r.df = r.groups - 1;
  if (r.passed == 0) {
    r.not_computable = "no company passed";
    return r;
  }
  if (r.passed == r.n) {
    r.not_computable = "every company passed";
    return r;
  }
  const double N = static_cast<double>(r.n);
  const uint64_t smaller_margin = std::min(r.passed, r.n - r.passed);
  r.min_expected = static_cast<double>(*std::min_element(n.begin(), n.end())) * static_cast<double>(smaller_margin) / N;
  r.chi_squared = PassChiSquared(a, n, r.passed, r.n);
  r.p = ChiSquaredUpper(r.df, r.chi_squared);
  r.cramers_v = std::sqrt(r.chi_squared / N);
  if ((r.min_expected < 5 || options.always) && options.replicates > 0) {
    r.simulated_p = SimulatePassTable(n, r.passed, r.n, r.chi_squared, options);
    r.replicates = options.replicates;
    r.seed = options.seed;
  }
  return r;
}

// --- Power and sample sizes -------------------------------------------------------------------------

Result<double> TTestPower(double n1, double n2, double delta, double sd, double alpha) {
  const double df = n1 + n2 - 2;
  if (!(n1 > 0 && n2 > 0 && df > 0))
    return Status::InvalidInput("the t test needs n1 + n2 > 2, got " + Num(n1) + " and " + Num(n2));
  if (!(delta >= 0 && std::isfinite(delta)))
    return Status::InvalidInput("the difference must be ≥ 0, got " + Num(delta));
  if (!(sd > 0 && std::isfinite(sd))) return Status::InvalidInput("the SD must be > 0, got " + Num(sd));
  if (!(alpha > 0 && alpha < 1)) return Status::InvalidInput("alpha must be between 0 and 1, got " + Num(alpha));
  const double ncp = delta / (sd * std::sqrt(1 / n1 + 1 / n2));
  const double t = bm::quantile(bm::complement(StudentsT(df), alpha / 2));
  const NoncentralT dist(df, ncp);
  return bm::cdf(bm::complement(dist, t)) + bm::cdf(dist, -t);
}

Result<double> TTestSampleSize(double delta, double sd, const PowerOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  if (!(delta > 0 && std::isfinite(delta)))
    return Status::InvalidInput("the difference must be > 0, got " + Num(delta));
  if (!(sd > 0 && std::isfinite(sd))) return Status::InvalidInput("the SD must be > 0, got " + Num(sd));
  auto power = [&](double n) { return TTestPower(n, n, delta, sd, options.alpha).value(); };
  // Power increases with n: bracket the root from the normal formula up, then bisect it to the
  // last bits (R's uniroot stops at tol = ε^¼, so R agrees to about 4 significant digits).
  double lo = 2;
  if (power(lo) >= options.power) return lo;
  const double zsum = Z(1 - options.alpha / 2) + Z(options.power);
  double hi = std::max(4.0, 2 * (zsum * sd / delta) * (zsum * sd / delta) + 4);
  while (power(hi) < options.power) {
    lo = hi;
    hi *= 2;
    if (hi > 1e15)
      return Status::InvalidInput("the difference " + Num(delta) + " is too small to detect with SD " + Num(sd));
  }
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    (power(mid) < options.power ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

namespace {

Status CheckProportions(double p1, double p2) {
  if (!(p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1))
    return Status::InvalidInput("proportions must be between 0 and 1, got " + Num(p1) + " and " + Num(p2));
  if (p1 == p2) return Status::InvalidInput("the two proportions must differ, both are " + Num(p1));
  return Status::Ok();
}

double CohensH(double p1, double p2) { return std::fabs(2 * std::asin(std::sqrt(p1)) - 2 * std::asin(std::sqrt(p2))); }

}  // namespace

Result<double> ProportionsSampleSizeFleiss(double p1, double p2, const PowerOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  if (Status s = CheckProportions(p1, p2); !s.ok()) return s;
  // Fleiss, Levin & Paik (2003) ch. 4, without the continuity correction: the n at which
  // R's power.prop.test(strict = FALSE) reaches the power (its equation solved in closed form).
  const double pbar = (p1 + p2) / 2;
  const double num = Z(1 - options.alpha / 2) * std::sqrt(2 * pbar * (1 - pbar)) +
                     Z(options.power) * std::sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return num * num / ((p1 - p2) * (p1 - p2));
}

Result<double> ProportionsSampleSizeCohen(double p1, double p2, const PowerOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  if (Status s = CheckProportions(p1, p2); !s.ok()) return s;
  // Cohen (1988) §6.3: 2 asin √p̂ has variance ≈ 1/n whatever p, so the difference of two has
  // variance 2/n and n = 2 ((z_{1−α/2} + z_power) / h)².
  const double z = (Z(1 - options.alpha / 2) + Z(options.power)) / CohensH(p1, p2);
  return 2 * z * z;
}

Result<MeanDetection> DetectMeanDifference(const GroupTotals& totals, double points, const PowerOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  if (!(points > 0 && std::isfinite(points)))
    return Status::InvalidInput("the difference to detect must be a positive number of points, got " + Num(points));
  MeanDetection d;
  d.points = points;
  const std::vector<Group> groups = NonEmptyGroups(totals);
  if (groups.size() < 2) {
    d.not_computable = kFewerThanTwoGroups;
    return d;
  }
  TwoSmallest(groups, d.smallest);
  const uint64_t n = Companies(groups);
  if (n <= groups.size()) {
    d.not_computable = "every group has one company: the SD within groups is unknown";
    return d;
  }
  double within = 0;
  for (const Group& g : groups) within += g.ss;
  d.sd = std::sqrt(within / static_cast<double>(n - groups.size()));
  if (d.sd <= 0) {
    d.not_computable = "within each group every company has the same total: the SD is 0";
    return d;
  }
  Result<double> exact = TTestSampleSize(points, d.sd, options);
  if (!exact.ok()) return exact.status();
  d.n_exact = *exact;
  d.n_per_group = static_cast<int64_t>(std::ceil(d.n_exact - 1e-9));
  const double z = (Z(1 - options.alpha / 2) + Z(options.power)) * d.sd / points;
  d.n_normal = 2 * z * z;
  if (d.smallest[0] + d.smallest[1] > 2) {
    d.current_power =
        TTestPower(static_cast<double>(d.smallest[0]), static_cast<double>(d.smallest[1]), points, d.sd, options.alpha)
            .value();
  }
  return d;
}

Result<PassRateDetection> DetectPassRateDifference(const GroupTotals& totals, int pass_mark, double points,
                                                   const PowerOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  if (!(points > 0 && points <= 100))
    return Status::InvalidInput("the pass-rate difference to detect must be between 0 and 100 points, got " +
                                Num(points));
  PassRateDetection d;
  d.points = points;
  const std::vector<Group> groups = NonEmptyGroups(totals);
  if (groups.size() < 2) {
    d.not_computable = kFewerThanTwoGroups;
    return d;
  }
  TwoSmallest(groups, d.smallest);
  uint64_t passed = 0;
  for (const Group& g : groups)
    for (size_t b = 0; b < g.bins->size(); ++b)
      if (totals.min_total + static_cast<int64_t>(b) >= pass_mark) passed += (*g.bins)[b];
  d.base_rate = static_cast<double>(passed) / static_cast<double>(Companies(groups));
  const double D = points / 100;
  d.p1 = d.base_rate - D / 2;
  d.p2 = d.base_rate + D / 2;
  if (d.p1 < 0) {
    d.p1 = 0;
    d.p2 = D;
  } else if (d.p2 > 1) {
    d.p1 = 1 - D;
    d.p2 = 1;
  }
  d.n_fleiss = ProportionsSampleSizeFleiss(d.p1, d.p2, options).value();
  d.n_per_group = static_cast<int64_t>(std::ceil(d.n_fleiss - 1e-9));
  d.cohens_h = CohensH(d.p1, d.p2);
  d.n_cohen = ProportionsSampleSizeCohen(d.p1, d.p2, options).value();
  const double shift =
      d.cohens_h / std::sqrt(1 / static_cast<double>(d.smallest[0]) + 1 / static_cast<double>(d.smallest[1]));
  const double z = Z(1 - options.alpha / 2);
  d.current_power = Phi(shift - z) + Phi(-shift - z);
  return d;
}

}  // namespace shindan
