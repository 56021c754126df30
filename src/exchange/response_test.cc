#include "exchange/response.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#if __has_include("test_paths.h")
#include "test_paths.h"
#include "catalog/test_catalog.h"
#endif

namespace shindan {
namespace {



// A complete, valid JSON sheet: a small manufacturer in Shizuoka, every item answered 実施している.
RawResponse ValidSheet() {
  RawResponse r;
  r.file = "sheet.json";
  r.company_id = "c001";
  r.profile = {{"employees", "１２"},
               {"industry", "製造業"},
               {"prefecture", "静岡県"},
               {"it_core", "いいえ"},
               {"it_uses", "情報系;基幹系"}};
  for (int n = 1; n <= 25; ++n) r.answers[test::Sc(n)] = "実施している";
  return r;
}

std::string Problems(const RawResponse& raw, bool allow_missing = false) {
  ValidateOptions options;
  options.allow_missing = allow_missing;
  Result<Response> r = ValidateResponse(test::SourceCatalog(), raw, options);
  if (r.ok()) return "(ok)";
  return r.status().message();
}

TEST(ValidateResponse, ValidSheetGivesCanonicalAnswers) {
  Result<Response> r = ValidateResponse(test::SourceCatalog(), ValidSheet(), ValidateOptions());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->company_id, "c001");
  EXPECT_EQ(r->profile, (std::map<std::string, std::string>{{"employees", "12"},
                                                            {"industry", "mfg"},
                                                            {"prefecture", "22"},
                                                            {"it_core", "no"},
                                                            {"it_uses", "core;info"}}));
  ASSERT_EQ(r->answers.size(), 1u);
  const Answers& sc = r->answers.at("self-check-2009");
  EXPECT_EQ(sc.size(), 25u);
  EXPECT_EQ(sc.at("sc01"), "yes");
  EXPECT_EQ(sc.at("sc25"), "yes");
  EXPECT_TRUE(r->missing.empty());
}

struct ProblemCase {
  const char* name;
  std::function<void(RawResponse&)> edit;
  std::string problem;  // the exact, whole message
};

TEST(ValidateResponse, EachInvalidValueGivesOneProblemLine) {
  const ProblemCase cases[] = {
      {"unknown item", [](RawResponse& r) { r.answers["sc26"] = "yes"; },
       "sheet.json: answers.sc26: unknown item 'sc26' — expected an item of self-check-2009 (sc01…sc25)"},
      {"an item of an unscored instrument", [](RawResponse& r) { r.answers["q1"] = "方針あり"; },
       "sheet.json: answers.q1: unknown item 'q1' — expected an item of self-check-2009 (sc01…sc25)"},
      {"partial on sc21", [](RawResponse& r) { r.answers["sc21"] = "一部実施している"; },
       std::string("sheet.json: answers.sc21: '一部実施している' is not an answer this item takes — expected ") +
           test::kSc21Options},
      {"na on sc01", [](RawResponse& r) { r.answers["sc01"] = "該当なし"; },
       std::string("sheet.json: answers.sc01: '該当なし' (na) is only for items with a condition — expected ") +
           test::kSc01Options},
      {"nonsense answer", [](RawResponse& r) { r.answers["sc02"] = "たぶん"; },
       std::string("sheet.json: answers.sc02: 'たぶん' — expected ") + test::kSc01Options},
      {"missing item", [](RawResponse& r) { r.answers.erase("sc25"); },
       std::string("sheet.json: answers.sc25: missing — expected ") + test::kSc21Options +
           " (or --allow-missing to score it 0)"},
      {"bad employees", [](RawResponse& r) { r.profile["employees"] = "many"; },
       "sheet.json: profile.employees: 'many' — expected a whole number of at least 0"},
      {"bad prefecture", [](RawResponse& r) { r.profile["prefecture"] = "東亰"; },
       "sheet.json: profile.prefecture: '東亰' — expected one of the 47 prefectures, e.g. 東京都, 東京 or Tokyo"},
      {"unknown profile field", [](RawResponse& r) { r.profile["colour"] = "blue"; },
       "sheet.json: profile.colour: unknown profile field — expected one of the fields of instruments/profile.json"},
  };
  for (const auto& c : cases) {
    RawResponse raw = ValidSheet();
    c.edit(raw);
    EXPECT_EQ(Problems(raw), c.problem) << c.name;
  }
}

TEST(ValidateResponse, NotApplicableOnSc06IsAccepted) {
  RawResponse raw = ValidSheet();
  raw.answers["sc06"] = "該当なし";
  Result<Response> r = ValidateResponse(test::SourceCatalog(), raw, ValidateOptions());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->answers.at("self-check-2009").at("sc06"), "na");
}

