#include "exchange/import.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "base/csv.h"
#include "catalog/test_catalog.h"
#include "exchange/demo.h"
#include "exchange/response.h"
#include "instrument/codec.h"
#include "profile/company.h"

#if __has_include("test_paths.h")
#include "test_paths.h"
#endif

namespace shindan {
namespace {



// A valid row in the wide layout: a small manufacturer in Tokyo, every item 実施している by
// code, no org checklist. `edits` replace cells by column name.
using Row = std::map<std::string, std::string>;

Row ValidRow(const std::string& id) {
  Row r = {{"company_id", id},      {"employees", "12"}, {"industry", "mfg"},    {"prefecture", "東京都"},
           {"it_core", "no"},       {"sites", "1"},      {"it_staff", "0"},      {"it_uses", "core"},
           {"servers", "1"},        {"qualified_staff", "no"}, {"knows_ipa", "yes"}, {"knows_benchmark", "no"}};
  for (int n = 1; n <= 25; ++n) r[test::Sc(n)] = "yes";
  return r;
}

std::string CsvText(const std::vector<Row>& rows) {
  const std::vector<std::string> columns = WideColumns(test::SourceCatalog(), "self-check-2009");
  std::string text = CsvLine(columns, false);
  for (const Row& row : rows) {
    std::vector<std::string> cells;
    for (const std::string& c : columns) {
      auto it = row.find(c);
      cells.push_back(it == row.end() ? "" : it->second);
    }
    text += CsvLine(cells, false);
  }
  return text;
}

struct Outcome {
  ImportReport report;
  std::vector<CompanyRecord> records;
  Status status;
};

Outcome Import(std::string_view bytes, ImportOptions options = {}) {
  if (options.file.empty()) options.file = "t.csv";
  Outcome out;
  Result<ImportReport> r = ImportText(test::SourceCatalog(), bytes, options, [&](const CompanyRecord& rec) {
    out.records.push_back(rec);
    return Status::Ok();
  });
  if (r.ok()) out.report = *r;
  else out.status = r.status();
  return out;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}
std::string Joined(const ProblemList& problems) { return Joined(problems.kept()); }

// The reference: ReadWideCsv + ValidateResponse + codec.h + Classify, row by row (the slow path the
// importer must agree with).
std::vector<CompanyRecord> Reference(const std::string& utf8) {
  const Catalog& catalog = test::SourceCatalog();
  Result<std::vector<RawResponse>> rows = ReadWideCsv(utf8, "ref.csv", catalog, "self-check-2009");
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  std::vector<CompanyRecord> out;
  if (!rows.ok()) return out;
  for (const RawResponse& raw : *rows) {
    Result<Response> r = ValidateResponse(catalog, raw, {});
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) continue;
    CompanyRecord rec;
    rec.company_key = r->company_id;
    rec.profile_version = catalog.profile().version;
    if (!r->profile.empty()) rec.profile = *EncodeValues(catalog.profile(), r->profile);
    Classification c = catalog.classification().Classify(ProfileFromAnswers(r->profile), catalog.geography());
    rec.size_type = c.size_type;
    rec.industry = c.industry;
    rec.region = c.region;
    for (const char* id : {"self-check-2009", "org-checklist-2009"}) {
      auto it = r->answers.find(id);
      if (it == r->answers.end()) continue;
      const Instrument& ins = *catalog.Find(id);
      rec.responses.push_back({id, ins.version, *EncodeAnswers(ins, it->second)});
    }
    out.push_back(rec);
  }
  return out;
}

void ExpectSameRecords(const std::vector<CompanyRecord>& expected, const std::vector<CompanyRecord>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const CompanyRecord& e = expected[i];
    const CompanyRecord& a = actual[i];
    EXPECT_EQ(e.company_key, a.company_key) << i;
    EXPECT_EQ(e.profile_version, a.profile_version) << e.company_key;
    EXPECT_EQ(e.profile, a.profile) << e.company_key;
    EXPECT_EQ(e.size_type, a.size_type) << e.company_key;
    EXPECT_EQ(e.industry, a.industry) << e.company_key;
    EXPECT_EQ(e.region, a.region) << e.company_key;
    ASSERT_EQ(e.responses.size(), a.responses.size()) << e.company_key;
    for (size_t k = 0; k < e.responses.size(); ++k) {
      EXPECT_EQ(e.responses[k].instrument_id, a.responses[k].instrument_id) << e.company_key;
      EXPECT_EQ(e.responses[k].instrument_version, a.responses[k].instrument_version) << e.company_key;
      EXPECT_EQ(e.responses[k].answers, a.responses[k].answers) << e.company_key;
    }
  }
}

