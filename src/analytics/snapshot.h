// A columnar snapshot of a survey's current responses, built for aggregation.
//
// Design note. The report reads every answer of every company, so the layout decides its speed.
// Each company is a row; each column is one byte per row: the three classification dimensions,
// the profile bands, flags, and one column per item holding the answer's index in the instrument's
// answer alphabet (0 = no answer). Columns are stored item-major (all rows of sc01, then sc02, …)
// so that the aggregation streams through contiguous bytes and can split rows between threads.
// A million companies × 47 items is 47 MB, read at memory speed.
#pragma once

#include <cstdint>
#include <string>
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
// Bands of the profile tables 7, 8 and 10.
enum Sites : uint8_t { kSites1, kSites2to3, kSites4plus, kSitesUnknown, kSitesCount };
enum Count : uint8_t { kCount0, kCount1, kCount2to3, kCount4plus, kCountUnknown, kCountCount };  // it_staff, servers
// Bits of the it_uses column (table 9) and the flags column.
enum Use : uint8_t { kUseCore = 1, kUseInfo = 2, kUseFront = 4, kUseOther = 8 };
enum Flag : uint8_t { kCertified = 1, kQualified = 2, kKnowsIpa = 4, kKnowsBenchmark = 8 };
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

class Snapshot {
 public:
  // `primary` is the instrument scored by points (the self-check); `secondary` one counted by
  // answers (the org checklist), or nullptr.
  Snapshot(const Instrument& primary, const Instrument* secondary);

  // Adds one company. `answers` / `secondary_answers` hold canonical codes; missing = no answer.
  void Add(const Classification& c, const CompanyProfile& p, const Answers& answers, const Answers* secondary_answers);

  size_t rows() const { return size_.size(); }
  const Instrument& primary() const { return *primary_; }
  const Instrument* secondary() const { return secondary_; }
  const AnswerAlphabet& alphabet() const { return alphabet_; }
  const AnswerAlphabet& secondary_alphabet() const { return secondary_alphabet_; }

  // Columns, one byte per row.
  std::vector<uint8_t> size_, industry_, region_, sites_, it_staff_, servers_, it_uses_, flags_;
  std::vector<std::vector<uint8_t>> items_;            // [item][row] alphabet index
  std::vector<std::vector<uint8_t>> secondary_items_;  // [item][row]

 private:
  const Instrument* primary_;
  const Instrument* secondary_;
  AnswerAlphabet alphabet_;
  AnswerAlphabet secondary_alphabet_;
};

}  // namespace shindan
