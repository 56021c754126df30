// Turning what people write into canonical answer codes.
//
// People answer with codes (`yes`), the sheet's Japanese labels (実施している), English labels or
// aliases, in full-width or half-width characters. AnswerParser accepts all of these and returns
// one canonical form per item type; everything else is refused with what was expected.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"
#include "instrument/instrument.h"

namespace shindan {

// Vocabularies that live outside instruments (the 47 prefectures are reference data).
class ValueResolver {
 public:
  virtual ~ValueResolver() = default;
  // Returns the canonical prefecture code for a name (kanji, short form, romaji), or an error.
  virtual Result<std::string> ResolvePrefecture(std::string_view normalized) const = 0;
};

// "yes" / "no" for yes/no, はい/いいえ, true/false, 1/0 (ASCII case-insensitive); nullopt otherwise.
std::optional<bool> ParseBoolean(std::string_view normalized);

// Parses answers to the items of one instrument. Built once, then used for any number of values.
// REQUIRES: `instrument` (and `resolver`, if given) outlive the parser.
class AnswerParser {
 public:
  AnswerParser(const Instrument& instrument, const ValueResolver* resolver);

  // The canonical form of `raw` for `item`:
  //   choice → the option code; multi / labels → codes or labels joined by ';';
  //   integer → decimal digits; boolean → "yes" / "no"; text → the trimmed text;
  //   prefecture → the prefecture code.
  // An error message says what was wrong and what was expected, without naming the item (the
  // caller knows the place: a file, a row, a column). REQUIRES: raw is not blank.
  Result<std::string> Parse(const Item& item, std::string_view raw) const;

  // "実施している (yes), 一部実施している (partial) or わからない (unknown)".
  std::string DescribeOptions(const Item& item) const;

  const Instrument& instrument() const { return instrument_; }

 private:
  const Instrument& instrument_;
  const ValueResolver* resolver_;
  // Per answer set: every accepted spelling (normalised, ASCII lower-cased) → code.
  std::unordered_map<std::string, std::unordered_map<std::string, std::string>> spellings_;
  std::unordered_map<std::string, std::string> na_spellings_;
};

}  // namespace shindan
