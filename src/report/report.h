// The survey report (seed §4, 付録A) computed from aggregate states: the profile tables 4–10, the
// self-check results (per-item means overall and by size type, industry and region — the 採点表 —
// the worst items, the distribution of totals, pass rate, non-implementation rates), the org
// checklist, certifications and awareness. Keys of the JSON form are listed in docs/report.md.
#pragma once

#include <string>

#include "analytics/aggregate.h"
#include "analytics/snapshot.h"

namespace shindan {

class Catalog;

struct ReportOptions {
  // Figures drawn from fewer than `min_cell` respondents are suppressed (null in JSON, "–" in
  // tables), for publication. 0 suppresses nothing.
  int min_cell = 0;
  Lang lang = Lang::kJa;
  std::string survey;  // the survey's name, for titles
};

// REQUIRES: `state` was aggregated from `snapshot`.
std::string ReportJson(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                       const ReportOptions& options);
std::string ReportMarkdown(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                           const ReportOptions& options);

}  // namespace shindan
