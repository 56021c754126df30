#include "instrument/loader.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#if __has_include("test_paths.h")
#include "test_paths.h"
#endif

namespace shindan {
namespace {

using nlohmann::json;

// --- The shipped instruments -----------------------------------------------------------------------

const std::vector<Instrument>& Shipped() {
  static const std::vector<Instrument> instruments = [] {
    Result<std::vector<Instrument>> r = LoadInstrumentDir(FileSystem::Disk(), SHINDAN_SOURCE_ROOT "/instruments");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : std::vector<Instrument>{};
  }();
  return instruments;
}

const Instrument& ShippedInstrument(const std::string& id) {
  for (const Instrument& ins : Shipped()) {
    if (ins.id == id) return ins;
  }
  ADD_FAILURE() << "no instrument " << id;
  static const Instrument empty;
  return empty;
}

std::vector<std::string> ItemIds(const Instrument& ins) {
  std::vector<std::string> ids;
  for (const Item& item : ins.items) ids.push_back(item.id);
  return ids;
}

std::vector<std::string> SectionIds(const Instrument& ins) {
  std::vector<std::string> ids;
  for (const Section& s : ins.sections) ids.push_back(s.id);
  return ids;
}

TEST(ShippedInstruments, AllFiveLoadInFileNameOrder) {
  std::vector<std::string> ids;
  for (const Instrument& ins : Shipped()) ids.push_back(ins.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"hearing-2009", "org-checklist-2009", "profile", "report-feedback",
                                           "self-check-2009"}));
}

TEST(ShippedInstruments, SelfCheckHas25ItemsIn13SectionsScoredOutOf100) {
  const Instrument& sc = ShippedInstrument("self-check-2009");
  ASSERT_EQ(sc.items.size(), 25u);
  EXPECT_EQ(sc.items.front().id, "sc01");
  EXPECT_EQ(sc.items.back().id, "sc25");
  for (size_t i = 0; i < sc.items.size(); ++i) EXPECT_EQ(sc.items[i].number, std::to_string(i + 1));
  EXPECT_EQ(SectionIds(sc),
            (std::vector<std::string>{"storage", "takeout", "disposal", "office", "pc", "password", "antivirus",
                                      "email", "backup", "employees", "partners", "incident", "rules"}));
  EXPECT_EQ(sc.scoring.method, Scoring::Method::kPoints);
  EXPECT_EQ(sc.scoring.max, 100);
  EXPECT_EQ(sc.scoring.pass_mark, 70);
  EXPECT_EQ(sc.title.ja, "5分でできる自社診断シート");
}

TEST(ShippedInstruments, SelfCheckItems21To25AcceptOnlyYesOrNo) {
  const Instrument& sc = ShippedInstrument("self-check-2009");
  for (const Item& item : sc.items) {
    std::vector<std::string> codes;
    for (const AnswerOption* o : sc.OptionsFor(item)) codes.push_back(o->code);
    const int n = std::stoi(item.number);
    if (n >= 21) {
      EXPECT_EQ(codes, (std::vector<std::string>{"yes", "no"})) << item.id;
    } else if (item.id == "sc06") {
      EXPECT_EQ(codes, (std::vector<std::string>{"yes", "partial", "no", "unknown", "na"})) << item.id;
    } else {
      EXPECT_EQ(codes, (std::vector<std::string>{"yes", "partial", "no", "unknown"})) << item.id;
    }
    EXPECT_EQ(sc.BestPoints(item), 4) << item.id;
  }
}

TEST(ShippedInstruments, OnlySc06HasACondition) {
  const Instrument& sc = ShippedInstrument("self-check-2009");
  for (const Item& item : sc.items) {
    EXPECT_EQ(item.applies_if, item.id == "sc06" ? "uses_laptops" : "") << item.id;
  }
  ASSERT_TRUE(sc.not_applicable.has_value());
  EXPECT_EQ(sc.not_applicable->code, "na");
  EXPECT_EQ(sc.not_applicable->points, 0);
}

TEST(ShippedInstruments, OrgChecklistHas22ItemsIn5Sections) {
  const Instrument& oc = ShippedInstrument("org-checklist-2009");
  EXPECT_EQ(ItemIds(oc),
            (std::vector<std::string>{"oc1_1", "oc1_2", "oc1_3", "oc1_4", "oc1_5", "oc1_6", "oc1_7", "oc2_1",
                                      "oc2_2", "oc2_3", "oc3_1", "oc3_2", "oc3_3", "oc3_4", "oc3_5", "oc4_1",
                                      "oc4_2", "oc4_3", "oc4_4", "oc4_5", "oc5_1", "oc5_2"}));
  EXPECT_EQ(SectionIds(oc), (std::vector<std::string>{"s1", "s2", "s3", "s4", "s5"}));
  for (const Item& item : oc.items) {
    // oc3_5 is in s3 and numbered 3-5.
    EXPECT_EQ(item.section, "s" + item.id.substr(2, 1)) << item.id;
    EXPECT_EQ(item.number, item.id.substr(2, 1) + "-" + item.id.substr(4)) << item.id;
  }
  EXPECT_EQ(oc.scoring.method, Scoring::Method::kCount);
  EXPECT_EQ(oc.scoring.count_code, "yes");
}

