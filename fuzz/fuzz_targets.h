// Fuzz targets for every parser of untrusted input. Each takes arbitrary bytes, must never crash,
// hang or leak, and must answer either a value or an error with a message.
//
// They run in two ways: as libFuzzer entry points (fuzz/libfuzzer_main.cc, built with clang and
// -DSHINDAN_FUZZ=ON) for open-ended fuzzing, and from tests/fuzz_test.cc, which feeds them a fixed,
// seeded stream of mutations of the fixture files on every test run (under ASan + UBSan in CI).
#pragma once

#include <cstddef>
#include <cstdint>

namespace shindan::fuzz {

// Inputs larger than this are cut: the parsers are linear, and bigger inputs only slow the search.
constexpr size_t kMaxInput = 64 * 1024;

void FuzzCsv(const uint8_t* data, size_t size);
void FuzzInstrument(const uint8_t* data, size_t size);
void FuzzSheet(const uint8_t* data, size_t size);      // JSON sheet or wide CSV, then validation
void FuzzNotes(const uint8_t* data, size_t size);      // interview notes CSV (exchange/notes.h)
void FuzzAnswers(const uint8_t* data, size_t size);    // one value against every item type
void FuzzEncoding(const uint8_t* data, size_t size);   // Shift_JIS / UTF-8 decoding, NFKC
void FuzzImport(const uint8_t* data, size_t size);     // ImportText, CSV or JSON lines; 1 thread = 2 threads
void FuzzFrame(const uint8_t* data, size_t size);      // a population frame (stats/frame.h), then allocation
void FuzzDesign(const uint8_t* data, size_t size);     // a sample design (stats/allocation.h), written back
void FuzzDataTable(const uint8_t* data, size_t size);  // estimate --data: table, design, estimates
void FuzzJson(const uint8_t* data, size_t size);       // the strict JSON reader (base/json_reader.h)
void FuzzForm(const uint8_t* data, size_t size);       // HTTP form bodies and paths (web/http.h, web/routes.h)

}  // namespace shindan::fuzz
