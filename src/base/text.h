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

// Trims ASCII white space at both ends.
std::string_view TrimAscii(std::string_view s);

// Splits on any of the separators (each a UTF-8 string), trimming each part and dropping empty ones.
std::vector<std::string> SplitList(std::string_view s, const std::vector<std::string_view>& separators);

bool IsValidUtf8(std::string_view s);

// Input encodings people actually have: UTF-8 (with or without BOM) and Shift_JIS / CP932 as saved
// by Excel on Japanese Windows.
enum class Encoding { kUtf8, kShiftJis };

Result<Encoding> ParseEncoding(std::string_view name);

// Guesses the encoding of raw bytes: UTF-8 when the bytes are valid UTF-8, else Shift_JIS.
Encoding DetectEncoding(std::string_view bytes);

// Converts raw bytes to UTF-8 without a BOM. Fails naming the byte offset of the first sequence
// that is not valid in `from`.
Result<std::string> ToUtf8(std::string_view bytes, Encoding from);

// Converts UTF-8 to `to`. Fails naming the first character that has no equivalent in `to`.
Result<std::string> FromUtf8(std::string_view utf8, Encoding to);

// Display width in terminal columns (East Asian wide characters count 2).
int DisplayWidth(std::string_view utf8);

}  // namespace shindan
