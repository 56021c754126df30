// The strata a population frame gives a survey's companies (docs/statistics.md §7): size type A, B,
// C × industry mfg, dist, svc — the 9 cells of 表1 — each with N_h, the frame's count. Type-S
// companies (their own group in the seed, not a row of 表1) and companies that could not be
// classified are in no stratum. The report's population estimates and the result page's weighted
// percentile (web/peers.h) both stratify this way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stats/frame.h"

namespace shindan {

struct FrameStratum {
  uint8_t size = 0;           // dim::Size (analytics/snapshot.h): kA, kB or kC
  uint8_t industry = 0;       // dim::Industry: kMfg, kDist or kSvc
  std::string size_type;      // "A", "B", "C"
  std::string industry_code;  // "mfg", "dist", "svc"
  // N_h: the frame's count; 0 when the frame lacks the row or the column (estimators leave such a
  // stratum out).
  double population = 0;
  std::string label;  // "A×mfg", in messages
};

// The 9 strata in order A×mfg, A×dist, A×svc, B×mfg, …, C×svc.
std::vector<FrameStratum> FrameStrata(const Frame& frame);

// Whether a company classified as `size_type` × `industry` (codes, as Classification has them) is
// in one of the strata.
bool InFrameStrata(std::string_view size_type, std::string_view industry);

}  // namespace shindan
