// The report's figures as one JSON tree (keys in docs/report.md): what `--format json` prints and
// what the human formats are built from (document_builder.cc), so that they cannot disagree.
// Internal to report/; other modules use report.h.
#pragma once

#include <nlohmann/json.hpp>

#include "analytics/aggregate.h"
#include "analytics/snapshot.h"
#include "report/report.h"

namespace shindan {

class Catalog;

// Every figure is at full precision (a program merging two surveys or recomputing a difference
// needs the exact value); only the human formats round, when they show a figure.
// REQUIRES: `state` was aggregated from `snapshot`.
nlohmann::ordered_json ReportFigures(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                                     const ReportOptions& options);

// `v` rounded half away from zero to `digits` decimals.
double Round(double v, int digits);

}  // namespace shindan
