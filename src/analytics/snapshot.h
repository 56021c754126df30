// A columnar snapshot of a survey's current responses, built for aggregation.
//
// Design note. The report reads every answer of every company, so the layout decides its speed.
// Each company is a row; each column is one byte per row: the three classification dimensions and
// their combined cell, the profile bands, flags, the self-check total (as a histogram bin, worked
// out once when the row is added), and one column per item holding the answer's index in the
// instrument's answer alphabet (0 = no answer). Columns are stored item-major (all rows of sc01,
// then sc02, …) so that the aggregation streams through contiguous bytes and can split rows
// between threads. A million companies × 47 items is 47 MB, read at memory speed.
//
// Rows are kept as runs of one cell (size type × industry × region). Cluster() reorders the rows
// so that each cell is one run (at most 150 runs): the aggregation then counts each column of a
// run with vector compares instead of one scattered increment per answer. Rows added afterwards
// (answers arriving) start new runs at the end and are counted the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "instrument/instrument.h"
#include "profile/classification.h"
#include "profile/company.h"

namespace shindan {

// The report's dimensions (seed tables 4–6). As in the seed, a type-S company is counted in the
// S / net category of each dimension, not in its own industry or region.
namespace dim {
enum Size : uint8_t { kA, kB, kC, kS, kSizeUnknown, kSizeCount };          // A B C S, other
enum Industry : uint8_t { kMfg, kDist, kSvc, kNet, kIndustryUnknown, kIndustryCount };
enum Region : uint8_t { kCapital, kRegional1, kRegional2, kOther, kRegionNet, kRegionUnknown, kRegionCount };
constexpr int kCells = int{kSizeCount} * int{kIndustryCount} * int{kRegionCount};  // 150
inline int Cell(int size, int industry, int region) {
  return (size * int{kIndustryCount} + industry) * int{kRegionCount} + region;
}
// The quota key of a company: its size by employees (A, B, C, unknown — an IT-core company under
// its own size, as 表2 counts it), its industry (net for IT-core) and its region (the real one,
// also for IT-core), the attributes a sample design's cells match on.
constexpr int kQuotaSizes = 4;    // kA, kB, kC, then unknown
constexpr int kQuotaRegions = 5;  // kCapital … kOther, then unknown
constexpr int kQuotaKeys = kQuotaSizes * int{kIndustryCount} * kQuotaRegions;  // 100
inline int QuotaKey(int size, int industry, int region) {
  return (size * int{kIndustryCount} + industry) * kQuotaRegions + region;
}
// Bands of the profile tables 7, 8 and 10.
enum Sites : uint8_t { kSites1, kSites2to3, kSites4plus, kSitesUnknown, kSitesCount };
enum Count : uint8_t { kCount0, kCount1, kCount2to3, kCount4plus, kCountUnknown, kCountCount };  // it_staff, servers
// Bits of the it_uses column (table 9) and the flags column.
enum Use : uint8_t { kUseCore = 1, kUseInfo = 2, kUseFront = 4, kUseOther = 8 };
enum Flag : uint8_t { kCertified = 1, kQualified = 2, kKnowsIpa = 4, kKnowsBenchmark = 8, kAnsweredSecondary = 16 };
}  // namespace dim

// The answers an instrument's items can take, numbered from 1 in first-seen order, with each
// item's points per answer (points scoring) — the alphabet of the answer columns.
struct AnswerAlphabet {
  std::vector<std::string> codes;          // codes[0] is "" (no answer)
  std::vector<std::vector<int>> points;    // points[item][code]; 0 where not applicable
  std::vector<std::vector<bool>> allowed;  // allowed[item][code]
  int Index(const std::string& code) const;  // 0 when unknown
  static AnswerAlphabet For(const Instrument& ins);
};

// One company's attribute columns (everything but the answers).
struct SnapshotRow {
  uint8_t size = dim::kSizeUnknown, industry = dim::kIndustryUnknown, region = dim::kRegionUnknown;
  uint8_t sites = dim::kSitesUnknown, it_staff = dim::kCountUnknown, servers = dim::kCountUnknown;
  uint8_t it_uses = 0, flags = 0;  // dim::Use and dim::Flag bits
  uint8_t quota = 0;                // dim::QuotaKey
};
// The dimensions of a classification (a type-S company in S / net / net) and its quota key.
void SetDimensions(const Classification& c, SnapshotRow* row);
// The profile bands and flags of tables 7–10 and awareness.
void SetProfileBands(const CompanyProfile& p, SnapshotRow* row);
// A profile value as stored ("12", "-1") as a whole number; nullopt for "" or anything else.
std::optional<long long> StoredWhole(std::string_view value);
// The bands of one profile value as stored (an integer's text; "" for unknown).
uint8_t SitesBand(std::string_view value);
uint8_t CountBand(std::string_view value);
// The dim::Use bit of one it_uses code; 0 for an unknown code.
uint8_t UseBit(std::string_view use);

class Snapshot {
 public:
  // `primary` is the instrument scored by points (the self-check); `secondary` one counted by
  // answers (the org checklist), or nullptr.
  Snapshot(const Instrument& primary, const Instrument* secondary);

  // Adds one company. `answers` / `secondary_answers` hold canonical codes; missing = no answer.
  void Add(const Classification& c, const CompanyProfile& p, const Answers& answers, const Answers* secondary_answers);
  // Adds one company whose answers are already alphabet indices: `items` one per primary item,
  // `secondary` one per secondary item or nullptr (no answers). The fast path of stored surveys.
  void AddCoded(const SnapshotRow& row, const uint8_t* items, const uint8_t* secondary);
  // Makes room for `rows` companies in every column, when the count is known before adding: a
  // column grown by doubling holds up to twice what it needs (at 10 million rows, 1.03 GB peak
  // instead of about 0.65 GB).
  void Reserve(size_t rows);

  size_t rows() const { return size_.size(); }
  // The self-check total of a row is min_total() + its bin_.
  int min_total() const { return min_total_; }
  int bins() const { return bins_; }

  // Appends the rows of `other`, a snapshot of the same instruments (one part of a parallel read).
  void Append(const Snapshot& other);
  // Reorders the rows so that each cell is one run (a stable counting sort of every column).
  void Cluster();

  // Rows [begin, end) all in one cell.
  struct Run {
    uint32_t begin, end;
    uint8_t cell;
  };
  const std::vector<Run>& runs() const { return runs_; }
  const Instrument& primary() const { return *primary_; }
  const Instrument* secondary() const { return secondary_; }
  const AnswerAlphabet& alphabet() const { return alphabet_; }
  const AnswerAlphabet& secondary_alphabet() const { return secondary_alphabet_; }

  // Columns, one byte per row.
  std::vector<uint8_t> size_, industry_, region_, sites_, it_staff_, servers_, it_uses_, flags_;
  std::vector<uint8_t> cell_;   // dim::Cell(size, industry, region)
  std::vector<uint8_t> quota_;  // dim::QuotaKey
  std::vector<uint16_t> bin_;  // self-check total − min_total()
  std::vector<std::vector<uint8_t>> items_;            // [item][row] alphabet index
  std::vector<std::vector<uint8_t>> secondary_items_;  // [item][row]

 private:
  const Instrument* primary_;
  const Instrument* secondary_;
  AnswerAlphabet alphabet_;
  AnswerAlphabet secondary_alphabet_;
  int min_total_ = 0, bins_ = 1;
  std::vector<Run> runs_;
};

}  // namespace shindan