TEST(ShippedInstruments, HearingHas12OptionalTextItems) {
  const Instrument& h = ShippedInstrument("hearing-2009");
  ASSERT_EQ(h.items.size(), 12u);
  for (size_t i = 0; i < h.items.size(); ++i) {
    EXPECT_EQ(h.items[i].id, "q" + std::to_string(i + 1));
    EXPECT_EQ(h.items[i].number, "Q" + std::to_string(i + 1));
    EXPECT_EQ(h.items[i].type, ItemType::kText);
    EXPECT_FALSE(h.items[i].required);
  }
  EXPECT_EQ(h.scoring.method, Scoring::Method::kNone);
}

TEST(ShippedInstruments, ProfileHasThe14ContractFieldIds) {
  const Instrument& p = ShippedInstrument("profile");
  EXPECT_EQ(ItemIds(p),
            (std::vector<std::string>{"employees", "capital", "industry", "legal_sector", "prefecture", "it_core",
                                      "sites", "it_staff", "it_uses", "servers", "certifications", "qualified_staff",
                                      "knows_ipa", "knows_benchmark"}));
  EXPECT_EQ(p.FindItem("prefecture")->type, ItemType::kPrefecture);
  EXPECT_EQ(p.FindItem("it_uses")->type, ItemType::kMulti);
  EXPECT_EQ(p.FindItem("certifications")->type, ItemType::kLabels);
  EXPECT_EQ(p.FindItem("employees")->min, 0);
  EXPECT_EQ(p.FindItem("sites")->min, 1);
  EXPECT_EQ(p.scoring.method, Scoring::Method::kNone);
}

TEST(ShippedInstruments, ReportFeedbackHasFourQuestionsAndSevenContactFields) {
  const Instrument& r = ShippedInstrument("report-feedback");
  EXPECT_EQ(ItemIds(r), (std::vector<std::string>{"q1", "q2", "q3", "q4", "name", "organisation", "position", "address",
                                                  "phone", "fax", "email"}));
}

// --- Invalid instruments ---------------------------------------------------------------------------

// The smallest valid instrument: two points-scored items, the second with a condition.
json Minimal() {
  return json::parse(R"({
    "format": "shindan-instrument/1",
    "id": "mini",
    "version": "1",
    "title": {"ja": "小さな診断", "en": "Mini"},
    "source": "loader_test.cc",
    "answer_sets": {
      "yn": [
        {"code": "yes", "label": {"ja": "はい", "en": "Yes"}, "points": 1},
        {"code": "no", "label": {"ja": "いいえ", "en": "No"}, "points": 0}
      ]
    },
    "not_applicable": {"code": "na", "label": {"ja": "該当なし", "en": "Not applicable"}, "points": 0},
    "conditions": [{"id": "has_pc", "question": {"ja": "パソコンがありますか？", "en": "Any PCs?"}}],
    "sections": [{"id": "a", "label": {"ja": "甲", "en": "A"}}],
    "items": [
      {"id": "i1", "section": "a", "type": "choice", "answers": "yn",
       "text": {"ja": "鍵をかけるなどのように、守っていますか？", "en": "Do you protect it, e.g. by locking?"},
       "example": {"ja": "鍵をかける", "en": "Locking"},
       "objective": {"ja": "守っていますか？", "en": "Do you protect it?"}},
      {"id": "i2", "section": "a", "type": "choice", "answers": "yn", "applies_if": "has_pc",
       "text": {"ja": "パソコンを片付けていますか？", "en": "Do you put PCs away?"}}
    ],
    "scoring": {"method": "points", "max": 2, "pass_mark": 1}
  })");
}

TEST(ParseInstrument, TheMinimalInstrumentIsValid) {
  Result<Instrument> ins = ParseInstrument(Minimal().dump(2), "mini.json");
  ASSERT_TRUE(ins.ok()) << ins.status().message();
  EXPECT_EQ(ins->items.size(), 2u);
  EXPECT_EQ(ins->scoring.max, 2);
}

struct InvalidCase {
  const char* name;
  std::function<void(json&)> edit;
  std::string error;
};

