#include "instrument/codec.h"

namespace shindan {

AnswerCodec::AnswerCodec(const Instrument& ins) : ins_(&ins) {
  options_.reserve(ins.items.size());
  table_.resize(ins.items.size());
  for (size_t k = 0; k < ins.items.size(); ++k) {
    options_.push_back(ins.OptionsFor(ins.items[k]));
    table_[k].fill(static_cast<int8_t>(kInvalid));
    table_[k][static_cast<uint8_t>(kNoAnswer)] = static_cast<int8_t>(kUnanswered);
    for (size_t n = 0; n < options_[k].size() && n < kMaxStoredOptions; ++n) {
      table_[k][static_cast<uint8_t>(StoredOption(n))] = static_cast<int8_t>(n);
    }
  }
}

Result<std::string> AnswerCodec::Encode(const Answers& answers) const {
  const Instrument& ins = *ins_;
  std::string out;
  out.reserve(ins.items.size());
  for (size_t k = 0; k < ins.items.size(); ++k) {
    const Item& item = ins.items[k];
    if (item.type != ItemType::kChoice) {
      return Status::Internal(ins.id + ": item " + item.id + " is not a choice item and cannot be encoded compactly");
    }
    auto it = answers.find(item.id);
    if (it == answers.end()) {
      out.push_back(kNoAnswer);
      continue;
    }
    const std::vector<const AnswerOption*>& options = options_[k];
    size_t i = 0;
    while (i < options.size() && options[i]->code != it->second) ++i;
    if (i == options.size() || i >= kMaxStoredOptions) {
      return Status::InvalidInput(item.id + ": '" + it->second + "' is not an answer code of this item");
    }
    out.push_back(StoredOption(i));
  }
  return out;
}

Result<Answers> AnswerCodec::Decode(std::string_view encoded) const {
  const Instrument& ins = *ins_;
  if (encoded.size() != ins.items.size()) {
    return Status::InvalidInput("stored answers have " + std::to_string(encoded.size()) + " items — expected " +
                                std::to_string(ins.items.size()) + " for " + ins.id + " " + ins.version);
  }
  Answers out;
  for (size_t k = 0; k < encoded.size(); ++k) {
    const int i = OptionOf(k, encoded[k]);
    if (i == kUnanswered) continue;
    if (i == kInvalid) {
      return Status::InvalidInput("stored answer '" + std::string(1, encoded[k]) + "' for " + ins.items[k].id +
                                  " is not an option of " + ins.id + " " + ins.version);
    }
    out[ins.items[k].id] = options_[k][static_cast<size_t>(i)]->code;
  }
  return out;
}

Result<std::string> AnswerCodec::EncodeValues(const Answers& values) const {
  const Instrument& ins = *ins_;
  std::string out;
  for (size_t k = 0; k < ins.items.size(); ++k) {
    if (k) out.push_back(kValueSeparator);
    auto it = values.find(ins.items[k].id);
    if (it == values.end()) continue;
    if (it->second.find(kValueSeparator) != std::string::npos) {
      return Status::InvalidInput(ins.items[k].id + ": the value contains the control character U+001F");
    }
    out += it->second;
  }
  return out;
}

Result<Answers> AnswerCodec::DecodeValues(std::string_view encoded) const {
  const Instrument& ins = *ins_;
  Answers out;
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= encoded.size(); ++i) {
    if (i < encoded.size() && encoded[i] != kValueSeparator) continue;
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

Result<std::string> EncodeAnswers(const Instrument& ins, const Answers& answers) { return AnswerCodec(ins).Encode(answers); }
Result<Answers> DecodeAnswers(const Instrument& ins, std::string_view encoded) { return AnswerCodec(ins).Decode(encoded); }
Result<std::string> EncodeValues(const Instrument& ins, const Answers& values) { return AnswerCodec(ins).EncodeValues(values); }
Result<Answers> DecodeValues(const Instrument& ins, std::string_view encoded) { return AnswerCodec(ins).DecodeValues(encoded); }

}  // namespace shindan
