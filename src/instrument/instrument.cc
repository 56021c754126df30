#include "instrument/instrument.h"

#include <algorithm>

namespace shindan {

const char* ItemTypeName(ItemType type) {
  switch (type) {
    case ItemType::kChoice: return "choice";
    case ItemType::kMulti: return "multi";
    case ItemType::kInteger: return "integer";
    case ItemType::kBoolean: return "boolean";
    case ItemType::kText: return "text";
    case ItemType::kLabels: return "labels";
    case ItemType::kPrefecture: return "prefecture";
  }
  return "?";
}

namespace {
template <typename T>
const T* FindById(const std::vector<T>& list, const std::string& id) {
  auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return x.id == id; });
  return it == list.end() ? nullptr : &*it;
}
}  // namespace

const Item* Instrument::FindItem(const std::string& id) const { return FindById(items, id); }
const Section* Instrument::FindSection(const std::string& id) const { return FindById(sections, id); }
const Condition* Instrument::FindCondition(const std::string& id) const { return FindById(conditions, id); }
const Note* Instrument::FindNote(const std::string& id) const { return FindById(notes, id); }
const Instruction* Instrument::FindInstruction(const std::string& id) const { return FindById(instructions, id); }

std::vector<const AnswerOption*> Instrument::OptionsFor(const Item& item) const {
  std::vector<const AnswerOption*> out;
  auto it = answer_sets.find(item.answer_set);
  if (it != answer_sets.end()) {
    for (const AnswerOption& o : it->second) out.push_back(&o);
  }
  if (!item.applies_if.empty() && not_applicable) out.push_back(&*not_applicable);
  return out;
}

const AnswerOption* Instrument::FindOption(const Item& item, const std::string& code) const {
  for (const AnswerOption* o : OptionsFor(item)) {
    if (o->code == code) return o;
  }
  return nullptr;
}

int Instrument::BestPoints(const Item& item) const {
  int best = 0;
  bool any = false;
  for (const AnswerOption* o : OptionsFor(item)) {
    if (o->points && (!any || *o->points > best)) {
      best = *o->points;
      any = true;
    }
  }
  return best;
}

}  // namespace shindan
