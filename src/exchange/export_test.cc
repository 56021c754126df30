#include "exchange/export.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/fault_file_system.h"
#include "base/test_util.h"
#include "catalog/test_catalog.h"
#include "exchange/demo.h"
#include "exchange/import.h"
#include "instrument/codec.h"

#if __has_include("test_paths.h")
#include "test_paths.h"
#endif

namespace shindan {
namespace {

std::vector<CompanyRecord> ImportAll(std::string_view text, const std::string& file = "t.csv") {
  std::vector<CompanyRecord> records;
  ImportOptions options;
  options.file = file;
  Result<ImportReport> r = ImportText(test::SourceCatalog(), text, options, [&](const CompanyRecord& rec) {
    records.push_back(rec);
    return Status::Ok();
  });
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (r.ok()) {
    std::string problems;
    for (const auto& p : r->problems.kept()) problems += p + "\n";
    EXPECT_EQ(problems, "");
  }
  return records;
}

std::string Export(const std::vector<CompanyRecord>& records, ExportFormat format,
                   Encoding encoding = Encoding::kUtf8) {
  ExportOptions options;
  options.format = format;
  options.encoding = encoding;
  Result<std::string> text = ExportText(test::SourceCatalog(), records, options);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? *text : std::string();
}

std::string DemoForExport(long long companies) {
  Result<std::string> text = DemoSurveyText(test::SourceCatalog(), {companies, 2009});
  EXPECT_TRUE(text.ok());
  return text.ok() ? *text : std::string();
}

// A record as the importer makes it, from a profile and the self-check answers given by code.
CompanyRecord ExportedRecord(const std::string& id, const Answers& profile, const std::string& all_answers = "yes") {
  const Catalog& c = test::SourceCatalog();
  CompanyRecord r;
  r.company_key = id;
  r.profile_version = c.profile().version;
  r.profile = *EncodeValues(c.profile(), profile);
  const Instrument& sc = *c.Find("self-check-2009");
  Answers a;
  for (const Item& item : sc.items) a[item.id] = all_answers;
  r.responses.push_back({sc.id, sc.version, *EncodeAnswers(sc, a)});
  return r;
}

TEST(Export, DemoSurveyExportsToTheSameBytesAsTheDemoWrites) {
  const std::string demo = DemoForExport(300);
  const std::string csv = Export(ImportAll(demo), ExportFormat::kCsv);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_TRUE(csv == demo) << "first difference at byte "
                           << (std::mismatch(csv.begin(), csv.end(), demo.begin(), demo.end()).first - csv.begin());
}

TEST(Export, CsvImportExportIsByteIdentical) {
  Answers p = {{"employees", "15"}, {"prefecture", "01"}, {"certifications", "Pマーク;=HYPERLINK(\"x\")"},
               {"it_uses", "core;front"}, {"it_core", "no"}};
  std::vector<CompanyRecord> records = {ExportedRecord("a-1", p), ExportedRecord("a-2", {{"employees", "3"}}, "no")};
  const std::string first = Export(records, ExportFormat::kCsv);
  const std::string second = Export(ImportAll(first), ExportFormat::kCsv);
  EXPECT_EQ(first, second);
  const std::string sjis = Export(records, ExportFormat::kCsv, Encoding::kShiftJis);
  EXPECT_EQ(sjis, *FromUtf8(first.substr(3), Encoding::kShiftJis));  // no BOM, same text
  EXPECT_EQ(Export(ImportAll(sjis), ExportFormat::kCsv), first);
}

TEST(Export, CellsThatASpreadsheetWouldRunAsFormulasAreNeutralised) {
  Answers p = {{"certifications", "=1+2;ok"}};
  std::vector<CompanyRecord> records = {ExportedRecord("=cmd|'/c calc'!A1", p), ExportedRecord("+1", {}), ExportedRecord("-1", {}),
                                        ExportedRecord("@SUM(A1)", {}), ExportedRecord("\tx", {})};
  const std::string csv = Export(records, ExportFormat::kCsv);
  EXPECT_NE(csv.find("\r\n'=cmd|'/c calc'!A1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'=1+2;ok,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n'+1,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n'-1,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n'@SUM(A1),"), std::string::npos);
  EXPECT_NE(csv.find("\r\n'\tx,"), std::string::npos);
  // No line of the file starts a cell with a formula character.
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    for (size_t i = 0; i < line.size(); ++i) {
      if (i == 0 || line[i - 1] == ',') {
        EXPECT_TRUE(std::string("=+-@\t").find(line[i]) == std::string::npos) << line;
      }
    }
  }
  // Imported back, the values are what was stored (the ' is taken off again).
  std::vector<CompanyRecord> back = ImportAll(csv);
  ASSERT_EQ(back.size(), records.size());
  EXPECT_EQ(back[0].company_key, "=cmd|'/c calc'!A1");
  EXPECT_EQ(back[0].profile, records[0].profile);
}

TEST(Export, ShiftJisRefusesACharacterItLacksNamingCompanyAndColumn) {
  std::vector<CompanyRecord> records = {ExportedRecord("a-1", {{"certifications", "ISMS"}}),
                                        ExportedRecord("a-2", {{"certifications", "𠮷野家認証"}})};
  ExportOptions options;
  options.encoding = Encoding::kShiftJis;
  Result<std::string> text = ExportText(test::SourceCatalog(), records, options);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "company a-2, column certifications: character '𠮷' cannot be written in Shift_JIS — expected "
            "--encoding utf-8, or a value without it");
}

