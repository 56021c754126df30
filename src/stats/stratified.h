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

#include <cstdint>
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

// The summary of the mid-rank indicator of `value` over a stratum's respondents, from the histogram
// of their values (`counts[k]` respondents have `min_value + k`): u_i = 1 below `value`, ½ equal,
// 0 above. Its stratified mean is the population's share below `value`, ties counting half — the
// result page's weighted percentile (web/peers.h). ū_h = (b + e/2)/n and, as Σu² = b + e/4,
// s_h² = (b + e/4 − n ū_h²)/(n − 1), b and e the respondents below and equal.
StratumSummary ShareBelowSummary(double population, int min_value, std::span<const uint64_t> counts, int value);

// The Wilson score interval of a share `p` estimated with standard error `se` from `n`
// respondents, on the effective sample size n* = p(1 − p)/se² (Kish's n/deff; Korn & Graubard
// 1998), kept at most n, and n itself when p is 0 or 1 or se is 0:
//   (p + z²/2n* ∓ z √(p(1 − p)/n* + z²/4n*²)) / (1 + z²/n*).
// Unlike the Wald interval p ∓ z·se it never leaves 0…1 and does not collapse to a point when
// every respondent is below (or above) the value: with 20 of 20 below it is 0.839…1 (Wilson
// 1927; Agresti & Coull 1998). {0, 1} when n is 0.
struct ShareInterval {
  double low = 0, high = 1;
};
ShareInterval WilsonInterval(double p, double se, double n, double z);

// A proportion over a domain that cuts across the strata — an item's implementation rate among
// the companies it applies to (answered, and not 該当なし): per stratum, of its `n` respondents,
// `in_domain` are in the domain and `yes` of those answered yes.
struct DomainStratum {
  double population = 0;  // N_h
  double n = 0;           // n_h: every respondent of the stratum
  double in_domain = 0;   // m_h
  double yes = 0;         // a_h
};

// The design-based domain estimator (Lohr 2010 §4.3; Cochran 1977 §5A.14; R's svymean on
// subset(design, applies), which keeps every stratum's n_h):
//   p̂ = Σ_h w_h a_h / N̂_d,  w_h = N_h/n_h,  N̂_d = Σ_h w_h m_h (the estimated companies in the domain)
//   V(p̂) = Σ_h (1 − n_h/N_h) n_h/(n_h − 1) (w_h/N̂_d)² [Σ_i u_hi² − (Σ_i u_hi)²/n_h],
//   u_hi = 1 − p̂ (yes), −p̂ (in the domain, not yes), 0 (outside the domain), over all n_h.
// When the domain is the whole stratum (m_h = n_h) this is StratifiedMean of the proportions.
// Not computable when a stratum of the population has no respondents or the domain is empty;
// the SE is unknown when a stratum with N_h > 0 has a single respondent. `population` in the
// result is N̂_d.
StratifiedEstimate StratifiedDomainProportion(std::span<const DomainStratum> strata,
                                              std::span<const std::string> labels = {});

}  // namespace shindan
