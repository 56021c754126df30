// Stratified estimation from per-stratum summaries: the report's population estimates (pass rate,
// mean total, item implementation rates, weighted by a frame such as 表1), computed from the
// report's counts rather than from rows, so that they cost nothing at a million responses.
//
//   ȳ_st = Σ W_h ȳ_h,  W_h = N_h / N
//   V(ȳ_st) = Σ W_h² (1 − n_h/N_h) s_h² / n_h
//
// (Cochran 1977, §5.2–5.3; Lohr 2010, §3.2.) The 95% interval is ȳ_st ± z·SE with z = 1.96, as
// R's confint() on svymean. A domain made of whole strata (a size type, an industry) is the same
// estimator over its strata. docs/statistics.md, "Population estimates in the report".
#pragma once

#include <optional>
#include <span>
#include <string>

namespace shindan {

struct StratumSummary {
  double population = 0;  // N_h
  double n = 0;           // n_h: respondents with a value
  double mean = 0;        // ȳ_h (a proportion for a 0/1 variable)
  double variance = 0;    // s_h², with divisor n_h − 1 (0 when n_h < 2)
};

struct StratifiedEstimate {
  std::string not_computable;  // why not (a stratum of the population without respondents), or empty
  double estimate = 0;
  std::optional<double> se;  // none when a stratum has a single respondent (its variance is unknown)
  std::optional<double> ci_low, ci_high;
  double n = 0;           // respondents used
  double population = 0;  // N of the strata
  bool computable() const { return not_computable.empty(); }
};

// Strata with population 0 are left out. `labels`, parallel to `strata` when given, name a
// stratum in not_computable.
StratifiedEstimate StratifiedMean(std::span<const StratumSummary> strata, std::span<const std::string> labels = {});

// The summary of a 0/1 variable: `yes` of `n`.
StratumSummary ProportionSummary(double population, double yes, double n);

}  // namespace shindan
