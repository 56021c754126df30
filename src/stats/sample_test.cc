#include "stats/sample.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "base/file.h"

namespace shindan {
namespace {

// A company list: id, size_type, region, industry.
DataTable Companies(const std::vector<std::vector<std::string>>& rows) {
  DataTable t;
  t.source = "companies.csv";
  t.header = {"company_id", "size_type", "region", "industry"};
  for (size_t i = 0; i < rows.size(); ++i) {
    t.rows.push_back(rows[i]);
    t.lines.push_back(static_cast<int>(i) + 2);
  }
  return t;
}

// `n` companies with attributes from a fixed LCG, covering every cell of table 2 and some outside.
DataTable Synthetic(size_t n) {
  std::vector<std::vector<std::string>> rows;
  uint64_t x = 42;
  auto next = [&](uint64_t m) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return (x >> 33) % m;
  };
  const char* sizes[] = {"A", "B", "C", "out"};
  const char* regions[] = {"capital", "regional1", "regional2", "other"};
  const char* industries[] = {"mfg", "dist", "svc", "net"};
  for (size_t i = 0; i < n; ++i) {
    rows.push_back({"c" + std::to_string(i), sizes[next(4)], regions[next(4)], industries[next(4)]});
  }
  return Companies(rows);
}

SampleDesign Table2() {
  const std::string path = std::string(SHINDAN_SOURCE_ROOT) + "/data/designs/ipa-2009.json";
  return ParseSampleDesign(FileSystem::Disk().ReadFile(path).value(), "ipa-2009.json").value();
}

SampleDesign OneCell(int64_t target, int64_t reserve) {
  SampleDesign d;
  d.id = "one";
  DesignCell c;
  c.label = "all A";
  c.match = {{"size_type", {"A"}}};
  c.target = target;
  c.reserve = reserve;
  d.cells.push_back(c);
  return d;
}

std::vector<std::string> DrawnIds(const DataTable& t, const SampleDraw& d) {
  std::vector<std::string> ids;
  for (const DrawnCompany& c : d.drawn) {
    ids.push_back(t.rows[c.row][0] + (c.reserve ? " reserve " : " main ") + std::to_string(c.rank));
  }
  return ids;
}

TEST(StatsSample, SplitMix64KnownValues) {
  // The first outputs of the SplitMix64 generator seeded with 0 (state += golden gamma, then mix):
  // the reference values of Vigna's splitmix64.c.
  EXPECT_EQ(SplitMix64(0), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(SplitMix64(0x9E3779B97F4A7C15ull), 0x6E789E6AA1B965F4ull);
}

TEST(StatsSample, Table2DrawTakesEachCellsQuota) {
  DataTable t = Synthetic(20000);
  SampleDesign d = Table2();
  SampleOptions o;
  o.seed = 2009;
  Result<SampleDraw> r = DrawSample(t, d, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  int64_t available = 0;
  std::set<size_t> rows;
  for (size_t c = 0; c < d.cells.size(); ++c) {
    EXPECT_EQ(r->cells[c].main, d.cells[c].target) << d.cells[c].label;
    EXPECT_EQ(r->cells[c].reserve, d.cells[c].reserve) << d.cells[c].label;
    available += r->cells[c].available;
  }
  for (const DrawnCompany& c : r->drawn) {
    EXPECT_TRUE(rows.insert(c.row).second) << "drawn twice: row " << c.row;
    // The company really is in its cell.
    for (const auto& [column, values] : d.cells[c.cell].match) {
      const size_t col = *t.Column(column);
      EXPECT_NE(std::find(values.begin(), values.end(), t.rows[c.row][col]), values.end());
    }
  }
  EXPECT_EQ(static_cast<int64_t>(r->drawn.size()), 2 * 66);
  EXPECT_EQ(available + r->outside, 20000);
  EXPECT_GT(r->outside, 0);  // size type "out" is in no cell
}

TEST(StatsSample, SameSeedSameDrawWhateverTheRowOrder) {
  DataTable t = Synthetic(5000);
  SampleOptions o;
  o.seed = 7;
  SampleDraw a = DrawSample(t, Table2(), o).value();
  DataTable reversed = t;
  std::reverse(reversed.rows.begin(), reversed.rows.end());
  SampleDraw b = DrawSample(reversed, Table2(), o).value();
  EXPECT_EQ(DrawnIds(t, a), DrawnIds(reversed, b));
  EXPECT_EQ(SampleCsv(t, Table2(), a), SampleCsv(reversed, Table2(), b));
  o.seed = 8;
  SampleDraw c = DrawSample(t, Table2(), o).value();
  EXPECT_NE(DrawnIds(t, a), DrawnIds(t, c));
}

TEST(StatsSample, EveryCompanyIsEquallyLikely) {
  // One of four companies, over 4000 seeds: each should be drawn 1000 times, with a binomial SD of
  // sqrt(4000 · 1/4 · 3/4) ≈ 27. The seeds are fixed, so this is a deterministic check of the key
  // function's uniformity, not a flaky one; the bound is 5 SDs.
  DataTable t = Companies({{"a", "A", "", ""}, {"b", "A", "", ""}, {"c", "A", "", ""}, {"d", "A", "", ""}});
  std::map<std::string, int> count;
  std::map<std::string, int> first_reserve;
  for (uint64_t seed = 0; seed < 4000; ++seed) {
    SampleOptions o;
    o.seed = seed;
    SampleDraw d = DrawSample(t, OneCell(1, 1), o).value();
    ASSERT_EQ(d.drawn.size(), 2u);
    ++count[t.rows[d.drawn[0].row][0]];
    ++first_reserve[t.rows[d.drawn[1].row][0]];
  }
  for (const char* id : {"a", "b", "c", "d"}) {
    EXPECT_NEAR(count[id], 1000, 5 * 27.4) << id;
    EXPECT_NEAR(first_reserve[id], 1000, 5 * 27.4) << id;
  }
}

TEST(StatsSample, ShortCellTakesAllAndShowsIt) {
  DataTable t = Companies({{"a", "A", "", ""}, {"b", "A", "", ""}, {"c", "A", "", ""}, {"x", "B", "", ""}});
  SampleDraw d = DrawSample(t, OneCell(2, 2), SampleOptions{}).value();
  EXPECT_EQ(d.cells[0].available, 3);
  EXPECT_EQ(d.cells[0].main, 2);
  EXPECT_EQ(d.cells[0].reserve, 1);
  EXPECT_EQ(d.outside, 1);
  ASSERT_EQ(d.drawn.size(), 3u);
  EXPECT_FALSE(d.drawn[0].reserve);
  EXPECT_EQ(d.drawn[1].rank, 2);
  EXPECT_TRUE(d.drawn[2].reserve);
  EXPECT_EQ(d.drawn[2].rank, 1);
}

TEST(StatsSample, CsvHasCellRoleRankThenTheList) {
  DataTable t = Companies({{"a", "A", "capital", "mfg"}, {"b", "A", "", ""}});
  SampleDraw d = DrawSample(t, OneCell(1, 1), SampleOptions{}).value();
  const std::string csv = SampleCsv(t, OneCell(1, 1), d);
  EXPECT_EQ(csv.substr(0, csv.find('\n') + 1), "cell,role,rank,company_id,size_type,region,industry\r\n");
  EXPECT_NE(csv.find("all A,main,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("all A,reserve,1,"), std::string::npos) << csv;
}

TEST(StatsSample, Errors) {
  SampleOptions o;
  EXPECT_EQ(DrawSample(Companies({{"a", "A", "", ""}, {"a", "A", "", ""}}), OneCell(1, 0), o).status().message(),
            "companies.csv:3:company_id: 'a' appears twice (first on line 2) — ids must be unique");
  EXPECT_EQ(DrawSample(Companies({{" ", "A", "", ""}}), OneCell(1, 0), o).status().message(),
            "companies.csv:2:company_id: no id — every company needs one");
  SampleDesign overlap = OneCell(1, 0);
  DesignCell capital;
  capital.label = "capital";
  capital.match = {{"region", {"capital"}}};
  capital.target = 1;
  overlap.cells.push_back(capital);
  EXPECT_EQ(DrawSample(Companies({{"a", "A", "capital", ""}}), overlap, o).status().message(),
            "companies.csv:2: company 'a' belongs to both cell 'all A' and cell 'capital' — the cells of a design "
            "must not overlap");
  SampleDesign by_prefecture = OneCell(1, 0);
  by_prefecture.cells[0].match = {{"prefecture", {"13"}}};
  EXPECT_EQ(DrawSample(Companies({{"a", "A", "", ""}}), by_prefecture, o).status().message(),
            "the design's cell 'all A' matches on prefecture: companies.csv: no column 'prefecture' — the columns are "
            "company_id, size_type, region, industry");
  o.id_column = "id";
  EXPECT_EQ(DrawSample(Companies({{"a", "A", "", ""}}), OneCell(1, 0), o).status().message(),
            "companies.csv: no column 'id' — the columns are company_id, size_type, region, industry");
}

}  // namespace
}  // namespace shindan
