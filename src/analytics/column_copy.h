// The columnar copy of a survey's current responses, kept in the store beside the rows, and the
// aggregate states per cell kept with it: what the report, the web's result page (peer
// percentile) and the live report read instead of the rows.
//
// Design note. The report spends almost all its time reading N rows out of the database and
// decoding them (docs/BENCHMARKS.md); the aggregation itself is fast. So the store keeps, per
// survey, what the decoding produces: each company's snapshot row (DecodedRecord: the attribute
// bytes and one byte per answer, the alphabet index) as a fixed-width row of kRowWidth bytes, rows
// in blocks of kBlockRows, one blob per block ("block:000000", …). The report reads a few hundred
// contiguous blobs and appends them to a Snapshot; no text is parsed.
//
// Beside the blocks, per cell of size type × industry × region (the Snapshot's 150 cells), a
// mergeable state: companies, the histogram of self-check totals, the answers per item ("cell:NNN").
// States of cells add up, so a peer percentile (a size type × industry, all regions) is a sum of a
// few states, and a write changes only the states of the cells its company leaves and enters.
// Which slot (row) each company has is a hash-partitioned index ("keys:NNNN": key → slot), so that
// one write reads one small part; an import reads them all once.
//
// The rows stay the source of truth. Every write of a survey's rows increases its revision
// (Store::SurveyRevision) in the same transaction; the copy records the revision it reflects
// ("meta"), so it is current exactly when the two agree and its layout (the instrument versions)
// is the catalog's. Writes made through CopyWriter (import, SaveAnswer) update the copy inside the
// write's own transaction (ImportSession::Commit's hook), so a failed or killed write changes
// neither; any other write leaves the copy behind, and readers then fall back to the rows until
// RebuildCopy (`shindan db rebuild`) or the next write through CopyWriter rebuilds it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analytics/snapshot.h"
#include "analytics/survey_source.h"
#include "base/status.h"
#include "store/company_record.h"

namespace shindan {

class Catalog;
class ImportSession;
class Store;

inline constexpr size_t kCopyBlockRows = 1024;

// Keeps the copy of one survey current across the records of one write. Use:
//   CopyWriter copy(catalog, store, survey_id);  session = store.BeginImport(survey_id);
//   copy.Start();  for each record: session->Add(r), copy.Add(r);
//   session->Commit([&] { return copy.Finish(); });
// REQUIRES: `catalog` and `store` outlive it; Start and Finish run inside the write's transaction.
class CopyWriter {
 public:
  CopyWriter(const Catalog& catalog, Store& store, int64_t survey_id);
  ~CopyWriter();
  // Reads the copy's state (its meta, the key index and the cell states when it is current).
  Status Start();
  // Applies one record (in write order). Never fails the write: a record the copy cannot hold
  // (an instrument version the catalog lacks) makes Finish rebuild from the rows instead.
  void Add(const CompanyRecord& record);
  // Writes the changed parts and the meta with the survey's new revision; rebuilds the whole copy
  // from the rows (in this transaction) when it was not current at Start.
  Status Finish();