std::string Demo(long long companies) {
  Result<std::string> text = DemoSurveyText(test::SourceCatalog(), {companies, 2009});
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? *text : std::string();
}

TEST(Import, DemoSurveyAgreesWithTheRowByRowReference) {
  const std::string text = Demo(66);
  Outcome o = Import(text);
  ASSERT_TRUE(o.status.ok()) << o.status.message();
  EXPECT_EQ(Joined(o.report.problems), "");
  EXPECT_EQ(o.report.rows, 66);
  EXPECT_EQ(o.report.records, 66);
  ExpectSameRecords(Reference(text.substr(3)), o.records);
}

TEST(Import, ChunksAndThreadsDoNotChangeTheResult) {
  const std::string text = Demo(3000);
  const std::vector<CompanyRecord> reference = Reference(text.substr(3));
  for (int threads : {0, 1, 2, 3}) {
    for (size_t chunk : {size_t{1}, size_t{700}, size_t{64 << 10}, size_t{1} << 20}) {
      ImportOptions options;
      options.threads = threads;
      options.chunk_bytes = chunk;
      Outcome o = Import(text, options);
      ASSERT_TRUE(o.status.ok()) << o.status.message();
      ASSERT_EQ(Joined(o.report.problems), "") << threads << " threads, chunks of " << chunk;
      ExpectSameRecords(reference, o.records);
    }
  }
}

TEST(Import, EveryBadCellIsAProblemNamingFileRowColumnValueAndExpectation) {
  Row bad = ValidRow("c-2");
  bad["sc05"] = "maybe";
  bad["sc21"] = "一部実施している";
  bad["employees"] = "many";
  bad["prefecture"] = "東亰";
  bad["it_core"] = "perhaps";
  bad["sc01"] = "該当なし";
  Row missing = ValidRow("c-3");
  missing.erase("sc03");
  missing["sc25"] = "　";  // a full-width space is blank after NFKC
  Outcome o = Import(CsvText({ValidRow("c-1"), bad, missing}));
  ASSERT_TRUE(o.status.ok());
  EXPECT_EQ(Joined(o.report.problems),
            "t.csv:3:employees: 'many' — expected a whole number of at least 0\n"
            "t.csv:3:prefecture: '東亰' — expected one of the 47 prefectures, e.g. 東京都, 東京 or Tokyo\n"
            "t.csv:3:it_core: 'perhaps' — expected yes or no (はい / いいえ, true / false, 1 / 0)\n"
            "t.csv:3:sc01: '該当なし' (na) is only for items with a condition — expected " +
                std::string(test::kSc01Options) + "\n" + "t.csv:3:sc05: 'maybe' — expected " + test::kSc01Options + "\n" +
                "t.csv:3:sc21: '一部実施している' is not an answer this item takes — expected " + test::kSc21Options + "\n" +
                "t.csv:4:sc03: missing — expected " + test::kSc01Options + "\n" + "t.csv:4:sc25: missing — expected " +
                test::kSc21Options + "\n");
  EXPECT_EQ(o.report.problems.count(), 8);
  EXPECT_EQ(o.report.rows, 3);
  // The good first row went to the sink; nothing after the first problem did.
  ASSERT_EQ(o.records.size(), 1u);
  EXPECT_EQ(o.records[0].company_key, "c-1");
}

TEST(Import, DuplicateCompanyIdNamesBothLines) {
  Outcome o = Import(CsvText({ValidRow("c-1"), ValidRow("c-2"), ValidRow("ｃ－１")}));
  EXPECT_EQ(Joined(o.report.problems),
            "t.csv:4:company_id: 'c-1' — the same company as on line 2; expected each company once in a file\n");
  EXPECT_EQ(o.records.size(), 2u);
}

