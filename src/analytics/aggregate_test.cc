#include "analytics/aggregate.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "catalog/catalog.h"
#include "catalog/test_catalog.h"

namespace shindan {
namespace {

// A snapshot of `n` random companies (a fixed seed), with every kind of value: unknown
// classification, missing answers, na, companies with and without the org checklist.
Snapshot RandomSnapshot(size_t n, uint64_t seed) {
  const Catalog& cat = test::SourceCatalog();
  const Instrument& sc = *cat.Find("self-check-2009");
  const Instrument& oc = *cat.Find("org-checklist-2009");
  Snapshot s(sc, &oc);
  uint64_t x = seed;
  auto next = [&](uint64_t m) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return (x >> 33) % m;
  };
  const char* sizes[] = {"A", "B", "C", "S", "out", ""};
  const char* industries[] = {"mfg", "dist", "svc", "net", ""};
  const char* regions[] = {"capital", "regional1", "regional2", "other", ""};
  for (size_t i = 0; i < n; ++i) {
    Classification c;
    c.size_type = sizes[next(6)];
    c.employee_size = c.size_type == "S" ? sizes[next(3)] : c.size_type;
    c.industry = industries[next(5)];
    c.region = regions[next(5)];
    CompanyProfile p;
    if (next(5)) p.sites = static_cast<long long>(next(7));
    if (next(5)) p.it_staff = static_cast<long long>(next(6));
    if (next(5)) p.servers = static_cast<long long>(next(9));
    if (next(2)) p.it_uses.push_back("core");
    if (next(3) == 0) p.it_uses.push_back("info");
    if (next(9) == 0) p.it_uses.push_back("front");
    if (next(4) == 0) p.certifications.push_back("ISMS");
    p.knows_ipa = next(2) == 0;
    p.qualified_staff = next(5) == 0;
    Answers a;
    for (const Item& item : sc.items) {
      auto options = sc.OptionsFor(item);
      uint64_t pick = next(options.size() + 1);
      if (pick < options.size()) a[item.id] = options[pick]->code;
    }
    Answers o;
    if (next(3) == 0) {
      for (const Item& item : oc.items) o[item.id] = next(4) ? "yes" : "no";
    }
    s.Add(c, p, a, &o);
  }
  return s;
}

void ExpectSame(const AggregateState& a, const AggregateState& b) {
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.answers, b.answers);
  EXPECT_EQ(a.totals, b.totals);
  EXPECT_EQ(a.sites, b.sites);
  EXPECT_EQ(a.it_staff, b.it_staff);
  EXPECT_EQ(a.servers, b.servers);
  EXPECT_EQ(a.it_uses, b.it_uses);
  EXPECT_EQ(a.flags, b.flags);
  EXPECT_EQ(a.certified_totals, b.certified_totals);
  EXPECT_EQ(a.secondary, b.secondary);
  EXPECT_EQ(a.secondary_respondents, b.secondary_respondents);
  EXPECT_EQ(a.quota, b.quota);
}

TEST(Aggregate, FastPathEqualsTheNaiveReferenceOnRandomData) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    Snapshot s = RandomSnapshot(5000 + seed * 777, seed);
    AggregateState naive = AggregateNaive(s);
    ExpectSame(Aggregate(s, 1), naive);
    ExpectSame(Aggregate(s, 2), naive);
  }
}

TEST(Aggregate, ClusteredRowsCountedByVectorsEqualTheNaiveReference) {
  // Clustering makes one long run per cell: the vector path, with blocks, tails and ranges that
  // cut runs in the middle.
  Snapshot s = RandomSnapshot(70000, 4);
  const AggregateState before = AggregateNaive(s);
  s.Cluster();
  ASSERT_LE(s.runs().size(), static_cast<size_t>(dim::kCells));
  ExpectSame(AggregateNaive(s), before);  // reordering rows changes no figure
  ExpectSame(Aggregate(s, 1), before);
  ExpectSame(Aggregate(s, 2), before);
  AggregateState pieces = AggregateState::For(s);
  for (size_t begin = 0; begin < s.rows(); begin += 4099) {
    AggregateState part = AggregateState::For(s);
    part.Update(s, begin, std::min(s.rows(), begin + 4099));
    pieces.Combine(part);
  }
  ExpectSame(pieces, before);
}

