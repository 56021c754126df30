// One company's response as people write it (a JSON sheet, a row of the wide CSV), and its
// validation into canonical answers per instrument.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "catalog/catalog.h"
#include "scoring/score.h"

namespace shindan {

// Raw values keyed by field: profile item ids and instrument item ids. Blank values are absent.
struct RawResponse {
  std::string file;
  int row = 0;  // CSV: the line of the record; 0 for a JSON sheet
  std::string company_id;
  std::map<std::string, std::string> profile;
  std::map<std::string, std::string> answers;

  // Where a value came from, as an error message names it: "file.csv:3:sc21" for a CSV row,
  // "sheet.json: answers.sc21" for a JSON sheet.
  std::string Place(const std::string& section, const std::string& key) const;
};

struct Response {
  std::string company_id;
  std::map<std::string, std::string> profile;        // canonical, by profile item id
  std::map<std::string, Answers> answers;            // instrument id → answers
  std::vector<std::string> missing;                  // items scored 0 under allow_missing
};

struct ValidateOptions {
  // The instrument the sheet answers; its items must all be answered unless allow_missing.
  std::string primary_instrument = instrument_id::kSelfCheck;
  bool allow_missing = false;
};

// Validates every value; on failure the Status lists every problem, one per line, each naming the
// place, the value and what was expected.
Result<Response> ValidateResponse(const Catalog& catalog, const RawResponse& raw, const ValidateOptions& options);

// The columns of the wide CSV (PRODUCT.md "Files"): company_id, the profile fields, then the items
// of every scored instrument, primary first (sc01…sc25, oc1_1…oc5_2).
std::vector<std::string> WideColumns(const Catalog& catalog, const std::string& primary_instrument);

// Reads a sheet: a JSON object {"company_id"?, "profile": {...}, "answers": {...}}, or a CSV in the
// wide layout with exactly one data row. UTF-8 (BOM optional) or Shift_JIS.
Result<RawResponse> ReadSheet(const FileSystem& fs, const std::string& path, const Catalog& catalog,
                              const std::string& primary_instrument);

// Parses a JSON sheet (the object ReadSheet reads) from `text`; `file` names it in errors. The
// web's API takes the same object as a request body (where a save may give the profile alone:
// `answers_required` false).
Result<RawResponse> ParseJsonSheet(const std::string& text, const std::string& file, bool answers_required = true);

// Reads the data rows of a wide CSV already decoded to UTF-8. Unknown columns are an error.
Result<std::vector<RawResponse>> ReadWideCsv(const std::string& utf8, const std::string& file, const Catalog& catalog,
                                             const std::string& primary_instrument);

}  // namespace shindan