TEST(ValidateResponse, AllowMissingListsTheMissingItems) {
  RawResponse raw = ValidSheet();
  raw.answers.erase("sc03");
  raw.answers.erase("sc25");
  ValidateOptions options;
  options.allow_missing = true;
  Result<Response> r = ValidateResponse(test::SourceCatalog(), raw, options);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->missing, (std::vector<std::string>{"sc03", "sc25"}));
}

TEST(ValidateResponse, SeveralProblemsAreAllReportedOnePerLine) {
  RawResponse raw = ValidSheet();
  raw.profile["employees"] = "many";
  raw.profile["colour"] = "blue";
  raw.answers["sc26"] = "yes";
  raw.answers["sc21"] = "一部実施している";
  raw.answers.erase("sc24");
  EXPECT_EQ(
      Problems(raw),
      "sheet.json: profile.colour: unknown profile field — expected one of the fields of instruments/profile.json\n"
      "sheet.json: profile.employees: 'many' — expected a whole number of at least 0\n"
      "sheet.json: answers.sc21: '一部実施している' is not an answer this item takes — expected " +
          std::string(test::kSc21Options) +
          "\n"
          "sheet.json: answers.sc26: unknown item 'sc26' — expected an item of self-check-2009 (sc01…sc25)\n"
          "sheet.json: answers.sc24: missing — expected " +
          test::kSc21Options + " (or --allow-missing to score it 0)");
}

TEST(ValidateResponse, CsvProblemsNameFileRowAndColumn) {
  RawResponse raw = ValidSheet();
  raw.file = "survey.csv";
  raw.row = 3;
  raw.answers["sc21"] = "一部実施している";
  EXPECT_EQ(
      Problems(raw),
      std::string("survey.csv:3:sc21: '一部実施している' is not an answer this item takes — expected ") + test::kSc21Options);
}

TEST(ValidateResponse, StartingTheOrgChecklistRequiresAllOfIt) {
  RawResponse raw = ValidSheet();
  raw.answers["oc1_1"] = "はい";
  std::string problems = Problems(raw);
  EXPECT_EQ(std::count(problems.begin(), problems.end(), '\n'), 20);  // 21 missing items
  EXPECT_EQ(problems.substr(0, problems.find('\n')), std::string("sheet.json: answers.oc1_2: missing — expected ") +
                                                         test::kSc21Options + " (or --allow-missing to score it 0)");

  ValidateOptions options;
  options.allow_missing = true;
  Result<Response> r = ValidateResponse(test::SourceCatalog(), raw, options);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->answers.at("org-checklist-2009"), (Answers{{"oc1_1", "yes"}}));
  EXPECT_EQ(r->missing.size(), 21u);
}