TEST(Aggregate, RowsArrivingAfterClusteringAreCountedIncrementally) {
  Snapshot s = RandomSnapshot(3000, 5);
  Snapshot more = RandomSnapshot(500, 6);
  s.Cluster();
  AggregateState state = Aggregate(s, 2);
  const size_t old_rows = s.rows();
  // Append `more`'s rows as new answers, then aggregate only the new rows and combine.
  for (size_t r = 0; r < more.rows(); ++r) {
    SnapshotRow row{more.size_[r],     more.industry_[r], more.region_[r], more.sites_[r],
                    more.it_staff_[r], more.servers_[r],  more.it_uses_[r], static_cast<uint8_t>(more.flags_[r] & 0x0f),
                    more.quota_[r]};
    std::vector<uint8_t> items, secondary;
    for (const auto& column : more.items_) items.push_back(column[r]);
    for (const auto& column : more.secondary_items_) secondary.push_back(column[r]);
    bool any = (more.flags_[r] & dim::kAnsweredSecondary) != 0;
    s.AddCoded(row, items.data(), any ? secondary.data() : nullptr);
  }
  AggregateState added = AggregateState::For(s);
  added.Update(s, old_rows, s.rows());
  state.Combine(added);
  ExpectSame(state, AggregateNaive(s));
}

TEST(Snapshot, AnItCoreCompanyKeepsItsSizeAndRegionForQuotas) {
  // In the report's tables a type-S company is S / net / net; a design counts it under its size
  // by employees and its real region (表2: 2 IT-core companies per size type).
  Classification c;
  c.size_type = "S";
  c.employee_size = "B";
  c.industry = "net";
  c.region = "regional1";
  SnapshotRow row;
  SetDimensions(c, &row);
  EXPECT_EQ(row.size, dim::kS);
  EXPECT_EQ(row.region, dim::kRegionNet);
  EXPECT_EQ(row.quota, dim::QuotaKey(dim::kB, dim::kNet, dim::kRegional1));
  c = {};
  SetDimensions(c, &row);
  EXPECT_EQ(row.quota, dim::QuotaKey(dim::kQuotaSizes - 1, dim::kIndustryUnknown, dim::kQuotaRegions - 1));
}

TEST(Aggregate, StatesOfPartsCombineToTheWhole) {
  Snapshot s = RandomSnapshot(10000, 9);
  AggregateState incremental = AggregateState::For(s);
  // As answers arrive: aggregate each new batch and combine.
  for (size_t begin = 0; begin < s.rows(); begin += 1234) {
    AggregateState batch = AggregateState::For(s);
    batch.Update(s, begin, std::min(s.rows(), begin + 1234));
    incremental.Combine(batch);
  }
  ExpectSame(incremental, AggregateNaive(s));
}

TEST(Aggregate, TotalsHistogramMatchesScoring) {
  // One company answering yes everywhere scores 100; one answering unknown on 1–20 and no on
  // 21–25 scores −20: the histogram's ends.
  const Catalog& cat = test::SourceCatalog();
  const Instrument& sc = *cat.Find("self-check-2009");
  Snapshot s(sc, nullptr);
  Answers yes, low;
  for (const Item& item : sc.items) {
    yes[item.id] = "yes";
    low[item.id] = sc.FindOption(item, "unknown") ? "unknown" : "no";
  }
  Classification c;
  c.size_type = "A";
  s.Add(c, {}, yes, nullptr);
  s.Add(c, {}, low, nullptr);
  AggregateState a = Aggregate(s, 1);
  EXPECT_EQ(a.min_total, -20);
  EXPECT_EQ(a.min_total + a.bins - 1, 100);
  int cell = dim::Cell(dim::kA, dim::kIndustryUnknown, dim::kRegionUnknown);
  EXPECT_EQ(a.Total(cell, 100 - a.min_total), 1u);
  EXPECT_EQ(a.Total(cell, 0), 1u);
}

}  // namespace
}  // namespace shindan
