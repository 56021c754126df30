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
void FuzzForm(const uint8_t* data, size_t size);       // HTTP form bodies and paths (web/http.h, web/routes.h)

}  // namespace shindan::fuzz
