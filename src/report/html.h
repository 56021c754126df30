// The report as one self-contained HTML5 page: every table as an HTML table, charted tables also as
// inline SVG drawn here, print styles for A4. No scripts, no external URLs (a Content-Security-Policy
// in the page forbids both), so the file can be mailed, archived and opened offline as it is.
#pragma once

#include <string>

#include "base/text.h"
#include "report/document.h"

namespace shindan {

// Renders `doc` in `lang` (titles and headings also carry the other language, smaller, beside them).
// Every text from `doc` is escaped, so survey names and labels from user data cannot inject markup.
// Returns UTF-8; invalid UTF-8 in `doc` comes out as U+FFFD.
std::string RenderHtml(const ReportDocument& doc, Lang lang);

}  // namespace shindan
