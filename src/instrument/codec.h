// The stored form of answers and profiles: the one owner of how a response is kept.
//
// A response to an instrument is stored as one character per item, in the instrument's item order:
// '0' for no answer, '1'…'9' (then 'a'…'z') for the n-th option of OptionsFor(item). A million
// self-check responses are then 25 MB that the report reads straight into a columnar snapshot.
// Decoding needs the same instrument version the answers were encoded with, which is stored beside
// them. Non-choice items (text, integers, …) are encoded in the profile form below instead.
//
// A profile is stored as its canonical values in profile item order, joined by U+001F (unit
// separator); a value containing U+001F is refused when encoding.
//
// AnswerCodec is the encoding compiled for one instrument (the catalog builds one per instrument,
// Catalog::CodecFor): the importer writes StoredOption(n), the exporters decode, and the snapshot
// reads OptionOf() through its own lookup tables. Nothing else spells the characters.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "instrument/instrument.h"

namespace shindan {

inline constexpr char kNoAnswer = '0';           // the stored character of an unanswered item
inline constexpr size_t kMaxStoredOptions = 35;  // '1'…'9', 'a'…'z'
inline constexpr char kValueSeparator = '\x1f';  // between the stored values of a profile

// The stored character of the 0-based option `n` of an item. REQUIRES: n < kMaxStoredOptions.
constexpr char StoredOption(size_t n) {
  return n < 9 ? static_cast<char>('1' + n) : static_cast<char>('a' + (n - 9));
}

class AnswerCodec {
 public:
  // REQUIRES: `ins` outlives the codec.
  explicit AnswerCodec(const Instrument& ins);

  const Instrument& instrument() const { return *ins_; }
  // The options of item k in stored order (Instrument::OptionsFor).
  const std::vector<const AnswerOption*>& options(size_t k) const { return options_[k]; }

  static constexpr int kUnanswered = -1;  // OptionOf: the item has no answer
  static constexpr int kInvalid = -2;     // OptionOf: not a stored character of this item
  // The 0-based option that stored character `c` means for item k, kUnanswered or kInvalid.
  int OptionOf(size_t k, char c) const { return table_[k][static_cast<uint8_t>(c)]; }

  // Choice answers (canonical codes by item id) ↔ one character per item.
  // Encode REQUIRES: every item is a choice item (else Internal).
  Result<std::string> Encode(const Answers& answers) const;
  Result<Answers> Decode(std::string_view encoded) const;

  // Any instrument (profile, hearing): canonical values joined by U+001F in item order.
  Result<std::string> EncodeValues(const Answers& values) const;
  Result<Answers> DecodeValues(std::string_view encoded) const;

 private:
  const Instrument* ins_;
  std::vector<std::vector<const AnswerOption*>> options_;
  std::vector<std::array<int8_t, 256>> table_;
};

// One-off forms of the above (they compile a codec per call; callers in loops use
// Catalog::CodecFor).
Result<std::string> EncodeAnswers(const Instrument& ins, const Answers& answers);
Result<Answers> DecodeAnswers(const Instrument& ins, std::string_view encoded);
Result<std::string> EncodeValues(const Instrument& ins, const Answers& values);
Result<Answers> DecodeValues(const Instrument& ins, std::string_view encoded);

}  // namespace shindan
