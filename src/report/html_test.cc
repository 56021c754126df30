// The HTML report: one table per table, one chart per charted table, user text escaped, nothing
// loaded from outside the file. With SHINDAN_WRITE_SAMPLE_HTML=path, HtmlSample also writes the
// sample document for the browser test (tests/browser/) to look at before the real report exists.
#include "report/html.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace shindan {
namespace {

using Kind = TableCell::Kind;

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

ReportTable Distribution(std::string id, LocalText title, std::vector<std::pair<LocalText, int>> counts) {
  ReportTable t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.columns = {{"区分", "Category"}, {"件数", "Count"}, {"構成比", "Share"}};
  int total = 0;
  for (const auto& [label, n] : counts) total += n;
  for (const auto& [label, n] : counts) {
    t.rows.push_back({TableCell::Text(label), TableCell::Number(Kind::kCount, n),
                      TableCell::Number(Kind::kShare, total ? double(n) / total : 0)});
  }
  t.chart = ChartKind::kBars;
  t.chart_column = 2;
  return t;
}

// A document shaped like the demo survey's report (seed tables 4, the totals, the 採点表), with a
// hostile survey name and a comment that tries to inject markup.
ReportDocument SampleDocument() {
  ReportDocument doc;
  doc.title = {"情報セキュリティ自社診断 調査集計結果", "Information security self-check: survey results"};
  doc.survey = "<script>alert(1)</script> 2009年 中小企業調査";
  doc.generated = "2009-03-31T09:00:00Z";
  doc.min_cell = 3;

  ReportSection profile;
  profile.title = {"回答企業の概要", "Respondents"};
  profile.facts = {{{"回答企業数", "Respondents"}, TableCell::Number(Kind::kCount, 66)},
                   {{"合格率（70点以上）", "Pass rate (70 or more)"}, TableCell::Number(Kind::kShare, 23.0 / 66)}};
  profile.tables.push_back(Distribution("table04_size_type", {"表4 従業員規模の分布", "Table 4 Size type"},
                                        {{{"小規模(20人未満)", "Small (under 20)"}, 15},
                                         {{"中規模(20人-100人未満)", "Medium (20–99)"}, 24},
                                         {{"大規模(100人-300人)", "Large (100–300)"}, 21},
                                         {{"ネット系企業(タイプS)", "Internet business (type S)"}, 6}}));
  profile.tables.push_back(Distribution("table06_region", {"表6 地域分類の分布", "Table 6 Region"},
                                        {{{"大都市圏(首都圏)", "Metropolitan (capital)"}, 30},
                                         {{"地方圏1", "Regional 1"}, 16},
                                         {{"地方圏2", "Regional 2"}, 14},
                                         {{"その他", "Other"}, 0},
                                         {{"ネット系企業(タイプS)", "Internet business (type S)"}, 6}}));
  doc.sections.push_back(profile);

  ReportSection check;
  check.title = {"自社診断シートの結果", "Self-check results"};
  ReportTable totals;
  totals.id = "totals_histogram";
  totals.title = {"合計点の分布", "Distribution of total scores"};
  totals.note = {"100点満点。70点以上を合格とする。", "Out of 100; 70 or more passes."};
  totals.columns = {{"合計点", "Total score"}, {"件数", "Count"}, {"構成比", "Share"}};
  const int bins[] = {1, 2, 3, 5, 8, 10, 14, 12, 7, 4};
  for (int b = 0; b < 10; ++b) {
    const std::string label = std::to_string(b * 10) + "–" + std::to_string(b * 10 + 9);
    totals.rows.push_back({TableCell::Untranslated(label), TableCell::Number(Kind::kCount, bins[b]),
                           b == 0 ? TableCell::Suppressed() : TableCell::Number(Kind::kShare, bins[b] / 66.0)});
  }
  totals.chart = ChartKind::kHistogram;
  totals.chart_column = 1;
  check.tables.push_back(totals);

  ReportTable means;
  means.id = "appendix_a_item_means";
  means.title = {"質問項目別 平均点（採点表）", "Mean points by item (scoring table)"};
  means.note = {"各項目 0〜4 点。", "Each item scores 0 to 4."};
  means.columns = {{"No.", "No."},      {"全体", "All"},       {"小規模", "Small"}, {"中規模", "Medium"},
                   {"大規模", "Large"}, {"タイプS", "Type S"}, {"その他", "Other"}};
  for (int item = 1; item <= 12; ++item) {
    std::vector<TableCell> row = {TableCell::Untranslated("No." + std::to_string(item))};
    for (int g = 0; g < 5; ++g) row.push_back(TableCell::Number(Kind::kMean, std::fmod(item * 0.37 + g * 0.81, 4.0)));
    row.push_back(TableCell::Suppressed());
    means.rows.push_back(row);
  }
  means.chart = ChartKind::kHeatMap;
  means.chart_column = 1;
  means.scale_min = 0;
  means.scale_max = 4;
  check.tables.push_back(means);

  ReportTable tests;
  tests.id = "differences";
  tests.title = {"規模による差の検定", "Test of differences by size"};
  tests.columns = {{"検定", "Test"}, {"統計量", "Statistic"}, {"p値", "p-value"}, {"効果量", "Effect size"}};
  tests.rows.push_back({TableCell::Text({"クラスカル・ウォリス", "Kruskal–Wallis"}),
                        TableCell::Number(Kind::kStatistic, 7.81234), TableCell::Number(Kind::kPValue, 0.0501),
                        TableCell::Number(Kind::kStatistic, 0.0812)});
  tests.rows.push_back({TableCell::Text({"カイ二乗", "Chi-squared"}), TableCell::Number(Kind::kStatistic, 21.5),
                        TableCell::Number(Kind::kPValue, 0.00002), TableCell::Suppressed()});
  check.tables.push_back(tests);

  ReportTable comments;
  comments.id = "comments";
  comments.title = {"ヒアリングでの意見", "Interview comments"};
  comments.columns = {{"話題", "Topic"}, {"意見", "Comment"}};
  comments.rows.push_back({TableCell::Text({"費用", "Cost"}),
                           TableCell::Untranslated("\"無料\"でできる対策から始めたい <b>&</b> 'すぐに'")});
  check.tables.push_back(comments);
  doc.sections.push_back(check);
  return doc;
}

size_t TableCount(const ReportDocument& doc) {
  size_t n = 0;
  for (const auto& s : doc.sections) n += s.tables.size();
  return n;
}

TEST(HtmlReport, EscapesUserText) {
  const std::string html = RenderHtml(SampleDocument(), Lang::kJa);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; 2009年 中小企業調査"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&quot;無料&quot;でできる対策から始めたい &lt;b&gt;&amp;&lt;/b&gt; &#39;すぐに&#39;"),
            std::string::npos);
}