TEST(Import, MissingCompanyIdAndWrongFieldCount) {
  std::string text = CsvText({ValidRow("")});
  text += "c-9,12,,mfg\r\n";
  Outcome o = Import(text);
  EXPECT_EQ(Joined(o.report.problems),
            "t.csv:2:company_id: missing — expected the company's id in the survey\n"
            "t.csv:3: 4 fields — expected 62, as in the header\n");
}

TEST(Import, OrgChecklistAllBlankIsNoResponseButPartlyFilledNeedsEveryItem) {
  Row none = ValidRow("c-1");
  Row all = ValidRow("c-2");
  Row some = ValidRow("c-3");
  const Instrument& oc = *test::SourceCatalog().Find("org-checklist-2009");
  for (const Item& item : oc.items) all[item.id] = "yes";
  for (const Item& item : oc.items) some[item.id] = "はい";
  some["oc2_1"] = "";
  some["oc5_2"] = " ";
  Outcome o = Import(CsvText({none, all, some}));
  EXPECT_EQ(Joined(o.report.problems),
            "t.csv:4:oc2_1: missing — expected 実施している (yes) or 実施していない (no)\n"
            "t.csv:4:oc5_2: missing — expected 実施している (yes) or 実施していない (no)\n");
  ASSERT_EQ(o.records.size(), 2u);
  ASSERT_EQ(o.records[0].responses.size(), 1u);
  EXPECT_EQ(o.records[0].responses[0].instrument_id, "self-check-2009");
  ASSERT_EQ(o.records[1].responses.size(), 2u);
  EXPECT_EQ(o.records[1].responses[1].instrument_id, "org-checklist-2009");
  EXPECT_EQ(o.records[1].responses[1].answers, std::string(22, '1'));
}

TEST(Import, OnlyTheFirstProblemsAreKeptButAllAreCounted) {
  std::vector<Row> rows;
  for (int i = 0; i < 40; ++i) {
    Row r = ValidRow("c-" + std::to_string(i));
    r["sc01"] = "x";
    r["sc02"] = "y";
    rows.push_back(r);
  }
  ImportOptions options;
  options.max_problems = 5;
  options.chunk_bytes = 300;
  Outcome o = Import(CsvText(rows), options);
  EXPECT_EQ(o.report.problems.kept().size(), 5u);
  EXPECT_EQ(o.report.problems.count(), 80);
  EXPECT_EQ(o.report.problems.kept()[4], std::string("t.csv:4:sc01: 'x' — expected ") + test::kSc01Options);
  EXPECT_TRUE(o.records.empty());
}

TEST(Import, HeaderProblemsStopBeforeTheRows) {
  EXPECT_EQ(Joined(Import("company_id,employees,colour,employees\r\nc-1,3,red,3\r\n").report.problems),
            "t.csv:1:colour: unknown column — expected company_id, a profile field or an item id (see docs/import.md)\n"
            "t.csv:1:employees: duplicate column — also column 2\n");
  std::string header = "company_id";
  for (int n = 1; n <= 24; ++n) header += "," + test::Sc(n);
  EXPECT_EQ(Joined(Import(header + "\r\n").report.problems),
            "t.csv:1: column sc25 is missing — expected every item of self-check-2009 (sc01…sc25)\n");
  EXPECT_EQ(Joined(Import(header + ",sc25,oc1_1\r\n").report.problems),
            "t.csv:1: columns oc1_2, oc1_3, oc1_4, oc1_5, oc1_6, oc1_7, oc2_1, oc2_2, oc2_3, oc3_1, oc3_2, oc3_3, "
            "oc3_4, oc3_5, oc4_1, oc4_2, oc4_3, oc4_4, oc4_5, oc5_1, oc5_2 are missing — expected every item of "
            "org-checklist-2009 (oc1_1…oc5_2) when any of them is present\n");
  EXPECT_EQ(Joined(Import("employees\r\n3\r\n").report.problems),
            "t.csv:1: no company_id column — expected company_id, the company's id in the survey\n");
  EXPECT_EQ(Joined(Import("").report.problems),
            "t.csv: empty — expected a header row (company_id, profile fields, item ids; see docs/import.md)\n");
}

