#include "stats/allocation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "catalog/catalog.h"
#include "catalog/test_catalog.h"

namespace shindan {
namespace {


Frame Teikoku() {
  return ParseFrame(test::ReadSource("data/frames/teikoku-2009-corrected.csv"), "teikoku-2009-corrected.csv",
                    IndustryLookupFor(test::SourceCatalog().profile()))
      .value();
}

std::vector<int64_t> Cells(const Frame& f) {
  std::vector<int64_t> out;
  for (const FrameRow& r : f.rows) out.insert(out.end(), r.counts.begin(), r.counts.end());
  return out;
}

using V = std::vector<int64_t>;

TEST(StatsAllocation, ProportionalOverTheSeedsFrame) {
  // n_h = 66 · N_h / 1,211,935 = 24.79, 3.30, 0.49 | 17.77, 1.89, 0.31 | 13.40, 3.28, 0.77 (mfg, dist,
  // svc × A, B, C). Floors add up to 61; the 5 left go to the largest remainders .890 (dist B),
  // .791 (mfg A), .774 (svc C), .766 (dist A), .485 (mfg C).
  Result<V> a = Allocate(AllocationMethod::kProportional, Cells(Teikoku()), {}, 66, 0);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, (V{25, 3, 1, 18, 2, 0, 13, 3, 1}));
}

TEST(StatsAllocation, ProportionalWithAMinimumPerStratum) {
  // With at least 2 per cell: mfg C, dist B, dist C and svc C fall below 2 and are fixed there; the
  // 58 left go proportionally to the other five (N = 1,148,483): 22.99, 3.06, 16.48, 12.43, 3.04 →
  // floors 56, then .99 (mfg A) and .48 (dist A) get the 2 left.
  Result<V> a = Allocate(AllocationMethod::kProportional, Cells(Teikoku()), {}, 66, 2);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, (V{23, 3, 2, 17, 2, 2, 12, 3, 2}));
}

TEST(StatsAllocation, EqualNeverExceedsTheStratum) {
  // 10 each would take 10 from a stratum of 2: it is taken whole ("take all") and the other two
  // share the 28 left.
  EXPECT_EQ(*Allocate(AllocationMethod::kEqual, V{2, 100, 100}, {}, 30, 0), (V{2, 14, 14}));
  EXPECT_EQ(*Allocate(AllocationMethod::kEqual, V{100, 100, 100}, {}, 30, 0), (V{10, 10, 10}));
}

TEST(StatsAllocation, NeymanIsProportionalToNTimesS) {
  // N_h S_h = 1000, 1000, 700 of 2700: n = 27 gives exactly 10, 10, 7 (Cochran §5.5).
  EXPECT_EQ(*Allocate(AllocationMethod::kNeyman, V{100, 200, 700}, std::vector<double>{10, 5, 1}, 27, 0),
            (V{10, 10, 7}));
  // A stratum with S_h = 0 needs no sample beyond the minimum.
  EXPECT_EQ(*Allocate(AllocationMethod::kNeyman, V{100, 200, 700}, std::vector<double>{10, 5, 0}, 20, 1),
            (V{9, 10, 1}));  // 9.5 and 9.5: the tie goes to the larger stratum
}

TEST(StatsAllocation, MinimumsThatCascade) {
  // Fixing a small stratum at the minimum leaves less for the rest, which can push another below
  // it: N = 1000, 10, 240, n = 16, min 3 → shares 12.8, 0.13, 3.07: the second is fixed at 3; then
  // 13 left → 10.48, 2.52: the third is fixed at 3 too; the first gets the 10 left.
  EXPECT_EQ(*Allocate(AllocationMethod::kProportional, V{1000, 10, 240}, {}, 16, 3), (V{10, 3, 3}));
  // A minimum above the stratum's size takes the whole stratum.
  EXPECT_EQ(*Allocate(AllocationMethod::kProportional, V{1000, 1}, {}, 10, 3), (V{9, 1}));
}

TEST(StatsAllocation, Errors) {
  EXPECT_EQ(Allocate(AllocationMethod::kEqual, V{2, 3}, {}, 6, 0).status().message(),
            "n = 6 is more than the 5 units in the population");
  EXPECT_EQ(Allocate(AllocationMethod::kEqual, V{20, 30}, {}, 5, 3).status().message(),
            "n = 5 is less than the minimum of 3 per stratum needs (6)");
  EXPECT_EQ(Allocate(AllocationMethod::kNeyman, V{20, 30}, std::vector<double>{0, 0}, 5, 0).status().message(),
            "every stratum left has a Neyman weight N_h·S_h of 0: nothing to allocate by");
  EXPECT_EQ(Allocate(AllocationMethod::kNeyman, V{20, 30}, {}, 5, 0).status().message(),
            "Neyman allocation needs a standard deviation for each of the 2 strata");
  EXPECT_EQ(ParseAllocationMethod("optimal").status().message(),
            "'optimal' is not an allocation — expected equal, proportional or neyman");
}

