#include "scoring/advice.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "base/json_reader.h"

namespace shindan {

Result<AdviceBook> AdviceBook::Parse(const std::string& json_text, const std::string& file, const Instrument& ins) {
  Result<nlohmann::json> doc = ParseJson(json_text, file);
  if (!doc.ok()) return doc.status();
  JsonCursor root(*doc, file);
  root.CheckKeys({"format", "instrument", "cost_classes", "priorities", "plan", "items"});
  if (root.String("format") != "shindan-advice/1" && root.ok()) root.Child("format").Fail("expected \"shindan-advice/1\"");
  AdviceBook book;
  book.instrument_id_ = root.String("instrument");
  if (root.ok() && book.instrument_id_ != ins.id) {
    root.Child("instrument").Fail("'" + book.instrument_id_ + "' — expected '" + ins.id + "'");
  }
  JsonCursor costs = root.Child("cost_classes");
  for (size_t i = 0; i < costs.Size() && root.ok(); ++i) {
    JsonCursor c = costs.At(i);
    c.CheckKeys({"code", "label", "earliest_month"});
    book.costs_.push_back({c.String("code"), c.Text("label"), c.Int("earliest_month")});
  }
  JsonCursor prios = root.Child("priorities");
  for (size_t i = 0; i < prios.Size() && root.ok(); ++i) {
    JsonCursor c = prios.At(i);
    c.CheckKeys({"code", "rank", "label"});
    book.priorities_.push_back({c.String("code"), c.Int("rank"), c.Text("label")});
  }
  JsonCursor plan = root.Child("plan");
  plan.CheckKeys({"months", "items_per_month", "order"});
  book.months_ = plan.Int("months");
  book.items_per_month_ = plan.Int("items_per_month");
  book.order_ = plan.StringList("order");
  for (size_t i = 0; i < book.order_.size() && root.ok(); ++i) {
    const std::string& k = book.order_[i];
    if (k != "cost" && k != "priority" && k != "number") {
      plan.Child("order").At(i).Fail("'" + k + "' — expected cost, priority or number");
    }
  }
  if (root.ok() && (book.months_ < 1 || book.items_per_month_ < 1)) plan.Fail("months and items_per_month must be at least 1");
  for (const auto& c : book.costs_) {
    if (root.ok() && (c.earliest_month < 1 || c.earliest_month > book.months_)) {
      costs.Fail("cost class '" + c.code + "': earliest_month must be within the plan's months");
    }
  }
  JsonCursor items = root.Child("items");
  for (size_t i = 0; i < items.Size() && root.ok(); ++i) {
    JsonCursor c = items.At(i);
    c.CheckKeys({"item", "guideline", "cost", "priority", "action", "reason"});
    ItemAdvice a;
    a.item = c.String("item");
    a.guideline = c.StringList("guideline");
    a.cost = c.String("cost");
    a.priority = c.String("priority");
    a.action = c.Text("action");
    a.reason = c.String("reason");
    if (!root.ok()) break;
    if (!ins.FindItem(a.item)) c.Child("item").Fail("'" + a.item + "' is not an item of " + ins.id);
    else if (book.ForItem(a.item)) c.Child("item").Fail("duplicate advice for '" + a.item + "'");
    if (root.ok() && std::none_of(book.costs_.begin(), book.costs_.end(), [&](const CostClass& x) { return x.code == a.cost; })) {
      c.Child("cost").Fail("unknown cost class '" + a.cost + "'");
    }
    if (root.ok() && std::none_of(book.priorities_.begin(), book.priorities_.end(), [&](const Priority& x) { return x.code == a.priority; })) {
      c.Child("priority").Fail("unknown priority '" + a.priority + "'");
    }
    book.items_.push_back(std::move(a));
  }
  for (const Item& item : ins.items) {
    if (root.ok() && item.type == ItemType::kChoice && !book.ForItem(item.id)) items.Fail("no advice for item '" + item.id + "'");
  }
  if (!root.ok()) return root.error();
  return book;
}

Result<AdviceBook> AdviceBook::Load(const FileSystem& fs, const std::string& path, const Instrument& instrument) {
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path, instrument);
}

const ItemAdvice* AdviceBook::ForItem(const std::string& item_id) const {
  for (const auto& a : items_) {
    if (a.item == item_id) return &a;
  }
  return nullptr;
}

Advice AdviceBook::Resolve(const ItemResult& r) const {
  Advice a;
  a.result = &r;
  a.advice = ForItem(r.item->id);
  if (a.advice) {
    for (const auto& c : costs_) {
      if (c.code == a.advice->cost) a.cost = &c;
    }
    for (const auto& p : priorities_) {
      if (p.code == a.advice->priority) a.priority = &p;
    }
  }
  return a;
}

namespace {

int CostKey(const Advice& a) { return a.cost ? a.cost->earliest_month : 99; }
int PriorityKey(const Advice& a) { return a.priority ? a.priority->rank : 99; }

}  // namespace

std::vector<Advice> AdviceBook::Unmet(const ScoreResult& score) const {
  std::vector<Advice> out;
  for (size_t i = 0; i < score.items.size(); ++i) {
    const ItemResult& r = score.items[i];
    if (!r.met && r.applicable) out.push_back(Resolve(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const Advice& x, const Advice& y) {
    if (PriorityKey(x) != PriorityKey(y)) return PriorityKey(x) < PriorityKey(y);
    return CostKey(x) < CostKey(y);
  });
  return out;
}

std::vector<PlanMonth> AdviceBook::Plan(const ScoreResult& score) const {
  std::vector<Advice> steps;
  for (const ItemResult& r : score.items) {
    if (!r.met && r.applicable) steps.push_back(Resolve(r));
  }
  // Items keep their sheet order as the last tie-breaker (stable sort; "number" may say so too).
  std::stable_sort(steps.begin(), steps.end(), [&](const Advice& x, const Advice& y) {
    for (const std::string& key : order_) {
      if (key == "cost" && CostKey(x) != CostKey(y)) return CostKey(x) < CostKey(y);
      if (key == "priority" && PriorityKey(x) != PriorityKey(y)) return PriorityKey(x) < PriorityKey(y);
      if (key == "number") break;
    }
    return false;
  });
  std::vector<PlanMonth> months(static_cast<size_t>(months_) + 1);
  for (int m = 0; m <= months_; ++m) months[m].month = m;
  for (const Advice& a : steps) {
    int month = a.cost ? a.cost->earliest_month : 1;
    while (month <= months_ && static_cast<int>(months[month].steps.size()) >= items_per_month_) ++month;
    if (month > months_) month = 0;
    months[month].steps.push_back(a);
  }
  // Months 1…N first, then what did not fit ("after the plan"); drop empty months.
  std::vector<PlanMonth> out;
  for (int m = 1; m <= months_; ++m) {
    if (!months[m].steps.empty()) out.push_back(std::move(months[m]));
  }
  if (!months[0].steps.empty()) out.push_back(std::move(months[0]));
  return out;
}

}  // namespace shindan
