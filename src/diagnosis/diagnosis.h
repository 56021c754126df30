// One company's diagnosis: its classification, score, what to do first, a six-month plan, cases
// like it, and its org-checklist result. The result page, `shindan score` and `shindan take` all
// show this one value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "exchange/response.h"
#include "profile/classification.h"
#include "scoring/advice.h"
#include "scoring/cases.h"
#include "scoring/score.h"

namespace shindan {

struct Diagnosis {
  const Instrument* instrument = nullptr;
  std::string company_id;
  CompanyProfile profile;
  Classification classification;
  ScoreResult score;
  std::vector<Advice> unmet;  // most urgent first; empty when the instrument has no advice
  std::vector<PlanMonth> plan;
  std::vector<CaseMatch> cases;
  std::vector<std::string> missing;
  // The other scored instruments answered (the org checklist), with their results.
  std::vector<ScoreResult> others;
};

// REQUIRES: `response` was validated against `catalog` with `instrument_id` as its primary
// instrument. The Diagnosis points into `catalog` (and into itself): keep the catalog alive and
// do not copy the Diagnosis — it is returned in a unique_ptr for that reason.
std::unique_ptr<Diagnosis> Diagnose(const Catalog& catalog, const Response& response, const std::string& instrument_id);

// The JSON object of `shindan score --json` (docs/scoring.md lists every key).
std::string DiagnosisJson(const Catalog& catalog, const Diagnosis& d);

}  // namespace shindan
