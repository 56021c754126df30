// Scoring a response to an instrument: the 2009 total, the adjusted total where items do not
// apply, per-section points (points scoring), or per-section counts (count scoring).
// Pure functions over values; docs/scoring.md explains each rule with its source in the seed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "instrument/instrument.h"

namespace shindan {

struct ItemResult {
  const Item* item = nullptr;
  std::string answer;  // canonical code; empty when missing
  int points = 0;
  bool applicable = true;  // false when answered not applicable
  bool met = false;        // answered with the best option
};

struct SectionResult {
  const Section* section = nullptr;
  int points = 0;           // points scoring: points earned; count scoring: items counted
  int max = 0;              // points scoring: best possible over all items; count: number of items
  int applicable_max = 0;   // best possible over applicable items only
};

struct ScoreResult {
  const Instrument* instrument = nullptr;
  // Points scoring. The 2009 total counts a not-applicable answer as the sheet's paper form
  // would have (those companies ticked 実施していない): its `points` in the instrument (0).
  int total = 0;
  int max = 0;
  int pass_mark = 0;
  bool passed = false;
  // max × points / (best points of the applicable items), one decimal; only when some item was
  // answered not applicable (seed §5.3, 「IT未導入項目の取扱い」).
  std::optional<double> adjusted_total;
  std::optional<bool> adjusted_passed;
  int applicable_items = 0;
  int counted = 0;  // count scoring: items answered with the counted code
  std::vector<ItemResult> items;  // in instrument order
  std::vector<SectionResult> sections;
  std::vector<std::string> missing;  // items without an answer (scored 0)
};

// REQUIRES: `answers` were validated against `instrument` (unknown codes count as missing).
ScoreResult Score(const Instrument& instrument, const Answers& answers);

}  // namespace shindan