TEST(ParseInstrument, InvalidInstrumentsAreRefusedWithThePlaceAndWhatWasExpected) {
  const InvalidCase cases[] = {
      {"wrong format", [](json& j) { j["format"] = "shindan-instrument/2"; },
       "mini.json: format: 'shindan-instrument/2' — expected \"shindan-instrument/1\""},
      {"unknown top-level key", [](json& j) { j["colour"] = "blue"; },
       "mini.json: colour: unknown key — expected one of: format, id, version, title, source, instructions, "
       "answer_sets, not_applicable, conditions, notes, sections, items, scoring"},
      {"unknown item key", [](json& j) { j["items"][0]["colour"] = "blue"; },
       "mini.json: items[0].colour: unknown key — expected one of: id, number, section, type, answers, text, "
       "example, objective, instruction, notes, applies_if, required, help, min, max, unit, tags, tag_labels, "
       "suggestions"},
      {"comment keys are allowed", [](json& j) { j["items"][0]["comment"] = "editorial note"; }, ""},
      {"missing title", [](json& j) { j.erase("title"); },
       "mini.json: title: missing — expected a text {\"ja\": …, \"en\": …}"},
      {"text without en", [](json& j) { j["items"][0]["text"].erase("en"); },
       "mini.json: items[0].text.en: missing — expected a string"},
      {"bad instrument id", [](json& j) { j["id"] = "Mini"; },
       "mini.json: id: 'Mini' — expected lowercase letters, digits and -"},
      {"duplicate item id", [](json& j) { j["items"][1]["id"] = "i1"; },
       "mini.json: items[1].id: duplicate item id 'i1'"},
      {"duplicate section id",
       [](json& j) {
         j["sections"].push_back({{"id", "a"}, {"label", {{"ja", "乙"}, {"en", "B"}}}});
       },
       "mini.json: sections[1].id: duplicate section id 'a'"},
      {"unknown section", [](json& j) { j["items"][0]["section"] = "b"; },
       "mini.json: items[0].section: unknown section 'b' — expected one of: a"},
      {"unknown type", [](json& j) { j["items"][0]["type"] = "radio"; },
       "mini.json: items[0].type: unknown type 'radio' — expected one of: choice, multi, integer, boolean, text, "
       "labels, prefecture"},
      {"unknown answer set", [](json& j) { j["items"][0]["answers"] = "four"; },
       "mini.json: items[0].answers: unknown answer set 'four' — expected one of: yn"},
      {"duplicate option code", [](json& j) { j["answer_sets"]["yn"][1]["code"] = "yes"; },
       "mini.json: answer_sets.yn[1].code: duplicate code 'yes'"},
      {"missing points under points scoring", [](json& j) { j["answer_sets"]["yn"][1].erase("points"); },
       "mini.json: answer_sets.yn[1].points: missing — expected points, as the instrument is scored by points"},
      {"points without points scoring", [](json& j) { j.erase("scoring"); },
       "mini.json: answer_sets.yn[0].points: points given, but the instrument is not scored by points"},
      {"not_applicable without points under points scoring", [](json& j) { j["not_applicable"].erase("points"); },
       "mini.json: not_applicable.points: missing — expected the points a not-applicable answer counts in the "
       "original total"},
      {"max not the sum of the best points", [](json& j) { j["scoring"]["max"] = 3; },
       "mini.json: scoring.max: 3 — the items' best answers add up to 2"},
      {"pass mark above max", [](json& j) { j["scoring"]["pass_mark"] = 5; },
       "mini.json: scoring.pass_mark: above max"},
      {"unknown scoring method", [](json& j) { j["scoring"]["method"] = "sum"; },
       "mini.json: scoring.method: 'sum' — expected points or count"},
      {"text does not begin with the example", [](json& j) { j["items"][0]["example"]["ja"] = "鍵を閉める"; },
       "mini.json: items[0].example.ja: the text does not begin with the example '鍵を閉める'"},
      {"text does not end with the objective", [](json& j) { j["items"][0]["objective"]["ja"] = "守りますか？"; },
       "mini.json: items[0].objective.ja: the text does not end with the objective '守りますか？'"},
      {"text is not example + などのように、 + objective",
       [](json& j) { j["items"][0]["text"]["ja"] = "鍵をかけるなどして、守っていますか？"; },
       "mini.json: items[0].text.ja: expected the example, 「などのように、」 and the objective: "
       "'鍵をかけるなどのように、守っていますか？'"},
      {"applies_if without not_applicable", [](json& j) { j.erase("not_applicable"); },
       "mini.json: items[1].applies_if: the instrument has no \"not_applicable\" answer for items with a condition"},
      {"unknown condition", [](json& j) { j["items"][1]["applies_if"] = "has_car"; },
       "mini.json: items[1].applies_if: unknown condition 'has_car'"},
      {"applies_if on a text item",
       [](json& j) {
         j["items"][1]["type"] = "text";
         j["items"][1].erase("answers");
       },
       "mini.json: items[1].applies_if: only choice items may have a condition"},
      {"na defined but no item has applies_if", [](json& j) { j["items"][1].erase("applies_if"); },
       "mini.json: not_applicable: no item has \"applies_if\", so no item can be answered not applicable"},
      {"unknown note", [](json& j) { j["items"][0]["notes"] = {"*9"}; },
       "mini.json: items[0].notes[0]: unknown note '*9'"},
      {"unknown instruction", [](json& j) { j["items"][0]["instruction"] = "all_staff"; },
       "mini.json: items[0].instruction: unknown instruction 'all_staff'"},
      {"answer set on an integer item",
       [](json& j) {
         j["items"][1]["type"] = "integer";
         j["items"][1].erase("applies_if");
         j.erase("not_applicable");
       },
       "mini.json: items[1].answers: an integer item takes no answer set"},
      {"no items", [](json& j) { j["items"] = json::array(); }, "mini.json: items: expected a non-empty list of items"},
  };
  for (const auto& c : cases) {
    json j = Minimal();
    c.edit(j);
    Result<Instrument> ins = ParseInstrument(j.dump(2), "mini.json");
    if (c.error.empty()) {
      EXPECT_TRUE(ins.ok()) << c.name << ": " << ins.status().message();
      continue;
    }
    ASSERT_FALSE(ins.ok()) << c.name;
    EXPECT_EQ(ins.status().message(), c.error) << c.name;
  }
}

