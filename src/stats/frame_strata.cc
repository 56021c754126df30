#include "stats/frame_strata.h"

#include "analytics/snapshot.h"

namespace shindan {

namespace {

struct StrataCode {
  uint8_t dim;
  const char* code;
};
constexpr StrataCode kStrataSizes[] = {{dim::kA, "A"}, {dim::kB, "B"}, {dim::kC, "C"}};
constexpr StrataCode kStrataIndustries[] = {{dim::kMfg, "mfg"}, {dim::kDist, "dist"}, {dim::kSvc, "svc"}};

}  // namespace

std::vector<FrameStratum> FrameStrata(const Frame& frame) {
  std::vector<FrameStratum> strata;
  for (const StrataCode& s : kStrataSizes) {
    for (const StrataCode& i : kStrataIndustries) {
      const std::optional<int64_t> n = frame.Count(i.code, s.code);
      strata.push_back(
          {s.dim, i.dim, s.code, i.code, n ? static_cast<double>(*n) : 0.0, std::string(s.code) + "×" + i.code});
    }
  }
  return strata;
}

bool InFrameStrata(std::string_view size_type, std::string_view industry) {
  bool size = false, ind = false;
  for (const StrataCode& s : kStrataSizes) size = size || size_type == s.code;
  for (const StrataCode& i : kStrataIndustries) ind = ind || industry == i.code;
  return size && ind;
}

}  // namespace shindan
