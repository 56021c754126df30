// Building a Snapshot from where responses live: a wide CSV file (validated like an import).
// The database source comes with the store (ScanLatest).
#pragma once

#include <memory>
#include <string>

#include "analytics/snapshot.h"
#include "base/status.h"

namespace shindan {

class Catalog;

// Reads and validates every row (all problems listed, as `shindan import` does) and returns the
// snapshot of the self-check and org-checklist answers.
Result<std::unique_ptr<Snapshot>> SnapshotFromCsv(const Catalog& catalog, const std::string& utf8, const std::string& file);

}  // namespace shindan
