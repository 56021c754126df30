#include "base/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <memory>

namespace shindan {

Result<Lang> ParseLang(std::string_view s) {
  if (s == "ja") return Lang::kJa;
  if (s == "en") return Lang::kEn;
  return Status::InvalidInput("language '" + std::string(s) + "' — expected ja or en");
}

bool IsValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

std::string MatchKey(std::string_view s) { return AsciiLower(NormalizeInput(s)); }

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string NormalizeInput(std::string_view utf8) {
  // Fast path: printable ASCII needs no normalisation, only trimming.
  bool ascii = true;
  for (unsigned char c : utf8) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(TrimAscii(utf8));

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString normalized = U_SUCCESS(status) ? nfkc->normalize(u, status) : u;
  if (U_FAILURE(status)) normalized = u;
  normalized.trim();  // U+3000 became U+0020 under NFKC, so this trims ideographic spaces too.
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::vector<std::string> SplitList(std::string_view s, const std::vector<std::string_view>& separators) {
  std::vector<std::string> parts;
  size_t start = 0;
  size_t i = 0;
  auto flush = [&](size_t end) {
    std::string_view part = TrimAscii(s.substr(start, end - start));
    if (!part.empty()) parts.emplace_back(part);
  };
  while (i < s.size()) {
    size_t matched = 0;
    for (std::string_view sep : separators) {
      if (!sep.empty() && s.substr(i, sep.size()) == sep) {
        matched = sep.size();
        break;
      }
    }
    if (matched) {
      flush(i);
      i += matched;
      start = i;
    } else {
      ++i;
    }
  }
  flush(s.size());
  return parts;
}

Result<Encoding> ParseEncoding(std::string_view name) {
  std::string n = AsciiLower(name);
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "shift_jis" || n == "shift-jis" || n == "sjis" || n == "cp932" || n == "windows-31j") {
    return Encoding::kShiftJis;
  }
  return Status::InvalidInput("encoding '" + std::string(name) + "' — expected utf-8 or shift_jis");
}

Encoding DetectEncoding(std::string_view bytes) {
  if (IsValidUtf8(bytes)) return Encoding::kUtf8;
  // Not valid UTF-8 as a whole. A BOM says UTF-8; so does text that is mostly UTF-8 (more valid
  // multi-byte UTF-8 characters than invalid bytes): then one bad byte is that byte's problem,
  // reported with its line and column, not a reason to read valid Japanese as Shift_JIS, which
  // would blame some earlier, correct line. Shift_JIS text almost never forms valid UTF-8 sequences.
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return Encoding::kUtf8;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(bytes.size(), INT32_MAX));
  long long valid = 0, invalid = 0;
  for (int32_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) ++invalid;
    else ++valid;
  }
  return valid > invalid ? Encoding::kUtf8 : Encoding::kShiftJis;
}

std::string BytePlace(std::string_view bytes, size_t at) {
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < at && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", at < bytes.size() ? static_cast<unsigned char>(bytes[at]) : 0);
  return "byte " + std::to_string(at) + " (" + hex + ", line " + std::to_string(line) + ", column " +
         std::to_string(at - line_start + 1) + ")";
}

namespace {

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// CP932 is what Excel writes as "Shift_JIS"; it is a superset of JIS X 0208 Shift_JIS
// (NEC special characters such as ①, IBM extensions), so it is the right decoder for both.
constexpr const char* kShiftJisConverter = "windows-31j";

}  // namespace

Result<std::string> ToUtf8(std::string_view bytes, Encoding from) {
  if (from == Encoding::kUtf8) {
    const size_t bom = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // offsets below count it
    bytes.remove_prefix(bom);
    if (!IsValidUtf8(bytes)) {
      int32_t i = 0;
      const int32_t n = static_cast<int32_t>(bytes.size());
      while (i < n) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(reinterpret_cast<const uint8_t*>(bytes.data()), i, n, c);
        if (c < 0) {
          const std::string_view whole(bytes.data() - bom, bytes.size() + bom);
          return Status::InvalidInput(BytePlace(whole, static_cast<size_t>(at) + bom) + ": not valid UTF-8");
        }
      }
    }
    return std::string(bytes);
  }
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr conv(ucnv_open(kShiftJisConverter, &status));
  if (U_FAILURE(status)) return Status::Internal("cannot open the Shift_JIS converter");
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  icu::UnicodeString u;
  const char* src = bytes.data();
  const char* limit = bytes.data() + bytes.size();
  // Convert in one go; on failure report the offset ICU stopped at.
  std::u16string buf(bytes.size() + 1, u'\0');
  UChar* target = reinterpret_cast<UChar*>(buf.data());
  UChar* target_limit = target + buf.size();
  ucnv_toUnicode(conv.get(), &target, target_limit, &src, limit, nullptr, true, &status);
  if (U_FAILURE(status)) {
    // ICU stops after the offending sequence (one or two bytes); name the offset of its first byte.
    char bad[8];
    int8_t bad_length = sizeof bad;
    UErrorCode s2 = U_ZERO_ERROR;
    ucnv_getInvalidChars(conv.get(), bad, &bad_length, &s2);
    const long at = (src - bytes.data()) - (U_SUCCESS(s2) && bad_length > 0 ? bad_length : 1);
    return Status::InvalidInput(BytePlace(bytes, static_cast<size_t>(at)) + ": not valid Shift_JIS");
  }
  u.setTo(reinterpret_cast<const UChar*>(buf.data()), static_cast<int32_t>(target - reinterpret_cast<UChar*>(buf.data())));
  std::string out;
  u.toUTF8String(out);
  return out;
}

Result<std::string> FromUtf8(std::string_view utf8, Encoding to) {
  if (to == Encoding::kUtf8) return std::string(utf8);
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr conv(ucnv_open(kShiftJisConverter, &status));
  if (U_FAILURE(status)) return Status::Internal("cannot open the Shift_JIS converter");
  ucnv_setFromUCallBack(conv.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  std::string out(static_cast<size_t>(u.length()) * 2 + 16, '\0');
  int32_t len = ucnv_fromUChars(conv.get(), out.data(), static_cast<int32_t>(out.size()), u.getBuffer(), u.length(), &status);
  if (U_FAILURE(status)) {
    // Find the first character Shift_JIS cannot represent, to name it.
    for (int32_t i = 0; i < u.length();) {
      UChar32 c = u.char32At(i);
      icu::UnicodeString one(c);
      UErrorCode s2 = U_ZERO_ERROR;
      char tmp[16];
      ucnv_reset(conv.get());
      ucnv_fromUChars(conv.get(), tmp, sizeof tmp, one.getBuffer(), one.length(), &s2);
      if (U_FAILURE(s2)) {
        std::string ch;
        one.toUTF8String(ch);
        return Status::InvalidInput("character '" + ch + "' cannot be written in Shift_JIS");
      }
      i += U16_LENGTH(c);
    }
    return Status::InvalidInput("text cannot be written in Shift_JIS");
  }
  out.resize(static_cast<size_t>(len));
  return out;
}

int DisplayWidth(std::string_view s) {
  int width = 0;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
    if (c < 0) {
      ++width;
      continue;
    }
    int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    if (u_getCombiningClass(c) != 0) continue;
    width += (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return width;
}

}  // namespace shindan