TEST(Import, AFileWithOnlyTheAnswersNeedsNoProfile) {
  std::string text = "company_id";
  for (int n = 1; n <= 25; ++n) text += "," + test::Sc(n);
  text += "\nc-1";
  for (int n = 1; n <= 25; ++n) text += n == 6 ? ",該当なし" : ",no";
  text += "\n";
  Outcome o = Import(text);
  EXPECT_EQ(Joined(o.report.problems), "");
  ASSERT_EQ(o.records.size(), 1u);
  EXPECT_EQ(o.records[0].profile, "");
  EXPECT_EQ(o.records[0].size_type, "");
  EXPECT_EQ(o.records[0].responses[0].answers, "33333" "5" "33333333333333" "22222");
}

TEST(Import, LabelsFullWidthAndSpacesAreNormalised) {
  Row r = ValidRow("　ｃ－７　");
  r["employees"] = "１，５００";
  r["capital"] = "10,000,000";
  r["industry"] = "製造業";
  r["prefecture"] = "　大阪　";
  r["it_core"] = "いいえ";
  r["it_uses"] = "情報系、基幹系";
  r["certifications"] = "Ｐマーク; ISMS";
  r["sc01"] = "実施している";
  r["sc02"] = "ｐａｒｔｉａｌ";
  r["sc03"] = "  実施していない ";
  r["sc04"] = "わからない";
  r["sc06"] = "該当なし";
  r["sc21"] = "YES";
  Outcome o = Import(CsvText({r}));
  ASSERT_EQ(Joined(o.report.problems), "");
  ASSERT_EQ(o.records.size(), 1u);
  const CompanyRecord& rec = o.records[0];
  EXPECT_EQ(rec.company_key, "c-7");
  Result<Answers> profile = DecodeValues(test::SourceCatalog().profile(), rec.profile);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ((*profile)["employees"], "1500");
  EXPECT_EQ((*profile)["capital"], "10000000");
  EXPECT_EQ((*profile)["industry"], "mfg");
  EXPECT_EQ((*profile)["prefecture"], "27");
  EXPECT_EQ((*profile)["it_uses"], "core;info");
  EXPECT_EQ((*profile)["certifications"], "Pマーク;ISMS");
  EXPECT_EQ(rec.size_type, "out");  // 1,500 employees
  EXPECT_EQ(rec.region, "other");
  Result<Answers> answers = DecodeAnswers(*test::SourceCatalog().Find("self-check-2009"), rec.responses[0].answers);
  ASSERT_TRUE(answers.ok());
  EXPECT_EQ((*answers)["sc01"], "yes");
  EXPECT_EQ((*answers)["sc02"], "partial");
  EXPECT_EQ((*answers)["sc03"], "no");
  EXPECT_EQ((*answers)["sc04"], "unknown");
  EXPECT_EQ((*answers)["sc06"], "na");
  EXPECT_EQ((*answers)["sc21"], "yes");
}

// Excel on Japanese Windows saves "CSV (コンマ区切り)" as CP932 without a BOM, with CRLF.
TEST(Import, ShiftJisFileSavedByExcel) {
  Row r = ValidRow("株式会社テスト");
  r["industry"] = "製造・建設業";
  r["prefecture"] = "北海道";
  r["it_core"] = "はい";
  r["certifications"] = "Ｐマーク;ISO①";  // ① is one of CP932's NEC special characters
  for (int n = 1; n <= 25; ++n) r[test::Sc(n)] = n % 2 ? "実施している" : "実施していない";
  std::vector<Row> rows = {r};
  for (int i = 0; i < 50; ++i) {
    Row x = r;
    x["company_id"] = "支店" + std::to_string(i);
    rows.push_back(x);
  }
  const std::string utf8 = CsvText(rows);
  Result<std::string> sjis = FromUtf8(utf8, Encoding::kShiftJis);
  ASSERT_TRUE(sjis.ok()) << sjis.status().message();
  ASSERT_FALSE(IsValidUtf8(*sjis));
  for (bool forced : {false, true}) {
    ImportOptions options;
    options.chunk_bytes = 500;  // several chunks, each converted on its own
    if (forced) options.encoding = Encoding::kShiftJis;
    Outcome o = Import(*sjis, options);
    ASSERT_EQ(Joined(o.report.problems), "");
    EXPECT_EQ(o.report.encoding, Encoding::kShiftJis);
    ASSERT_EQ(o.records.size(), 51u);
    EXPECT_EQ(o.records[0].company_key, "株式会社テスト");
    EXPECT_EQ(o.records[0].size_type, "S");
    EXPECT_EQ(DecodeValues(test::SourceCatalog().profile(), o.records[0].profile)->at("certifications"), "Pマーク;ISO1");
    ExpectSameRecords(Reference(utf8), o.records);
  }
}

