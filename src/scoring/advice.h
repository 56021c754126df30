// What to do first: advice for each unmet item, a six-month plan that starts with what costs
// nothing (seed §4.7(6), §5.1, §5.3), from data/advice/<instrument>.json (docs/advice.md).
#pragma once

#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "base/text.h"
#include "scoring/score.h"

namespace shindan {

struct CostClass {
  std::string code;  // none, low, investment
  LocalText label;
  int earliest_month = 1;
};

struct Priority {
  std::string code;  // high, medium, low
  int rank = 0;      // 1 = most urgent
  LocalText label;
};

struct ItemAdvice {
  std::string item;                    // item id
  std::vector<std::string> guideline;  // matching org-checklist item ids
  std::string cost;                    // CostClass::code
  std::string priority;                // Priority::code
  LocalText action;
  std::string reason;                  // why this cost and priority (for reviewers)
};

// One unmet item with its advice resolved. Points into the ScoreResult it was made from and into
// the AdviceBook: both must outlive it.
struct Advice {
  const ItemResult* result = nullptr;
  const ItemAdvice* advice = nullptr;
  const CostClass* cost = nullptr;
  const Priority* priority = nullptr;
};

struct PlanMonth {
  int month = 0;  // 1…months; 0 = after the plan's last month
  std::vector<Advice> steps;
};

class AdviceBook {
 public:
  // `instrument` is used to check that every item id exists and has advice.
  static Result<AdviceBook> Parse(const std::string& json_text, const std::string& file, const Instrument& instrument);
  static Result<AdviceBook> Load(const FileSystem& fs, const std::string& path, const Instrument& instrument);

  const std::string& instrument_id() const { return instrument_id_; }
  const ItemAdvice* ForItem(const std::string& item_id) const;
  int months() const { return months_; }

  // Unmet items of `score` (answered other than the best option; not-applicable items are not
  // unmet), most urgent first: priority rank, then cost, then the item's order on the sheet.
  std::vector<Advice> Unmet(const ScoreResult& score) const;

  // The unmet items placed month by month: sorted by the keys in the data's plan order, each in
  // the earliest month not before its cost class's earliest month that still has room.
  std::vector<PlanMonth> Plan(const ScoreResult& score) const;

 private:
  Advice Resolve(const ItemResult& r) const;

  std::string instrument_id_;
  std::vector<CostClass> costs_;
  std::vector<Priority> priorities_;
  std::vector<ItemAdvice> items_;
  int months_ = 6;
  int items_per_month_ = 3;
  std::vector<std::string> order_;  // keys: cost, priority, number
};

}  // namespace shindan