 private:
  friend Status RebuildInTransaction(const Catalog& catalog, Store& store, int64_t survey_id);
  struct State;
  std::unique_ptr<State> state_;
};

// Adds `records` (in order) to `session` and commits it, keeping the survey's copy current in the
// same transaction: the write of a few records all in hand (a web submission, the demo survey,
// SaveAnswer). The import, which streams and may reject, drives a CopyWriter itself.
// REQUIRES: `session` is a session of `store`.
Status CommitWithCopy(const Catalog& catalog, Store& store, ImportSession& session,
                      std::span<const CompanyRecord> records);

// Rebuilds the survey's copy from its rows (Store::ScanCurrent) and writes it whole, in a write
// transaction of its own (`shindan db rebuild`). A record the catalog cannot decode leaves no copy
// (readers use the rows, and report the record).
Status RebuildCopy(const Catalog& catalog, Store& store, int64_t survey_id);
// The same inside a write transaction already open (CopyWriter::Finish, when the copy was behind).
Status RebuildInTransaction(const Catalog& catalog, Store& store, int64_t survey_id);

// Whether the survey's copy is current (see the design note).
Result<bool> CopyIsCurrent(const Catalog& catalog, Store& store, int64_t survey_id);

// The snapshot from the copy, clustered as SnapshotFromStore's; nullopt when the copy is not
// current (the caller reads the rows instead).
Result<std::optional<std::unique_ptr<Snapshot>>> SnapshotFromCopy(const Catalog& catalog, Store& store, int64_t survey_id);

// The report's snapshot: from the copy when it is current, otherwise from the rows
// (SnapshotFromStore with `open`).
Result<std::unique_ptr<Snapshot>> SnapshotForReport(const Catalog& catalog, Store& store, const StoreOpener& open,
                                                    int64_t survey_id);

// The self-check totals of a peer group: companies of one size type ("A", "B", "C", "S", or "" for
// all) and industry ("mfg", "dist", "svc", "net", or "" for all), from the cell states — counts,
// never rows. `counts[i]` companies have the total `min_total + i`. When the copy is not current
// the same figures are computed from the rows (slow: say so in a page that must be fast).
struct PeerHistogram {
  int min_total = 0;
  std::vector<uint64_t> counts;
  uint64_t companies = 0;
  bool from_copy = false;
  // Per self-check item (instrument order), the peers per answer code ("yes" → 12, …): what the
  // peers' means per category are made of (the same cell states, no rows).
  std::vector<std::map<std::string, uint64_t>> item_answers;
  // The share of the peers with a total below `total`, plus half of those equal (a mid-rank
  // percentile, 0–100); 0 when there are no peers.
  double Percentile(int total) const;
};
Result<PeerHistogram> PeerTotals(const Catalog& catalog, Store& store, int64_t survey_id, const std::string& size_type,
                                 const std::string& industry);

// The same counts for every size type × industry at once (all regions merged), from one read of
// the cell states: what a page that needs several groups, or the strata of a frame, reads
// (web/peers.h). Counts, never rows (the rows only when the copy is behind, as PeerTotals).
class PeerCells {
 public:
  bool from_copy() const { return from_copy_; }
  // The companies of size type `size_type` and industry `industry` (codes as PeerTotals takes
  // them, "" for all): the sum of the matching cells' states.
  PeerHistogram Group(const std::string& size_type, const std::string& industry) const;
  // The totals of the companies of one cell, by its dims (dim::Size, dim::Industry of
  // analytics/snapshot.h); item_answers left empty.
  PeerHistogram Cell(uint8_t size, uint8_t industry) const;

 private:
  friend Result<PeerCells> ReadPeerCells(const Catalog& catalog, Store& store, int64_t survey_id);
  void Add(int size, int industry, const std::vector<int64_t>& counters);  // a cell state's counters
  bool from_copy_ = false;
  int min_total_ = 0;
  size_t bins_ = 0, items_ = 0;
  std::vector<std::string> codes_;  // the answer alphabet (codes_[0] "", no answer)
  // Per size × industry cell (size * dim::kIndustryCount + industry): companies, then the totals'
  // bins, then the answers per item and code — a cell state without its region.
  std::vector<std::vector<uint64_t>> cells_;
};
Result<PeerCells> ReadPeerCells(const Catalog& catalog, Store& store, int64_t survey_id);

// Saves answers of one company: its current response to `instrument_id` with each item of `codes`
// (item id → canonical code, "" clears it) set, as one new submission (source of history),
// creating the company when the survey does not have it yet, and keeps the copy and the cell states
// current, all in one transaction. When that changes no answer, writes nothing. InvalidInput naming
// the instrument, item or code when they are not the catalog's, writing nothing. The web's write of
// answers changed after a response is recorded (a colleague's, the respondent's own).
Status SaveAnswers(const Catalog& catalog, Store& store, int64_t survey_id, const std::string& company_key,
                   const std::string& instrument_id, const std::map<std::string, std::string>& codes);

// Saves profile values of one company: its current profile with each field of `values` (item id →
// value as a respondent gives it, put in canonical form; "" clears it) set, as one new submission of
// the profile alone (its responses stay current; its classification, and so its cells, follow), in
// one transaction with the copy and the cell states. When that changes nothing, writes nothing.
// InvalidInput naming the field when it is not the profile's or its value is not one it takes,
// writing nothing. The web's write of a profile changed after a response is recorded.
Status SaveProfile(const Catalog& catalog, Store& store, int64_t survey_id, const std::string& company_key,
                   const std::map<std::string, std::string>& values);

}  // namespace shindan
