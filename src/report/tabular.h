// The report's tables for spreadsheets: CSV (one file per table, for machines) and XLSX (one
// workbook, one sheet per table, for people). Both render a ReportDocument (document.h), so they show
// the same figures as the JSON, Markdown and HTML forms.
#pragma once

#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "base/text.h"
#include "report/document.h"

namespace shindan {

// A file to be written: its name (no folder) and its content.
struct OutputFile {
  std::string name;
  std::string bytes;
};

// One CSV file per table, `<table.id>.csv`, then `index.csv` (id, file, title_ja, title_en, note_ja,
// note_en: one line per table, so a folder of CSVs explains itself). Every file is UTF-8 with a BOM
// and CRLF line ends, as Excel expects; the first row holds the column titles in `lang`. Cells are
// written for machines, not for reading:
//   counts                       integers ("42")
//   shares                       fractions with 4 decimals ("0.5800" for 58.0%)
//   means, scores, statistics    4 decimals ("2.3500")
//   p-values                     4 significant digits ("0.0123", "1.2e-05")
//   suppressed (--min-cell)      an empty cell, as are blank cells and numbers that are not finite;
//                                "–" would turn a numeric column into text (the note says why)
//   text                         in `lang`; a leading = + - @ is neutralised (base/csv.h)
// Characters of an id that are unsafe in a file name become '_'.
std::vector<OutputFile> RenderCsv(const ReportDocument& doc, Lang lang);

// Writes the report as an XLSX workbook at `path` through a WritableFile of `fs` (on failure the
// old file is kept and nothing else is left behind; a pipe or device gets the bytes in place). The first sheet, 概要 Summary, has
// the title, survey, date, the section facts and a linked list of the sheets; then one sheet per
// table, named by its id (at most 31 characters, none of []:*?/\), with the title in row 1, the note
// in row 2, the column titles in `lang` bold in row 3 (frozen with the row labels), and numbers as
// numbers with number formats: 0 counts, 0.0% shares, 0.00 means, 0.0 scores, 0.000 statistics and
// p-values ("<0.001" below). Suppressed cells read "–". Errors name the path.
Status WriteXlsx(const ReportDocument& doc, Lang lang, const std::string& path, FileSystem& fs = FileSystem::Disk());

}  // namespace shindan
