// The report as a document: titled tables, each with the chart it is best seen as. Built once from
// the report's figures (report.h), with --min-cell suppression already applied, and rendered by
// every human format alike — Markdown, CSV (one file per table), XLSX (one sheet per table) and
// HTML (inline SVG charts) — so that no format can disagree with another or with the JSON.
#pragma once

#include <string>
#include <vector>

#include "base/text.h"

namespace shindan {

// One cell of a table. Numbers keep full precision; renderers format them by kind.
struct TableCell {
  enum class Kind {
    kEmpty,       // nothing to show (a blank cell)
    kText,        // `text`, in both languages when `label` is set
    kCount,       // an integer count
    kShare,       // a fraction 0..1, shown as a percentage with one decimal (構成比)
    kMean,        // a mean of item points, two decimals
    kScore,       // a mean total score or other one-decimal figure
    kStatistic,   // a test statistic or effect size, three decimals
    kPValue,      // a p-value: three decimals, "<0.001" below
    kSuppressed,  // drawn from fewer than --min-cell respondents: "–"
  };
  Kind kind = Kind::kEmpty;
  double number = 0;
  LocalText label;  // kText

  static TableCell Text(LocalText t) { return {Kind::kText, 0, std::move(t)}; }
  // Text that reads the same in both languages (a number range, a code, a name).
  static TableCell Untranslated(const std::string& same) { return {Kind::kText, 0, {same, same}}; }
  static TableCell Number(Kind kind, double v) { return {kind, v, {}}; }
  static TableCell Suppressed() { return {Kind::kSuppressed, 0, {}}; }
  bool is_number() const { return kind != Kind::kEmpty && kind != Kind::kText && kind != Kind::kSuppressed; }
};

// How a table is best drawn in HTML. Formats without charts ignore it.
enum class ChartKind {
  kNone,
  kBars,       // a horizontal bar per row, of column `chart_column` (a share or a mean)
  kHistogram,  // rows are adjacent bins (label = the bin), bar height column `chart_column`
  kHeatMap,    // rows × the numeric columns from `chart_column` on, coloured by value
};

struct ReportTable {
  std::string id;  // stable, file- and sheet-safe: "table04_size_type", … (CSV file name, XLSX sheet)
  LocalText title;
  LocalText note;  // may be empty
  std::vector<LocalText> columns;
  std::vector<std::vector<TableCell>> rows;  // each as wide as `columns`; first cell the row label
  ChartKind chart = ChartKind::kNone;
  int chart_column = 1;
  // For kHeatMap: the value range the colours span (e.g. 0..4 item points); ignored otherwise.
  double scale_min = 0, scale_max = 1;
};

// A heading with figures stated in a sentence ("回答企業数 66").
struct ReportFact {
  LocalText label;
  TableCell value;
  TableCell share;  // kEmpty, or the value's share shown beside it: "23 (34.8%)"
};

struct ReportSection {
  LocalText title;
  std::vector<ReportFact> facts;
  std::vector<ReportTable> tables;
};

struct ReportDocument {
  LocalText title;
  std::string survey;     // the survey's name (or source file)
  std::string generated;  // ISO 8601 UTC time of making, or "" (tests)
  int min_cell = 0;
  std::vector<ReportSection> sections;
};

// A cell formatted for reading: counts with no grouping, shares as "58.0%", means "2.35",
// suppressed "–". Text cells in `lang`.
std::string FormatCell(const TableCell& cell, Lang lang);

}  // namespace shindan
