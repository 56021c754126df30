// The survey report (seed §4, 付録A) computed from aggregate states: the profile tables 4–10, the
// self-check results (per-item means overall and by size type, industry and region — the 採点表 —
// the worst items, the distribution of totals, pass rate, non-implementation rates), the org
// checklist, certifications and awareness. Keys of the JSON form are listed in docs/report.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analytics/aggregate.h"
#include "analytics/snapshot.h"
#include "report/document.h"

namespace shindan {

class Catalog;
struct Frame;
struct InterviewNote;
struct SampleDesign;

struct ReportOptions {
  // Figures drawn from fewer than `min_cell` respondents are suppressed (null in JSON, "–" in
  // tables), for publication. 0 suppresses nothing.
  int min_cell = 0;
  std::string survey;     // the survey's name, for titles
  std::string generated;  // ISO 8601 UTC time of making, shown in human formats; "" to omit
  // --detect POINTS: companies per group needed to detect a difference of POINTS in the mean
  // total between two groups, and the power the survey has for it now.
  std::optional<double> detect_points;
  // --frame FILE: estimate the population's pass rate, mean total and item implementation rates,
  // stratified by size type × industry with the frame's counts (表1). Not owned; may be null.
  const Frame* frame = nullptr;
  // The survey's interview notes, listed by topic (付録A ヒアリング重点項目コメント一覧) with the
  // company's attributes but never its id. Not owned; may be null (a file source has none). No
  // notes, no section.
  const std::vector<InterviewNote>* notes = nullptr;
  // --design FILE: quota tracking per cell of the sample design (target, invited, answered,
  // shortfall). `invited`: companies invited per cell label (--invited FILE), or null. Not owned.
  const SampleDesign* design = nullptr;
  const std::map<std::string, int64_t>* invited = nullptr;
};

// REQUIRES: `state` was aggregated from `snapshot`.
std::string ReportJson(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                       const ReportOptions& options);
// The same figures as titled tables and charts, for the human formats (markdown.h, html.h,
// tabular.h). Suppression (`min_cell`) is applied here once.
ReportDocument BuildReportDocument(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                                   const ReportOptions& options);

}  // namespace shindan