TEST(StatsAllocation, LargestRemainder) {
  // Floors 1, 1, 1; the unit left goes to the largest remainder, a tie to the larger stratum.
  EXPECT_EQ(LargestRemainder(std::vector<double>{1.5, 1.5, 1.0}, V{10, 20, 5}, 4), (V{1, 2, 1}));
  EXPECT_EQ(LargestRemainder(std::vector<double>{1.2, 2.7, 3.1}, V{1, 1, 1}, 7), (V{1, 3, 3}));
  // Quotas within rounding error of whole numbers are those numbers.
  EXPECT_EQ(LargestRemainder(std::vector<double>{6.999999999999, 3.000000000001}, V{1, 1}, 10), (V{7, 3}));
}

TEST(StatsDesign, Table2IsAReadyDesign) {
  Result<SampleDesign> d = ParseSampleDesign(test::ReadSource("data/designs/ipa-2009.json"), "ipa-2009.json");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->id, "ipa-2009");
  EXPECT_EQ(d->cells.size(), 21u);
  EXPECT_EQ(d->TotalTarget(), 66);
  // Per size type: 10 capital + 10 regional + 2 IT-core = 22; within each 10, industries 4/3/3.
  std::map<std::string, int64_t> by_size, by_size_region_industry;
  for (const DesignCell& c : d->cells) {
    std::map<std::string, std::vector<std::string>> m(c.match.begin(), c.match.end());
    by_size[m["size_type"].at(0)] += c.target;
    const std::string region = m.count("region") ? m["region"].at(0) : "any";
    by_size_region_industry[m["size_type"][0] + "/" + region + "/" + m["industry"].at(0)] += c.target;
    EXPECT_EQ(c.reserve, c.target) << c.label;  // reserve_ratio 1
  }
  EXPECT_EQ(by_size, (std::map<std::string, int64_t>{{"A", 22}, {"B", 22}, {"C", 22}}));
  for (const char* s : {"A", "B", "C"}) {
    for (const char* r : {"capital", "regional1"}) {
      EXPECT_EQ(by_size_region_industry[std::string(s) + "/" + r + "/mfg"], 4);
      EXPECT_EQ(by_size_region_industry[std::string(s) + "/" + r + "/dist"], 3);
      EXPECT_EQ(by_size_region_industry[std::string(s) + "/" + r + "/svc"], 3);
    }
    EXPECT_EQ(by_size_region_industry[std::string(s) + "/any/net"], 2);
  }
  // 表2's 企業母数 column agrees with the corrected frame's column totals.
  nlohmann::json doc = nlohmann::json::parse(test::ReadSource("data/designs/ipa-2009.json"));
  Frame f = Teikoku();
  for (size_t c = 0; c < f.columns.size(); ++c) {
    EXPECT_EQ(doc["population"]["counts"][f.columns[c]].get<int64_t>(), f.column_totals[c]) << f.columns[c];
  }
  EXPECT_EQ(doc["population"]["total"].get<int64_t>(), f.grand_total);
}

TEST(StatsDesign, JsonRoundTrip) {
  Frame f = Teikoku();
  V targets = *Allocate(AllocationMethod::kProportional, Cells(f), {}, 66, 2);
  SampleDesign d = DesignFromFrame(f, targets, 0.5, "proportional-66");
  EXPECT_EQ(d.cells[0].label, "A・製造・建設業");
  EXPECT_EQ(d.cells[0].reserve, 12);  // ⌈23 · 0.5⌉
  EXPECT_EQ(d.cells[0].population, 455230);
  Result<SampleDesign> back = ParseSampleDesign(SampleDesignJson(d), "d.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->cells.size(), d.cells.size());
  for (size_t i = 0; i < d.cells.size(); ++i) {
    EXPECT_EQ(back->cells[i].label, d.cells[i].label);
    EXPECT_EQ(back->cells[i].target, d.cells[i].target);
    EXPECT_EQ(back->cells[i].reserve, d.cells[i].reserve);
    EXPECT_EQ(back->cells[i].population, d.cells[i].population);
    EXPECT_EQ(back->cells[i].match.size(), 2u);
  }
  EXPECT_EQ(back->TotalTarget(), 66);
}

TEST(StatsDesign, BadFilesSayWhere) {
  EXPECT_EQ(ParseSampleDesign(R"({"format": "x", "id": "d", "title": {"ja": "j", "en": "e"}, "cells": []})", "d.json")
                .status()
                .message(),
            "d.json: format: expected \"shindan-design/1\"\n"
            "d.json: cells: expected a non-empty list of cells")
      << "both problems, not only the first";
  EXPECT_EQ(ParseSampleDesign(R"({"format": "shindan-design/1", "id": "d", "title": {"ja": "j", "en": "e"},
                                  "cells": [{"label": "a", "match": {}, "target": 1}]})",
                              "d.json")
                .status()
                .message(),
            "d.json: cells[0].match: expected an object: column → list of values, e.g. {\"size_type\": [\"A\"]}");
  EXPECT_EQ(ParseSampleDesign(R"({"format": "shindan-design/1", "id": "d", "title": {"ja": "j", "en": "e"},
                                  "cells": [{"label": "a", "match": {"k": ["1"]}, "target": -1}]})",
                              "d.json")
                .status()
                .message(),
            "d.json: cells[0].target: expected a whole number ≥ 0");
  EXPECT_EQ(ParseSampleDesign(R"({"format": "shindan-design/1", "id": "d", "title": {"ja": "j", "en": "e"},
                                  "cells": [{"label": "a", "match": {"k": ["1"]}, "target": 1},
                                            {"label": "a", "match": {"k": ["2"]}, "target": 1}]})",
                              "d.json")
                .status()
                .message(),
            "d.json: cells[1].label: 'a' appears twice");
}

