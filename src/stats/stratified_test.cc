// The report's stratified estimator, from per-stratum summaries, against R's survey package on the
// api data (svymean(~api00, dstrat) = 662.29, SE 9.4089 — ../shared/reference/README.md).
#include "stats/stratified.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "base/file.h"
#include "stats/estimate.h"

namespace shindan {
namespace {

// Per-stratum summaries of `column` in apistrat (strata stype, N_h in fpc).
std::vector<StratumSummary> ApistratSummaries(const std::string& column, std::vector<std::string>* labels) {
  const std::string path = std::string(SHINDAN_SOURCE_ROOT) + "/tests/fixtures/api/apistrat.csv";
  DataTable t = ReadDataTable(FileSystem::Disk().ReadFile(path).value(), "apistrat.csv").value();
  const size_t stype = t.Column("stype").value(), fpc = t.Column("fpc").value(), var = t.Column(column).value();
  std::map<std::string, std::vector<double>> values;
  std::map<std::string, double> population;
  for (const auto& row : t.rows) {
    values[row[stype]].push_back(*ParseNumber(row[var]));
    population[row[stype]] = *ParseNumber(row[fpc]);
  }
  std::vector<StratumSummary> out;
  for (const auto& [h, v] : values) {
    StratumSummary s;
    s.population = population[h];
    s.n = static_cast<double>(v.size());
    for (double x : v) s.mean += x / s.n;
    for (double x : v) s.variance += (x - s.mean) * (x - s.mean) / (s.n - 1);
    out.push_back(s);
    labels->push_back(h);
  }
  return out;
}

TEST(Stratified, ReproducesRsStratifiedMean) {
  std::vector<std::string> labels;
  std::vector<StratumSummary> strata = ApistratSummaries("api00", &labels);
  StratifiedEstimate e = StratifiedMean(strata, labels);
  ASSERT_TRUE(e.computable()) << e.not_computable;
  EXPECT_NEAR(e.estimate, 662.29, 0.005);
  ASSERT_TRUE(e.se.has_value());
  EXPECT_NEAR(*e.se, 9.4089, 0.00005);
  EXPECT_NEAR(*e.ci_low, 662.29 - 1.959964 * 9.4089, 0.01);
  EXPECT_EQ(e.n, 200);
  EXPECT_EQ(e.population, 6194);
}

TEST(Stratified, AProportionIsTheMeanOfAZeroOneVariable) {
  // Two strata: 1 of 4 and 3 of 4, populations 100 and 300. By hand: W = .25, .75;
  // p = .25·.25 + .75·.75 = .625; s² = 4·p(1−p)/3 = .25 in both;
  // V = .0625·(1 − 4/100)·.25/4 + .5625·(1 − 4/300)·.25/4 = 0.00375 + 0.0346875 = 0.0384375.
  std::vector<StratumSummary> strata = {ProportionSummary(100, 1, 4), ProportionSummary(300, 3, 4)};
  StratifiedEstimate e = StratifiedMean(strata);
  EXPECT_DOUBLE_EQ(e.estimate, 0.625);
  EXPECT_NEAR(*e.se, std::sqrt(0.0384375), 1e-12);
}

TEST(Stratified, AWholeStratumCensusedHasNoSamplingError) {
  std::vector<StratumSummary> strata = {ProportionSummary(4, 1, 4), ProportionSummary(4, 3, 4)};
  StratifiedEstimate e = StratifiedMean(strata);
  EXPECT_DOUBLE_EQ(e.estimate, 0.5);
  EXPECT_DOUBLE_EQ(*e.se, 0.0);
}

TEST(Stratified, APopulationStratumWithoutRespondentsIsNotComputable) {
  std::vector<StratumSummary> strata = {ProportionSummary(100, 1, 4), ProportionSummary(300, 0, 0),
                                        ProportionSummary(0, 0, 0)};
  std::vector<std::string> labels = {"A×mfg", "B×svc", "C×dist"};
  StratifiedEstimate e = StratifiedMean(strata, labels);
  EXPECT_EQ(e.not_computable, "stratum B×svc has no respondents");
  // A stratum with no population is simply not part of the estimate.
  std::vector<StratumSummary> fine = {ProportionSummary(100, 1, 4), ProportionSummary(0, 0, 0)};
  EXPECT_TRUE(StratifiedMean(fine).computable());
  EXPECT_DOUBLE_EQ(StratifiedMean(fine).estimate, 0.25);
}

TEST(Stratified, OneRespondentInAStratumLeavesTheErrorUnknown) {
  std::vector<StratumSummary> strata = {ProportionSummary(100, 1, 1), ProportionSummary(300, 3, 4)};
  StratifiedEstimate e = StratifiedMean(strata);
  EXPECT_TRUE(e.computable());
  EXPECT_FALSE(e.se.has_value());
  EXPECT_FALSE(e.ci_low.has_value());
}

}  // namespace
}  // namespace shindan
