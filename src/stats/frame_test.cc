#include "stats/frame.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "catalog/catalog.h"
#include "catalog/test_catalog.h"

namespace shindan {
namespace {

// Codes only, for the unit cases: mfg, dist, svc.
std::optional<std::string> Codes(std::string_view s) {
  if (s == "mfg" || s == "dist" || s == "svc") return std::string(s);
  return std::nullopt;
}

Result<Frame> Parse(const std::string& text) { return ParseFrame(text, "frame.csv", Codes); }


TEST(StatsFrame, SeedTable1AsPrintedIsRefusedNamingBothBadTotals) {
  // The seed's 表1 as printed: the third row's total 320,562 is not 426,069 + 60,276 + 14,217, and
  // the A total 1,027,531 is not 455,230 + 326,232 + 426,069. Both are named; the other totals agree.
  Result<Frame> f = ParseFrame(test::ReadSource("data/frames/teikoku-2009.csv"), "teikoku-2009.csv",
                               IndustryLookupFor(test::SourceCatalog().profile()));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(
      f.status().message(),
      "teikoku-2009.csv:7:total: サービス・不動産・運輸・その他 total is 320,562 but its cells add up to 500,562\n"
      "teikoku-2009.csv:8:A: 合計 A is 1,027,531 but its column adds up to 1,207,531");
}

TEST(StatsFrame, SeedTable1CorrectedChecksAndMapsTheSeedsLabelsToCodes) {
  Result<Frame> f = ParseFrame(test::ReadSource("data/frames/teikoku-2009-corrected.csv"), "teikoku-2009-corrected.csv",
                               IndustryLookupFor(test::SourceCatalog().profile()));
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(f->rows.size(), 3u);
  EXPECT_EQ(f->rows[0].industry, "mfg");
  EXPECT_EQ(f->rows[1].industry, "dist");
  EXPECT_EQ(f->rows[2].industry, "svc");
  EXPECT_EQ(f->rows[2].label, "サービス・不動産・運輸・その他");
  EXPECT_EQ(f->columns, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(f->Count("svc", "A"), 246069);  // the corrected cell
  EXPECT_EQ(f->Count("mfg", "C"), 8913);
  EXPECT_EQ(f->Count("net", "A"), std::nullopt);
  EXPECT_EQ(f->column_totals, (std::vector<int64_t>{1027531, 155654, 28750}));
  EXPECT_EQ(f->grand_total, 1211935);
  // The corrected frame agrees with 表2's 企業母数 column, printed independently in the seed.
  EXPECT_EQ(f->total_label, "合計");
}

TEST(StatsFrame, CodesAndGroupedNumbersAreAccepted) {
  Result<Frame> f = Parse(
      "industry,A,B,total\n"
      "mfg,\"1,000\",20,\"1,020\"\n"
      "dist,5,5,10\n"
      "total,\"1,005\",25,\"1,030\"\n");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->Count("mfg", "A"), 1000);
  EXPECT_EQ(f->total_label, "total");
}

TEST(StatsFrame, RowTotalDisagreementNamesRowColumnAndBothNumbers) {
  Result<Frame> f = Parse(
      "industry,A,B,total\n"
      "mfg,10,20,31\n"
      "total,10,20,31\n");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(),
            "frame.csv:2:total: mfg total is 31 but its cells add up to 30\n"
            "frame.csv:3:total: total total is 31 but the column totals add up to 30");
}

TEST(StatsFrame, GrandTotalIsCheckedAgainstRowTotals) {
  Result<Frame> f = Parse(
      "industry,A,total\n"
      "mfg,10,10\n"
      "dist,5,5\n"
      "total,15,16\n");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(),
            "frame.csv:4:total: total total is 16 but the row totals add up to 15\n"
            "frame.csv:4:total: total total is 16 but the column totals add up to 15");
}

TEST(StatsFrame, CommentsAreSkippedAndLinesStayTrue) {
  Result<Frame> f = Parse("# source\nindustry,A,total\n# note\nmfg,1,2\ntotal,1,2\n");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(),
            "frame.csv:4:total: mfg total is 2 but its cells add up to 1\n"
            "frame.csv:5:total: total total is 2 but the column totals add up to 1");
}

struct BadFrame {
  const char* text;
  const char* message;
};

class StatsFrameErrors : public ::testing::TestWithParam<BadFrame> {};

TEST_P(StatsFrameErrors, SayWhereAndWhat) {
  Result<Frame> f = Parse(GetParam().text);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StatsFrameErrors,
    ::testing::Values(
        BadFrame{"", "frame.csv: empty — expected a header industry,A,B,C,total"},
        BadFrame{"type,A,total\n",
                 "frame.csv:1:1: the header must be industry, the size types, then total (e.g. industry,A,B,C,total)"},
        BadFrame{"industry,A,A,total\n", "frame.csv:1:A: column 'A' appears twice"},
        BadFrame{"industry,A,total\nmfg,1\n", "frame.csv:2: 2 fields, expected 3 as in the header"},
        BadFrame{"industry,A,total\nmfg,1x,1\n",
                 "frame.csv:2:A: '1x' — expected a count of companies (a whole number such as 455230 or 455,230)"},
        BadFrame{"industry,A,total\nmfg,-1,1\n",
                 "frame.csv:2:A: '-1' — expected a count of companies (a whole number such as 455230 or 455,230)"},
        BadFrame{"industry,A,total\nmfg,\"1,00\",1\n",
                 "frame.csv:2:A: '1,00' — expected a count of companies (a whole number such as 455230 or 455,230)"},
        BadFrame{"industry,A,total\nfarming,1,1\n",
                 "frame.csv:2:industry: 'farming' is not an industry — expected a code (mfg, dist, svc, …) or a label "
                 "the profile instrument accepts"},
        BadFrame{"industry,A,total\nmfg,1,1\nmfg,2,2\n",
                 "frame.csv:3:industry: 'mfg' is the industry mfg, which line 2 ('mfg') already gave"},
        BadFrame{"industry,A,total\nmfg,1,1\n",
                 "frame.csv: no total row — the last row must be total (or 合計) with the column totals"},
        BadFrame{"industry,A,total\ntotal,1,1\nmfg,1,1\n",
                 "frame.csv:3: a row after the total row — the total row (total) must be the last"},
        BadFrame{"industry,A,total\ntotal,1,1\n", "frame.csv: no industry rows"}));

TEST(StatsFrame, GroupThousands) {
  EXPECT_EQ(GroupThousands(0), "0");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(GroupThousands(1000), "1,000");
  EXPECT_EQ(GroupThousands(1211935), "1,211,935");
  EXPECT_EQ(GroupThousands(-1234), "-1,234");
}

}  // namespace
}  // namespace shindan