TEST(Export, VersionsTheCatalogDoesNotHaveAreRefused) {
  CompanyRecord r = ExportedRecord("a-1", {});
  r.responses[0].instrument_version = "2008-01";
  Result<std::string> text = ExportText(test::SourceCatalog(), {r}, {});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "company a-1: self-check-2009 version 2008-01 is not in the catalog (it has 2009-03) — expected answers "
            "stored with a version the loaded instruments have");
  r = ExportedRecord("a-1", {});
  r.profile_version = "0";
  EXPECT_EQ(ExportText(test::SourceCatalog(), {r}, {}).status().message(),
            "company a-1: profile version 0 is not in the catalog (it has 1) — expected data stored with the loaded "
            "instruments");
  r = ExportedRecord("a-1", {});
  r.responses.push_back({"hearing-2021", "1", "x"});
  EXPECT_EQ(ExportText(test::SourceCatalog(), {r}, {}).status().message(),
            "company a-1: answers to hearing-2021 1, an instrument the catalog does not have — expected "
            "self-check-2009 and the other scored instruments");
  // An instrument the catalog has but the wide layout does not show is left out of the file.
  r = ExportedRecord("a-1", {});
  r.responses.push_back({"report-feedback", "whatever", "1"});
  EXPECT_TRUE(ExportText(test::SourceCatalog(), {r}, {}).ok());
}

TEST(Export, JsonLinesRoundTrip) {
  const std::string demo = DemoForExport(66);
  const std::vector<CompanyRecord> records = ImportAll(demo);
  const std::string json = Export(records, ExportFormat::kJsonLines);
  EXPECT_EQ(json.substr(0, 52), "{\"company_id\":\"demo-0001\",\"profile\":{\"employees\":26,");
  EXPECT_NE(json.find("\"prefecture\":\"神奈川県\",\"it_core\":false"), std::string::npos) << json.substr(0, 300);
  const std::vector<CompanyRecord> back = ImportAll(json, "t.jsonl");
  EXPECT_EQ(Export(back, ExportFormat::kJsonLines), json);
  EXPECT_EQ(Export(back, ExportFormat::kCsv), demo);
}

TEST(Export, XlsxHasJapaneseHeadersIdsNumbersAndStrings) {
  const std::string dir = ::testing::TempDir() + "/export_test_xlsx";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/survey.xlsx";
  const std::vector<CompanyRecord> records = ImportAll(DemoForExport(66));
  RecordSource source = [&](const std::function<Status(const CompanyRecord&)>& fn) {
    for (const CompanyRecord& r : records) {
      if (Status s = fn(r); !s.ok()) return s;
    }
    return Status::Ok();
  };
  ExportOptions options;
  options.format = ExportFormat::kXlsx;
  Result<ExportSummary> summary = ExportFile(test::SourceCatalog(), source, path, options);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->companies, 66);
  EXPECT_GT(summary->bytes, 1000u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  const std::string workbook = test::ZipMember(path, "xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"回答 responses\""), std::string::npos) << workbook;
  const std::string sheet = test::ZipMember(path, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty()) << "unzip (scripts/install-deps.sh) is needed to read the XLSX back";
  // Row 1: Japanese labels; row 2: the ids; frozen below them; an autofilter on the id row.
  EXPECT_NE(sheet.find("<t>従業員数</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<t>企業ID</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<t>1 重要情報がみだりに扱われないようにしていますか？</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<t>employees</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<t>sc01</t>"), std::string::npos);
  EXPECT_NE(sheet.find("ySplit=\"2\""), std::string::npos);
  EXPECT_NE(sheet.find("<autoFilter ref=\"A2:BJ68\"/>"), std::string::npos) << sheet.substr(sheet.size() - 400);
  // demo-0001: 25 employees as a number, 千葉県 and codes as strings.
  EXPECT_NE(sheet.find("<c r=\"B3\"><v>26</v></c>"), std::string::npos);
  EXPECT_NE(sheet.find("<c r=\"A3\" t=\"inlineStr\"><is><t>demo-0001</t></is></c>"), std::string::npos);
  EXPECT_NE(sheet.find("<c r=\"F3\" t=\"inlineStr\"><is><t>神奈川県</t></is></c>"), std::string::npos);
  EXPECT_NE(sheet.find("<c r=\"P3\" t=\"inlineStr\"><is><t>yes</t></is></c>"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Export, AFailureLeavesNoFileAndKeepsTheOldOne) {
  const std::string dir = ::testing::TempDir() + "/export_test_fail";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/out.csv";
  std::ofstream(path) << "old";
  std::vector<CompanyRecord> records = {ExportedRecord("a-1", {}), ExportedRecord("a-2", {{"certifications", "😀"}})};
  RecordSource source = [&](const std::function<Status(const CompanyRecord&)>& fn) {
    for (const CompanyRecord& r : records) {
      if (Status s = fn(r); !s.ok()) return s;
    }
    return Status::Ok();
  };
  for (ExportFormat format : {ExportFormat::kCsv, ExportFormat::kXlsx, ExportFormat::kJsonLines}) {
    ExportOptions options;
    options.format = format;
    options.encoding = Encoding::kShiftJis;  // only CSV uses it
    RecordSource failing = [&](const std::function<Status(const CompanyRecord&)>& fn) {
      if (Status s = fn(records[0]); !s.ok()) return s;
      return Status::IoError("database went away");
    };
    Result<ExportSummary> r = ExportFile(test::SourceCatalog(), format == ExportFormat::kCsv ? source : failing, path, options);
    ASSERT_FALSE(r.ok());
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    std::ifstream in(path);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "old");
  }
  std::filesystem::remove_all(dir);
}

