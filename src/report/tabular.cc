#include "report/tabular.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>

#include "base/csv.h"
#include "base/file.h"

namespace shindan {
namespace {

// A file name made of the id's safe characters; the ids are meant to be safe already, so this only
// guards against a future id with a slash in it writing outside the output folder.
std::string FileSafe(const std::string& id) {
  std::string name;
  for (char c : id) {
    const bool safe =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    name += safe ? c : '_';
  }
  return name.empty() ? "table" : name;
}

std::string Printf(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// A cell for machines: full useful precision, no grouping, no percent sign (see tabular.h).
std::string CsvValue(const TableCell& cell, Lang lang) {
  using Kind = TableCell::Kind;
  if (cell.kind == Kind::kText) return cell.label.in(lang);
  if (!cell.is_number() || !std::isfinite(cell.number)) return "";
  switch (cell.kind) {
    case Kind::kCount:
      return Printf("%.0f", cell.number);
    case Kind::kPValue:
      return Printf("%.4g", cell.number);
    default:
      return Printf("%.4f", cell.number);
  }
}

constexpr const char* kBom = "\xEF\xBB\xBF";

}  // namespace

std::vector<OutputFile> RenderCsv(const ReportDocument& doc, Lang lang) {
  std::vector<OutputFile> files;
  std::string index = std::string(kBom) + CsvLine({"id", "file", "title_ja", "title_en", "note_ja", "note_en"}, true);
  std::vector<std::string> fields;
  for (const ReportSection& section : doc.sections) {
    for (const ReportTable& table : section.tables) {
      OutputFile file{FileSafe(table.id) + ".csv", kBom};
      fields.clear();
      for (const LocalText& column : table.columns) fields.push_back(column.in(lang));
      file.bytes += CsvLine(fields, true);
      for (const std::vector<TableCell>& row : table.rows) {
        // Text is neutralised, numbers are not: "-0.2500" is a figure, not a formula.
        for (size_t i = 0; i < std::max(row.size(), table.columns.size()); ++i) {
          if (i) file.bytes += ',';
          if (i < row.size()) file.bytes += CsvField(CsvValue(row[i], lang), row[i].kind == TableCell::Kind::kText);
        }
        file.bytes += "\r\n";
      }
      index += CsvLine({table.id, file.name, table.title.ja, table.title.en, table.note.ja, table.note.en}, true);
      files.push_back(std::move(file));
    }
  }
  files.push_back({"index.csv", std::move(index)});
  return files;
}

namespace {

// --- XLSX ---------------------------------------------------------------------------------------

constexpr const char* kSummarySheet = "概要 Summary";
constexpr lxw_row_t kMaxRows = 1048576;
constexpr size_t kMaxColumns = 16384;
// Rows 1–3 of a table sheet: title, note, column titles.
constexpr lxw_row_t kHeaderRow = 2;

LocalText Fixed(const char* ja, const char* en) { return {ja, en}; }

struct Formats {
  lxw_format* title = nullptr;
  lxw_format* note = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* header = nullptr;
  lxw_format* count = nullptr;
  lxw_format* share = nullptr;
  lxw_format* mean = nullptr;
  lxw_format* score = nullptr;
  lxw_format* statistic = nullptr;
  lxw_format* pvalue = nullptr;
  lxw_format* suppressed = nullptr;

  explicit Formats(lxw_workbook* wb) {
    auto number = [wb](const char* pattern) {
      lxw_format* f = workbook_add_format(wb);
      format_set_num_format(f, pattern);
      return f;
    };
    title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    note = workbook_add_format(wb);
    format_set_italic(note);
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_text_wrap(header);
    format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(header, LXW_BORDER_THIN);
    count = number("0");
    share = number("0.0%");
    mean = number("0.00");
    score = number("0.0");
    statistic = number("0.000");
    // What FormatCell shows: three decimals, "<0.001" below.
    pvalue = number("[<0.001]\"<0.001\";0.000");
    suppressed = workbook_add_format(wb);
    format_set_align(suppressed, LXW_ALIGN_RIGHT);
  }

  lxw_format* For(TableCell::Kind kind) const {
    using Kind = TableCell::Kind;
    switch (kind) {
      case Kind::kCount:
        return count;
      case Kind::kShare:
        return share;
      case Kind::kMean:
        return mean;
      case Kind::kScore:
        return score;
      case Kind::kStatistic:
        return statistic;
      case Kind::kPValue:
        return pvalue;
      default:
        return nullptr;
    }
  }
};

// Writes one cell; blank cells and numbers that are not finite are left empty.
lxw_error WriteCell(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const TableCell& cell, Lang lang,
                    const Formats& formats) {
  using Kind = TableCell::Kind;
  if (cell.kind == Kind::kText) return worksheet_write_string(ws, row, col, cell.label.in(lang).c_str(), nullptr);
  if (cell.kind == Kind::kSuppressed) return worksheet_write_string(ws, row, col, "–", formats.suppressed);
  if (!cell.is_number() || !std::isfinite(cell.number)) return LXW_NO_ERROR;
  return worksheet_write_number(ws, row, col, cell.number, formats.For(cell.kind));
}

// Display width of a cell as Excel shows it, in character widths (a wide character counts 2).
int CellWidth(const TableCell& cell, Lang lang) {
  using Kind = TableCell::Kind;
  if (cell.kind == Kind::kText) return DisplayWidth(cell.label.in(lang));
  if (cell.kind == Kind::kCount) return std::max(4, static_cast<int>(Printf("%.0f", cell.number).size()));
  return cell.is_number() ? 7 : 2;
}

// Sheet names: Excel allows 31 characters, none of []:*?/\ and no quote at either end (we drop
// quotes altogether, so that a name needs no escaping in a link), unique regardless of case.
class SheetNames {
 public:
  explicit SheetNames(lxw_workbook* wb) : wb_(wb) { Take(kSummarySheet); }

