// Synthetic surveys in the wide import layout (`shindan demo`).
//
// With the defaults (66 companies, seed 2009) the survey reproduces the 2009 report's figures
// exactly: the company profile of seed §4.1 (tables 4-10), the self-check results of §4.2.1 and
// §3.1 (23 pass, 38 answer item 25 実施していない), the org-checklist results of §4.2.2 (20
// respondents, 3-5 not done by 5, 4-4 by 6) and the certifications and awareness of §4.7 (5)-(7).
// For any other number of companies every figure is scaled by N/66 with largest-remainder rounding.
//
// Counts are exact by construction: each attribute is drawn without replacement from an urn
// holding the scaled counts (equivalent to shuffling a list of values, in O(categories) memory),
// so a survey of any size streams in constant memory. Answers are drawn per company around a
// target total and repaired one answer at a time until the total lies in its band.
//
// Deterministic: one xoshiro256** generator seeded with splitmix64, bounded integers by
// rejection, integer arithmetic only — the same seed gives the same bytes on every machine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"

namespace shindan {

struct DemoOptions {
  long long companies = 66;
  uint64_t seed = 2009;
};

// The largest number of companies WriteDemoSurvey accepts (keeps count × N within 64 bits).
inline constexpr long long kMaxDemoCompanies = 1'000'000'000'000LL;

// The primary instrument of a demo survey; its columns come first after the profile.
inline constexpr const char* kDemoInstrument = instrument_id::kSelfCheck;

// Writes the survey: UTF-8 with a BOM, CRLF line ends, header = WideColumns(catalog,
// kDemoInstrument), one row per company (company_id demo-0001…, zero-padded to the width of N,
// at least 4 digits). `sink` receives the text in chunks of about 1 MiB, in order; its first
// error stops the survey and is returned. `progress` (may be empty) is called with the number of
// rows written so far, every few thousand rows and once at the end.
// Fails for companies outside 1…kMaxDemoCompanies, or when the catalog lacks an item the survey
// needs (self-check-2009 sc01…sc25, org-checklist-2009 oc3_5 and oc4_4, the profile fields).
Status WriteDemoSurvey(const Catalog& catalog, const DemoOptions& options,
                       const std::function<Status(std::string_view)>& sink,
                       const std::function<void(long long done)>& progress);

// The whole survey in memory (for tests and small surveys).
Result<std::string> DemoSurveyText(const Catalog& catalog, const DemoOptions& options);

// Largest-remainder rounding: scales `counts` (summing to S > 0) to integers summing to `n`,
// each the floor of counts[i]·n/S plus one for the largest remainders (ties: earlier first).
// REQUIRES: counts non-negative, S > 0, n ≥ 0, counts[i]·n fits in 64 bits.
std::vector<long long> ScaleCounts(const std::vector<long long>& counts, long long n);

}  // namespace shindan
