// A validated Response in the compact form the store keeps (CompanyRecord): what a web submission
// stores. The importer builds its records in its own fast way from the same codec and rules.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "exchange/response.h"
#include "store/store.h"

namespace shindan {

// `instruments`: the instruments whose answers go into the record (those the response lacks are
// skipped). With `with_profile` the record carries the profile and its classification; without,
// the company keeps the profile it has.
Result<CompanyRecord> RecordFromResponse(const Catalog& catalog, const Response& response,
                                         const std::vector<std::string>& instruments, bool with_profile);

}  // namespace shindan
