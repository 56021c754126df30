// Importing a survey: the wide CSV (PRODUCT.md "Files", docs/import.md) or JSON lines, streamed
// into CompanyRecords for the store.
//
// Every value is validated; each bad cell becomes a problem that names the place, the value and
// what was expected:
//
//   survey.csv:12:sc05: 'maybe' — expected 実施している (yes), 一部実施している (partial), …
//
// (FILE:ROW:COLUMN, where ROW is the line of the CSV record and COLUMN the header name; for JSON
// lines ROW is the line and COLUMN the JSON path, e.g. answers.sc05.) A row with a problem is never
// handed to the sink, and after the first problem no further row is (the caller rolls back: an
// import is all or nothing), but the whole file is still read so that every problem is counted.
//
// The importer is built for a million rows: the header is mapped once to per-column slots, each
// cell is matched against precomputed exact spellings (codes and labels) before falling back to
// NFKC normalisation and AnswerParser, records are reused, and the file is parsed in chunks by
// worker threads while the calling thread hands the records to the sink in file order.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/problems.h"
#include "base/status.h"
#include "base/text.h"
#include "catalog/catalog.h"
#include "instrument/instrument_ids.h"
#include "store/company_record.h"

namespace shindan {

enum class ImportFormat { kAuto, kCsv, kJsonLines };

// "csv", "jsonl" (also "json", "ndjson"); anything else is an error naming the value.
Result<ImportFormat> ParseImportFormat(std::string_view name);

struct ImportOptions {
  std::string file;                   // the name problems start with
  ImportFormat format = ImportFormat::kAuto;  // kAuto: JSON lines when the first byte is '{'
  std::optional<Encoding> encoding;   // nullopt: a BOM means UTF-8, else detected from the bytes
  std::string primary_instrument = instrument_id::kSelfCheck;  // every required item must be answered
  int threads = 2;                    // parsing threads; 0 parses on the calling thread
  size_t chunk_bytes = 1 << 20;       // the unit of parallel work (tests use tiny chunks)
  size_t max_problems = 100;          // problems kept in ImportReport::problems
  // Called on the calling thread with the bytes processed so far and the total, after each chunk.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct ImportReport {
  Encoding encoding = Encoding::kUtf8;
  ImportFormat format = ImportFormat::kCsv;
  long long rows = 0;           // data rows read
  long long records = 0;        // rows handed to the sink
  ProblemList problems;  // the first max_problems, in file order, and the count of all
  bool ok() const { return problems.empty(); }
};

// Receives each valid row, in file order, on the calling thread. An error stops the import and
// is returned by ImportText / ImportFile. An empty sink only checks the file (no records are made,
// which is faster): ImportReport::records then counts the rows that would have been handed over.
using RecordSink = std::function<Status(const CompanyRecord&)>;

// Imports `bytes` (the whole file, as read from disk: BOM and encoding are handled here).
// Returns the report (problems are values in it, not errors); an error only when the sink failed
// or the catalog lacks the primary instrument.
// REQUIRES: `catalog` outlives the call; the sink is not called concurrently.
Result<ImportReport> ImportText(const Catalog& catalog, std::string_view bytes, const ImportOptions& options,
                                const RecordSink& sink);

// Maps `path` into memory and imports it, releasing the pages of each chunk once it is done so
// that the memory used stays small whatever the size of the file. options.file defaults to path.
Result<ImportReport> ImportFile(const Catalog& catalog, const std::string& path, ImportOptions options,
                                const RecordSink& sink);

}  // namespace shindan
