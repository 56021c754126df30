// The instrument model: a questionnaire as data (docs/instruments.md).
//
// Code knows the kinds of question and of scoring, never a particular item: the 2009 self-check
// sheet, the organisational checklist, the interview sheet, the company profile and the reader
// questionnaire are all Instruments loaded from instruments/*.json.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/text.h"

namespace shindan {

struct AnswerOption {
  std::string code;                  // canonical code stored and exported, e.g. "yes"
  LocalText label;                   // the sheet's wording, e.g. 実施している
  std::vector<std::string> aliases;  // further accepted spellings
  std::optional<int> points;         // only with points scoring
};

enum class ItemType { kChoice, kMulti, kInteger, kBoolean, kText, kLabels, kPrefecture };

const char* ItemTypeName(ItemType type);

struct Section {
  std::string id;
  std::string number;
  LocalText label;
};

struct Item {
  std::string id;
  std::string number;
  std::string section;  // Section::id
  ItemType type = ItemType::kChoice;
  std::string answer_set;  // name in Instrument::answer_sets, for choice and multi
  LocalText text;
  std::optional<LocalText> example;    // the 〇〇 part: an example measure
  std::optional<LocalText> objective;  // the △△ part: what the measure is for
  std::string instruction;             // Instruction id, may be empty
  std::vector<std::string> notes;      // Note ids
  std::string applies_if;              // Condition id; empty when the item always applies
  bool required = true;
  std::optional<LocalText> help;
  std::optional<long long> min, max;   // integer bounds
  std::optional<LocalText> unit;
  std::vector<std::string> tags;       // suggested tags for text items
  std::map<std::string, LocalText> tag_labels;
  std::vector<std::string> suggestions;  // for labels items
};

struct Condition {
  std::string id;
  LocalText question;
};

struct Note {
  std::string id;
  LocalText text;
};

struct Instruction {
  std::string id;
  LocalText text;
};

struct Scoring {
  enum class Method { kNone, kPoints, kCount };
  Method method = Method::kNone;
  int max = 0;            // kPoints: the best possible total
  int pass_mark = 0;      // kPoints: 合格 at or above
  std::string count_code;  // kCount: the answer counted
};

// Validated answers to one instrument: item id → canonical value (see AnswerParser).
using Answers = std::map<std::string, std::string>;

struct Instrument {
  std::string id;
  std::string version;
  LocalText title;
  std::string source;
  std::vector<Instruction> instructions;
  std::map<std::string, std::vector<AnswerOption>> answer_sets;
  std::optional<AnswerOption> not_applicable;
  std::vector<Condition> conditions;
  std::vector<Note> notes;
  std::vector<Section> sections;
  std::vector<Item> items;
  Scoring scoring;

  // Lookups return nullptr when absent.
  const Item* FindItem(const std::string& id) const;
  const Section* FindSection(const std::string& id) const;
  const Condition* FindCondition(const std::string& id) const;
  const Note* FindNote(const std::string& id) const;
  const Instruction* FindInstruction(const std::string& id) const;

  // The options an item accepts, including `na` when the item has a condition.
  std::vector<const AnswerOption*> OptionsFor(const Item& item) const;
  const AnswerOption* FindOption(const Item& item, const std::string& code) const;
  // The best points an item can give (kPoints only).
  int BestPoints(const Item& item) const;
};

}  // namespace shindan
