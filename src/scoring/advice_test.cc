#include "scoring/advice.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "instrument/loader.h"
#include "scoring/cases.h"

#if __has_include("test_paths.h")
#include "test_paths.h"
#include "catalog/test_catalog.h"
#endif

namespace shindan {
namespace {

using nlohmann::json;



const std::string& AdviceText() {
  static const std::string text = [] {
    Result<std::string> t = FileSystem::Disk().ReadFile(SHINDAN_SOURCE_ROOT "/data/advice/self-check-2009.json");
    EXPECT_TRUE(t.ok()) << t.status().message();
    return t.ok() ? *t : std::string();
  }();
  return text;
}

const AdviceBook& Book() {
  static const AdviceBook book = [] {
    Result<AdviceBook> b = AdviceBook::Parse(AdviceText(), "self-check-2009.json", test::SelfCheck());
    EXPECT_TRUE(b.ok()) << b.status().message();
    return b.ok() ? std::move(b).value() : AdviceBook{};
  }();
  return book;
}


// Every item yes, then the overrides.
Answers With(const std::map<std::string, std::string>& overrides) {
  Answers a;
  for (int n = 1; n <= 25; ++n) a[test::Sc(n)] = "yes";
  for (const auto& [k, v] : overrides) a[k] = v;
  return a;
}

Answers Unmet(const std::vector<std::string>& ids) {
  std::map<std::string, std::string> no;
  for (const auto& id : ids) no[id] = "no";
  return With(no);
}

std::vector<std::string> Ids(const std::vector<Advice>& steps) {
  std::vector<std::string> ids;
  for (const Advice& a : steps) ids.push_back(a.result->item->id);
  return ids;
}

// month → item ids, as a person reads the plan (0 = after the plan).
std::vector<std::pair<int, std::vector<std::string>>> PlanOf(const AdviceBook& book, const ScoreResult& score) {
  std::vector<std::pair<int, std::vector<std::string>>> out;
  for (const PlanMonth& m : book.Plan(score)) out.emplace_back(m.month, Ids(m.steps));
  return out;
}

using PlanTable = std::vector<std::pair<int, std::vector<std::string>>>;

// --- Unmet items -----------------------------------------------------------------------------------

TEST(Unmet, ExcludesYesAndNotApplicableIncludesPartialNoUnknown) {
  ScoreResult score = Score(test::SelfCheck(), With({{"sc06", "na"},
                                               {"sc01", "partial"},
                                               {"sc04", "no"},
                                               {"sc14", "unknown"},
                                               {"sc08", "no"},
                                               {"sc15", "no"},
                                               {"sc05", "partial"}}));
  std::vector<Advice> unmet = Book().Unmet(score);
  // Priority rank first (high, medium, low), then cost (none, low, investment), then sheet order.
  EXPECT_EQ(Ids(unmet), (std::vector<std::string>{"sc08", "sc01", "sc15", "sc05", "sc04", "sc14"}));
  for (const Advice& a : unmet) {
    ASSERT_NE(a.advice, nullptr);
    ASSERT_NE(a.cost, nullptr);
    ASSERT_NE(a.priority, nullptr);
  }
  EXPECT_EQ(unmet[0].priority->code, "high");
  EXPECT_EQ(unmet[0].cost->code, "none");
  EXPECT_EQ(unmet[4].cost->code, "investment");
  EXPECT_EQ(unmet[5].priority->code, "low");
}

TEST(Unmet, AllYesOrNotApplicableLeavesNothingToDo) {
  const ScoreResult all_yes = Score(test::SelfCheck(), With({}));
  const ScoreResult laptops_na = Score(test::SelfCheck(), With({{"sc06", "na"}}));
  EXPECT_TRUE(Book().Unmet(all_yes).empty());
  EXPECT_TRUE(Book().Unmet(laptops_na).empty());
  EXPECT_TRUE(Book().Plan(laptops_na).empty());
}

TEST(Unmet, MissingAnswersAreUnmet) {
  Answers a = With({});
  a.erase("sc12");
  const ScoreResult score = Score(test::SelfCheck(), a);
  EXPECT_EQ(Ids(Book().Unmet(score)), (std::vector<std::string>{"sc12"}));
}

// --- The six-month plan ----------------------------------------------------------------------------

TEST(Plan, TheWorkedExampleOfDocsAdvice) {
  ScoreResult score = Score(
      test::SelfCheck(), Unmet({"sc01", "sc04", "sc05", "sc08", "sc14", "sc15", "sc20", "sc22", "sc23", "sc24", "sc25"}));
  EXPECT_EQ(PlanOf(Book(), score), (PlanTable{
                                       {1, {"sc08", "sc22", "sc23"}},
                                       {2, {"sc24", "sc25", "sc01"}},
                                       {3, {"sc15", "sc20", "sc05"}},
                                       {4, {"sc04", "sc14"}},
                                   }));
}

TEST(Plan, EverythingUnmetFillsSixMonthsThenOverflowsAfterThePlan) {
  std::vector<std::string> all;
  for (int n = 1; n <= 25; ++n) all.push_back(test::Sc(n));
  ScoreResult score = Score(test::SelfCheck(), Unmet(all));
  EXPECT_EQ(PlanOf(Book(), score), (PlanTable{
                                       {1, {"sc08", "sc16", "sc21"}},
                                       {2, {"sc22", "sc23", "sc24"}},
                                       {3, {"sc25", "sc01", "sc15"}},
                                       {4, {"sc20", "sc05", "sc07"}},
                                       {5, {"sc09", "sc10", "sc12"}},
                                       {6, {"sc13", "sc17", "sc18"}},
                                       {0, {"sc19", "sc02", "sc03", "sc04", "sc06", "sc11", "sc14"}},
                                   }));
}

TEST(Plan, OnlyPurchasesLeaveMonthOneEmpty) {
  ScoreResult score = Score(test::SelfCheck(), Unmet({"sc01", "sc02", "sc03", "sc04", "sc15", "sc20"}));
  EXPECT_EQ(PlanOf(Book(), score), (PlanTable{
                                       {2, {"sc01", "sc15", "sc20"}},
                                       {3, {"sc02", "sc03"}},
                                       {4, {"sc04"}},
                                   }));
}

TEST(Plan, RulesHoldForManyAnswerSheets) {
  // Month 1 holds only no-cost items; no month holds more than 3; no item is earlier than its cost
  // class allows; every unmet item appears exactly once; months are in order with "after" last.
  const std::vector<std::vector<std::string>> sheets = {
      {"sc01", "sc02", "sc03", "sc04", "sc05", "sc06", "sc07", "sc08", "sc09", "sc10"},
      {"sc15", "sc16", "sc17", "sc18", "sc19", "sc20", "sc21", "sc22", "sc23", "sc24", "sc25"},
      {"sc04", "sc11", "sc14", "sc06"},
      {"sc02", "sc03", "sc12", "sc13", "sc17", "sc18", "sc19", "sc09", "sc10", "sc07", "sc05", "sc11", "sc14"},
  };
  const std::map<std::string, int> earliest = {{"none", 1}, {"low", 2}, {"investment", 4}};
  for (const auto& unmet : sheets) {
    const ScoreResult score = Score(test::SelfCheck(), Unmet(unmet));  // the plan points into it
    std::vector<PlanMonth> plan = Book().Plan(score);
    std::multiset<std::string> placed;
    int previous = 0;
    for (size_t i = 0; i < plan.size(); ++i) {
      const PlanMonth& m = plan[i];
      EXPECT_FALSE(m.steps.empty());
      if (m.month == 0) {
        EXPECT_EQ(i + 1, plan.size()) << "after-the-plan comes last";
      } else {
        EXPECT_GT(m.month, previous);
        EXPECT_LE(m.month, 6);
        EXPECT_LE(m.steps.size(), 3u) << "month " << m.month;
        previous = m.month;
      }
      for (const Advice& a : m.steps) {
        placed.insert(a.result->item->id);
        if (m.month == 1) {
          EXPECT_EQ(a.cost->code, "none") << a.result->item->id;
        }
        if (m.month != 0) {
          EXPECT_GE(m.month, earliest.at(a.cost->code)) << a.result->item->id;
        }
      }
    }
    EXPECT_EQ(placed, std::multiset<std::string>(unmet.begin(), unmet.end()));
  }
}

TEST(Plan, OrderComesFromTheData) {
  // With cost first (the previously shipped order), 19 no-cost items fill all 18 places of the plan and
  // every purchase, however urgent, is pushed after the six months.
  json j = json::parse(AdviceText());
  j["plan"]["order"] = {"cost", "priority", "number"};
  Result<AdviceBook> cost_first = AdviceBook::Parse(j.dump(), "advice.json", test::SelfCheck());
  ASSERT_TRUE(cost_first.ok()) << cost_first.status().message();
  std::vector<std::string> all;
  for (int n = 1; n <= 25; ++n) all.push_back(test::Sc(n));
  const ScoreResult score = Score(test::SelfCheck(), Unmet(all));
  PlanTable plan = PlanOf(*cost_first, score);
  ASSERT_EQ(plan.size(), 7u);
  EXPECT_EQ(plan[0], (std::pair<int, std::vector<std::string>>{1, {"sc08", "sc16", "sc21"}}));
  EXPECT_EQ(plan[6],
            (std::pair<int, std::vector<std::string>>{0, {"sc14", "sc01", "sc15", "sc20", "sc02", "sc03", "sc04"}}));
}

TEST(Plan, TheShippedOrderIsPriorityCostNumber) {
  json j = json::parse(AdviceText());
  EXPECT_EQ(j["plan"]["order"], json({"priority", "cost", "number"}));
  EXPECT_EQ(j["plan"]["months"], 6);
  EXPECT_EQ(j["plan"]["items_per_month"], 3);
  EXPECT_EQ(Book().months(), 6);
}

// --- The advice data -------------------------------------------------------------------------------

TEST(AdviceData, EveryItemHasAdviceWithRealGuidelineItems) {
  const Instrument& oc = test::SourceInstrument("org-checklist-2009");
  std::map<std::string, int> per_cost, per_priority;
  for (const Item& item : test::SelfCheck().items) {
    const ItemAdvice* a = Book().ForItem(item.id);
    ASSERT_NE(a, nullptr) << item.id;
    EXPECT_FALSE(a->guideline.empty()) << item.id;
    for (const std::string& g : a->guideline) EXPECT_NE(oc.FindItem(g), nullptr) << item.id << ": " << g;
    EXPECT_FALSE(a->action.ja.empty()) << item.id;
    EXPECT_FALSE(a->action.en.empty()) << item.id;
    ++per_cost[a->cost];
    ++per_priority[a->priority];
  }
  // The totals docs/advice.md states.
  EXPECT_EQ(per_cost, (std::map<std::string, int>{{"none", 19}, {"low", 5}, {"investment", 1}}));
  EXPECT_EQ(per_priority, (std::map<std::string, int>{{"high", 10}, {"medium", 12}, {"low", 3}}));
}

struct BadAdvice {
  const char* name;
  std::function<void(json&)> edit;
  std::string error;
};

TEST(AdviceBook, InvalidAdviceIsRefusedWithThePlace) {
  const BadAdvice cases[] = {
      {"unknown cost class", [](json& j) { j["items"][0]["cost"] = "free"; },
       "advice.json: items[0].cost: unknown cost class 'free'"},
      {"unknown priority", [](json& j) { j["items"][2]["priority"] = "urgent"; },
       "advice.json: items[2].priority: unknown priority 'urgent'"},
      {"unknown item", [](json& j) { j["items"][0]["item"] = "sc26"; },
       "advice.json: items[0].item: 'sc26' is not an item of self-check-2009"},
      {"duplicate item", [](json& j) { j["items"][1]["item"] = "sc01"; },
       "advice.json: items[1].item: duplicate advice for 'sc01'"},
      {"an item without advice", [](json& j) { j["items"].erase(24); },
       "advice.json: items: no advice for item 'sc25'"},
      {"another instrument", [](json& j) { j["instrument"] = "org-checklist-2009"; },
       "advice.json: instrument: 'org-checklist-2009' — expected 'self-check-2009'"},
      {"unknown plan key", [](json& j) { j["plan"]["order"][1] = "size"; },
       "advice.json: plan.order[1]: 'size' — expected cost, priority or number"},
      {"earliest month beyond the plan", [](json& j) { j["plan"]["months"] = 3; },
       "advice.json: cost_classes: cost class 'investment': earliest_month must be within the plan's months"},
      {"no room in a month", [](json& j) { j["plan"]["items_per_month"] = 0; },
       "advice.json: plan: months and items_per_month must be at least 1"},
      {"wrong format", [](json& j) { j["format"] = "shindan-advice/2"; },
       "advice.json: format: expected \"shindan-advice/1\""},
  };
  for (const auto& c : cases) {
    json j = json::parse(AdviceText());
    c.edit(j);
    Result<AdviceBook> b = AdviceBook::Parse(j.dump(), "advice.json", test::SelfCheck());
    ASSERT_FALSE(b.ok()) << c.name;
    EXPECT_EQ(b.status().message(), c.error) << c.name;
  }
}

// --- Cases like mine -------------------------------------------------------------------------------

const CaseLibrary& Cases() {
  static const CaseLibrary lib = [] {
    Result<CaseLibrary> r = CaseLibrary::Load(FileSystem::Disk(), SHINDAN_SOURCE_ROOT "/data/cases.json");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : CaseLibrary{};
  }();
  return lib;
}

std::vector<std::pair<std::string, int>> Matches(const CaseLibrary& lib, const std::string& industry,
                                                 const std::string& size_type, const std::set<std::string>& unmet,
                                                 size_t limit) {
  Classification c;
  c.industry = industry;
  c.size_type = size_type;
  std::vector<std::pair<std::string, int>> out;
  for (const CaseMatch& m : lib.Match(c, unmet, limit)) out.emplace_back(m.c->id, m.score);
  return out;
}

using MatchTable = std::vector<std::pair<std::string, int>>;

TEST(Cases, NineCasesLoad) {
  std::vector<std::string> ids;
  for (const Case& c : Cases().cases()) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"case-a", "case-b", "case-c", "case-d", "case-e", "case-f", "case-g",
                                           "case-h", "case-i"}));
  for (const Case& c : Cases().cases()) {
    EXPECT_FALSE(c.title.ja.empty()) << c.id;
    EXPECT_FALSE(c.summary.en.empty()) << c.id;
    for (const std::string& t : c.topics) EXPECT_NE(test::SelfCheck().FindSection(t), nullptr) << c.id << ": " << t;
  }
}

