// The demo survey's records as the importer makes them, for tests that need many valid companies.
// For tests only: header-only, so it never enters the core library.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "catalog/test_catalog.h"
#include "exchange/demo.h"
#include "exchange/import.h"

namespace shindan::test {

inline std::vector<CompanyRecord> DemoRecords(long long companies, uint64_t seed) {
  const Catalog& catalog = SourceCatalog();
  Result<std::string> text = DemoSurveyText(catalog, {companies, seed});
  EXPECT_TRUE(text.ok());
  std::vector<CompanyRecord> out;
  ImportOptions options;
  options.file = "demo.csv";
  Result<ImportReport> report = ImportText(catalog, *text, options, [&](const CompanyRecord& r) {
    out.push_back(r);
    return Status::Ok();
  });
  EXPECT_TRUE(report.ok() && report->ok());
  return out;
}

}  // namespace shindan::test
