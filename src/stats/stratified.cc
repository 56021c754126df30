#include "stats/stratified.h"

#include <algorithm>
#include <cmath>

#include "stats/estimate.h"  // kZ95

namespace shindan {

namespace {
}  // namespace

StratumSummary ProportionSummary(double population, double yes, double n) {
  StratumSummary s;
  s.population = population;
  s.n = n;
  if (n > 0) s.mean = yes / n;
  // s² of a 0/1 variable with divisor n − 1: n p (1 − p) / (n − 1).
  if (n > 1) s.variance = n * s.mean * (1 - s.mean) / (n - 1);
  return s;
}

StratumSummary ShareBelowSummary(double population, int min_value, std::span<const uint64_t> counts, int value) {
  double below = 0, equal = 0, n = 0;
  for (size_t k = 0; k < counts.size(); ++k) {
    const int v = min_value + static_cast<int>(k);
    const auto c = static_cast<double>(counts[k]);
    n += c;
    if (v < value) below += c;
    else if (v == value) equal += c;
  }
  StratumSummary s;
  s.population = population;
  s.n = n;
  if (n > 0) s.mean = (below + equal / 2) / n;
  if (n > 1) s.variance = std::max(0.0, (below + equal / 4 - n * s.mean * s.mean) / (n - 1));
  return s;
}

StratifiedEstimate StratifiedMean(std::span<const StratumSummary> strata, std::span<const std::string> labels) {
  StratifiedEstimate e;
  double population = 0;
  for (const StratumSummary& h : strata) population += h.population;
  e.population = population;
  if (population <= 0) {
    e.not_computable = "the strata have no population";
    return e;
  }
  double mean = 0, variance = 0;
  bool variance_known = true;
  for (size_t i = 0; i < strata.size(); ++i) {
    const StratumSummary& h = strata[i];
    if (h.population <= 0) continue;
    if (h.n <= 0) {
      e.not_computable = "stratum " + (i < labels.size() ? labels[i] : std::to_string(i + 1)) + " has no respondents";
      return e;
    }
    const double w = h.population / population;
    mean += w * h.mean;
    e.n += h.n;
    if (h.n < 2) {
      variance_known = false;
      continue;
    }
    const double fpc = std::max(0.0, 1 - h.n / h.population);
    variance += w * w * fpc * h.variance / h.n;
  }
  e.estimate = mean;
  if (variance_known) {
    e.se = std::sqrt(variance);
    e.ci_low = mean - kZ95 * *e.se;
    e.ci_high = mean + kZ95 * *e.se;
  }
  return e;
}

StratifiedEstimate StratifiedDomainProportion(std::span<const DomainStratum> strata, std::span<const std::string> labels) {
  StratifiedEstimate e;
  double domain = 0, yes = 0;
  for (size_t i = 0; i < strata.size(); ++i) {
    const DomainStratum& h = strata[i];
    if (h.population <= 0) continue;
    if (h.n <= 0) {
      e.not_computable = "stratum " + (i < labels.size() ? labels[i] : std::to_string(i + 1)) + " has no respondents";
      return e;
    }
    const double w = h.population / h.n;
    domain += w * h.in_domain;
    yes += w * h.yes;
    e.n += h.in_domain;
  }
  e.population = domain;
  if (domain <= 0) {
    e.not_computable = "no respondent is in the domain";
    return e;
  }
  const double p = yes / domain;
  double variance = 0;
  bool variance_known = true;
  for (const DomainStratum& h : strata) {
    if (h.population <= 0) continue;
    const double fpc = std::max(0.0, 1 - h.n / h.population);
    if (fpc < 1e-7) continue;  // sampled completely
    if (h.n < 2) {
      variance_known = false;
      continue;
    }
    const double sum_u = h.yes - h.in_domain * p;
    const double sum_u2 = h.yes * (1 - p) * (1 - p) + (h.in_domain - h.yes) * p * p;
    const double w = h.population / h.n / domain;
    variance += fpc * h.n / (h.n - 1) * w * w * std::max(0.0, sum_u2 - sum_u * sum_u / h.n);
  }
  e.estimate = p;
  if (variance_known) {
    e.se = std::sqrt(variance);
    e.ci_low = p - kZ95 * *e.se;
    e.ci_high = p + kZ95 * *e.se;
  }
  return e;
}

ShareInterval WilsonInterval(double p, double se, double n, double z) {
  if (n <= 0) return {};
  double effective = n;
  if (p > 0 && p < 1 && se > 0) effective = std::min(n, p * (1 - p) / (se * se));
  const double z2 = z * z;
  const double centre = p + z2 / (2 * effective);
  const double half = z * std::sqrt(p * (1 - p) / effective + z2 / (4 * effective * effective));
  const double scale = 1 + z2 / effective;
  return {std::max(0.0, (centre - half) / scale), std::min(1.0, (centre + half) / scale)};
}

}  // namespace shindan
