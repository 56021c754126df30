// The report's figures as mergeable states (after DuckDB's aggregate states): counts that add up.
//
// One pass over a Snapshot's rows updates an AggregateState; states of disjoint row ranges combine
// by addition, so the same code computes a whole report, an incremental update as answers arrive
// (aggregate the new rows, Combine), a parallel report (one state per thread), or a report across
// shards. Everything the report prints — shares, means, pass rates, worst items — is derived from
// these counts afterwards, per cell of size type × industry × region (150 cells including
// "unknown"), so any table by one dimension is a sum over cells.
#pragma once

#include <cstdint>
#include <vector>

#include "analytics/snapshot.h"

namespace shindan {

struct AggregateState {
  int items = 0, codes = 0;            // primary instrument: items, alphabet size (incl. 0)
  int min_total = 0, bins = 0;         // totals histogram: total = min_total + bin
  int secondary_items = 0, secondary_codes = 0;
  int pass_mark = 0;

  std::vector<uint64_t> answers;        // [cell][item][code]
  std::vector<uint64_t> totals;         // [cell][bin]
  std::vector<uint64_t> sites;          // [cell][dim::Sites]
  std::vector<uint64_t> it_staff;       // [cell][dim::Count]
  std::vector<uint64_t> servers;        // [cell][dim::Count]
  std::vector<uint64_t> it_uses;        // [cell][bit 0..3]
  std::vector<uint64_t> flags;          // [cell][bit 0..3]
  std::vector<uint64_t> certified_totals;  // [bin], certified companies only
  std::vector<uint64_t> secondary;      // [item][code], companies that answered the secondary instrument
  std::vector<uint64_t> quota;          // [dim::QuotaKey]: companies by the attributes designs match on
  uint64_t secondary_respondents = 0;
  uint64_t rows = 0;

  // A zero state shaped for `snapshot` (Initialize).
  static AggregateState For(const Snapshot& snapshot);
  // Adds rows [begin, end) of `snapshot` (Update). REQUIRES: the state was made For(snapshot).
  void Update(const Snapshot& snapshot, size_t begin, size_t end);
  // Adds another state of the same shape (Combine).
  void Combine(const AggregateState& other);

  // Convenience accessors.
  uint64_t& Answer(int cell, int item, int code) { return answers[(static_cast<size_t>(cell) * items + item) * codes + code]; }
  uint64_t Answer(int cell, int item, int code) const { return answers[(static_cast<size_t>(cell) * items + item) * codes + code]; }
  uint64_t Total(int cell, int bin) const { return totals[static_cast<size_t>(cell) * bins + bin]; }
};

// The whole snapshot, split over `threads` threads (1 = the calling thread only).
AggregateState Aggregate(const Snapshot& snapshot, int threads);

// The same figures computed row by row with no cleverness: the reference the fast path is checked
// against (RE2's comparative testing).
AggregateState AggregateNaive(const Snapshot& snapshot);

}  // namespace shindan
