#include "stats/stratified.h"

#include <cmath>

namespace shindan {

namespace {
constexpr double kZ95 = 1.959963984540054;  // qnorm(0.975)
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

}  // namespace shindan
