// Loading and validating instrument files (format "shindan-instrument/1", docs/instruments.md).
#pragma once

#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "instrument/instrument.h"

namespace shindan {

// Parses and validates one instrument. Errors name `file`, the JSON path and what was expected,
// e.g. "self-check.json: items[20].answers: unknown answer set 'four' — expected one of: …".
Result<Instrument> ParseInstrument(const std::string& json_text, const std::string& file);

Result<Instrument> LoadInstrument(const FileSystem& fs, const std::string& path);

// Loads every *.json in `dir`; fails on the first invalid file or a duplicate id.
Result<std::vector<Instrument>> LoadInstrumentDir(const FileSystem& fs, const std::string& dir);

}  // namespace shindan