RecordSource SourceOf(const std::vector<CompanyRecord>& records) {
  return [&records](const std::function<Status(const CompanyRecord&)>& fn) {
    for (const CompanyRecord& r : records) {
      if (Status s = fn(r); !s.ok()) return s;
    }
    return Status::Ok();
  };
}

// Regression: export replaced a FIFO given as -o with a regular file (the reader got nothing,
// exit 0). Every format is now delivered into the pipe, XLSX included (libxlsxwriter writes by
// name: a staging file is copied in), and the pipe stays a pipe.
TEST(Export, EveryFormatIsDeliveredIntoAFifo) {
  const std::string dir = ::testing::TempDir() + "/export_test_fifo";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string fifo = dir + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::vector<CompanyRecord> records = ImportAll(DemoForExport(5));
  for (ExportFormat format : {ExportFormat::kCsv, ExportFormat::kJsonLines, ExportFormat::kXlsx}) {
    std::string received;
    std::thread reader([&] {
      std::ifstream in(fifo, std::ios::binary);
      received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    });
    ExportOptions options;
    options.format = format;
    Result<ExportSummary> summary = ExportFile(test::SourceCatalog(), SourceOf(records), fifo, options);
    reader.join();
    ASSERT_TRUE(summary.ok()) << summary.status().message();
    EXPECT_EQ(summary->companies, 5);
    EXPECT_EQ(summary->bytes, received.size());
    if (format == ExportFormat::kXlsx) EXPECT_EQ(received.substr(0, 2), "PK");  // a zip
    else EXPECT_NE(received.find("demo-0005"), std::string::npos);
    EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);
  std::filesystem::remove_all(dir);
}

TEST(Export, ADiskThatFailsMidwayKeepsTheOldFileWhole) {
  const std::string dir = ::testing::TempDir() + "/export_test_faults";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/out.csv";
  const std::vector<CompanyRecord> records = ImportAll(DemoForExport(300));
  for (int fault = 0; fault < 4; ++fault) {
    std::ofstream(path) << "old";
    FaultInjectingFileSystem fs;
    if (fault == 0) fs.fail_write = 1;
    if (fault == 1) fs.space = 5000;
    if (fault == 2) fs.fail_rename = true;
    if (fault == 3) fs.short_writes = true;  // not a failure: the export is complete
    ExportOptions options;
    Result<ExportSummary> r = ExportFile(test::SourceCatalog(), SourceOf(records), path, options, fs);
    std::ifstream in(path, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (fault == 3) {
      ASSERT_TRUE(r.ok()) << r.status().message();
      EXPECT_EQ(content, ExportText(test::SourceCatalog(), records, options).value());
    } else {
      ASSERT_FALSE(r.ok()) << "fault " << fault;
      EXPECT_EQ(r.status().code(), Status::Code::kIoError);
      EXPECT_EQ(content, "old") << "fault " << fault;
    }
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1)
        << "a temporary file was left behind (fault " << fault << ")";
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace shindan