TEST(HtmlReport, EscapesAttributesAndRepairsBrokenText) {
  ReportDocument doc = SampleDocument();
  doc.sections[0].tables[0].id = "x\" onload=\"alert(1)";
  doc.sections[0].tables[0].title.ja = "表4 \x01壊れた\xff文字";
  const std::string html = RenderHtml(doc, Lang::kJa);
  EXPECT_EQ(html.find("\" onload"), std::string::npos);
  EXPECT_NE(html.find("id=\"x&quot; onload=&quot;alert(1)\""), std::string::npos);
  EXPECT_NE(html.find("表4 壊れた\xEF\xBF\xBD文字"), std::string::npos);
  EXPECT_EQ(html.find('\x01'), std::string::npos);
}

TEST(HtmlReport, OneHtmlTablePerTable) {
  const ReportDocument doc = SampleDocument();
  const std::string html = RenderHtml(doc, Lang::kJa);
  EXPECT_EQ(CountOf(html, "<table"), TableCount(doc));
  EXPECT_EQ(CountOf(html, "</table>"), TableCount(doc));
  EXPECT_NE(html.find("<td class=\"num\">22.7%</td>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">小規模(20人未満)</th><td class=\"num\">15</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">&lt;0.001</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">7.812</td>"), std::string::npos);
}

TEST(HtmlReport, OneSvgPerChartedTable) {
  const std::string html = RenderHtml(SampleDocument(), Lang::kJa);
  EXPECT_EQ(CountOf(html, "<svg"), 4u);  // two bar charts, the histogram, the heat map
  EXPECT_EQ(CountOf(html, "data-chart=\"bars\""), 2u);
  EXPECT_EQ(CountOf(html, "data-chart=\"histogram\""), 1u);
  EXPECT_EQ(CountOf(html, "data-chart=\"heatmap\""), 1u);
  EXPECT_EQ(CountOf(html, "role=\"img\" aria-label=\""), 4u);
  EXPECT_EQ(CountOf(html, "</title>"), 4u + 1u + 10u + 12u * 6 + 4 + 5) << "svg, page, and one per mark";
  EXPECT_NE(html.find("aria-label=\"表4 従業員規模の分布 — 棒グラフ\""), std::string::npos);
}

TEST(HtmlReport, ChartsDrawMarks) {
  const std::string html = RenderHtml(SampleDocument(), Lang::kJa);
  const size_t hist = html.find("data-chart=\"histogram\"");
  const size_t heat = html.find("data-chart=\"heatmap\"");
  ASSERT_NE(hist, std::string::npos);
  ASSERT_NE(heat, std::string::npos);
  const std::string histogram = html.substr(hist, html.find("</svg>", hist) - hist);
  const std::string heat_map = html.substr(heat, html.find("</svg>", heat) - heat);
  EXPECT_EQ(CountOf(histogram, "class=\"bar\""), 10u);
  EXPECT_EQ(CountOf(heat_map, "class=\"cell\" fill=\"#"), 12u * 5);
  EXPECT_EQ(CountOf(heat_map, "class=\"cell suppressed\""), 12u + 1);  // and its legend swatch
  EXPECT_EQ(CountOf(heat_map, "class=\"swatch\""), 10u);
  EXPECT_NE(heat_map.find(">0.00</text>"), std::string::npos) << "legend starts at scale_min";
  EXPECT_NE(heat_map.find(">4.00</text>"), std::string::npos) << "legend ends at scale_max";
}