TEST(ValidateResponse, UnknownPrimaryInstrument) {
  ValidateOptions options;
  options.primary_instrument = "self-check-2030";
  Result<Response> r = ValidateResponse(test::SourceCatalog(), ValidSheet(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "instrument 'self-check-2030' — expected one of the loaded instruments (see `shindan instruments`)");
}

// --- The wide CSV ----------------------------------------------------------------------------------

TEST(WideColumns, CompanyIdProfileThenPrimaryThenOtherScoredInstruments) {
  std::vector<std::string> columns = WideColumns(test::SourceCatalog(), "self-check-2009");
  ASSERT_EQ(columns.size(), 1u + 14u + 25u + 22u);
  EXPECT_EQ(columns[0], "company_id");
  EXPECT_EQ(columns[1], "employees");
  EXPECT_EQ(columns[15], "sc01");
  EXPECT_EQ(columns[39], "sc25");
  EXPECT_EQ(columns[40], "oc1_1");
  EXPECT_EQ(columns.back(), "oc5_2");
}

struct CsvErrorCase {
  const char* name;
  std::string csv;
  std::string error;
};

TEST(ReadWideCsv, HeaderAndShapeErrorsNameFileRowAndColumn) {
  const CsvErrorCase cases[] = {
      {"unknown column", "company_id,employees,colour\nc1,3,blue\n",
       "survey.csv:1:3: unknown column 'colour' — expected company_id, a profile field or an item id (see "
       "docs/import.md)"},
      {"duplicate column", "company_id,sc01,ＳＣ０１\n", "survey.csv:1:3: duplicate column 'sc01'"},
      {"too many fields", "company_id,sc01\nc1,yes\nc2,yes,extra\n",
       "survey.csv:3: 3 fields — expected 2, as in the header"},
      {"too few fields", "company_id,sc01,sc02\nc1,yes\n", "survey.csv:2: 2 fields — expected 3, as in the header"},
      {"empty file", "", "survey.csv: empty — expected a header row (company_id, profile fields, item ids)"},
      {"unclosed quote", "company_id,sc01\nc1,\"yes\n",
       "survey.csv: line 2: a quoted field is not closed — expected a closing \""},
  };
  for (const auto& c : cases) {
    Result<std::vector<RawResponse>> rows = ReadWideCsv(c.csv, "survey.csv", test::SourceCatalog(), "self-check-2009");
    ASSERT_FALSE(rows.ok()) << c.name;
    EXPECT_EQ(rows.status().message(), c.error) << c.name;
  }
}

TEST(ReadWideCsv, RowsKeepTheirLineAndDropBlankValues) {
  const std::string csv =
      "Company_ID, Employees ,sc01,oc1_1\r\n"
      "c1,12,実施している,\r\n"
      "\r\n"
      "c2,,  ,はい\r\n";
  Result<std::vector<RawResponse>> rows = ReadWideCsv(csv, "survey.csv", test::SourceCatalog(), "self-check-2009");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);
  const RawResponse& first = (*rows)[0];
  EXPECT_EQ(first.file, "survey.csv");
  EXPECT_EQ(first.row, 2);
  EXPECT_EQ(first.company_id, "c1");
  EXPECT_EQ(first.profile, (std::map<std::string, std::string>{{"employees", "12"}}));
  EXPECT_EQ(first.answers, (std::map<std::string, std::string>{{"sc01", "実施している"}}));
  const RawResponse& second = (*rows)[1];
  EXPECT_EQ(second.row, 4);
  EXPECT_TRUE(second.profile.empty());
  EXPECT_EQ(second.answers, (std::map<std::string, std::string>{{"oc1_1", "はい"}}));
}

// --- Reading one sheet -----------------------------------------------------------------------------

// A header and one row of the wide layout, in UTF-8.
std::string OneRowCsv() {
  std::string header = "company_id,employees,industry,prefecture,it_core,it_uses";
  std::string row = "c100,１２,製造・建設業,静岡県,いいえ,基幹系;情報系";
  for (int n = 1; n <= 25; ++n) {
    header += "," + test::Sc(n);
    row += n == 6 ? ",該当なし" : n == 21 ? ",実施していない" : ",実施している";
  }
  return header + "\r\n" + row + "\r\n";
}

TEST(ReadSheet, ShiftJisCsvWithOneRow) {
  Result<std::string> sjis = FromUtf8(OneRowCsv(), Encoding::kShiftJis);
  ASSERT_TRUE(sjis.ok()) << sjis.status().message();
  ASSERT_EQ(DetectEncoding(*sjis), Encoding::kShiftJis);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("shindan-response-test-" + std::to_string(::getpid()) + ".csv"))
          .string();
  ASSERT_TRUE(FileSystem::Disk().WriteFile(path, *sjis).ok());
  Result<RawResponse> raw = ReadSheet(FileSystem::Disk(), path, test::SourceCatalog(), "self-check-2009");
  std::filesystem::remove(path);
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  EXPECT_EQ(raw->file, path);
  EXPECT_EQ(raw->row, 2);
  EXPECT_EQ(raw->company_id, "c100");
  EXPECT_EQ(raw->profile.at("industry"), "製造・建設業");
  EXPECT_EQ(raw->profile.at("prefecture"), "静岡県");
  EXPECT_EQ(raw->answers.at("sc01"), "実施している");
  EXPECT_EQ(raw->answers.at("sc06"), "該当なし");

  Result<Response> r = ValidateResponse(test::SourceCatalog(), *raw, ValidateOptions());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->profile.at("employees"), "12");
  EXPECT_EQ(r->profile.at("industry"), "mfg");
  EXPECT_EQ(r->profile.at("prefecture"), "22");
  EXPECT_EQ(r->profile.at("it_uses"), "core;info");
  const Answers& sc = r->answers.at("self-check-2009");
  EXPECT_EQ(sc.at("sc06"), "na");
  EXPECT_EQ(sc.at("sc21"), "no");
  EXPECT_EQ(sc.at("sc25"), "yes");
}

