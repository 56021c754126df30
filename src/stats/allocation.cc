// Allocation of a sample over strata (Cochran 1977 §5.3–5.5; Lohr 2010 §3.4).
//
//   equal         n_h = n / H
//   proportional  n_h = n · N_h / N                   (Cochran §5.3: self-weighting)
//   Neyman        n_h = n · N_h S_h / Σ_k N_k S_k       (Cochran §5.5, Theorem 5.8: minimises
//                                                      V(ȳ_st) for fixed n when costs are equal)
//
// with bounds min(m, N_h) ≤ n_h ≤ N_h: a stratum whose share falls outside is fixed at the bound
// and the others share what is left, repeated until every share is inside (Cochran §5.5 on
// over-allocation: "take all" strata). Upper bounds are settled before lower ones in each round,
// because fixing a stratum at N_h leaves more for the others (so fewer of them need the minimum),
// while fixing one at the minimum leaves less (so none of the others newly exceeds its N_h).
#include "stats/allocation.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "base/csv.h"
#include "base/json_reader.h"
#include "base/problems.h"
#include "stats/estimate.h"

namespace shindan {

int64_t SampleDesign::TotalTarget() const {
  int64_t t = 0;
  for (const DesignCell& c : cells) t += c.target;
  return t;
}

namespace {

int64_t ReserveFor(int64_t target, double ratio) {
  return static_cast<int64_t>(std::ceil(static_cast<double>(target) * ratio - 1e-9));
}

}  // namespace

// Every problem of a design file is listed in one run (as the frame reader and the importer do),
// so that a hand-written design is fixed in one go: the cursor adds each error to `problems`, no
// check is skipped because an earlier one failed, and a value whose read already failed (wrong
// type, missing) is not checked again.
Result<SampleDesign> ParseSampleDesign(const std::string& text, const std::string& file) {
  Result<nlohmann::json> doc = ParseJson(text, file);
  if (!doc.ok()) return doc.status();
  ProblemList problems;
  JsonCursor root(*doc, file, &problems);
  // True when nothing was reported since `before` (problems.count() then).
  auto clean_since = [&problems](long long before) { return problems.count() == before; };
  if (!root.IsObject()) {
    root.Fail("expected an object {\"format\": \"shindan-design/1\", \"id\": …, \"title\": …, \"cells\": […]}");
    return problems.ToStatus();
  }
  root.CheckKeys({"format", "id", "title", "source", "population", "reserve_ratio", "cells"});
  SampleDesign d;
  long long before = problems.count();
  const std::string format = root.String("format");
  if (clean_since(before) && format != "shindan-design/1") root.Child("format").Fail("expected \"shindan-design/1\"");
  d.id = root.String("id");
  d.title = root.Text("title");
  d.source = root.OptString("source").value_or("");
  if (root.Has("reserve_ratio")) {
    const nlohmann::json& r = root.node()["reserve_ratio"];
    if (!r.is_number() || r.get<double>() < 0) {
      root.Child("reserve_ratio").Fail("expected a number ≥ 0 (reserves per place)");
    } else {
      d.reserve_ratio = r.get<double>();
    }
  }
  if (root.Has("population") && !root.Child("population").IsObject()) {
    root.Child("population").Fail("expected an object");
  }
  JsonCursor cells = root.Child("cells");
  if (!cells.IsArray() || cells.Size() == 0) {
    cells.Fail("expected a non-empty list of cells");
    return problems.ToStatus();
  }
  for (size_t i = 0; i < cells.Size(); ++i) {
    JsonCursor c = cells.At(i);
    if (!c.IsObject()) {
      c.Fail("expected a cell {\"label\": …, \"match\": {…}, \"target\": …}");
      continue;
    }
    c.CheckKeys({"label", "match", "target", "reserve", "population"});
    DesignCell cell;
    cell.label = c.String("label");
    JsonCursor match = c.Child("match");
    if (!match.IsObject() || match.Size() == 0) {
      match.Fail("expected an object: column → list of values, e.g. {\"size_type\": [\"A\"]}");
    }
    for (const std::string& column : match.Keys()) {
      before = problems.count();
      std::vector<std::string> values = match.StringList(column);
      if (clean_since(before) && values.empty()) match.Child(column).Fail("expected at least one value");
      cell.match.emplace_back(column, std::move(values));
    }
    before = problems.count();
    std::optional<long long> target = c.OptInt64("target");
    if (clean_since(before) && (!target || *target < 0)) c.Child("target").Fail("expected a whole number ≥ 0");
    cell.target = target.value_or(0);
    std::optional<long long> reserve = c.OptInt64("reserve");
    if (reserve && *reserve < 0) c.Child("reserve").Fail("expected a whole number ≥ 0");
    cell.reserve = reserve ? *reserve : ReserveFor(cell.target, d.reserve_ratio);
    if (std::optional<long long> pop = c.OptInt64("population")) cell.population = *pop;
    for (const DesignCell& seen : d.cells) {
      if (cell.label.empty() || seen.label != cell.label) continue;
      c.Child("label").Fail(Echo(cell.label) + " appears twice");
      break;  // once per cell, however many came before it
    }
    d.cells.push_back(std::move(cell));
  }
  if (!problems.empty()) return problems.ToStatus();
  return d;
}

std::string SampleDesignJson(const SampleDesign& design) {
  nlohmann::ordered_json doc;
  doc["format"] = "shindan-design/1";
  doc["id"] = design.id;
  doc["title"] = {{"ja", design.title.ja}, {"en", design.title.en}};
  if (!design.source.empty()) doc["source"] = design.source;
  doc["reserve_ratio"] = design.reserve_ratio;
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  for (const DesignCell& c : design.cells) {
    nlohmann::ordered_json cell;
    cell["label"] = c.label;
    nlohmann::ordered_json match = nlohmann::ordered_json::object();
    for (const auto& [column, values] : c.match) match[column] = values;
    cell["match"] = std::move(match);
    cell["target"] = c.target;
    cell["reserve"] = c.reserve;
    if (c.population) cell["population"] = *c.population;
    cells.push_back(std::move(cell));
  }
  doc["cells"] = std::move(cells);
  return doc.dump(1) + "\n";
}

Result<AllocationMethod> ParseAllocationMethod(std::string_view name) {
  if (name == "equal") return AllocationMethod::kEqual;
  if (name == "proportional") return AllocationMethod::kProportional;
  if (name == "neyman") return AllocationMethod::kNeyman;
  return Status::InvalidInput("'" + std::string(name) +
                              "' is not an allocation — expected equal, proportional or neyman");
}

std::vector<int64_t> LargestRemainder(std::span<const double> quotas, std::span<const int64_t> tie_break,
                                      int64_t total) {
  const size_t k = quotas.size();
  std::vector<int64_t> out(k);
  std::vector<double> remainder(k);
  int64_t assigned = 0;
  for (size_t i = 0; i < k; ++i) {
    // A quota within rounding error of a whole number is that number (6.9999999 → 7).
    const double q = std::max(0.0, quotas[i]);
    double f = std::floor(q + 1e-9);
    out[i] = static_cast<int64_t>(f);
    remainder[i] = std::max(0.0, q - f);
    assigned += out[i];
  }
  std::vector<size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (remainder[a] != remainder[b]) return remainder[a] > remainder[b];
    const int64_t ta = a < tie_break.size() ? tie_break[a] : 0, tb = b < tie_break.size() ? tie_break[b] : 0;
    return ta > tb;
  });
  for (size_t j = 0; assigned < total && k > 0; j = (j + 1) % k) {
    ++out[order[j]];
    ++assigned;
  }
  return out;
}

