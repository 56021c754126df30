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

// The mid-rank indicator of 60 over a stratum with totals 40 60 60 80 100 (bins from 40 in steps
// of 1): u = 1 ½ ½ 0 0, mean .4, s² = (Σu² − n ū²)/(n − 1) = (1.5 − .8)/4 = .175.
TEST(Stratified, TheShareBelowAValueFromAHistogram) {
  std::vector<uint64_t> counts(61, 0);
  counts[0] = 1, counts[20] = 2, counts[40] = 1, counts[60] = 1;
  const StratumSummary s = ShareBelowSummary(1000, 40, counts, 60);
  EXPECT_EQ(s.population, 1000);
  EXPECT_EQ(s.n, 5);
  EXPECT_DOUBLE_EQ(s.mean, 0.4);
  EXPECT_NEAR(s.variance, 0.175, 1e-15);
  // Without ties it is a proportion: 3 of 5 below 61.
  const StratumSummary p = ShareBelowSummary(1000, 40, counts, 61);
  EXPECT_DOUBLE_EQ(p.mean, ProportionSummary(1000, 3, 5).mean);
  EXPECT_NEAR(p.variance, ProportionSummary(1000, 3, 5).variance, 1e-15);
  // One respondent: no variance; none: no mean.
  EXPECT_EQ(ShareBelowSummary(10, 0, std::vector<uint64_t>{1}, 5).variance, 0);
  EXPECT_EQ(ShareBelowSummary(10, 0, std::vector<uint64_t>{0}, 5).n, 0);
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


// A domain across strata (the companies an item applies to): from counts, the same as the row-level
// estimator of stats/estimate.h (checked against R) with the rows outside the domain missing.
TEST(StratifiedDomain, AcrossStrataIsTheRowLevelDomainEstimator) {
  const std::string path = std::string(SHINDAN_SOURCE_ROOT) + "/tests/fixtures/api/apistrat.csv";
  DataTable t = ReadDataTable(FileSystem::Disk().ReadFile(path).value(), "apistrat.csv").value();
  const size_t stype = t.Column("stype").value(), fpc = t.Column("fpc").value();
  const size_t wide = t.Column("sch.wide").value(), imp = t.Column("comp.imp").value();
  // The share of sch.wide = Yes among the schools with comp.imp = Yes (the "applicable" ones).
  std::map<std::string, DomainStratum> strata;
  DataTable rows;
  rows.source = "rows";
  rows.header = {"h", "N", "y"};
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const auto& r = t.rows[i];
    DomainStratum& d = strata[r[stype]];
    d.population = *ParseNumber(r[fpc]);
    d.n += 1;
    const bool in = r[imp] == "Yes", yes = r[wide] == "Yes";
    if (in) {
      d.in_domain += 1;
      if (yes) d.yes += 1;
    }
    rows.rows.push_back({r[stype], r[fpc], in ? (yes ? "1" : "0") : "NA"});
    rows.lines.push_back(static_cast<int>(i) + 2);
  }
  std::vector<DomainStratum> sums;
  for (const auto& [h, d] : strata) sums.push_back(d);
  const StratifiedEstimate e = StratifiedDomainProportion(sums);
  ASSERT_TRUE(e.computable()) << e.not_computable;
  DesignSpec spec;
  spec.strata = "h";
  spec.fpc = "N";
  Design design = Design::Build(rows, spec).value();
  EstimateSpec mean;
  mean.var = "y";
  const Estimate r = EstimateAll(rows, design, mean).value()[0];
  EXPECT_NEAR(e.estimate, r.estimate, 1e-12);
  ASSERT_TRUE(e.se.has_value());
  EXPECT_NEAR(*e.se, r.se, 1e-12);
  EXPECT_NEAR(e.population, r.population, 1e-6);
  EXPECT_EQ(e.n, static_cast<double>(r.n));
  // Re-weighting the per-stratum rates by N_h/N instead (the report's earlier estimator) differs
  // (here by 0.0007: comp.imp = Yes is about as common in every stratum; on the demo survey's sc06
  // the difference is 0.0097).
  std::vector<StratumSummary> naive;
  for (const DomainStratum& d : sums) naive.push_back(ProportionSummary(d.population, d.yes, d.in_domain));
  EXPECT_GT(std::fabs(StratifiedMean(naive).estimate - e.estimate), 5e-4);
}

