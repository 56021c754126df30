// Sample designs and the allocation of a sample over strata (docs/statistics.md, "Allocation").
//
// A SampleDesign is a list of cells (strata of the company list): each cell says which companies
// belong to it (a value set per column, e.g. size_type ∈ {A}, region ∈ {regional1, regional2,
// other}, industry ∈ {mfg}), how many to survey (target) and how many reserves to draw. Designs are
// data (data/designs/*.json, "shindan-design/1"): the seed's 表2 is data/designs/ipa-2009.json.
//
// Allocate() computes targets over strata of known population size: equal, proportional
// (n_h ∝ N_h) or Neyman (n_h ∝ N_h S_h, Cochran §5.5), with a minimum per stratum and never more
// than N_h, rounded by the largest-remainder method so that the targets add up to n exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/text.h"
#include "stats/frame.h"

namespace shindan {

struct DesignCell {
  std::string label;
  // Column → the values that put a company in this cell. Columns not named are not checked.
  std::vector<std::pair<std::string, std::vector<std::string>>> match;
  int64_t target = 0;
  int64_t reserve = 0;
  std::optional<int64_t> population;  // N_h, when the design came from a frame
};

struct SampleDesign {
  std::string id;
  LocalText title;
  std::string source;
  double reserve_ratio = 0;  // reserve = ⌈target · ratio⌉ unless a cell gives its own
  std::vector<DesignCell> cells;

  int64_t TotalTarget() const;
};

// Reads a design file. Errors name the file and the JSON path. Cells need a label, a non-empty
// match and a target ≥ 0; labels are unique.
Result<SampleDesign> ParseSampleDesign(const std::string& text, const std::string& file);

// The design as a "shindan-design/1" JSON document (what ParseSampleDesign reads).
std::string SampleDesignJson(const SampleDesign& design);

enum class AllocationMethod { kEqual, kProportional, kNeyman };

// Parses "equal", "proportional", "neyman".
Result<AllocationMethod> ParseAllocationMethod(std::string_view name);

// Allocates `n` over strata of sizes `population` (N_h > 0): shares ∝ 1, N_h or N_h·sd_h. Every
// stratum gets at least min(minimum, N_h) and at most N_h: strata that would fall outside are
// fixed at the bound and the rest re-allocated among the others, until none does (Cochran §5.5,
// the over-allocation remark). The real-valued shares are rounded by largest remainder (Hamilton):
// each gets its floor, the units left go to the largest fractional parts (ties: the larger
// stratum, then the earlier). REQUIRES for Neyman: sd.size() == population.size().
// Fails when n cannot be met (n > Σ N_h, or n < Σ min(minimum, N_h)) or all Neyman weights are 0.
Result<std::vector<int64_t>> Allocate(AllocationMethod method, std::span<const int64_t> population,
                                      std::span<const double> sd, int64_t n, int64_t minimum);

// Largest-remainder rounding of non-negative quotas whose sum is the integer `total`.
std::vector<int64_t> LargestRemainder(std::span<const double> quotas, std::span<const int64_t> tie_break,
                                      int64_t total);

// Standard deviations per cell of a frame, laid out as the frame without totals:
// `industry,A,B,C` and one row per industry of the frame. Returned in the frame's cell order
// (row by row, column by column).
Result<std::vector<double>> ParseFrameSds(std::string_view text, const std::string& source, const Frame& frame,
                                          const IndustryLookup& lookup);

// A design over the cells of a frame (industry × size type, row by row): match on the columns
// `industry` and `size_type`, targets as given, population N_h, reserves ⌈target · ratio⌉.
SampleDesign DesignFromFrame(const Frame& frame, std::span<const int64_t> targets, double reserve_ratio,
                             std::string id);

}  // namespace shindan
