#include "report/tabular.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "base/test_util.h"

namespace shindan {
namespace {

using Kind = TableCell::Kind;

// A small report by hand: a suppressed cell, shares, a negative statistic, a p-value below 0.001,
// text that a spreadsheet would run as a formula, an id too long for a sheet name and one with
// characters a file or sheet name cannot hold.
ReportDocument Document() {
  ReportDocument doc;
  doc.title = {"情報セキュリティ自己診断 調査報告", "Information security self-check: survey report"};
  doc.survey = "bench";
  doc.generated = "2026-11-30T00:00:00Z";
  doc.min_cell = 5;
  ReportSection profile;
  profile.title = {"回答企業の概要", "Respondents"};
  profile.facts.push_back({{"回答企業数", "Respondents"}, TableCell::Number(Kind::kCount, 66)});
  ReportTable size;
  size.id = "table04_size_type";
  size.title = {"表4 規模別の回答企業数", "Table 4: respondents by size"};
  size.note = {"5社未満は秘匿", "fewer than 5 suppressed"};
  size.columns = {{"規模", "Size"}, {"企業数", "Companies"}, {"構成比", "Share"}};
  size.rows = {
      {TableCell::Text({"小規模", "Small"}), TableCell::Number(Kind::kCount, 40),
       TableCell::Number(Kind::kShare, 40.0 / 66)},
      {TableCell::Text({"中規模", "Medium"}), TableCell::Suppressed(), TableCell::Suppressed()},
      {TableCell::Untranslated("=cmd"), TableCell::Number(Kind::kCount, 3), TableCell::Number(Kind::kShare, 0.05)},
      {TableCell::Text({"計", "Total"}), TableCell::Number(Kind::kCount, 66), TableCell{}},
  };
  profile.tables.push_back(size);
  ReportSection tests;
  tests.title = {"検定", "Tests"};
  ReportTable stats;
  stats.id = "table90_a_rather_long_identifier_of_a_table";
  stats.title = {"検定結果", "Tests"};
  stats.columns = {{"検定", "Test"}, {"平均点", "Mean"}, {"効果量", "Effect"}, {"p値", "p"}};
  stats.rows = {{TableCell::Text({"規模", "Size"}), TableCell::Number(Kind::kMean, 2.345678),
                 TableCell::Number(Kind::kStatistic, -0.25), TableCell::Number(Kind::kPValue, 0.0000123)}};
  tests.tables.push_back(stats);
  ReportTable odd;
  odd.id = "odd/id:x";
  odd.title = {"奇妙", "Odd"};
  odd.columns = {{"項目", "Item"}};
  odd.rows = {{TableCell::Text({"あ", "a"})}};
  tests.tables.push_back(odd);
  doc.sections = {profile, tests};
  return doc;
}

const std::string kBom = "\xEF\xBB\xBF";

const OutputFile* Find(const std::vector<OutputFile>& files, const std::string& name) {
  for (const OutputFile& f : files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(TabularCsv, OneFilePerTableThenAnIndex) {
  const std::vector<OutputFile> files = RenderCsv(Document(), Lang::kJa);
  std::vector<std::string> names;
  for (const OutputFile& f : files) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"table04_size_type.csv", "table90_a_rather_long_identifier_of_a_table.csv",
                                             "odd_id_x.csv", "index.csv"}));
  for (const OutputFile& f : files) EXPECT_EQ(f.bytes.substr(0, 3), kBom) << f.name;
  EXPECT_EQ(Find(files, "index.csv")->bytes,
            kBom +
                "id,file,title_ja,title_en,note_ja,note_en\r\n"
                "table04_size_type,table04_size_type.csv,表4 規模別の回答企業数,Table 4: respondents by size,"
                "5社未満は秘匿,fewer than 5 suppressed\r\n"
                "table90_a_rather_long_identifier_of_a_table,table90_a_rather_long_identifier_of_a_table.csv,"
                "検定結果,Tests,,\r\n"
                "odd/id:x,odd_id_x.csv,奇妙,Odd,,\r\n");
}

TEST(TabularCsv, JapaneseHeaderNumbersForMachinesSuppressedEmptyFormulasNeutralised) {
  const std::vector<OutputFile> files = RenderCsv(Document(), Lang::kJa);
  EXPECT_EQ(Find(files, "table04_size_type.csv")->bytes, kBom +
                                                             "規模,企業数,構成比\r\n"
                                                             "小規模,40,0.6061\r\n"
                                                             "中規模,,\r\n"
                                                             "'=cmd,3,0.0500\r\n"
                                                             "計,66,\r\n");
}

// A negative figure starts with '-' like a formula, but is written as the number it is.
TEST(TabularCsv, NegativeNumbersAreNotNeutralised) {
  const std::vector<OutputFile> files = RenderCsv(Document(), Lang::kEn);
  EXPECT_EQ(Find(files, "table90_a_rather_long_identifier_of_a_table.csv")->bytes,
            kBom + "Test,Mean,Effect,p\r\nSize,2.3457,-0.2500,1.23e-05\r\n");
  EXPECT_EQ(Find(files, "table04_size_type.csv")->bytes.substr(3, 49),
            "Size,Companies,Share\r\nSmall,40,0.6061\r\nMedium,,\r\n");
}

class TabularXlsx : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test and process: ctest runs the tests of this suite at the same time.
    dir_ = ::testing::TempDir() + "/tabular_test_xlsx_" + std::to_string(getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = dir_ + "/report.xlsx";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Part(const std::string& member) const { return test::ZipMember(path_, member); }

  std::string dir_, path_;
};

TEST_F(TabularXlsx, SheetsHeadersNumbersAndFormats) {
  ASSERT_TRUE(WriteXlsx(Document(), Lang::kJa, path_).ok());
  EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp"));
  const std::string workbook = Part("xl/workbook.xml");
  ASSERT_FALSE(workbook.empty()) << "unzip (scripts/install-deps.sh) is needed to read the XLSX back";
  // The summary first, then one sheet per table named by id: cut to 31 characters, unsafe
  // characters replaced.
  const size_t summary = workbook.find("<sheet name=\"概要 Summary\" sheetId=\"1\"");
  const size_t first = workbook.find("<sheet name=\"table04_size_type\" sheetId=\"2\"");
  const size_t second = workbook.find("<sheet name=\"table90_a_rather_long_identifie\" sheetId=\"3\"");
  const size_t third = workbook.find("<sheet name=\"odd_id_x\" sheetId=\"4\"");
  EXPECT_NE(summary, std::string::npos) << workbook;
  EXPECT_NE(first, std::string::npos) << workbook;
  EXPECT_NE(second, std::string::npos) << workbook;
  EXPECT_NE(third, std::string::npos) << workbook;

  const std::string strings = Part("xl/sharedStrings.xml");
  for (const char* text :
       {"規模", "企業数", "構成比", "表4 規模別の回答企業数", "5社未満は秘匿", "–", "=cmd", "回答企業数"}) {
    EXPECT_NE(strings.find(std::string("<t>") + text + "</t>"), std::string::npos) << text << "\n" << strings;
  }
  const std::string sheet = Part("xl/worksheets/sheet2.xml");
  // Title in row 1, note in row 2, the header in row 3 (frozen with the row labels), data from row 4.
  EXPECT_NE(sheet.find("<pane xSplit=\"1\" ySplit=\"3\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<c r=\"B4\" s="), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>40</v>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>0.6060606060606061</v>"), std::string::npos) << sheet;
  // Suppressed: the shared string "–" (checked above), not a number.
  const size_t b5 = sheet.find("<c r=\"B5\"");
  ASSERT_NE(b5, std::string::npos) << sheet;
  const std::string b5_cell = sheet.substr(b5, sheet.find("</c>", b5) - b5);
  EXPECT_NE(b5_cell.find("t=\"s\""), std::string::npos) << b5_cell;
  EXPECT_EQ(sheet.find("r=\"C7\""), std::string::npos) << "a blank cell is left out";
  EXPECT_NE(sheet.find("<cols>"), std::string::npos);

  const std::string styles = Part("xl/styles.xml");
  for (const char* format : {"formatCode=\"0.0%\"", "formatCode=\"0.00\"", "formatCode=\"0.000\""}) {
    EXPECT_NE(styles.find(format), std::string::npos) << format << "\n" << styles;
  }
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
  // The summary links to each sheet.
  const std::string first_sheet = Part("xl/worksheets/sheet1.xml");
  EXPECT_NE(first_sheet.find("location=\"'table04_size_type'!A1\""), std::string::npos) << first_sheet;
}

// The number cell of the share 40/66 carries the 0.0% format, the count 0 and the mean 0.00.
TEST_F(TabularXlsx, NumbersCarryTheirFormats) {
  ASSERT_TRUE(WriteXlsx(Document(), Lang::kJa, path_).ok());
  const std::string styles = Part("xl/styles.xml");
  // The number format id of style index `s` (cellXfs in order).
  auto format_of_style = [&](int s) {
    size_t at = styles.find("<cellXfs");
    for (int i = 0; i <= s && at != std::string::npos; ++i) at = styles.find("<xf ", at + 1);
    if (at == std::string::npos) return std::string();
    const size_t id = styles.find("numFmtId=\"", at) + 10;
    const std::string num = styles.substr(id, styles.find('"', id) - id);
    if (num == "1") return std::string("0");  // Excel's built-in 0
    const size_t code = styles.find("<numFmt numFmtId=\"" + num + "\" formatCode=\"");
    if (code == std::string::npos) return "builtin " + num;
    const size_t start = styles.find("formatCode=\"", code) + 12;
    return styles.substr(start, styles.find('"', start) - start);
  };
  auto style_of = [](const std::string& sheet, const std::string& ref) {
    const size_t at = sheet.find("<c r=\"" + ref + "\" s=\"");
    if (at == std::string::npos) return -1;
    return std::stoi(sheet.substr(at + ref.size() + 11));
  };
  const std::string sheet2 = Part("xl/worksheets/sheet2.xml");
  EXPECT_EQ(format_of_style(style_of(sheet2, "B4")), "0");
  EXPECT_EQ(format_of_style(style_of(sheet2, "C4")), "0.0%");
  const std::string sheet3 = Part("xl/worksheets/sheet3.xml");
  EXPECT_EQ(format_of_style(style_of(sheet3, "B4")), "0.00");
  EXPECT_EQ(format_of_style(style_of(sheet3, "C4")), "0.000");
  EXPECT_EQ(format_of_style(style_of(sheet3, "D4")), "[&lt;0.001]&quot;&lt;0.001&quot;;0.000");
}

TEST_F(TabularXlsx, EnglishHeadersWhenAsked) {
  ASSERT_TRUE(WriteXlsx(Document(), Lang::kEn, path_).ok());
  const std::string strings = Part("xl/sharedStrings.xml");
  EXPECT_NE(strings.find("<t>Companies</t>"), std::string::npos) << strings;
  EXPECT_EQ(strings.find("<t>企業数</t>"), std::string::npos) << strings;
  // The sheet names stay bilingual / ids whatever the language.
  EXPECT_NE(Part("xl/workbook.xml").find("name=\"概要 Summary\""), std::string::npos);
}

TEST_F(TabularXlsx, SheetNamesThatClashAfterCuttingAreNumbered) {
  ReportDocument doc = Document();
  ReportTable twin = doc.sections[1].tables[0];
  twin.id = "table90_a_rather_long_identifier_of_another_table";
  doc.sections[1].tables.push_back(twin);
  ASSERT_TRUE(WriteXlsx(doc, Lang::kJa, path_).ok());
  const std::string workbook = Part("xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"table90_a_rather_long_identifie\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("name=\"table90_a_rather_long_identif~4\""), std::string::npos) << workbook;
}

// Regression: report --format xlsx -o FIFO replaced the pipe with a regular file.
TEST_F(TabularXlsx, AWorkbookIsDeliveredIntoAFifoThatStaysAFifo) {
  const std::string fifo = dir_ + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  });
  Status s = WriteXlsx(Document(), Lang::kJa, fifo);
  reader.join();
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(received.substr(0, 2), "PK");
  EXPECT_GT(received.size(), 1000u);
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  std::ofstream(path_, std::ios::binary) << received;
  EXPECT_NE(Part("xl/workbook.xml").find("table04_size_type"), std::string::npos);
}

TEST_F(TabularXlsx, AFailureNamesThePathAndKeepsTheOldFile) {
  const std::string missing = dir_ + "/no/such/folder/report.xlsx";
  Status s = WriteXlsx(Document(), Lang::kJa, missing);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(s.message(), missing + ": cannot open for writing (No such file or directory)");

  std::ofstream(path_) << "old";
  ReportDocument doc = Document();
  doc.sections[0].tables[0].rows.resize(1048576);  // more than a sheet holds
  s = WriteXlsx(doc, Lang::kJa, path_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("table04_size_type"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp"));
  std::ifstream in(path_);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()), "old");
}

}  // namespace
}  // namespace shindan
