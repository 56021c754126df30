// Exporting a survey's latest responses in the layouts people exchange: the wide CSV (the import
// layout, so that export → import → export gives the same bytes), XLSX and JSON lines.
//
// Records come from Store::ScanLatest (through a RecordSource, so this module needs no store) and
// are decoded against the catalog's instruments; a record stored with an instrument version the
// catalog does not have is refused, naming the company, the instrument and the version.
//
// Every format is written to FILE.tmp and renamed over FILE when complete, so a failure (a
// character Shift_JIS lacks, a full disk) leaves no partial file and keeps an older FILE intact.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "base/text.h"
#include "catalog/catalog.h"
#include "store/company_record.h"

namespace shindan {

enum class ExportFormat { kCsv, kXlsx, kJsonLines };

// "csv", "xlsx", "json" / "jsonl"; anything else is an error naming the value.
Result<ExportFormat> ParseExportFormat(std::string_view name);

struct ExportOptions {
  ExportFormat format = ExportFormat::kCsv;
  // CSV only: UTF-8 is written with a BOM (Excel then opens it right); Shift_JIS without one.
  Encoding encoding = Encoding::kUtf8;
  std::string primary_instrument = instrument_id::kSelfCheck;
};

// Calls its argument once per company, in the order to write them (Store::ScanLatest bound to a
// survey), stopping at and returning the first error.
using RecordSource = std::function<Status(const std::function<Status(const CompanyRecord&)>&)>;

// One company as cells of the wide layout, in WideColumns order.
// Built once; REQUIRES: `catalog` outlives the table.
class WideTable {
 public:
  static Result<WideTable> New(const Catalog& catalog, const std::string& primary_instrument);

  const std::vector<std::string>& columns() const { return columns_; }
  // The Japanese label of each column (従業員数, 1 重要情報がみだりに扱われないようにしていますか？),
  // for the header row of XLSX.
  const std::vector<std::string>& labels() const { return labels_; }
  // Whether column i holds whole numbers (written as numbers in XLSX and JSON).
  bool IsNumber(size_t i) const { return numeric_[i]; }
  // Whether column i holds a list (it_uses, certifications: ';'-separated; arrays in JSON).
  bool IsList(size_t i) const { return list_[i]; }
  // Whether column i is a yes/no field (true / false in JSON).
  bool IsBoolean(size_t i) const { return boolean_[i]; }
  // Whether column i is an answer to an instrument (JSON: under "answers"; else "profile").
  bool IsAnswer(size_t i) const { return answer_[i]; }

  // The cells of one record: canonical codes, the prefecture as its name (東京都), blank for
  // what the company did not answer. Fails naming the company when the record cannot be decoded.
  Status Cells(const CompanyRecord& record, std::vector<std::string>* cells) const;

 private:
  const Catalog* catalog_ = nullptr;
  std::vector<std::string> columns_, labels_;
  std::vector<bool> numeric_, list_, boolean_, answer_;
  std::vector<const Instrument*> instruments_;      // primary first, as the columns
  std::vector<size_t> first_column_;                // per instrument: its first answer column
  std::vector<int> profile_column_;                 // per profile item: its column
  int prefecture_item_ = -1;                        // profile item index of the prefecture, if any
};

struct ExportSummary {
  long long companies = 0;
  size_t bytes = 0;  // size of the file written
};

// Writes every record of `source` to `path` in options.format, through a WritableFile of `fs`:
// the old file stays until the new one is complete; a pipe or device is written in place.
Result<ExportSummary> ExportFile(const Catalog& catalog, const RecordSource& source, const std::string& path,
                                 const ExportOptions& options, FileSystem& fs = FileSystem::Disk());

// CSV or JSON lines in memory (for tests and small exports). XLSX needs a file: use ExportFile.
Result<std::string> ExportText(const Catalog& catalog, const std::vector<CompanyRecord>& records,
                               const ExportOptions& options);

}  // namespace shindan
