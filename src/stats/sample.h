// A reproducible stratified random draw from a company list (docs/statistics.md, "Drawing").
//
// Every company gets a pseudo-random key computed from the seed and its id alone:
//   key = SplitMix64(SplitMix64(seed) XOR FNV-1a-64(id))
// and in each cell of the design the companies with the smallest keys are drawn: the first
// `target` are the sample (main), the next `reserve` the reserves, in key order. Sorting by
// independent uniform keys and taking the first k is simple random sampling without replacement
// within the cell (the random-sort method; Tillé 2006, ch. 4), and the reserves are a random
// order of further companies, to be contacted in rank order when a company declines.
//
// Because the key depends only on (seed, id), the draw is the same whatever the order of the
// rows in the file, and the same on every machine (no std:: distributions, whose output the
// standard leaves to the library). One pass over the rows with a bounded heap per cell:
// O(N log k) time, O(k) memory beyond the table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "stats/allocation.h"
#include "stats/estimate.h"

namespace shindan {

// SplitMix64's output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
uint64_t SplitMix64(uint64_t x);

// The key of a company in a draw with `seed`.
uint64_t RandomKey(uint64_t seed, std::string_view id);

struct SampleOptions {
  std::string id_column = "company_id";
  uint64_t seed = 0;
};

struct DrawnCompany {
  size_t row = 0;   // row of the company list
  size_t cell = 0;  // cell of the design
  bool reserve = false;
  int64_t rank = 0;  // 1-based within (cell, main) or (cell, reserve)
};

struct CellTally {
  int64_t available = 0;  // companies in the list that belong to the cell
  int64_t main = 0, reserve = 0;
};

struct SampleDraw {
  std::vector<DrawnCompany> drawn;  // by cell, main before reserve, by rank
  std::vector<CellTally> cells;     // one per design cell
  int64_t outside = 0;              // companies in no cell
};

// Draws the sample. Refuses, naming the row: a missing or repeated id; a company that two cells
// claim (the cells of a design must not overlap); a column the design matches on that the list
// lacks. A cell with fewer companies than target + reserve is not an error: it takes them all
// and the tally shows the shortfall.
Result<SampleDraw> DrawSample(const DataTable& companies, const SampleDesign& design, const SampleOptions& options);

// The drawn companies as CSV: cell, role (main / reserve), rank, then the list's own columns.
std::string SampleCsv(const DataTable& companies, const SampleDesign& design, const SampleDraw& draw);

}  // namespace shindan
