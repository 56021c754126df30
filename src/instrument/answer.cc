#include "instrument/answer.h"

#include "base/problems.h"

#include <algorithm>
#include <set>

namespace shindan {

namespace {


void AddSpellings(const AnswerOption& o, std::unordered_map<std::string, std::string>* out) {
  (*out)[MatchKey(o.code)] = o.code;
  (*out)[MatchKey(o.label.ja)] = o.code;
  (*out)[MatchKey(o.label.en)] = o.code;
  for (const std::string& alias : o.aliases) (*out)[MatchKey(alias)] = o.code;
}

const std::vector<std::string_view> kListSeparators = {";", "、", ",", "/"};

}  // namespace

std::optional<bool> ParseBoolean(std::string_view normalized) {
  std::string s = AsciiLower(normalized);
  if (s == "yes" || s == "y" || s == "true" || s == "1" || s == "はい" || s == "有" || s == "あり") return true;
  if (s == "no" || s == "n" || s == "false" || s == "0" || s == "いいえ" || s == "無" || s == "なし") return false;
  return std::nullopt;
}

AnswerParser::AnswerParser(const Instrument& instrument, const ValueResolver* resolver)
    : instrument_(instrument), resolver_(resolver) {
  for (const auto& [name, options] : instrument.answer_sets) {
    auto& map = spellings_[name];
    for (const AnswerOption& o : options) AddSpellings(o, &map);
  }
  if (instrument.not_applicable) AddSpellings(*instrument.not_applicable, &na_spellings_);
}

std::string AnswerParser::DescribeOptions(const Item& item) const {
  std::vector<const AnswerOption*> options = instrument_.OptionsFor(item);
  std::string out;
  for (size_t i = 0; i < options.size(); ++i) {
    if (i) out += (i + 1 == options.size()) ? " or " : ", ";
    out += options[i]->label.ja + " (" + options[i]->code + ")";
  }
  return out;
}

Result<std::string> AnswerParser::Parse(const Item& item, std::string_view raw) const {
  if (!IsValidUtf8(raw)) return Status::InvalidInput("the value is not valid UTF-8 text");
  const std::string quoted = Echo(raw);  // cut at 80 characters: a 10 MB cell is not echoed whole
  switch (item.type) {
    case ItemType::kChoice: {
      std::string key = MatchKey(raw);
      const auto& map = spellings_.at(item.answer_set);
      if (auto it = map.find(key); it != map.end()) return it->second;
      if (auto it = na_spellings_.find(key); it != na_spellings_.end()) {
        if (!item.applies_if.empty()) return it->second;
        return Status::InvalidInput(quoted + " (" + it->second + ") is only for items with a condition — expected " +
                                    DescribeOptions(item));
      }
      // Recognise an answer of another set (一部実施している on items 21–25) to say so precisely.
      for (const auto& [name, other] : spellings_) {
        if (name != item.answer_set && other.count(key)) {
          return Status::InvalidInput(quoted + " is not an answer this item takes — expected " + DescribeOptions(item));
        }
      }
      return Status::InvalidInput(quoted + " — expected " + DescribeOptions(item));
    }
    case ItemType::kMulti: {
      const auto& map = spellings_.at(item.answer_set);
      std::set<std::string> chosen;
      for (const std::string& part : SplitList(NormalizeInput(raw), kListSeparators)) {
        auto it = map.find(AsciiLower(part));
        if (it == map.end()) {
          return Status::InvalidInput(Echo(part) + " — expected one or more of " + DescribeOptions(item) +
                                      ", separated by ;");
        }
        chosen.insert(it->second);
      }
      if (chosen.empty()) return Status::InvalidInput(quoted + " — expected one or more of " + DescribeOptions(item));
      std::string out;  // in the instrument's order, so that equal answers compare equal
      for (const AnswerOption* o : instrument_.OptionsFor(item)) {
        if (chosen.count(o->code)) out += (out.empty() ? "" : ";") + o->code;
      }
      return out;
    }
    case ItemType::kInteger: {
      std::string s = NormalizeInput(raw);
      std::string digits;
      for (char c : s) {
        if (c == ',' || c == '_') continue;  // 1,000 and 1_000
        digits.push_back(c);
      }
      auto expected = [&] {
        std::string e = "expected a whole number";
        if (item.min && item.max) e += " from " + std::to_string(*item.min) + " to " + std::to_string(*item.max);
        else if (item.min) e += " of at least " + std::to_string(*item.min);
        else if (item.max) e += " of at most " + std::to_string(*item.max);
        return e;
      };
      bool all_digits = !digits.empty() && digits.size() <= 18 &&
                        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!all_digits) return Status::InvalidInput(quoted + " — " + expected());
      long long v = std::stoll(digits);
      if ((item.min && v < *item.min) || (item.max && v > *item.max)) {
        return Status::InvalidInput(quoted + " is out of range — " + expected());
      }
      return std::to_string(v);
    }
    case ItemType::kBoolean: {
      auto b = ParseBoolean(NormalizeInput(raw));
      if (!b) return Status::InvalidInput(quoted + " — expected yes or no (はい / いいえ, true / false, 1 / 0)");
      return std::string(*b ? "yes" : "no");
    }
    case ItemType::kText:
      return std::string(TrimAscii(raw));
    case ItemType::kLabels: {
      std::string out;
      for (const std::string& part : SplitList(NormalizeInput(raw), {";", "、", ","})) out += (out.empty() ? "" : ";") + part;
      return out;
    }
    case ItemType::kPrefecture: {
      if (!resolver_) return Status::Internal("no prefecture list is loaded");
      return resolver_->ResolvePrefecture(NormalizeInput(raw));
    }
  }
  return Status::Internal("unknown item type");
}

}  // namespace shindan