TEST(ParseInstrument, BadJsonNamesFileLineAndColumn) {
  // The column is where the parser noticed the problem: the end of the unexpected token "id".
  const std::string text = "{\n  \"format\": \"shindan-instrument/1\"\n  \"id\": \"mini\"\n}\n";
  Result<Instrument> ins = ParseInstrument(text, "mini.json");
  ASSERT_FALSE(ins.ok());
  EXPECT_EQ(ins.status().message(),
            "mini.json:3:6: not valid JSON — syntax error while parsing object - unexpected string literal; "
            "expected '}'");
}

TEST(ParseInstrument, TopLevelMustBeAnObject) {
  Result<Instrument> ins = ParseInstrument("[1, 2]", "mini.json");
  ASSERT_FALSE(ins.ok());
  EXPECT_EQ(ins.status().message(), "mini.json: expected a JSON object at the top level");
}

// --- Loading a folder ------------------------------------------------------------------------------

TEST(LoadInstrumentDir, EmptyFolderIsNotFound) {
  MemoryFileSystem fs;
  fs.files["other/x.json"] = "{}";
  Result<std::vector<Instrument>> r = LoadInstrumentDir(fs, "instruments");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "instruments: no instrument files (*.json)");
}

TEST(LoadInstrumentDir, OnlyJsonFilesDirectlyInTheFolderAreLoaded) {
  MemoryFileSystem fs;
  fs.files["instruments/mini.json"] = Minimal().dump();
  fs.files["instruments/README.md"] = "not an instrument";
  fs.files["instruments/old/mini.json"] = "not even JSON";
  Result<std::vector<Instrument>> r = LoadInstrumentDir(fs, "instruments");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().id, "mini");
}

TEST(LoadInstrumentDir, DuplicateInstrumentIdNamesTheSecondFile) {
  MemoryFileSystem fs;
  fs.files["instruments/a.json"] = Minimal().dump();
  fs.files["instruments/b.json"] = Minimal().dump();
  Result<std::vector<Instrument>> r = LoadInstrumentDir(fs, "instruments");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "instruments/b.json: id: duplicate instrument id 'mini'");
}

TEST(LoadInstrumentDir, AnInvalidFileStopsTheLoadNamingIt) {
  MemoryFileSystem fs;
  fs.files["instruments/a.json"] = Minimal().dump();
  json bad = Minimal();
  bad["id"] = "other";
  bad["scoring"]["max"] = 7;
  fs.files["instruments/b.json"] = bad.dump();
  Result<std::vector<Instrument>> r = LoadInstrumentDir(fs, "instruments");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "instruments/b.json: scoring.max: 7 — the items' best answers add up to 2");
}

TEST(LoadInstrument, MissingFileIsAnIoError) {
  MemoryFileSystem fs;
  Result<Instrument> r = LoadInstrument(fs, "instruments/none.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_EQ(r.status().message(), "instruments/none.json: cannot open (No such file or directory)");
}

}  // namespace
}  // namespace shindan