TEST(Import, BadShiftJisBytesNameTheLine) {
  Result<std::string> sjis = FromUtf8(CsvText({ValidRow("会社1"), ValidRow("会社2")}), Encoding::kShiftJis);
  ASSERT_TRUE(sjis.ok());
  std::string bytes = *sjis;
  const size_t at = bytes.find("\x89\xEF\x8E\xD0\x32");  // 会社2 in CP932
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] = '\x7F';  // 0x89 0x7F is not a CP932 character
  Outcome o = Import(bytes);
  ASSERT_EQ(o.report.problems.kept().size(), 1u);
  EXPECT_EQ(o.report.problems.kept()[0],
            "t.csv:3: byte 0 of the line is not valid Shift_JIS — expected Shift_JIS / CP932 text (or --encoding utf-8)");
  // Nothing after the bad line is read; the row before it is, as it would be in an earlier chunk
  // (the caller rolls the import back: the report has a problem).
  EXPECT_EQ(o.records.size(), 1u);
}

// Regressions found by the FuzzImport target, which compares one thread with two threads on tiny
// chunks: (1) a damaged Shift_JIS file reported only its bad line as one chunk, but also the bad
// rows before it when cut into small chunks; (2) a JSON lines file with a '\r' and no '\n' was cut
// at the '\r' into two chunks that both reported line 1.
TEST(Import, DamagedFilesFoundByTheFuzzerGiveTheSameProblemsInOneChunkOrMany) {
  Row bad = ValidRow("会社2");
  bad["employees"] = "many";
  Result<std::string> sjis = FromUtf8(CsvText({ValidRow("会社1"), bad, ValidRow("会社3")}), Encoding::kShiftJis);
  ASSERT_TRUE(sjis.ok());
  std::string bad_sjis = *sjis;
  bad_sjis[bad_sjis.find("\x89\xEF\x8E\xD0\x33") + 1] = '\x7F';  // 会社3: 0x89 0x7F is not CP932
  const std::string cr_json = "{\"company_id\": \"a\", \r \"answers\": {\"sc01\": \"\xFF\"}}";
  for (int k = 0; k < 2; ++k) {
    ImportOptions one;
    one.threads = 0;
    if (k == 0) one.encoding = Encoding::kShiftJis;
    ImportOptions many = one;
    many.threads = 2;
    many.chunk_bytes = 16;
    const std::string& bytes = k == 0 ? bad_sjis : cr_json;
    const Outcome a = Import(bytes, one), b = Import(bytes, many);
    EXPECT_EQ(Joined(a.report.problems), Joined(b.report.problems)) << k;
    EXPECT_EQ(a.report.rows, b.report.rows) << k;
    EXPECT_FALSE(a.report.ok()) << k;
  }
}

TEST(Import, Utf8WithBomAndInvalidBytesInACell) {
  Row r = ValidRow("c-1");
  r["certifications"] = "ISMS\xFF";
  Outcome o = Import("\xEF\xBB\xBF" + CsvText({ValidRow("c-0"), r}));
  EXPECT_EQ(o.report.encoding, Encoding::kUtf8);
  EXPECT_EQ(Joined(o.report.problems), "t.csv:3:certifications: the value is not valid UTF-8 text\n");
}

