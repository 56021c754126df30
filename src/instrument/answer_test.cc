#include "instrument/answer.h"

#include <gtest/gtest.h>

#include <string>

#include "instrument/loader.h"
#include "profile/geography.h"

#if __has_include("test_paths.h")
#include "test_paths.h"
#include "catalog/test_catalog.h"
#endif

namespace shindan {
namespace {



// One row of a table: the item, what a person wrote, and either the canonical answer or the error.
struct AnswerCase {
  const char* item;
  std::string raw;
  std::string expected;  // the canonical form when ok
  std::string error;     // the exact message when refused; empty when accepted
};

void RunTable(const std::string& instrument_id, const std::vector<AnswerCase>& cases) {
  const Instrument& ins = test::SourceInstrument(instrument_id);
  AnswerParser parser(ins, &test::SourceGeography());
  for (const AnswerCase& c : cases) {
    const Item* item = ins.FindItem(c.item);
    ASSERT_NE(item, nullptr) << c.item;
    Result<std::string> r = parser.Parse(*item, c.raw);
    if (c.error.empty()) {
      ASSERT_TRUE(r.ok()) << c.item << " '" << c.raw << "': " << r.status().message();
      EXPECT_EQ(*r, c.expected) << c.item << " '" << c.raw << "'";
    } else {
      ASSERT_FALSE(r.ok()) << c.item << " '" << c.raw << "' gave " << *r;
      EXPECT_EQ(r.status().message(), c.error) << c.item << " '" << c.raw << "'";
    }
  }
}

const char kFourOptions[] =
    "実施している (yes), 一部実施している (partial), 実施していない (no) or わからない (unknown)";

TEST(AnswerParser, ChoiceAcceptsCodesLabelsAliasesAndFullWidth) {
  RunTable("self-check-2009", {
                                  {"sc01", "yes", "yes"},
                                  {"sc01", "YES", "yes"},
                                  {"sc01", "partial", "partial"},
                                  {"sc01", "実施している", "yes"},
                                  {"sc01", "一部実施している", "partial"},
                                  {"sc01", "実施していない", "no"},
                                  {"sc01", "わからない", "unknown"},
                                  {"sc01", "Implemented", "yes"},
                                  {"sc01", "not implemented", "no"},
                                  {"sc01", "Don't know", "unknown"},
                                  {"sc01", "未実施", "no"},
                                  {"sc01", "一部", "partial"},
                                  {"sc01", "不明", "unknown"},
                                  {"sc01", "ｙｅｓ", "yes"},
                                  {"sc01", "\u3000実施している\u3000", "yes"},
                                  {"sc01", " no ", "no"},
                                  {"sc21", "実施している", "yes"},
                                  {"sc21", "no", "no"},
                              });
}

TEST(AnswerParser, ChoiceRefusesOtherValuesListingTheOptions) {
  RunTable("self-check-2009", {
                                  {"sc01", "maybe", "", std::string("'maybe' — expected ") + kFourOptions},
                                  {"sc01", "〇", "", std::string("'〇' — expected ") + kFourOptions},
                              });
}

TEST(AnswerParser, PartialOnItems21To25IsNotAnAnswerTheItemTakes) {
  RunTable(
      "self-check-2009",
      {
          {"sc21", "一部実施している", "",
           "'一部実施している' is not an answer this item takes — expected 実施している (yes) or 実施していない (no)"},
          {"sc25", "unknown", "",
           "'unknown' is not an answer this item takes — expected 実施している (yes) or 実施していない (no)"},
      });
}

TEST(AnswerParser, NotApplicableOnlyOnItemsWithACondition) {
  RunTable("self-check-2009",
           {
               {"sc06", "該当なし", "na"},
               {"sc06", "na", "na"},
               {"sc06", "N/A", "na"},
               {"sc06", "Not applicable", "na"},
               {"sc01", "該当なし", "",
                std::string("'該当なし' (na) is only for items with a condition — expected ") + kFourOptions},
               {"sc21", "na", "",
                "'na' (na) is only for items with a condition — expected 実施している (yes) or 実施していない (no)"},
           });
}

TEST(AnswerParser, DescribeOptionsIncludesNotApplicableWhereAllowed) {
  const Instrument& sc = test::SourceInstrument("self-check-2009");
  AnswerParser parser(sc, nullptr);
  EXPECT_EQ(parser.DescribeOptions(*sc.FindItem("sc01")), kFourOptions);
  EXPECT_EQ(
      parser.DescribeOptions(*sc.FindItem("sc06")),
      "実施している (yes), 一部実施している (partial), 実施していない (no), わからない (unknown) or 該当なし (na)");
  EXPECT_EQ(parser.DescribeOptions(*sc.FindItem("sc25")), "実施している (yes) or 実施していない (no)");
}

TEST(AnswerParser, OrgChecklistAcceptsItsAliases) {
  RunTable("org-checklist-2009", {
                                     {"oc1_1", "実施している", "yes"},
                                     {"oc1_1", "はい", "yes"},
                                     {"oc1_1", "いいえ", "no"},
                                     {"oc5_2", "未実施", "no"},
                                 });
}

TEST(AnswerParser, Integers) {
  RunTable("profile",
           {
               {"employees", "12", "12"},
               {"employees", "１２", "12"},
               {"employees", "1,000", "1000"},
               {"employees", "１，０００", "1000"},
               {"employees", "0", "0"},
               {"employees", "007", "7"},
               {"employees", " 45 ", "45"},
               {"capital", "300000000", "300000000"},
               {"employees", "-3", "", "'-3' — expected a whole number of at least 0"},
               {"employees", "many", "", "'many' — expected a whole number of at least 0"},
               {"employees", "12.5", "", "'12.5' — expected a whole number of at least 0"},
               {"employees", "12人", "", "'12人' — expected a whole number of at least 0"},
               {"sites", "0", "", "'0' is out of range — expected a whole number of at least 1"},
               {"sites", "1", "1"},
               {"capital", "1234567890123456789", "", "'1234567890123456789' — expected a whole number of at least 0"},
           });
}

TEST(AnswerParser, Booleans) {
  const std::string refused = " — expected yes or no (はい / いいえ, true / false, 1 / 0)";
  RunTable("profile", {
                          {"it_core", "yes", "yes"},
                          {"it_core", "no", "no"},
                          {"it_core", "Yes", "yes"},
                          {"it_core", "はい", "yes"},
                          {"it_core", "いいえ", "no"},
                          {"it_core", "true", "yes"},
                          {"it_core", "FALSE", "no"},
                          {"it_core", "1", "yes"},
                          {"it_core", "0", "no"},
                          {"it_core", "１", "yes"},
                          {"knows_ipa", "ｎｏ", "no"},
                          {"knows_ipa", "maybe", "", "'maybe'" + refused},
                          {"knows_ipa", "2", "", "'2'" + refused},
                      });
  EXPECT_EQ(ParseBoolean("YES"), true);
  EXPECT_EQ(ParseBoolean("n"), false);
  EXPECT_EQ(ParseBoolean("perhaps"), std::nullopt);
}

TEST(AnswerParser, MultiChoiceIsNormalisedToTheInstrumentsOrder) {
  const std::string options = "基幹系 (core), 情報系 (info), フロント系 (front) or その他 (other)";
  RunTable("profile",
           {
               {"it_uses", "基幹系;情報系", "core;info"},
               {"it_uses", "情報系;基幹系", "core;info"},
               {"it_uses", "info；core", "core;info"},
               {"it_uses", "その他、フロント系", "front;other"},
               {"it_uses", "core;core", "core"},
               {"it_uses", "Core business systems", "core"},
               {"it_uses", "基幹系;会計", "", "'会計' — expected one or more of " + options + ", separated by ;"},
               {"it_uses", ";", "", "';' — expected one or more of " + options},
           });
}

TEST(AnswerParser, LabelsAreFreeAndJoinedBySemicolons) {
  RunTable("profile", {
                          {"certifications", "Pマーク;ISMS", "Pマーク;ISMS"},
                          {"certifications", "Ｐマーク、ＩＳＭＳ", "Pマーク;ISMS"},
                          {"certifications", " ISO 27001 ; ; ", "ISO 27001"},
                          {"certifications", "ﾌﾟﾗｲﾊﾞｼｰﾏｰｸ", "プライバシーマーク"},
                      });
}

TEST(AnswerParser, TextIsTrimmed) {
  RunTable("hearing-2009", {
                               {"q1", "  方針を作成した  ", "方針を作成した"},
                               {"q12", "ＩＰＡを知っている", "ＩＰＡを知っている"},
                           });
}

TEST(AnswerParser, PrefecturesResolveThroughTheGeography) {
  const std::string refused = " — expected one of the 47 prefectures, e.g. 東京都, 東京 or Tokyo";
  RunTable("profile", {
                          {"prefecture", "東京都", "13"},
                          {"prefecture", "東京", "13"},
                          {"prefecture", "Tokyo", "13"},
                          {"prefecture", "tokyo", "13"},
                          {"prefecture", "TOKYO", "13"},
                          {"prefecture", "Tōkyō", "13"},
                          {"prefecture", "Tokyo-to", "13"},
                          {"prefecture", "Osaka-fu", "27"},
                          {"prefecture", "大阪", "27"},
                          {"prefecture", "大阪府", "27"},
                          {"prefecture", "13", "13"},
                          {"prefecture", "１３", "13"},
                          {"prefecture", "1", "01"},
                          {"prefecture", "北海道", "01"},
                          {"prefecture", "Hokkaidō", "01"},
                          {"prefecture", "\u3000静岡県\u3000", "22"},
                          {"prefecture", "東亰", "", "'東亰'" + refused},
                          {"prefecture", "48", "", "'48'" + refused},
                      });
}

TEST(AnswerParser, PrefectureWithoutAGeographyIsAnInternalError) {
  const Instrument& p = test::SourceInstrument("profile");
  AnswerParser parser(p, nullptr);
  Result<std::string> r = parser.Parse(*p.FindItem("prefecture"), "東京");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInternal);
  EXPECT_EQ(r.status().message(), "no prefecture list is loaded");
}

TEST(AnswerParser, InvalidUtf8IsRefused) {
  const Instrument& sc = test::SourceInstrument("self-check-2009");
  AnswerParser parser(sc, nullptr);
  Result<std::string> r = parser.Parse(*sc.FindItem("sc01"), "\x8E\xC0\x8E\x7B");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "the value is not valid UTF-8 text");
}

TEST(AnswerParser, IndustryAliasesFromTheSeed) {
  RunTable("profile", {
                          {"industry", "製造・建設業", "mfg"},
                          {"industry", "建設業", "mfg"},
                          {"industry", "小売・卸・飲食業", "dist"},
                          {"industry", "サービス・不動産・運輸・その他", "svc"},
                          {"industry", "ネット系企業（タイプ S）", "net"},
                          {"industry", "ネット系企業(タイプS)", "net"},
                          {"legal_sector", "卸売業", "wholesale"},
                          {"legal_sector", "その他", "other"},
                      });
}

}  // namespace
}  // namespace shindan
