#include "scoring/score.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "instrument/loader.h"

#if __has_include("test_paths.h")
#include "test_paths.h"
#include "catalog/test_catalog.h"
#endif

namespace shindan {
namespace {




// Every self-check item answered `code`, then the overrides.
Answers SelfCheckAnswers(const std::string& code, const std::map<std::string, std::string>& overrides = {}) {
  Answers a;
  for (int n = 1; n <= 25; ++n) a[test::Sc(n)] = code;
  for (const auto& [k, v] : overrides) a[k] = v;
  return a;
}

const SectionResult& SectionOf(const ScoreResult& r, const std::string& id) {
  for (const SectionResult& s : r.sections) {
    if (s.section->id == id) return s;
  }
  ADD_FAILURE() << "no section " << id;
  static const SectionResult none;
  return none;
}

struct TotalCase {
  const char* name;
  Answers answers;
  int total;
  bool passed;
  std::optional<double> adjusted;
  std::optional<bool> adjusted_passed;
};

TEST(Score, SelfCheckTotalsAndPassMark) {
  Answers unknown_then_no = SelfCheckAnswers("unknown");
  for (int n = 21; n <= 25; ++n) unknown_then_no[test::Sc(n)] = "no";
  // 17 yes (68 points), the rest no: two short of the pass mark.
  Answers sixty_eight = SelfCheckAnswers("no");
  for (int n = 1; n <= 17; ++n) sixty_eight[test::Sc(n)] = "yes";
  // 69 = 17 × 4 + 2 − 1: just below the pass mark; 70 = 17 × 4 + 2 (partial): the pass mark itself.
  Answers sixty_nine = sixty_eight;
  sixty_nine["sc18"] = "partial";
  sixty_nine["sc19"] = "unknown";
  Answers seventy = sixty_eight;
  seventy["sc18"] = "partial";
  // sc06 not applicable, 17 others yes: 68 in the 2009 total, 100 × 68 / 96 = 70.8 adjusted.
  Answers na_lifts = SelfCheckAnswers("no", {{"sc06", "na"}});
  for (int n : {1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}) na_lifts[test::Sc(n)] = "yes";

  const TotalCase cases[] = {
      {"all yes", SelfCheckAnswers("yes"), 100, true, std::nullopt, std::nullopt},
      {"all no", SelfCheckAnswers("no"), 0, false, std::nullopt, std::nullopt},
      {"all partial where possible",
       SelfCheckAnswers("partial", {{"sc21", "no"}, {"sc22", "no"}, {"sc23", "no"}, {"sc24", "no"}, {"sc25", "no"}}),
       40, false, std::nullopt, std::nullopt},
      {"unknown on 1-20, no on 21-25", unknown_then_no, -20, false, std::nullopt, std::nullopt},
      {"68", sixty_eight, 68, false, std::nullopt, std::nullopt},
      {"69 fails", sixty_nine, 69, false, std::nullopt, std::nullopt},
      {"70 passes", seventy, 70, true, std::nullopt, std::nullopt},
      {"sc06 na, everything else yes", SelfCheckAnswers("yes", {{"sc06", "na"}}), 96, true, 100.0, true},
      {"na turns a fail into an adjusted pass", na_lifts, 68, false, 70.8, true},
      {"sc06 na, everything else no", SelfCheckAnswers("no", {{"sc06", "na"}}), 0, false, 0.0, false},
  };
  for (const auto& c : cases) {
    ScoreResult r = Score(test::SelfCheck(), c.answers);
    EXPECT_EQ(r.total, c.total) << c.name;
    EXPECT_EQ(r.max, 100) << c.name;
    EXPECT_EQ(r.pass_mark, 70) << c.name;
    EXPECT_EQ(r.passed, c.passed) << c.name;
    EXPECT_EQ(r.adjusted_total, c.adjusted) << c.name;
    EXPECT_EQ(r.adjusted_passed, c.adjusted_passed) << c.name;
    EXPECT_TRUE(r.missing.empty()) << c.name;
  }
}

TEST(Score, NotApplicableItemIsNeitherMetNorCountedInTheApplicableMax) {
  ScoreResult r = Score(test::SelfCheck(), SelfCheckAnswers("yes", {{"sc06", "na"}}));
  EXPECT_EQ(r.applicable_items, 24);
  const ItemResult& sc06 = r.items[5];
  EXPECT_EQ(sc06.item->id, "sc06");
  EXPECT_EQ(sc06.answer, "na");
  EXPECT_EQ(sc06.points, 0);
  EXPECT_FALSE(sc06.applicable);
  EXPECT_FALSE(sc06.met);
  const SectionResult& office = SectionOf(r, "office");
  EXPECT_EQ(office.points, 8);
  EXPECT_EQ(office.max, 12);
  EXPECT_EQ(office.applicable_max, 8);
}

TEST(Score, AdjustedTotalIsRoundedToOneDecimal) {
  // sc06 na, 1 partial, the rest no: 100 × 2 / 96 = 2.083… → 2.1.
  ScoreResult r = Score(test::SelfCheck(), SelfCheckAnswers("no", {{"sc06", "na"}, {"sc01", "partial"}}));
  EXPECT_EQ(r.total, 2);
  EXPECT_EQ(r.adjusted_total, 2.1);
}

TEST(Score, PerSectionPointsAndMax) {
  // Storage yes (4), takeout partial (2), disposal no + unknown (−1), everything else yes.
  ScoreResult r =
      Score(test::SelfCheck(), SelfCheckAnswers("yes", {{"sc02", "partial"}, {"sc03", "no"}, {"sc04", "unknown"}}));
  EXPECT_EQ(r.total, 100 - 2 - 4 - 5);
  ASSERT_EQ(r.sections.size(), 13u);
  const std::map<std::string, std::pair<int, int>> expected = {
      {"storage", {4, 4}},    {"takeout", {2, 4}},   {"disposal", {-1, 8}}, {"office", {12, 12}}, {"pc", {16, 16}},
      {"password", {12, 12}}, {"antivirus", {8, 8}}, {"email", {12, 12}},   {"backup", {4, 4}},   {"employees", {8, 8}},
      {"partners", {4, 4}},   {"incident", {4, 4}},  {"rules", {4, 4}},
  };
  int sum_points = 0, sum_max = 0;
  for (const SectionResult& s : r.sections) {
    auto it = expected.find(s.section->id);
    ASSERT_NE(it, expected.end()) << s.section->id;
    EXPECT_EQ(s.points, it->second.first) << s.section->id;
    EXPECT_EQ(s.max, it->second.second) << s.section->id;
    EXPECT_EQ(s.applicable_max, s.max) << s.section->id;
    sum_points += s.points;
    sum_max += s.max;
  }
  EXPECT_EQ(sum_points, r.total);
  EXPECT_EQ(sum_max, 100);
}

TEST(Score, MetMeansTheBestAnswer) {
  ScoreResult r =
      Score(test::SelfCheck(), SelfCheckAnswers("yes", {{"sc01", "partial"}, {"sc02", "unknown"}, {"sc21", "no"}}));
  ASSERT_EQ(r.items.size(), 25u);
  for (const ItemResult& ir : r.items) {
    const bool unmet = ir.item->id == "sc01" || ir.item->id == "sc02" || ir.item->id == "sc21";
    EXPECT_EQ(ir.met, !unmet) << ir.item->id;
  }
}

TEST(Score, MissingItemsAreListedAndScoredZero) {
  Answers a = SelfCheckAnswers("yes");
  a.erase("sc03");
  a.erase("sc25");
  a["sc10"] = "bogus";  // an unknown code counts as missing
  ScoreResult r = Score(test::SelfCheck(), a);
  EXPECT_EQ(r.missing, (std::vector<std::string>{"sc03", "sc10", "sc25"}));
  EXPECT_EQ(r.total, 88);
  EXPECT_TRUE(r.passed);
  EXPECT_FALSE(r.adjusted_total.has_value());
  const ItemResult& sc03 = r.items[2];
  EXPECT_EQ(sc03.answer, "");
  EXPECT_EQ(sc03.points, 0);
  EXPECT_FALSE(sc03.met);
  EXPECT_TRUE(sc03.applicable);
}

TEST(Score, NotApplicableOnAnItemWithoutAConditionCountsAsMissing) {
  ScoreResult r = Score(test::SelfCheck(), SelfCheckAnswers("yes", {{"sc01", "na"}}));
  EXPECT_EQ(r.missing, (std::vector<std::string>{"sc01"}));
  EXPECT_EQ(r.total, 96);
  EXPECT_FALSE(r.adjusted_total.has_value());
}

TEST(Score, OrgChecklistCountsYesPerSection) {
  const Instrument& oc = test::SourceInstrument("org-checklist-2009");
  Answers a;
  for (const Item& item : oc.items) a[item.id] = "no";
  for (const char* id : {"oc1_1", "oc1_2", "oc1_7", "oc2_3", "oc3_2", "oc3_3", "oc3_5", "oc5_1"}) a[id] = "yes";
  a.erase("oc4_5");
  ScoreResult r = Score(oc, a);
  EXPECT_EQ(r.counted, 8);
  EXPECT_EQ(r.total, 0);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.missing, (std::vector<std::string>{"oc4_5"}));
  const std::map<std::string, std::pair<int, int>> expected = {
      {"s1", {3, 7}}, {"s2", {1, 3}}, {"s3", {3, 5}}, {"s4", {0, 5}}, {"s5", {1, 2}},
  };
  ASSERT_EQ(r.sections.size(), 5u);
  for (const SectionResult& s : r.sections) {
    EXPECT_EQ(s.points, expected.at(s.section->id).first) << s.section->id;
    EXPECT_EQ(s.max, expected.at(s.section->id).second) << s.section->id;
  }
}

TEST(Score, UnscoredInstrumentGivesItemsButNoTotals) {
  const Instrument& fb = test::SourceInstrument("report-feedback");
  ScoreResult r = Score(fb, {{"q1", "satisfied"}});
  EXPECT_EQ(r.total, 0);
  EXPECT_EQ(r.counted, 0);
  EXPECT_FALSE(r.passed);
  ASSERT_EQ(r.items.size(), 1u);  // only choice items are scored
  EXPECT_EQ(r.items[0].answer, "satisfied");
}

}  // namespace
}  // namespace shindan
