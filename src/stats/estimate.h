// Design-based estimation from a sample: means, totals and proportions with standard errors by
// Taylor linearisation, for stratified, one-stage cluster and post-stratified designs, overall or
// by domain (docs/statistics.md gives every formula with its reference).
//
// The pipeline is three values, each checked on construction:
//   DataTable  the sample as text cells (any CSV: a header, then one row per unit);
//   Design     per row its stratum, PSU and weight, per stratum the sample and population numbers
//              of PSUs, and the post-strata with their population counts;
//   Estimate   one statistic for one domain: estimate, SE, 95% interval, n, design effect.
//
// Conventions follow R's `survey` package (Lumley), the independent implementation the tests
// reproduce: svydesign(id, strata, weights, fpc) with lonely.psu = "fail", postStratify(), svymean
// / svytotal with na.rm = TRUE and deff = TRUE, svyby for domains, confint() for intervals.
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

// What the user said about the design: column names, empty when not given.
struct DesignSpec {
  std::string strata;      // --strata: stratum of each row
  std::string cluster;     // --cluster: PSU (cluster) of each row; none = each row is its own PSU
  std::string fpc;         // --fpc: per stratum, the population number of PSUs (> 1) or the
                           //        sampling fraction (≤ 1), as R's svydesign(fpc=)
  std::string weights;     // --weights: sampling weight of each row; none = N_h / n_h from --fpc,
                           //            or 1 without --fpc
  std::string poststrata;  // --poststrata: post-stratum of each row, with `population`
  std::optional<PopulationCounts> population;
};

// A checked sample design over the rows of one DataTable.
class Design {
 public:
  // Checks the design and computes the weights. Refuses, naming the row and the column: a missing
  // or bad stratum, cluster, fpc or weight; an fpc that varies within a stratum or is smaller than
  // the number of PSUs sampled; a cluster in two strata; a stratum with one PSU (R's default,
  // lonely.psu = "fail"); a post-stratum without a population count or without sample rows.
  static Result<Design> Build(const DataTable& data, const DesignSpec& spec);

  size_t rows() const { return weight_.size(); }
  // The final weight of each row (after post-stratification).
  std::span<const double> weights() const { return weight_; }
  size_t strata() const { return stratum_psus_.size(); }
  size_t psus() const { return psu_stratum_.size(); }
  // Degrees of freedom of the design: PSUs − strata (R's degf()).
  int degrees_of_freedom() const { return static_cast<int>(psus()) - static_cast<int>(strata()); }
  bool has_fpc() const { return has_fpc_; }
  bool post_stratified() const { return !poststratum_.empty(); }
  // One line describing the design, bilingual, for the human output.
  const std::string& description() const { return description_; }

  // The linearisation variance of an estimator whose influence values (already weighted) are
  // `z`, one per row:  Σ_h (1 − n_h/N_h) n_h/(n_h − 1) Σ_j (z_hj − z̄_h)²  over PSU totals z_hj,
  // after replacing z by its residuals from the post-stratum means when post-stratified.
  // REQUIRES: z.size() == rows().
  double Variance(std::span<const double> z) const;

 private:
  std::vector<double> weight_;        // per row, final
  std::vector<size_t> row_psu_;       // per row → PSU index
  std::vector<size_t> psu_stratum_;   // per PSU → stratum index
  std::vector<size_t> stratum_psus_;  // per stratum: n_h, the number of sampled PSUs
  std::vector<double> stratum_fpc_;   // per stratum: 1 − n_h/N_h (1 without --fpc)
  // Post-stratification: per row its post-stratum and weight before it (empty when none).
  std::vector<size_t> poststratum_;
  std::vector<double> design_weight_;
  size_t poststrata_ = 0;
  bool has_fpc_ = false;
  std::string description_;
};

// What to estimate.
struct EstimateSpec {
  std::string var;                  // --var: the column
  std::optional<std::string> prop;  // --prop VALUE: the share of rows where var == VALUE
  bool total = false;               // --total: the population total (a count with --prop)
  std::string by;                   // --by: one estimate per value of this column
};

struct Estimate {
  std::optional<std::string> domain;  // the --by value; nullopt for the whole population
  double estimate = 0, se = 0;
  double ci_low = 0, ci_high = 0;  // estimate ∓ z·se, z = kZ95 (normal, as R's confint)
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
// REQUIRES: `design` was built from `data`.
Result<std::vector<Estimate>> EstimateAll(const DataTable& data, const Design& design, const EstimateSpec& spec);

}  // namespace shindan
