#include "exchange/record.h"

#include "instrument/codec.h"
#include "profile/company.h"

namespace shindan {

Result<CompanyRecord> RecordFromResponse(const Catalog& catalog, const Response& response,
                                         const std::vector<std::string>& instruments, bool with_profile) {
  CompanyRecord record;
  record.company_key = response.company_id;
  if (with_profile) {
    Result<std::string> profile = EncodeValues(catalog.profile(), response.profile);
    if (!profile.ok()) return profile.status();
    record.profile_version = catalog.profile().version;
    record.profile = std::move(profile).value();
    const Classification c =
        catalog.classification().Classify(ProfileFromAnswers(response.profile), catalog.geography());
    record.size_type = c.size_type;
    record.industry = c.industry;
    record.region = c.region;
  }
  for (const std::string& id : instruments) {
    const Instrument* ins = catalog.Find(id);
    auto it = response.answers.find(id);
    if (!ins || it == response.answers.end()) continue;
    Result<std::string> answers = EncodeAnswers(*ins, it->second);
    if (!answers.ok()) return answers.status();
    record.responses.push_back({id, ins->version, std::move(answers).value()});
  }
  return record;
}

}  // namespace shindan