TEST(Import, QuotedFieldsWithLineBreaksKeepLineNumbersAcrossChunks) {
  Row a = ValidRow("c-1");
  a["certifications"] = "Pマーク\r\nISMS";  // a line break inside a quoted field
  Row b = ValidRow("c-2");
  b["certifications"] = "say \"\"hi\"\"";  // CsvLine doubles the quotes again
  Row c = ValidRow("c-3");
  c["sc10"] = "bad";
  for (size_t chunk : {size_t{1}, size_t{100}, size_t{1} << 20}) {
    ImportOptions options;
    options.chunk_bytes = chunk;
    Outcome o = Import(CsvText({a, b, c}), options);
    EXPECT_EQ(Joined(o.report.problems), std::string("t.csv:5:sc10: 'bad' — expected ") + test::kSc01Options + "\n");
    ASSERT_EQ(o.records.size(), 2u);
    Result<Answers> p = DecodeValues(test::SourceCatalog().profile(), o.records[1].profile);
    EXPECT_EQ((*p)["certifications"], "say \"\"hi\"\"");
  }
}

// A quote inside an unquoted field is data (5" floppy), as CsvReader reads it; chunks must not be
// cut by counting quotes, or a later quoted field with a line break would be cut in two.
TEST(Import, RegressionABareQuoteBeforeAMultiLineFieldDoesNotMoveTheCuts) {
  Row a = ValidRow("c-1");
  a["certifications"] = "BARE";
  Row b = ValidRow("c-2");
  b["certifications"] = "Pマーク\r\nISMS";
  Row c = ValidRow("c-3");
  std::string text = CsvText({a, b, c, ValidRow("c-4")});
  text.replace(text.find("BARE"), 4, "5\" floppy");
  for (size_t chunk : {size_t{1}, size_t{50}, size_t{300}, size_t{400}, size_t{500}, size_t{1} << 20}) {
    ImportOptions options;
    options.chunk_bytes = chunk;
    Outcome o = Import(text, options);
    EXPECT_EQ(Joined(o.report.problems), "") << "chunks of " << chunk;
    ASSERT_EQ(o.records.size(), 4u) << "chunks of " << chunk;
    EXPECT_EQ(DecodeValues(test::SourceCatalog().profile(), o.records[0].profile)->at("certifications"), "5\" floppy");
  }
}

TEST(Import, MalformedQuotesStopTheImport) {
  Outcome o = Import(CsvText({ValidRow("c-1")}) + "\"c-2,12\r\n");
  EXPECT_EQ(Joined(o.report.problems), "t.csv:3: a quoted field is not closed — expected a closing \"\n");
  o = Import(CsvText({ValidRow("c-1")}) + "\"c-2\"x,12\r\n");
  EXPECT_EQ(Joined(o.report.problems),
            "t.csv:3: field 1: text after a closing quote — expected , or the end of the line\n");
}

TEST(Import, BlankLinesAndCarriageReturnOnlyFiles) {
  std::string text = CsvText({ValidRow("c-1"), ValidRow("c-2")});
  std::string cr;
  for (char ch : text) {
    if (ch != '\n') cr += ch;
  }
  Row bad = ValidRow("c-3");
  bad["sc02"] = "?";
  std::string with_bad = CsvText({ValidRow("c-1"), bad});
  std::string blank = with_bad;
  blank.insert(blank.find("c-3"), "\r\n\r\n");
  EXPECT_EQ(Import(cr).records.size(), 2u);
  EXPECT_EQ(Joined(Import(blank).report.problems), std::string("t.csv:5:sc02: '?' — expected ") + test::kSc01Options + "\n");
}

TEST(Import, NeutralisedFormulasAreReadBack) {
  Row r = ValidRow("c-1");
  r["certifications"] = "'=HYPERLINK(\"http://x\")";
  r["employees"] = "'+12";
  r["sc01"] = "'@yes";
  Outcome o = Import(CsvText({r}));
  EXPECT_EQ(Joined(o.report.problems), std::string("t.csv:2:employees: '+12' — expected a whole number of at least 0\n") +
                                           "t.csv:2:sc01: '@yes' — expected " + test::kSc01Options + "\n");
  r["employees"] = "12";
  r["sc01"] = "yes";
  o = Import(CsvText({r}));
  ASSERT_EQ(o.records.size(), 1u);
  EXPECT_EQ(DecodeValues(test::SourceCatalog().profile(), o.records[0].profile)->at("certifications"), "=HYPERLINK(\"http://x\")");
}