Result<std::vector<int64_t>> Allocate(AllocationMethod method, std::span<const int64_t> population,
                                      std::span<const double> sd, int64_t n, int64_t minimum) {
  const size_t H = population.size();
  if (H == 0) return Status::InvalidInput("no strata to allocate over");
  if (method == AllocationMethod::kNeyman && sd.size() != H) {
    return Status::InvalidInput("Neyman allocation needs a standard deviation for each of the " + std::to_string(H) +
                                " strata");
  }
  int64_t capacity = 0, floor_total = 0;
  std::vector<int64_t> low(H);
  for (size_t h = 0; h < H; ++h) {
    if (population[h] <= 0) return Status::InvalidInput("stratum " + std::to_string(h + 1) + " has no population");
    capacity += population[h];
    low[h] = std::min(std::max<int64_t>(minimum, 0), population[h]);
    floor_total += low[h];
  }
  if (n > capacity) {
    return Status::InvalidInput("n = " + std::to_string(n) + " is more than the " + std::to_string(capacity) +
                                " units in the population");
  }
  if (n < floor_total) {
    return Status::InvalidInput("n = " + std::to_string(n) + " is less than the minimum of " + std::to_string(minimum) +
                                " per stratum needs (" + std::to_string(floor_total) + ")");
  }
  std::vector<double> weight(H);
  for (size_t h = 0; h < H; ++h) {
    switch (method) {
      case AllocationMethod::kEqual:
        weight[h] = 1;
        break;
      case AllocationMethod::kProportional:
        weight[h] = static_cast<double>(population[h]);
        break;
      case AllocationMethod::kNeyman:
        if (!(sd[h] >= 0) || !std::isfinite(sd[h])) {
          return Status::InvalidInput("stratum " + std::to_string(h + 1) + ": the standard deviation must be ≥ 0");
        }
        weight[h] = static_cast<double>(population[h]) * sd[h];
        break;
    }
  }
  std::vector<std::optional<int64_t>> fixed(H);
  std::vector<double> share(H, 0);
  for (size_t round = 0; round <= H; ++round) {
    int64_t left = n;
    double free_weight = 0;
    for (size_t h = 0; h < H; ++h) {
      if (fixed[h]) {
        left -= *fixed[h];
      } else {
        free_weight += weight[h];
      }
    }
    bool any_free = false;
    for (size_t h = 0; h < H; ++h) {
      if (fixed[h]) continue;
      any_free = true;
      share[h] = free_weight > 0 ? static_cast<double>(left) * weight[h] / free_weight : 0;
    }
    if (!any_free) break;
    if (free_weight <= 0 && left > 0) {
      return Status::InvalidInput("every stratum left has a Neyman weight N_h·S_h of 0: nothing to allocate by");
    }
    bool changed = false;
    for (size_t h = 0; h < H; ++h) {
      if (!fixed[h] && share[h] > static_cast<double>(population[h])) {
        fixed[h] = population[h];
        changed = true;
      }
    }
    if (changed) continue;
    for (size_t h = 0; h < H; ++h) {
      if (!fixed[h] && share[h] < static_cast<double>(low[h])) {
        fixed[h] = low[h];
        changed = true;
      }
    }
    if (!changed) break;
  }
  std::vector<double> quotas(H);
  double sum = 0;
  for (size_t h = 0; h < H; ++h) {
    quotas[h] = fixed[h] ? static_cast<double>(*fixed[h]) : share[h];
    sum += quotas[h];
  }
  if (std::fabs(sum - static_cast<double>(n)) > 1e-6 * std::max<double>(1, static_cast<double>(n))) {
    return Status::Internal("allocation did not settle: the shares add up to " + std::to_string(sum) + ", not " +
                            std::to_string(n));
  }
  return LargestRemainder(quotas, population, n);
}

