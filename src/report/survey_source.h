// Building a Snapshot from where responses live: a wide CSV or JSON-lines file (validated exactly
// as `shindan import` validates it, by the same streaming importer) or a survey in the database.
//
// Both sources yield CompanyRecords — the profile and answers in their compact stored form
// (instrument/codec.h) — and both are decoded straight into the snapshot's byte columns through
// lookup tables, without building a map per company: a million companies load in well under a
// second once read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "analytics/snapshot.h"
#include "base/status.h"
#include "exchange/import.h"
#include "store/store.h"

namespace shindan {

class Catalog;

inline constexpr char kReportPrimaryInstrument[] = "self-check-2009";
inline constexpr char kReportSecondaryInstrument[] = "org-checklist-2009";

// Reads and validates every row. A file with problems makes no snapshot: the error lists the
// first 100 problems (FILE:ROW:COLUMN: value — expected …) and counts the rest.
Result<std::unique_ptr<Snapshot>> SnapshotFromFile(const Catalog& catalog, const std::string& path,
                                                   const ImportOptions& options = {});
// The same from bytes already in memory; `file` names them in problems.
Result<std::unique_ptr<Snapshot>> SnapshotFromText(const Catalog& catalog, std::string_view bytes, const std::string& file);

// Opens one more connection to the database being read.
using StoreOpener = std::function<Result<std::unique_ptr<Store>>()>;

// Every company of a stored survey, with its latest profile and answers, read by `threads`
// connections at once (Store::ScanCurrent's parts). A record stored with an instrument version the
// catalog lacks is refused, naming the company, the instrument and version.
Result<std::unique_ptr<Snapshot>> SnapshotFromStore(const Catalog& catalog, const StoreOpener& open, int64_t survey_id,
                                                    int threads = 2);

}  // namespace shindan