TEST(Cases, TheWorkedExampleOfDocsAdvice) {
  // A construction company with 12 employees (mfg, A) with the unmet sections of the plan example.
  const std::set<std::string> unmet = {"storage", "disposal",  "office",   "pc",       "password", "antivirus",
                                       "backup",  "employees", "partners", "incident", "rules"};
  EXPECT_EQ(Matches(Cases(), "mfg", "A", unmet, 3), (MatchTable{{"case-i", 7}, {"case-b", 5}, {"case-c", 5}}));
  EXPECT_EQ(Matches(Cases(), "mfg", "A", unmet, 100), (MatchTable{{"case-i", 7},
                                                                  {"case-b", 5},
                                                                  {"case-c", 5},
                                                                  {"case-a", 4},
                                                                  {"case-d", 4},
                                                                  {"case-e", 4},
                                                                  {"case-g", 4},
                                                                  {"case-h", 4},
                                                                  {"case-f", 3}}));
}

TEST(Cases, IndustryCountsTwoSizeOneEachUnmetTopicOne) {
  EXPECT_EQ(Matches(Cases(), "net", "S", {}, 9), (MatchTable{{"case-f", 3}, {"case-h", 3}}));
  EXPECT_EQ(Matches(Cases(), "dist", "", {}, 9), (MatchTable{{"case-d", 2}, {"case-e", 2}, {"case-g", 2}}));
  EXPECT_EQ(Matches(Cases(), "", "A", {}, 9), (MatchTable{{"case-e", 1}, {"case-i", 1}}));
  EXPECT_EQ(Matches(Cases(), "", "", {"takeout"}, 9), (MatchTable{{"case-e", 1}}));
}