  std::string For(const std::string& id, size_t ordinal) {
    std::string name;
    for (char c : id) name += std::strchr("[]:*?/\\'", c) && c != '\0' ? '_' : c;
    name = Truncate(name, LXW_SHEETNAME_MAX);
    if (name.empty() || workbook_validate_sheet_name(wb_, name.c_str()) != LXW_NO_ERROR || Taken(name)) {
      // A clash after truncation (or an id Excel refuses): keep what fits and number it.
      const std::string suffix = "~" + std::to_string(ordinal);
      name = Truncate(name, LXW_SHEETNAME_MAX - suffix.size()) + suffix;
    }
    Take(name);
    return name;
  }

 private:
  // The first `n` UTF-8 characters of `s`.
  static std::string Truncate(const std::string& s, size_t n) {
    size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) break;
    }
    return s.substr(0, i);
  }
  void Take(const std::string& name) { taken_.insert(AsciiLower(name)); }
  bool Taken(const std::string& name) const { return taken_.count(AsciiLower(name)) > 0; }

  lxw_workbook* wb_;
  std::set<std::string> taken_;
};

// Collects the first error of a run of libxlsxwriter calls, so the writers read straight through.
class Errors {
 public:
  void operator()(lxw_error e) {
    if (e != LXW_NO_ERROR && first_ == LXW_NO_ERROR) first_ = e;
  }
  lxw_error first() const { return first_; }

 private:
  lxw_error first_ = LXW_NO_ERROR;
};

Status WriteTableSheet(lxw_worksheet* ws, const ReportTable& table, Lang lang, const Formats& formats) {
  if (table.rows.size() + kHeaderRow + 1 > kMaxRows || table.columns.size() > kMaxColumns) {
    return Status::InvalidInput("table " + table.id + " has " + std::to_string(table.rows.size()) + " rows and " +
                                std::to_string(table.columns.size()) +
                                " columns — expected what one Excel sheet holds (1,048,573 rows, 16,384 columns)");
  }
  Errors check;
  check(worksheet_write_string(ws, 0, 0, table.title.in(lang).c_str(), formats.title));
  if (!table.note.in(lang).empty()) check(worksheet_write_string(ws, 1, 0, table.note.in(lang).c_str(), formats.note));
  for (size_t c = 0; c < table.columns.size(); ++c) {
    check(worksheet_write_string(ws, kHeaderRow, static_cast<lxw_col_t>(c), table.columns[c].in(lang).c_str(),
                                 formats.header));
  }
  std::vector<int> value_widths(table.columns.size(), 0);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::vector<TableCell>& row = table.rows[r];
    for (size_t c = 0; c < row.size() && c < kMaxColumns; ++c) {
      check(
          WriteCell(ws, kHeaderRow + 1 + static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), row[c], lang, formats));
      if (c < value_widths.size()) value_widths[c] = std::max(value_widths[c], CellWidth(row[c], lang));
    }
  }
  // Row labels get room to be read whole; a figure's column need only be as wide as its figures,
  // and a long column title wraps in the (taller) header row instead of widening it.
  int header_lines = 1;
  for (size_t c = 0; c < value_widths.size(); ++c) {
    const int header = DisplayWidth(table.columns[c].in(lang));
    const int width = c == 0 ? std::clamp(std::max(header, value_widths[c]) + 2, 10, 50)
                             : std::clamp(std::max(value_widths[c], std::min(header, 14)) + 2, 8, 24);
    header_lines = std::clamp((header + width - 2) / (width - 1), header_lines, 4);
    check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width, nullptr));
  }
  if (header_lines > 1) check(worksheet_set_row(ws, kHeaderRow, 15.0 * header_lines, nullptr));
  worksheet_freeze_panes(ws, kHeaderRow + 1, 1);
  if (check.first() != LXW_NO_ERROR) {
    return Status::Internal("sheet " + table.id + ": " + lxw_strerror(check.first()));
  }
  return Status::Ok();
}

