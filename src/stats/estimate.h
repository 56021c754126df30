// Design-based estimation from a sample: means, totals and proportions with standard errors by
// Taylor linearisation, for stratified, multistage cluster and post-stratified designs, overall or
// by domain (docs/statistics.md gives every formula with its reference).
//
// The pipeline is three values, each checked on construction:
//   DataTable  the sample as text cells (any CSV: a header, then one row per unit);
//   Design     per row its stratum, PSU and weight, per stratum the sample and population numbers
//              of PSUs, and the post-strata with their population counts;
//   Estimate   one statistic for one domain: estimate, SE, interval, n, design effect.
//
// Conventions follow R's `survey` package 4.1 (Lumley), the independent implementation the tests
// reproduce: svydesign(id = ~A + B, strata, weights, fpc = ~F1 + F2), options(survey.lonely.psu),
// postStratify(), svymean / svytotal with na.rm = TRUE and deff = TRUE, svyby for domains,
// confint(…, level, df = degf(design)) for intervals.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace shindan {

// A CSV sample held as text: the header, then rows of cells with the line each row started on.
struct DataTable {
  std::string source;  // the file name used in messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each exactly header.size() cells
  std::vector<int> lines;                      // 1-based line of each row

  // The index of column `name`; an error names the file and lists the columns.
  Result<size_t> Column(std::string_view name) const;
  // "FILE:LINE:COLUMN" for row `row`, column `col`.
  std::string Where(size_t row, size_t col) const;
};

// Reads a CSV (UTF-8, header first). Every row must have as many cells as the header.
Result<DataTable> ReadDataTable(std::string_view text, const std::string& source);

// A missing value: an empty cell or NA (after trimming white space).
bool IsMissing(std::string_view cell);

// A number in a cell ("662", "-1.5", "3.2e4"); nullopt for anything else, including inf and nan.
std::optional<double> ParseNumber(std::string_view cell);

// Population counts per post-stratum, read from a CSV whose header is `COLUMN,count` (COLUMN the
// post-stratification variable, e.g. `stype,count`) and one row per level.
struct PopulationCounts {
  std::string source;
  std::vector<std::string> levels;
  std::vector<double> counts;
};
Result<PopulationCounts> ParsePopulationCounts(std::string_view text, const std::string& source,
                                               std::string_view column);

// What to do with a stratum that has a single PSU (R's options(survey.lonely.psu = …)):
//   fail       refuse the design (R's default);
//   remove     the stratum adds nothing to the variance;
//   certainty  likewise, as if its PSU had been taken with certainty (in R 4.1 the same number);
//   adjust     its PSU total is taken as a deviation from 0 (the grand mean of the influence values)
//              instead of from its stratum's mean: adds f_h · z_hj²;
//   average    its variance is the average of the other strata's: the sum over the strata with
//              two or more PSUs times (strata / those strata).
enum class LonelyPsu { kFail, kRemove, kCertainty, kAdjust, kAverage };
// "fail", "remove", "certainty", "adjust", "average"; nullopt for anything else.
std::optional<LonelyPsu> ParseLonelyPsu(std::string_view name);
const char* LonelyPsuName(LonelyPsu lonely);

// What the user said about the design: column names, empty when not given.
struct DesignSpec {
  std::string strata;      // --strata: stratum of each row (of the first stage)
  std::string cluster;     // --cluster: the sampling unit of each row at each stage, comma-separated
                           //   (`dnum,snum`: districts, then schools within them); none = each row
                           //   is its own PSU. Units of a later stage are numbered within the unit
                           //   of the stage before (snum need only be unique within its dnum).
  std::string fpc;         // --fpc: per stage, comma-separated, the population number of units
                           //   (> 1) or the sampling fraction (≤ 1), as R's svydesign(fpc=): at
                           //   stage 1 per stratum, at stage s per unit of stage s − 1. One
                           //   column per --cluster stage (or one without --cluster).
  std::string weights;     // --weights: sampling weight of each row; none = Π_s N_s / n_s from
                           //            --fpc, or 1 without --fpc
  LonelyPsu lonely_psu = LonelyPsu::kFail;  // --lonely-psu, at every stage
  std::string poststrata;  // --poststrata: post-stratum of each row, with `population`
  std::optional<PopulationCounts> population;
};

// A checked sample design over the rows of one DataTable.
class Design {
 public:
  // Checks the design and computes the weights. Refuses, naming the row and the column: a missing
  // or bad stratum, cluster, fpc or weight; an fpc that varies within a stratum (or, at a later
  // stage, within the unit of the stage before) or is smaller than the number of units sampled; a
  // cluster in two strata; a stratum with one PSU under lonely_psu = kFail (R's default), and at a
  // later stage under kFail or kAverage (R gives NaN there); a post-stratum without a population
  // count or without sample rows.
  static Result<Design> Build(const DataTable& data, const DesignSpec& spec);

