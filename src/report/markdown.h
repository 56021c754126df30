// The report as Markdown: headings, facts as sentences, every table as a pipe table. No charts.
#pragma once

#include <string>

#include "report/document.h"

namespace shindan {

// Titles in `lang` with the other language beside them ("表4 従業員規模の分布 / Table 4 Size type").
std::string RenderMarkdown(const ReportDocument& doc, Lang lang);

}  // namespace shindan
