// Text handling shared by every module: bilingual texts, Unicode normalisation, encodings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace shindan {

// The two languages of every user-facing text. Japanese comes first.
enum class Lang { kJa, kEn };

// Parses "ja" / "en". Anything else is an error naming the value.
Result<Lang> ParseLang(std::string_view s);

// A text in both languages; both are always present in shipped data.
struct LocalText {
  std::string ja;
  std::string en;
  const std::string& in(Lang lang) const { return lang == Lang::kJa ? ja : en; }
};

// Unicode NFKC normalisation (全角 digits, letters and spaces become ASCII; half-width katakana
// becomes full-width), then trimming of white space (including U+3000) at both ends.
// Input must be valid UTF-8; invalid sequences are replaced by U+FFFD.
std::string NormalizeInput(std::string_view utf8);

// ASCII lower-casing; other bytes unchanged.
std::string AsciiLower(std::string_view s);

// How a user-typed name is compared with the names it may mean (a code, a Japanese or English
// label, an alias): NormalizeInput (NFKC, 全角 to ASCII), then ASCII lower case.
std::string MatchKey(std::string_view s);

// Trims ASCII white space at both ends.
std::string_view TrimAscii(std::string_view s);

// Splits on any of the separators (each a UTF-8 string), trimming each part and dropping empty ones.
std::vector<std::string> SplitList(std::string_view s, const std::vector<std::string_view>& separators);

bool IsValidUtf8(std::string_view s);

// Input encodings people actually have: UTF-8 (with or without BOM) and Shift_JIS / CP932 as saved
// by Excel on Japanese Windows.
enum class Encoding { kUtf8, kShiftJis };

Result<Encoding> ParseEncoding(std::string_view name);

// Guesses the encoding of raw bytes: UTF-8 when the bytes are valid UTF-8, start with a UTF-8 BOM
// or are mostly UTF-8 (more valid multi-byte characters than invalid bytes: a bad byte in a UTF-8
// file is then reported where it is); else Shift_JIS.
Encoding DetectEncoding(std::string_view bytes);

// "byte 123 (0xFF, line 11, column 5)": the place of byte `at` of `bytes` as an editor shows it
// (the column counts bytes from 1).
std::string BytePlace(std::string_view bytes, size_t at);

// Converts raw bytes to UTF-8 without a BOM. Fails naming the first sequence that is not valid in
// `from` by its place (BytePlace): "byte 123 (0xFF, line 11, column 5): not valid UTF-8".
Result<std::string> ToUtf8(std::string_view bytes, Encoding from);

// Converts UTF-8 to `to`. Fails naming the first character that has no equivalent in `to`.
Result<std::string> FromUtf8(std::string_view utf8, Encoding to);

// Display width in terminal columns (East Asian wide characters count 2).
int DisplayWidth(std::string_view utf8);

}  // namespace shindan