// `shindan export --format xlsx` writes the Japanese labels above the ids; saved as CSV, it imports.
TEST(Import, ALabelRowAboveTheHeaderIsSkipped) {
  std::string text = CsvText({ValidRow("c-1")});
  std::string labels = "企業ID,従業員数";
  for (int i = 2; i < 62; ++i) labels += ",x" + std::to_string(i);
  Row bad = ValidRow("c-2");
  bad["sc04"] = "?";
  text = labels + "\r\n" + CsvText({ValidRow("c-1"), bad});
  Outcome o = Import(text);
  EXPECT_EQ(Joined(o.report.problems), std::string("t.csv:4:sc04: '?' — expected ") + test::kSc01Options + "\n");
  EXPECT_EQ(o.records.size(), 1u);
}

std::string JsonAnswers(const std::string& sc01) {
  std::string a = "\"sc01\": \"" + sc01 + "\"";
  for (int n = 2; n <= 25; ++n) a += ", \"" + test::Sc(n) + "\": \"yes\"";
  return a;
}

TEST(Import, JsonLines) {
  const std::string lines =
      "{\"company_id\": \"j-1\", \"profile\": {\"employees\": 15, \"industry\": \"製造業\", \"prefecture\": \"東京\", "
      "\"it_core\": false, \"it_uses\": [\"core\", \"情報系\"]}, \"answers\": {" + JsonAnswers("yes") + "}}\n"
      "\n"
      "{\"company_id\": \"j-2\", \"answers\": {" + JsonAnswers("maybe") + ", \"sc99\": \"yes\"}, \"profile\": {\"colour\": 1}}\n"
      "{\"company_id\": 3, \"answers\": {" + JsonAnswers("yes") + ", \"oc1_1\": 2.5}}\n"
      "{\"company_id\": \"j-4\"\n"
      "[1, 2]\n";
  ImportOptions options;
  options.file = "t.jsonl";
  Outcome o = Import(lines, options);
  EXPECT_EQ(o.report.format, ImportFormat::kJsonLines);
  const std::string problems = Joined(o.report.problems);
  const std::string line5 = "t.jsonl:5: not valid JSON (";
  ASSERT_NE(problems.find(line5), std::string::npos) << problems;
  EXPECT_EQ(problems.substr(0, problems.find(line5)),
            "t.jsonl:3:answers.sc99: unknown item — expected an item of self-check-2009 (sc01…sc25) or of another "
            "scored instrument\n"
            "t.jsonl:3:profile.colour: unknown profile field — expected one of the fields of instruments/profile.json\n"
            "t.jsonl:3:answers.sc01: 'maybe' — expected " + std::string(test::kSc01Options) + "\n"
            "t.jsonl:4:answers.oc1_1: 2.5 — expected a string, a whole number, true/false or a list\n");
  EXPECT_NE(problems.find("t.jsonl:6: expected a JSON object"), std::string::npos) << problems;
  EXPECT_EQ(o.report.problems.count(), 6);
  ASSERT_EQ(o.records.size(), 1u);
  EXPECT_EQ(o.records[0].company_key, "j-1");
  Result<Answers> p = DecodeValues(test::SourceCatalog().profile(), o.records[0].profile);
  EXPECT_EQ((*p)["it_uses"], "core;info");
  EXPECT_EQ((*p)["it_core"], "no");
  EXPECT_EQ((*p)["prefecture"], "13");

  // Values that are not answers are problems of their own; the rest of the line is still checked.
  o = Import("{\"company_id\": \"j-1\", \"answers\": {\"sc01\": \"maybe\"}}\n", options);
  EXPECT_EQ(o.report.problems.kept().front(), std::string("t.jsonl:1:answers.sc01: 'maybe' — expected ") + test::kSc01Options);
  EXPECT_EQ(o.report.problems.count(), 25);  // and sc02…sc25 are missing
}