TEST(HtmlReport, SuppressedCellsShowADash) {
  const std::string html = RenderHtml(SampleDocument(), Lang::kJa);
  EXPECT_EQ(CountOf(html, "<td class=\"num sup\" title=\"回答数が基準未満のため非表示\">–</td>"), 1u + 12 + 1);
  EXPECT_NE(html.find("回答数が 3 未満の値は「–」と表示し"), std::string::npos);
}

TEST(HtmlReport, SelfContained) {
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    const std::string html = RenderHtml(SampleDocument(), lang);
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("url("), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    EXPECT_EQ(CountOf(html, "href=\""), CountOf(html, "href=\"#")) << "links only within the page";
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(html.find("@page { size: A4; margin: 15mm; }"), std::string::npos);
  }
}

TEST(HtmlReport, LanguageFirstAndTheOtherBeside) {
  const std::string ja = RenderHtml(SampleDocument(), Lang::kJa);
  EXPECT_EQ(ja.rfind("<!DOCTYPE html>\n<html lang=\"ja\">", 0), 0u);
  EXPECT_NE(ja.find("<title>情報セキュリティ自社診断 調査集計結果 — &lt;script&gt;"), std::string::npos);
  EXPECT_NE(ja.find("表4 従業員規模の分布 <span class=\"alt\" lang=\"en\">Table 4 Size type</span>"),
            std::string::npos);

  const std::string en = RenderHtml(SampleDocument(), Lang::kEn);
  EXPECT_EQ(en.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_NE(en.find("<title>Information security self-check: survey results — "), std::string::npos);
  EXPECT_NE(en.find("Table 4 Size type <span class=\"alt\" lang=\"ja\">表4 従業員規模の分布</span>"),
            std::string::npos);
  EXPECT_NE(en.find("<th scope=\"row\">Small (under 20)</th>"), std::string::npos);
  // Same text in both languages: shown once.
  EXPECT_NE(en.find("<th scope=\"col\" class=\"nowrap\">No.</th>"), std::string::npos);
}

TEST(HtmlReport, EmptyDocumentIsStillAPage) {
  const std::string html = RenderHtml(ReportDocument{}, Lang::kJa);
  EXPECT_NE(html.find("<main>"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(html.find("<table"), std::string::npos);
}

TEST(HtmlReport, TableWithoutNumbersHasNoChart) {
  ReportDocument doc;
  ReportSection s;
  ReportTable t;
  t.columns = {{"a", "a"}, {"b", "b"}};
  t.rows = {{TableCell::Untranslated("x"), TableCell::Suppressed()}};
  t.chart = ChartKind::kBars;
  s.tables.push_back(t);
  t.chart = ChartKind::kHeatMap;
  s.tables.push_back(t);
  t.chart = ChartKind::kHistogram;
  s.tables.push_back(t);
  doc.sections.push_back(s);
  const std::string html = RenderHtml(doc, Lang::kJa);
  EXPECT_EQ(CountOf(html, "<table"), 3u);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
}

TEST(DocumentFormatCell, EachKindItsOwnWay) {
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kCount, 66), Lang::kJa), "66");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kCount, 1211935), Lang::kJa), "1211935");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kShare, 38.0 / 66), Lang::kJa), "57.6%");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kShare, 0.58), Lang::kJa), "58.0%");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kMean, 2.345678), Lang::kJa), "2.35");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kScore, 71.25), Lang::kJa), "71.2");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kStatistic, 7.81234), Lang::kJa), "7.812");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kPValue, 0.0501), Lang::kJa), "0.050");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kPValue, 0.001), Lang::kJa), "0.001");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kPValue, 0.00099), Lang::kJa), "<0.001");
  EXPECT_EQ(FormatCell(TableCell::Suppressed(), Lang::kJa), "–");
  EXPECT_EQ(FormatCell(TableCell{}, Lang::kJa), "");
  EXPECT_EQ(FormatCell(TableCell::Text({"全体", "All"}), Lang::kJa), "全体");
  EXPECT_EQ(FormatCell(TableCell::Text({"全体", "All"}), Lang::kEn), "All");
}

TEST(DocumentFormatCell, NoSignOnZeroAndNoNan) {
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kMean, -0.001), Lang::kJa), "0.00");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kStatistic, -1.5), Lang::kJa), "-1.500");
  EXPECT_EQ(FormatCell(TableCell::Number(Kind::kMean, std::nan("")), Lang::kJa), "–");
}

// Not a check: writes the sample page for tests/browser/run.sh when asked to.
TEST(HtmlSample, WritesWhenAsked) {
  const char* path = std::getenv("SHINDAN_WRITE_SAMPLE_HTML");
  if (!path || !*path) GTEST_SKIP() << "set SHINDAN_WRITE_SAMPLE_HTML=file.html to write the sample";
  const char* lang = std::getenv("SHINDAN_SAMPLE_LANG");
  std::ofstream out(path, std::ios::binary);
  out << RenderHtml(SampleDocument(), lang && std::string(lang) == "en" ? Lang::kEn : Lang::kJa);
  ASSERT_TRUE(out.good()) << path;
}

}  // namespace
}  // namespace shindan