TEST(StratifiedDomain, AWholeStratumDomainIsTheStratifiedMean) {
  const std::vector<DomainStratum> strata = {{1000, 20, 20, 7}, {300, 10, 10, 6}, {50, 5, 5, 1}};
  std::vector<StratumSummary> plain;
  for (const DomainStratum& d : strata) plain.push_back(ProportionSummary(d.population, d.yes, d.n));
  const StratifiedEstimate a = StratifiedDomainProportion(strata), b = StratifiedMean(plain);
  EXPECT_NEAR(a.estimate, b.estimate, 1e-15);
  EXPECT_NEAR(*a.se, *b.se, 1e-15);
  EXPECT_NEAR(a.population, 1350, 1e-9);
}

TEST(StratifiedDomain, AnEmptyDomainOrAStratumWithoutRespondentsIsNotComputable) {
  EXPECT_EQ(StratifiedDomainProportion(std::vector<DomainStratum>{{100, 5, 0, 0}, {50, 3, 0, 0}}).not_computable,
            "no respondent is in the domain");
  const std::vector<std::string> labels = {"A×mfg", "B×mfg"};
  EXPECT_EQ(StratifiedDomainProportion(std::vector<DomainStratum>{{100, 5, 2, 1}, {50, 0, 0, 0}}, labels).not_computable,
            "stratum B×mfg has no respondents");
  // One respondent in a sampled stratum: the estimate, but no SE.
  const StratifiedEstimate e = StratifiedDomainProportion(std::vector<DomainStratum>{{100, 5, 2, 1}, {50, 1, 1, 1}});
  EXPECT_TRUE(e.computable());
  EXPECT_FALSE(e.se.has_value());
}

// Wilson's interval (binom::binom.wilson in R gives the same): 20 of 20 → 0.8388748…1, where
// Wald's collapses to 1…1; 10 of 20 → 0.2992980…0.7007020. On a design's SE the effective sample
// size is p(1 − p)/SE², kept at most n.
TEST(Stratified, WilsonIntervalKeepsItsWidthAtTheEnds) {
  ShareInterval all = WilsonInterval(1, 0, 20, kZ95);
  EXPECT_NEAR(all.low, 0.8388748419, 1e-9);
  EXPECT_EQ(all.high, 1);
  ShareInterval none = WilsonInterval(0, 0, 20, kZ95);
  EXPECT_EQ(none.low, 0);
  EXPECT_NEAR(none.high, 1 - 0.8388748419, 1e-9);
  ShareInterval half = WilsonInterval(0.5, std::sqrt(0.25 / 20), 20, kZ95);
  EXPECT_NEAR(half.low, 0.2992980082, 1e-9);
  EXPECT_NEAR(half.high, 0.7007019918, 1e-9);
  ShareInterval design = WilsonInterval(0.5, std::sqrt(0.25 / 5), 20, kZ95);  // deff 4: n* = 5
  EXPECT_NEAR(design.low, WilsonInterval(0.5, std::sqrt(0.25 / 5), 5, kZ95).low, 1e-12);
  ShareInterval capped = WilsonInterval(0.5, 0.01, 20, kZ95);  // an SE below SRS's: n* kept at 20
  EXPECT_NEAR(capped.low, half.low, 1e-12);
  ShareInterval empty = WilsonInterval(0.5, 0, 0, kZ95);
  EXPECT_EQ(empty.low, 0);
  EXPECT_EQ(empty.high, 1);
}

}  // namespace
}  // namespace shindan
