// The Markdown report shows survey text literally: no raw HTML, no links from the data.
#include "report/markdown.h"

#include <gtest/gtest.h>

namespace shindan {
namespace {

// Regression: the Markdown report passed raw HTML and links from survey data (interview notes,
// labels, the survey name) to the viewer, which rendered them.
TEST(MarkdownReport, EscapesHtmlAndLinksFromSurveyData) {
  ReportDocument doc;
  doc.title = {"調査報告", "Survey report"};
  doc.survey = "<script>alert(1)</script>";
  ReportSection section;
  section.title = {"ヒアリング", "Interviews"};
  ReportTable t;
  t.id = "notes";
  t.title = {"コメント", "Comments"};
  t.columns = {{"コメント", "Comment"}};
  t.rows.push_back({TableCell::Untranslated("<img src=x onerror=alert(1)>")});
  t.rows.push_back({TableCell::Untranslated("[x](javascript:alert(1)) | *bold* `code`\nnext")});
  section.tables.push_back(t);
  doc.sections.push_back(section);
  const std::string md = RenderMarkdown(doc, Lang::kJa);
  EXPECT_EQ(md.find("<script"), std::string::npos) << md;
  EXPECT_EQ(md.find("<img"), std::string::npos) << md;
  EXPECT_EQ(md.find("[x](javascript"), std::string::npos) << md;
  EXPECT_NE(md.find("# 調査報告 / Survey report — &lt;script&gt;alert(1)&lt;/script&gt;\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| &lt;img src=x onerror=alert(1)&gt; |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| \\[x\\](javascript:alert(1)) \\| \\*bold\\* \\`code\\` next |\n"), std::string::npos) << md;
}

}  // namespace
}  // namespace shindan
