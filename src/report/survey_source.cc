#include "report/survey_source.h"

#include "catalog/catalog.h"
#include "exchange/response.h"

namespace shindan {

Result<std::unique_ptr<Snapshot>> SnapshotFromCsv(const Catalog& catalog, const std::string& utf8, const std::string& file) {
  const std::string primary = "self-check-2009";
  Result<std::vector<RawResponse>> rows = ReadWideCsv(utf8, file, catalog, primary);
  if (!rows.ok()) return rows.status();
  const Instrument* org = catalog.Find("org-checklist-2009");
  auto snapshot = std::make_unique<Snapshot>(*catalog.Find(primary), org);
  std::string problems;
  int count = 0;
  for (const RawResponse& raw : *rows) {
    Result<Response> r = ValidateResponse(catalog, raw, {primary, false});
    if (!r.ok()) {
      if (++count <= 100) problems += (problems.empty() ? "" : "\n") + r.status().message();
      continue;
    }
    CompanyProfile p = ProfileFromAnswers(r->profile);
    Classification c = catalog.classification().Classify(p, catalog.geography());
    static const Answers kNone;
    auto sc = r->answers.find(primary);
    const Answers* oc = nullptr;
    if (org) {
      auto it = r->answers.find(org->id);
      if (it != r->answers.end()) oc = &it->second;
    }
    snapshot->Add(c, p, sc == r->answers.end() ? kNone : sc->second, oc);
  }
  if (count) {
    if (count > 100) problems += "\n… and " + std::to_string(count - 100) + " more rows with problems / 他 " + std::to_string(count - 100) + " 行";
    return Status::InvalidInput(problems);
  }
  return snapshot;
}

}  // namespace shindan