Status WriteSummarySheet(lxw_worksheet* ws, const ReportDocument& doc, Lang lang, const Formats& formats,
                         const std::vector<std::string>& sheet_names) {
  Errors check;
  lxw_row_t row = 0;
  auto line = [&](const LocalText& label, const std::string& value) {
    check(worksheet_write_string(ws, row, 0, label.in(lang).c_str(), formats.bold));
    check(worksheet_write_string(ws, row, 1, value.c_str(), nullptr));
    ++row;
  };
  check(worksheet_write_string(ws, row, 0, doc.title.in(lang).c_str(), formats.title));
  row += 2;
  line(Fixed("調査", "Survey"), doc.survey);
  if (!doc.generated.empty()) line(Fixed("作成日時 (UTC)", "Generated (UTC)"), doc.generated);
  if (doc.min_cell > 0) {
    const std::string n = std::to_string(doc.min_cell);
    line(Fixed("秘匿", "Suppression"), LocalText{n + " 社未満の回答から得た数値は「–」で示す",
                                                 "figures from fewer than " + n + " respondents are shown as –"}
                                           .in(lang));
  }
  for (const ReportSection& section : doc.sections) {
    if (section.facts.empty()) continue;
    ++row;
    check(worksheet_write_string(ws, row++, 0, section.title.in(lang).c_str(), formats.header));
    for (const ReportFact& fact : section.facts) {
      check(worksheet_write_string(ws, row, 0, fact.label.in(lang).c_str(), nullptr));
      check(WriteCell(ws, row, 1, fact.value, lang, formats));
      ++row;
    }
  }
  ++row;
  check(worksheet_write_string(ws, row, 0, Fixed("シート", "Sheet").in(lang).c_str(), formats.header));
  check(worksheet_write_string(ws, row, 1, Fixed("表", "Table").in(lang).c_str(), formats.header));
  check(worksheet_write_string(ws, row, 2, Fixed("節", "Section").in(lang).c_str(), formats.header));
  ++row;
  size_t k = 0;
  for (const ReportSection& section : doc.sections) {
    for (const ReportTable& table : section.tables) {
      const std::string& name = sheet_names[k++];
      const std::string url = "internal:'" + name + "'!A1";
      check(worksheet_write_url_opt(ws, row, 0, url.c_str(), nullptr, name.c_str(), nullptr));
      check(worksheet_write_string(ws, row, 1, table.title.in(lang).c_str(), nullptr));
      check(worksheet_write_string(ws, row, 2, section.title.in(lang).c_str(), nullptr));
      ++row;
    }
  }
  check(worksheet_set_column(ws, 0, 0, 28, nullptr));
  check(worksheet_set_column(ws, 1, 1, 60, nullptr));
  check(worksheet_set_column(ws, 2, 2, 30, nullptr));
  if (check.first() != LXW_NO_ERROR)
    return Status::Internal(std::string("summary sheet: ") + lxw_strerror(check.first()));
  return Status::Ok();
}

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const {
    if (wb) workbook_close(wb);
  }
};

// Fills the workbook; closing (which writes the file) is left to the caller.
Status Fill(lxw_workbook* wb, const ReportDocument& doc, Lang lang) {
  std::string title = doc.title.in(lang), subject = doc.survey;
  lxw_doc_properties properties = {};
  properties.title = title.data();
  properties.subject = subject.data();
  workbook_set_properties(wb, &properties);

  const Formats formats(wb);
  lxw_worksheet* summary = workbook_add_worksheet(wb, kSummarySheet);
  if (!summary) return Status::Internal("cannot add the summary sheet");
  SheetNames names(wb);
  std::vector<std::string> sheet_names;
  for (const ReportSection& section : doc.sections) {
    for (const ReportTable& table : section.tables) {
      sheet_names.push_back(names.For(table.id, sheet_names.size() + 1));
      lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_names.back().c_str());
      if (!ws) return Status::Internal("cannot add the sheet " + sheet_names.back() + " for table " + table.id);
      if (Status s = WriteTableSheet(ws, table, lang, formats); !s.ok()) return s;
    }
  }
  return WriteSummarySheet(summary, doc, lang, formats, sheet_names);
}

}  // namespace

Status WriteXlsx(const ReportDocument& doc, Lang lang, const std::string& path, FileSystem& fs) {
  // libxlsxwriter writes by file name: it fills the writable file's staging file, which Commit()
  // renames into place (a regular file) or copies into a pipe or device, so that a reader never
  // sees half a workbook and a failure keeps the previous report.
  Result<std::unique_ptr<WritableFile>> file = fs.NewWritableFile(path);
  if (!file.ok()) return file.status();
  Result<std::string> staging = (*file)->StagingPath();
  if (!staging.ok()) return staging.status();
  std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new(staging->c_str()));
  if (!wb) return Status::IoError(path + ": cannot create the XLSX file");
  Status status = Fill(wb.get(), doc, lang);
  const lxw_error closed = workbook_close(wb.release());
  if (status.ok() && closed != LXW_NO_ERROR) {
    status = Status::IoError("cannot write the XLSX file (" + std::string(lxw_strerror(closed)) + ")");
  }
  if (!status.ok()) return status.WithContext(path);
  return (*file)->Commit();
}

}  // namespace shindan