  size_t rows() const { return weight_.size(); }
  // The final weight of each row (after post-stratification).
  std::span<const double> weights() const { return weight_; }
  size_t strata() const { return stages_.front().group_units.size(); }
  size_t psus() const { return stages_.front().unit_group.size(); }
  // The stages whose variance is estimated: the --cluster columns when every stage has an fpc,
  // else 1 (the first stage's units as ultimate clusters, R's rule).
  size_t stages() const { return stages_.size(); }
  // Degrees of freedom of the design: PSUs − strata (R's degf()).
  int degrees_of_freedom() const { return static_cast<int>(psus()) - static_cast<int>(strata()); }
  bool has_fpc() const { return has_fpc_; }
  bool post_stratified() const { return !poststratum_.empty(); }
  // One line describing the design, bilingual, for the human output.
  const std::string& description() const { return description_; }

  // The linearisation variance of an estimator whose influence values (already weighted) are
  // `z`, one per row:  Σ_h (1 − n_h/N_h) n_h/(n_h − 1) Σ_j (z_hj − z̄_h)²  over PSU totals z_hj,
  // plus for each later stage the same sum within each unit of the stage before, times the
  // sampling fractions of the stages above it (R's survey:::multistage), after replacing z by
  // its residuals from the post-stratum means when post-stratified.
  // REQUIRES: z.size() == rows().
  double Variance(std::span<const double> z) const;

 private:
  // One stage of sampling: units drawn within groups (at stage 1 the strata, at stage s the units
  // of stage s − 1).
  struct Stage {
    std::vector<size_t> row_unit;     // per row → unit
    std::vector<size_t> unit_group;   // per unit → group
    std::vector<size_t> group_units;  // per group: n, the units sampled
    std::vector<double> group_fpc;    // per group: 1 − n/N (1 without --fpc)
    std::vector<double> group_scale;  // per group: Π n/N of the stages above (1 at stage 1)
  };
  std::vector<double> weight_;  // per row, final
  std::vector<Stage> stages_;   // at least one
  LonelyPsu lonely_psu_ = LonelyPsu::kFail;
  // Post-stratification: per row its post-stratum and weight before it (empty when none).
  std::vector<size_t> poststratum_;
  std::vector<double> design_weight_;
  size_t poststrata_ = 0;
  bool has_fpc_ = false;
  std::string description_;
};

// The confidence interval: estimate ∓ q·SE, q the (1 + level)/2 quantile of the standard normal
// (R's confint() default) or of Student's t on the design's degrees of freedom (R's
// confint(…, df = degf(design))).
enum class IntervalKind { kNormal, kT };
struct IntervalSpec {
  IntervalKind kind = IntervalKind::kNormal;  // --ci normal|t
  double level = 0.95;                        // --level, in (0, 1)
};
// q for `interval` on `df` degrees of freedom (df is used for kT only); NaN when df < 1.
double IntervalQuantile(const IntervalSpec& interval, int df);

// What to estimate.
struct EstimateSpec {
  std::string var;                  // --var: the column
  std::optional<std::string> prop;  // --prop VALUE: the share of rows where var == VALUE, compared
                                    //   as numbers when both are numbers (1 matches 1.0), else as text
  bool total = false;               // --total: the population total (a count with --prop)
  std::string by;                   // --by: one estimate per value of this column
  IntervalSpec interval;
};

struct Estimate {
  std::optional<std::string> domain;  // the --by value; nullopt for the whole population
  double estimate = 0, se = 0;
  double ci_low = 0, ci_high = 0;  // estimate ∓ q·se, q = IntervalQuantile(spec.interval, df)
  int64_t n = 0;                   // rows in the domain with a value of var
  double population = 0;           // Σ weights over those rows: the estimated domain size
  double deff = 0;                 // Kish's design effect vs SRS without replacement (R's deff)
};

// The 0.975 quantile of the standard normal distribution, R's qnorm(0.975).
inline constexpr double kZ95 = 1.959963984540054;

// "mean", "total", "proportion" or "count" (a total with --prop).
const char* StatisticName(const EstimateSpec& spec);

// The estimates, one for the whole population or one per value of spec.by (sorted; numerically
// when every value is a number). Missing values of var are left out of every estimate (R's
// na.rm = TRUE: the rows stay in the design, as a domain). A value that is not a number, for a
// mean or a total, is refused naming FILE:LINE:COLUMN. Domains are estimated by the indicator
// method over the whole design (never by cutting the design down to the domain's rows).
// With --prop, a VALUE that matches no present value of var is not an error (the share is 0)
// but most likely a typo: `warnings`, when given, receives a message naming the values there are.
// REQUIRES: `design` was built from `data`.
Result<std::vector<Estimate>> EstimateAll(const DataTable& data, const Design& design, const EstimateSpec& spec,
                                          std::vector<std::string>* warnings = nullptr);

}  // namespace shindan
