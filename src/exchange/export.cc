#include "exchange/export.h"

#include <xlsxwriter.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/csv.h"
#include "base/file.h"
#include "exchange/response.h"
#include "instrument/codec.h"

namespace shindan {

Result<ExportFormat> ParseExportFormat(std::string_view name) {
  std::string n = AsciiLower(name);
  if (n == "csv") return ExportFormat::kCsv;
  if (n == "xlsx") return ExportFormat::kXlsx;
  if (n == "json" || n == "jsonl" || n == "ndjson") return ExportFormat::kJsonLines;
  return Status::InvalidInput("format '" + std::string(name) + "' — expected csv, xlsx or json");
}

Result<WideTable> WideTable::New(const Catalog& catalog, const std::string& primary_instrument) {
  const Instrument* primary = catalog.Find(primary_instrument);
  if (!primary) {
    return Status::NotFound("instrument '" + primary_instrument +
                            "' — expected one of the loaded instruments (see `shindan instruments`)");
  }
  WideTable t;
  t.catalog_ = &catalog;
  t.instruments_.push_back(primary);
  for (const Instrument& ins : catalog.instruments()) {
    if (ins.id != primary->id && ins.scoring.method != Scoring::Method::kNone) t.instruments_.push_back(&ins);
  }
  const Instrument& profile = catalog.profile();
  t.profile_column_.assign(profile.items.size(), -1);
  t.first_column_.assign(t.instruments_.size(), SIZE_MAX);
  for (const std::string& name : WideColumns(catalog, primary_instrument)) {
    const size_t column = t.columns_.size();
    t.columns_.push_back(name);
    bool numeric = false, list = false, boolean = false, answer = false;
    std::string label;
    if (name == "company_id") {
      label = "企業ID";
    } else if (const Item* item = profile.FindItem(name)) {
      const size_t index = static_cast<size_t>(item - profile.items.data());
      t.profile_column_[index] = static_cast<int>(column);
      if (item->type == ItemType::kPrefecture) t.prefecture_item_ = static_cast<int>(index);
      numeric = item->type == ItemType::kInteger;
      list = item->type == ItemType::kMulti || item->type == ItemType::kLabels;
      boolean = item->type == ItemType::kBoolean;
      label = item->text.ja;
    } else {
      answer = true;
      for (size_t k = 0; k < t.instruments_.size(); ++k) {
        const Item* it = t.instruments_[k]->FindItem(name);
        if (!it) continue;
        if (it == &t.instruments_[k]->items.front()) t.first_column_[k] = column;
        const LocalText& text = it->objective ? *it->objective : it->text;
        label = (it->number.empty() ? "" : it->number + " ") + text.ja;
        break;
      }
    }
    t.labels_.push_back(label);
    t.numeric_.push_back(numeric);
    t.list_.push_back(list);
    t.boolean_.push_back(boolean);
    t.answer_.push_back(answer);
  }
  if (std::find(t.first_column_.begin(), t.first_column_.end(), SIZE_MAX) != t.first_column_.end()) {
    return Status::Internal("the wide layout lacks the columns of an instrument");
  }
  return t;
}

Status WideTable::Cells(const CompanyRecord& record, std::vector<std::string>* cells) const {
  const Catalog& catalog = *catalog_;
  cells->assign(columns_.size(), std::string());
  (*cells)[0] = record.company_key;
  const std::string who = "company " + record.company_key;
  if (!record.profile.empty()) {
    const Instrument& profile = catalog.profile();
    if (record.profile_version != profile.version) {
      return Status::InvalidInput(who + ": profile version " + record.profile_version +
                                  " is not in the catalog (it has " + profile.version +
                                  ") — expected data stored with the loaded instruments");
    }
    Result<Answers> values = catalog.CodecFor(profile).DecodeValues(record.profile);
    if (!values.ok()) return values.status().WithContext(who);
    for (size_t j = 0; j < profile.items.size(); ++j) {
      const int column = profile_column_[j];
      if (column < 0) continue;
      auto it = values->find(profile.items[j].id);
      if (it == values->end()) continue;
      std::string value = it->second;
      if (static_cast<int>(j) == prefecture_item_) {
        if (const Prefecture* p = catalog.geography().FindPrefecture(value)) value = p->name;
      }
      (*cells)[static_cast<size_t>(column)] = std::move(value);
    }
  }
  for (const CompanyRecord::InstrumentAnswers& r : record.responses) {
    size_t k = 0;
    while (k < instruments_.size() && instruments_[k]->id != r.instrument_id) ++k;
    if (k == instruments_.size()) {
      // Another instrument the catalog knows (the interview, the reader survey) has no columns in
      // the wide layout: not part of this file. One it does not know is refused.
      if (catalog.Find(r.instrument_id)) continue;
      return Status::InvalidInput(who + ": answers to " + r.instrument_id + " " + r.instrument_version +
                                  ", an instrument the catalog does not have — expected " + instruments_.front()->id +
                                  (instruments_.size() > 1 ? " and the other scored instruments" : ""));
    }
    const Instrument& ins = *instruments_[k];
    if (r.instrument_version != ins.version) {
      return Status::InvalidInput(who + ": " + ins.id + " version " + r.instrument_version +
                                  " is not in the catalog (it has " + ins.version +
                                  ") — expected answers stored with a version the loaded instruments have");
    }
    Result<Answers> answers = catalog.CodecFor(ins).Decode(r.answers);
    if (!answers.ok()) return answers.status().WithContext(who);
    for (size_t j = 0; j < ins.items.size(); ++j) {
      auto it = answers->find(ins.items[j].id);
      if (it != answers->end()) (*cells)[first_column_[k] + j] = it->second;
    }
  }
  return Status::Ok();
}

namespace {

using Output = std::function<Status(std::string_view)>;

// A stored whole number; false for anything else (then it is written as text).
bool WholeNumber(const std::string& s, long long* v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && end == s.data() + s.size();
}

// CSV: a BOM for UTF-8, CRLF, formulas neutralised.
Status WriteCsv(const WideTable& table, const RecordSource& source, const ExportOptions& options, const Output& out,
                long long* companies) {
  const bool sjis = options.encoding == Encoding::kShiftJis;
  std::string header = CsvLine(table.columns(), true);
  if (!sjis) header.insert(0, "\xEF\xBB\xBF");
  if (Status s = out(header); !s.ok()) return s;
  std::vector<std::string> cells;
  std::string buffer;
  buffer.reserve(1 << 20);
  Status status = source([&](const CompanyRecord& record) -> Status {
    if (Status s = table.Cells(record, &cells); !s.ok()) return s;
    std::string line = CsvLine(cells, true);
    if (sjis) {
      Result<std::string> converted = FromUtf8(line, Encoding::kShiftJis);
      if (!converted.ok()) {
        for (size_t i = 0; i < cells.size(); ++i) {
          Result<std::string> one = FromUtf8(cells[i], Encoding::kShiftJis);
          if (!one.ok()) {
            return Status::InvalidInput("company " + record.company_key + ", column " + table.columns()[i] + ": " +
                                        one.status().message() + " — expected --encoding utf-8, or a value without it");
          }
        }
        return converted.status().WithContext("company " + record.company_key);
      }
      line = std::move(converted).value();
    }
    buffer += line;
    ++*companies;
    if (buffer.size() >= (1 << 20)) {
      Status s = out(buffer);
      buffer.clear();
      return s;
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return buffer.empty() ? Status::Ok() : out(buffer);
}

std::vector<std::string> SplitOn(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string::npos) end = s.size();
    if (end > start) parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// JSON lines: {"company_id": …, "profile": {…}, "answers": {…}}, the import's JSON shape.
Status WriteJsonLines(const WideTable& table, const RecordSource& source, const Output& out, long long* companies) {
  std::vector<std::string> cells;
  std::string buffer;
  Status status = source([&](const CompanyRecord& record) -> Status {
    if (Status s = table.Cells(record, &cells); !s.ok()) return s;
    nlohmann::ordered_json line = nlohmann::ordered_json::object();
    line["company_id"] = cells[0];
    nlohmann::ordered_json profile = nlohmann::ordered_json::object(), answers = nlohmann::ordered_json::object();
    for (size_t i = 1; i < cells.size(); ++i) {
      if (cells[i].empty()) continue;
      nlohmann::ordered_json& target = table.IsAnswer(i) ? answers : profile;
      const std::string& name = table.columns()[i];
      long long v = 0;
      if (table.IsNumber(i) && WholeNumber(cells[i], &v)) target[name] = v;
      else if (table.IsBoolean(i)) target[name] = cells[i] == "yes";
      else if (table.IsList(i)) target[name] = SplitOn(cells[i], ';');
      else target[name] = cells[i];
    }
    line["profile"] = std::move(profile);
    line["answers"] = std::move(answers);
    buffer += line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    buffer += '\n';
    ++*companies;
    if (buffer.size() >= (1 << 20)) {
      Status s = out(buffer);
      buffer.clear();
      return s;
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return buffer.empty() ? Status::Ok() : out(buffer);
}

struct WorkbookCloser {
  void operator()(lxw_workbook* w) const {
    if (w) workbook_close(w);
  }
};

// Excel's last row is 1,048,576; two rows hold the header.
constexpr long long kXlsxMaxCompanies = 1048576 - 2;

Status XlsxError(const std::string& file, lxw_error e) {
  return Status::IoError(file + ": cannot write the XLSX file (" + lxw_strerror(e) + ")");
}

// One sheet 回答 responses: row 1 the Japanese labels, row 2 the column ids (so that the sheet,
// saved as CSV, imports back), then one row per company; frozen header, autofilter on row 2.
Status WriteXlsx(const WideTable& table, const RecordSource& source, const std::string& staging, long long* companies) {
  lxw_workbook_options wo = {};
  wo.constant_memory = LXW_TRUE;  // rows stream to a temporary file: a million companies fit
  std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new_opt(staging.c_str(), &wo));
  if (!wb) return Status::IoError(staging + ": cannot create the XLSX file");
  lxw_worksheet* ws = workbook_add_worksheet(wb.get(), "回答 responses");
  if (!ws) return Status::Internal("cannot add the worksheet");
  lxw_format* head = workbook_add_format(wb.get());
  format_set_bold(head);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* ids = workbook_add_format(wb.get());
  format_set_bold(ids);
  format_set_bottom(ids, LXW_BORDER_THIN);
  const size_t n = table.columns().size();
  worksheet_set_column(ws, 0, 0, 14, nullptr);
  if (n > 1) worksheet_set_column(ws, 1, static_cast<lxw_col_t>(n - 1), 12, nullptr);
  worksheet_set_row(ws, 0, 60, nullptr);
  // Constant-memory mode writes rows strictly in order: all of row 1, then all of row 2.
  for (size_t i = 0; i < n; ++i) {
    lxw_error e = worksheet_write_string(ws, 0, static_cast<lxw_col_t>(i), table.labels()[i].c_str(), head);
    if (e) return XlsxError(staging, e);
  }
  for (size_t i = 0; i < n; ++i) {
    lxw_error e = worksheet_write_string(ws, 1, static_cast<lxw_col_t>(i), table.columns()[i].c_str(), ids);
    if (e) return XlsxError(staging, e);
  }
  worksheet_freeze_panes(ws, 2, 1);
  std::vector<std::string> cells;
  lxw_row_t row = 2;
  Status status = source([&](const CompanyRecord& record) -> Status {
    if (*companies >= kXlsxMaxCompanies) {
      return Status::InvalidInput("an XLSX sheet holds at most " + std::to_string(kXlsxMaxCompanies) +
                                  " companies — expected a smaller survey, or --format csv");
    }
    if (Status s = table.Cells(record, &cells); !s.ok()) return s;
    for (size_t i = 0; i < n; ++i) {
      if (cells[i].empty()) continue;
      const auto col = static_cast<lxw_col_t>(i);
      long long v = 0;
      lxw_error e = table.IsNumber(i) && WholeNumber(cells[i], &v)
                        ? worksheet_write_number(ws, row, col, static_cast<double>(v), nullptr)
                        : worksheet_write_string(ws, row, col, cells[i].c_str(), nullptr);
      if (e) return XlsxError(staging, e);
    }
    ++row;
    ++*companies;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  worksheet_autofilter(ws, 1, 0, row - 1, static_cast<lxw_col_t>(n - 1));
  lxw_error e = workbook_close(wb.release());
  if (e) return XlsxError(staging, e);
  return Status::Ok();
}

}  // namespace

Result<ExportSummary> ExportFile(const Catalog& catalog, const RecordSource& source, const std::string& path,
                                 const ExportOptions& options, FileSystem& fs) {
  Result<WideTable> table = WideTable::New(catalog, options.primary_instrument);
  if (!table.ok()) return table.status();
  ExportSummary summary;
  Result<std::unique_ptr<WritableFile>> opened = fs.NewWritableFile(path);
  if (!opened.ok()) return opened.status();
  WritableFile& file = **opened;
  if (options.format == ExportFormat::kXlsx) {
    Result<std::string> staging = file.StagingPath();
    if (!staging.ok()) return staging.status();
    if (Status s = WriteXlsx(*table, source, *staging, &summary.companies); !s.ok()) return s;
  } else {
    Output out = [&](std::string_view bytes) { return file.Append(bytes); };
    Status s = options.format == ExportFormat::kCsv ? WriteCsv(*table, source, options, out, &summary.companies)
                                                    : WriteJsonLines(*table, source, out, &summary.companies);
    if (!s.ok()) return s;
  }
  if (Status s = file.Commit(); !s.ok()) return s;
  summary.bytes = file.bytes();
  return summary;
}

Result<std::string> ExportText(const Catalog& catalog, const std::vector<CompanyRecord>& records,
                               const ExportOptions& options) {
  if (options.format == ExportFormat::kXlsx) return Status::InvalidInput("XLSX is written to a file — use ExportFile");
  Result<WideTable> table = WideTable::New(catalog, options.primary_instrument);
  if (!table.ok()) return table.status();
  RecordSource source = [&](const std::function<Status(const CompanyRecord&)>& fn) {
    for (const CompanyRecord& r : records) {
      if (Status s = fn(r); !s.ok()) return s;
    }
    return Status::Ok();
  };
  std::string text;
  Output out = [&](std::string_view bytes) {
    text.append(bytes);
    return Status::Ok();
  };
  long long companies = 0;
  Status s = options.format == ExportFormat::kCsv ? WriteCsv(*table, source, options, out, &companies)
                                                  : WriteJsonLines(*table, source, out, &companies);
  if (!s.ok()) return s;
  return text;
}

}  // namespace shindan
