#include "instrument/codec.h"

namespace shindan {

namespace {

constexpr char kSeparator = '\x1f';

char DigitFor(size_t index) {  // 0-based option index → '1'…'9', 'a'…'z'
  return index < 9 ? static_cast<char>('1' + index) : static_cast<char>('a' + (index - 9));
}

int IndexOf(char c) {  // inverse of DigitFor; -1 when not a digit of the code
  if (c >= '1' && c <= '9') return c - '1';
  if (c >= 'a' && c <= 'z') return 9 + (c - 'a');
  return -1;
}

}  // namespace

Result<std::string> EncodeAnswers(const Instrument& ins, const Answers& answers) {
  std::string out;
  out.reserve(ins.items.size());
  for (const Item& item : ins.items) {
    if (item.type != ItemType::kChoice) {
      return Status::Internal(ins.id + ": item " + item.id + " is not a choice item and cannot be encoded compactly");
    }
    auto it = answers.find(item.id);
    if (it == answers.end()) {
      out.push_back('0');
      continue;
    }
    std::vector<const AnswerOption*> options = ins.OptionsFor(item);
    size_t i = 0;
    while (i < options.size() && options[i]->code != it->second) ++i;
    if (i == options.size() || i >= 35) {
      return Status::InvalidInput(item.id + ": '" + it->second + "' is not an answer code of this item");
    }
    out.push_back(DigitFor(i));
  }
  return out;
}

Result<Answers> DecodeAnswers(const Instrument& ins, std::string_view encoded) {
  if (encoded.size() != ins.items.size()) {
    return Status::InvalidInput("stored answers have " + std::to_string(encoded.size()) + " items — expected " +
                                std::to_string(ins.items.size()) + " for " + ins.id + " " + ins.version);
  }
  Answers out;
  for (size_t k = 0; k < encoded.size(); ++k) {
    if (encoded[k] == '0') continue;
    const Item& item = ins.items[k];
    std::vector<const AnswerOption*> options = ins.OptionsFor(item);
    int i = IndexOf(encoded[k]);
    if (i < 0 || static_cast<size_t>(i) >= options.size()) {
      return Status::InvalidInput("stored answer '" + std::string(1, encoded[k]) + "' for " + item.id + " is not an option of " +
                                  ins.id + " " + ins.version);
    }
    out[item.id] = options[static_cast<size_t>(i)]->code;
  }
  return out;
}

Result<std::string> EncodeValues(const Instrument& ins, const Answers& values) {
  std::string out;
  for (size_t k = 0; k < ins.items.size(); ++k) {
    if (k) out.push_back(kSeparator);
    auto it = values.find(ins.items[k].id);
    if (it == values.end()) continue;
    if (it->second.find(kSeparator) != std::string::npos) {
      return Status::InvalidInput(ins.items[k].id + ": the value contains the control character U+001F");
    }
    out += it->second;
  }
  return out;
}

Result<Answers> DecodeValues(const Instrument& ins, std::string_view encoded) {
  Answers out;
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= encoded.size(); ++i) {
    if (i < encoded.size() && encoded[i] != kSeparator) continue;
    if (k >= ins.items.size()) {
      return Status::InvalidInput("stored values have more fields than " + ins.id + " " + ins.version + " has items");
    }
    if (i > start) out[ins.items[k].id] = std::string(encoded.substr(start, i - start));
    ++k;
    start = i + 1;
  }
  if (k != ins.items.size() && !(encoded.empty() && k == 1)) {
    return Status::InvalidInput("stored values have " + std::to_string(k) + " fields — expected " +
                                std::to_string(ins.items.size()) + " for " + ins.id + " " + ins.version);
  }
  return out;
}

}  // namespace shindan