TEST(ReadSheet, Utf8CsvWithBom) {
  MemoryFileSystem fs;
  fs.files["sheet.csv"] = "\xEF\xBB\xBF" + OneRowCsv();
  Result<RawResponse> raw = ReadSheet(fs, "sheet.csv", test::SourceCatalog(), "self-check-2009");
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  EXPECT_EQ(raw->company_id, "c100");
  EXPECT_EQ(raw->answers.size(), 25u);
}

TEST(ReadSheet, CsvWithTwoRowsIsRefused) {
  MemoryFileSystem fs;
  fs.files["sheet.csv"] = "company_id,sc01\nc1,yes\nc2,no\n";
  Result<RawResponse> raw = ReadSheet(fs, "sheet.csv", test::SourceCatalog(), "self-check-2009");
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.status().message(),
            "sheet.csv: 2 data rows — expected exactly one (use `shindan import` for a survey)");
}

TEST(ReadSheet, JsonSheet) {
  MemoryFileSystem fs;
  fs.files["sheet.json"] = R"({
    "company_id": "c7",
    "profile": {"employees": 45, "it_core": false, "it_uses": ["情報系", "基幹系"], "capital": null},
    "answers": {"sc01": "yes", "sc02": "  "}
  })";
  Result<RawResponse> raw = ReadSheet(fs, "sheet.json", test::SourceCatalog(), "self-check-2009");
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  EXPECT_EQ(raw->row, 0);
  EXPECT_EQ(raw->company_id, "c7");
  EXPECT_EQ(raw->profile,
            (std::map<std::string, std::string>{{"employees", "45"}, {"it_core", "no"}, {"it_uses", "情報系;基幹系"}}));
  EXPECT_EQ(raw->answers, (std::map<std::string, std::string>{{"sc01", "yes"}}));
}

TEST(ReadSheet, JsonSheetErrorsNameThePath) {
  MemoryFileSystem fs;
  fs.files["a.json"] = R"({"profile": {}})";
  fs.files["b.json"] = R"({"answers": {"sc01": 1.5}})";
  fs.files["c.json"] = R"({"answers": {}, "extra": 1})";
  Result<RawResponse> a = ReadSheet(fs, "a.json", test::SourceCatalog(), "self-check-2009");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "a.json: answers: missing — expected an object of item id → answer");
  Result<RawResponse> b = ReadSheet(fs, "b.json", test::SourceCatalog(), "self-check-2009");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(),
            "b.json: answers.sc01: 1.5 — expected a string, a whole number, true/false or a list");
  Result<RawResponse> c = ReadSheet(fs, "c.json", test::SourceCatalog(), "self-check-2009");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "c.json: extra: unknown key — expected one of: company_id, instrument, profile, answers");
}

TEST(ReadSheet, InvalidBytesNameTheFileAndOffset) {
  MemoryFileSystem fs;
  // Not valid UTF-8, so read as Shift_JIS, where 0x85 0x40 is unassigned.
  fs.files["bad.csv"] = "company_id\n\x85\x40\n";
  Result<RawResponse> raw = ReadSheet(fs, "bad.csv", test::SourceCatalog(), "self-check-2009");
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.status().message(), "bad.csv: byte 11 (0x85, line 2, column 1): not valid Shift_JIS");
}

}  // namespace
}  // namespace shindan