TEST(Cases, NeverACaseScoringZeroAndAtMostTheLimit) {
  EXPECT_TRUE(Matches(Cases(), "", "", {}, 9).empty());
  EXPECT_EQ(Matches(Cases(), "svc", "out", {"email"}, 9), (MatchTable{{"case-a", 2}}));
  EXPECT_TRUE(Matches(Cases(), "mfg", "A", {"rules"}, 0).empty());
  EXPECT_EQ(Matches(Cases(), "mfg", "B", {"rules"}, 2).size(), 2u);
}

TEST(Cases, TiesAreBrokenByCaseIdWhateverTheFileOrder) {
  Result<CaseLibrary> lib = CaseLibrary::Parse(R"({
    "format": "shindan-cases/1",
    "cases": [
      {"id": "zeta", "title": {"ja": "Z社", "en": "Z"}, "summary": {"ja": "要約", "en": "Summary"},
       "industry": ["mfg"], "size_types": ["A"], "topics": ["rules"], "lessons": []},
      {"id": "alpha", "title": {"ja": "A社", "en": "A"}, "summary": {"ja": "要約", "en": "Summary"},
       "industry": ["mfg"], "size_types": ["B"], "topics": ["rules"], "lessons": []}
    ]})",
                                               "cases.json");
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  EXPECT_EQ(Matches(*lib, "mfg", "", {"rules"}, 3), (MatchTable{{"alpha", 3}, {"zeta", 3}}));
}

TEST(Cases, DuplicateCaseIdIsRefused) {
  Result<CaseLibrary> lib = CaseLibrary::Parse(R"({
    "format": "shindan-cases/1",
    "cases": [
      {"id": "x", "title": {"ja": "X社", "en": "X"}, "summary": {"ja": "要約", "en": "S"},
       "industry": [], "size_types": [], "topics": [], "lessons": []},
      {"id": "x", "title": {"ja": "X社", "en": "X"}, "summary": {"ja": "要約", "en": "S"},
       "industry": [], "size_types": [], "topics": [], "lessons": []}
    ]})",
                                               "cases.json");
  ASSERT_FALSE(lib.ok());
  EXPECT_EQ(lib.status().message(), "cases.json: cases[1].id: duplicate case id 'x'");
}

}  // namespace
}  // namespace shindan