Result<std::vector<double>> ParseFrameSds(std::string_view text, const std::string& source, const Frame& frame,
                                          const IndustryLookup& lookup) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  std::vector<std::string> columns;
  std::vector<std::optional<std::vector<double>>> rows(frame.rows.size());
  bool header = false;
  while (reader.Next(&fields)) {
    const std::string where = source + ":" + std::to_string(reader.line());
    if (!fields.empty() && NormalizeInput(fields[0]).rfind('#', 0) == 0) continue;
    if (!header) {
      if (fields.empty() || AsciiLower(NormalizeInput(fields[0])) != "industry") {
        return Status::InvalidInput(where + ": the header must be industry and the frame's size types");
      }
      for (size_t c = 1; c < fields.size(); ++c) columns.push_back(NormalizeInput(fields[c]));
      if (columns != frame.columns) {
        std::string want;
        for (const std::string& c : frame.columns) want += "," + c;
        return Status::InvalidInput(where + ": the header must be industry" + want + " as in " + frame.source);
      }
      header = true;
      continue;
    }
    if (fields.size() != columns.size() + 1) {
      return Status::InvalidInput(where + ": " + std::to_string(fields.size()) + " fields, expected " +
                                  std::to_string(columns.size() + 1));
    }
    std::optional<std::string> code = lookup ? lookup(fields[0]) : std::optional<std::string>();
    size_t r = 0;
    while (code && r < frame.rows.size() && frame.rows[r].industry != *code) ++r;
    if (!code || r == frame.rows.size()) {
      return Status::InvalidInput(where + ":industry: " + Echo(fields[0]) + " is not an industry of " + frame.source);
    }
    if (rows[r]) return Status::InvalidInput(where + ":industry: '" + fields[0] + "' appears twice");
    std::vector<double> values;
    for (size_t c = 0; c < columns.size(); ++c) {
      std::optional<double> v = ParseNumber(fields[c + 1]);
      if (!v || *v < 0) {
        return Status::InvalidInput(where + ":" + columns[c] + ": " + Echo(fields[c + 1]) +
                                    " — expected a standard deviation (a number ≥ 0)");
      }
      values.push_back(*v);
    }
    rows[r] = std::move(values);
  }
  if (!reader.status().ok()) return reader.status().WithContext(source);
  std::vector<double> out;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r]) {
      return Status::InvalidInput(source + ": no row for " + frame.rows[r].industry + " (" + frame.rows[r].label + ")");
    }
    out.insert(out.end(), rows[r]->begin(), rows[r]->end());
  }
  return out;
}

SampleDesign DesignFromFrame(const Frame& frame, std::span<const int64_t> targets, double reserve_ratio,
                             std::string id) {
  SampleDesign d;
  d.id = std::move(id);
  d.title = {"母集団枠 " + frame.source + " からの割当", "allocation over the frame " + frame.source};
  d.source = frame.source;
  d.reserve_ratio = reserve_ratio;
  size_t k = 0;
  for (const FrameRow& r : frame.rows) {
    for (size_t c = 0; c < frame.columns.size(); ++c, ++k) {
      DesignCell cell;
      cell.label = frame.columns[c] + "・" + r.label;
      cell.match = {{"size_type", {frame.columns[c]}}, {"industry", {r.industry}}};
      cell.target = k < targets.size() ? targets[k] : 0;
      cell.reserve = ReserveFor(cell.target, reserve_ratio);
      cell.population = r.counts[c];
      d.cells.push_back(std::move(cell));
    }
  }
  return d;
}

}  // namespace shindan
