#include "scoring/score.h"

#include <cmath>

namespace shindan {

ScoreResult Score(const Instrument& ins, const Answers& answers) {
  ScoreResult r;
  r.instrument = &ins;
  r.max = ins.scoring.max;
  r.pass_mark = ins.scoring.pass_mark;
  const bool points = ins.scoring.method == Scoring::Method::kPoints;
  const bool count = ins.scoring.method == Scoring::Method::kCount;

  std::map<std::string, size_t> section_index;
  for (const Section& s : ins.sections) {
    section_index[s.id] = r.sections.size();
    r.sections.push_back({&s, 0, 0, 0});
  }

  int applicable_best = 0;
  bool any_not_applicable = false;
  for (const Item& item : ins.items) {
    if (item.type != ItemType::kChoice) continue;
    ItemResult ir;
    ir.item = &item;
    const int best = ins.BestPoints(item);
    auto it = answers.find(item.id);
    const AnswerOption* option = it == answers.end() ? nullptr : ins.FindOption(item, it->second);
    if (!option) {
      r.missing.push_back(item.id);
    } else {
      ir.answer = option->code;
      ir.points = option->points.value_or(0);
      ir.applicable = !(ins.not_applicable && option->code == ins.not_applicable->code);
      ir.met = points ? (ir.applicable && ir.points == best) : (count && option->code == ins.scoring.count_code);
    }
    if (!ir.applicable) any_not_applicable = true;
    SectionResult* sec = nullptr;
    if (auto s = section_index.find(item.section); s != section_index.end()) sec = &r.sections[s->second];
    if (points) {
      r.total += ir.points;
      if (ir.applicable) {
        applicable_best += best;
        ++r.applicable_items;
      }
      if (sec) {
        sec->points += ir.points;
        sec->max += best;
        if (ir.applicable) sec->applicable_max += best;
      }
    } else if (count) {
      if (ir.met) ++r.counted;
      if (sec) {
        sec->points += ir.met ? 1 : 0;
        sec->max += 1;
        sec->applicable_max += 1;
      }
      if (ir.applicable) ++r.applicable_items;
    }
    r.items.push_back(ir);
  }
  if (points) {
    r.passed = r.total >= r.pass_mark;
    if (any_not_applicable) {
      double adjusted = applicable_best > 0 ? static_cast<double>(r.max) * r.total / applicable_best : 0.0;
      adjusted = std::round(adjusted * 10.0) / 10.0;
      r.adjusted_total = adjusted;
      r.adjusted_passed = adjusted >= r.pass_mark;
    }
  }
  return r;
}

}  // namespace shindan