// The chunking and the threads must never change what a file means: damaged files (stray quotes,
// commas, line breaks, bytes that are not UTF-8) give the same problems and records whatever the
// cut, and never crash.
TEST(Import, DamagedFilesGiveTheSameResultWhateverTheChunksAndThreads) {
  const std::string good = Demo(40);
  std::mt19937 random(20090331);
  const char kInserts[] = {'"', '"', ',', '\n', '\r', 'x', '\xE3', '\xFF', '\''};
  int damaged = 0, quote_problems = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text = good;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = 3 + random() % (text.size() - 3);
      switch (random() % 3) {
        case 0: text.insert(text.begin() + static_cast<long>(at), kInserts[random() % sizeof kInserts]); break;
        case 1: text.erase(at, 1); break;
        default: text[at] = kInserts[random() % sizeof kInserts]; break;
      }
    }
    auto run = [&](int threads, size_t chunk) {
      ImportOptions options;
      options.encoding = Encoding::kUtf8;
      options.threads = threads;
      options.chunk_bytes = chunk;
      options.max_problems = 1000;
      Outcome o = Import(text, options);
      std::string keys;
      for (const CompanyRecord& r : o.records) keys += r.company_key + "|" + r.profile + "|" + r.responses[0].answers + "\n";
      return Joined(o.report.problems) + "count " + std::to_string(o.report.problems.count()) + "\n" + keys;
    };
    const std::string reference = run(0, size_t{1} << 20);
    EXPECT_EQ(run(2, 37), reference) << "round " << round;
    EXPECT_EQ(run(1, 1), reference) << "round " << round;
    if (reference.find("quote") != std::string::npos) ++quote_problems;
    if (reference.rfind("count 0\n", 0) != 0) ++damaged;
  }
  // The damage does reach the parser: most rounds have problems, many of them with quoting.
  EXPECT_GT(damaged, 200);
  EXPECT_GT(quote_problems, 15);
}

TEST(Import, ProgressReachesTheTotal) {
  const std::string text = Demo(500);
  ImportOptions options;
  options.chunk_bytes = 4096;
  std::vector<uint64_t> done;
  options.progress = [&](uint64_t d, uint64_t total) {
    EXPECT_EQ(total, text.size());
    done.push_back(d);
  };
  Outcome o = Import(text, options);
  ASSERT_GT(done.size(), 3u);
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_EQ(done.back(), text.size());
}

TEST(Import, AnEmptySinkOnlyChecksTheFile) {
  Row bad = ValidRow("c-3");
  bad["sc07"] = "?";
  const std::string text = CsvText({ValidRow("c-1"), ValidRow("c-2"), bad});
  for (int threads : {0, 2}) {
    ImportOptions options;
    options.file = "t.csv";
    options.threads = threads;
    Result<ImportReport> r = ImportText(test::SourceCatalog(), text, options, RecordSink());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows, 3);
    EXPECT_EQ(r->records, 2);
    EXPECT_EQ(Joined(r->problems), std::string("t.csv:4:sc07: '?' — expected ") + test::kSc01Options + "\n");
  }
}

TEST(Import, SinkErrorsStopTheImport) {
  int calls = 0;
  Result<ImportReport> r = ImportText(test::SourceCatalog(), Demo(200), {}, [&](const CompanyRecord&) {
    return ++calls == 3 ? Status::IoError("disk full") : Status::Ok();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "disk full");
  EXPECT_EQ(calls, 3);
}

TEST(Import, FileIsMappedAndReleasedChunkByChunk) {
  const std::string path = ::testing::TempDir() + "/import_test_demo.csv";
  const std::string text = Demo(2000);
  std::ofstream(path, std::ios::binary) << text;
  ImportOptions options;
  options.chunk_bytes = 10000;
  long long n = 0;
  Result<ImportReport> r = ImportFile(test::SourceCatalog(), path, options, [&](const CompanyRecord&) {
    ++n;
    return Status::Ok();
  });
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->problems.count(), 0);
  EXPECT_EQ(n, 2000);
  std::filesystem::remove(path);
  Result<ImportReport> missing = ImportFile(test::SourceCatalog(), path, options, [](const CompanyRecord&) { return Status::Ok(); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kIoError);
  EXPECT_EQ(missing.status().message(), path + ": cannot open (No such file or directory)");
}

}  // namespace
}  // namespace shindan
