// RFC 4180 CSV: a streaming reader over text in memory and a writer that can neutralise formulas.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace shindan {

// Reads records one at a time. Fields may be quoted ("a,b", "say ""hi"""), quoted fields may span
// lines; CRLF and LF line ends are accepted. Blank lines are skipped.
// REQUIRES: `text` outlives the reader and is UTF-8 without a BOM.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // Reads the next record into `fields` (reusing its storage). Returns false at the end of the
  // input or on an error; then status() tells which.
  bool Next(std::vector<std::string>* fields);

  // The 1-based line on which the last record returned by Next() started.
  int line() const { return record_line_; }
  const Status& status() const { return status_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int record_line_ = 0;
  Status status_;
};

// Quotes a field when needed (comma, quote, CR or LF). With `neutralise_formulas`, a field that a
// spreadsheet would run as a formula (first character = + - @, tab or CR) is prefixed with a
// single quote, as OWASP recommends for CSV injection.
std::string CsvField(std::string_view value, bool neutralise_formulas);

// Joins fields into one CSV line ending in CRLF (what Excel writes and expects).
std::string CsvLine(const std::vector<std::string>& fields, bool neutralise_formulas);

}  // namespace shindan