// Issue 9: the design reader stopped at its first error; it lists every problem of the file, one a
// line, each with the file, the JSON path and what was expected.
TEST(StatsDesign, EveryProblemOfAFileIsListedInOneRun) {
  Result<SampleDesign> d = ParseSampleDesign(R"({"format": "shindan-design/2", "id": "", "title": {"ja": "j"},
      "reserve_ratio": -1, "colour": "blue",
      "cells": [{"label": "a", "match": {}, "target": 1},
                {"label": "b", "match": {"size_type": ["A", 3]}, "target": -1, "reserve": "two"},
                7,
                {"label": "a", "match": {"k": []}, "target": 1.5},
                {"match": {"k": ["1"]}, "target": 2, "extra": true}]})",
                                             "d.json");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(
      d.status().message(),
      "d.json: colour: unknown key — expected one of: format, id, title, source, population, reserve_ratio, cells\n"
      "d.json: format: expected \"shindan-design/1\"\n"
      "d.json: id: expected a non-empty string\n"
      "d.json: title.en: missing — expected a string\n"
      "d.json: reserve_ratio: expected a number ≥ 0 (reserves per place)\n"
      "d.json: cells[0].match: expected an object: column → list of values, e.g. {\"size_type\": [\"A\"]}\n"
      "d.json: cells[1].match.size_type[1]: expected a string, found number\n"
      "d.json: cells[1].target: expected a whole number ≥ 0\n"
      "d.json: cells[1].reserve: expected an integer, found string\n"
      "d.json: cells[2]: expected a cell {\"label\": …, \"match\": {…}, \"target\": …}\n"
      "d.json: cells[3].match.k: expected at least one value\n"
      "d.json: cells[3].target: expected an integer, found number\n"
      "d.json: cells[3].label: 'a' appears twice\n"
      "d.json: cells[4].extra: unknown key — expected one of: label, match, target, reserve, population\n"
      "d.json: cells[4].label: missing — expected a string");
}

TEST(StatsDesign, AFileWithHundredsOfBadCellsGivesACappedList) {
  std::string cells;
  for (int i = 0; i < 150; ++i) {
    cells += std::string(i ? "," : "") + R"({"label": "c)" + std::to_string(i) +
             R"(", "match": {"k": ["1"]}, "target": -1})";
  }
  Result<SampleDesign> d = ParseSampleDesign(
      R"({"format": "shindan-design/1", "id": "d", "title": {"ja": "j", "en": "e"}, "cells": [)" + cells + "]}",
      "d.json");
  ASSERT_FALSE(d.ok());
  const std::string& m = d.status().message();
  EXPECT_EQ(m.rfind("d.json: cells[0].target: expected a whole number ≥ 0\n", 0), 0u) << m;
  EXPECT_NE(m.find("d.json: cells[99].target: expected a whole number ≥ 0\n"), std::string::npos);
  EXPECT_EQ(m.find("cells[100]"), std::string::npos);
  EXPECT_EQ(m.substr(m.rfind('\n') + 1), "… 他 50 件の問題 / and 50 more problems");
}

TEST(StatsDesign, FrameSds) {
  Frame f = Teikoku();
  const IndustryLookup lookup = IndustryLookupFor(test::SourceCatalog().profile());
  Result<std::vector<double>> sd =
      ParseFrameSds("industry,A,B,C\nsvc,1,2,3\nmfg,4,5,6\n小売・卸・飲食業,7,8,9\n", "sd.csv", f, lookup);
  ASSERT_TRUE(sd.ok()) << sd.status().message();
  EXPECT_EQ(*sd, (std::vector<double>{4, 5, 6, 7, 8, 9, 1, 2, 3}));
  EXPECT_EQ(ParseFrameSds("industry,A,B\n", "sd.csv", f, lookup).status().message(),
            "sd.csv:1: the header must be industry,A,B,C as in teikoku-2009-corrected.csv");
  EXPECT_EQ(ParseFrameSds("industry,A,B,C\nmfg,1,2,3\n", "sd.csv", f, lookup).status().message(),
            "sd.csv: no row for dist (小売・卸・飲食業)");
  EXPECT_EQ(ParseFrameSds("industry,A,B,C\nmfg,1,x,3\n", "sd.csv", f, lookup).status().message(),
            "sd.csv:2:B: 'x' — expected a standard deviation (a number ≥ 0)");
}

}  // namespace
}  // namespace shindan
