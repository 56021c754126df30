#include "web/invitations.h"

#include <chrono>

#include "base/csv.h"
#include "store/password.h"

namespace shindan::web {

std::string InvitationLink(const std::string& base_url, const std::string& token) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/r/" + token;
}

Result<std::vector<IssuedInvitation>> IssueInvitations(Store& store, int64_t survey_id, const std::vector<Invitee>& invitees,
                                                       int expires_days, const std::string& base_url) {
  const std::string expires =
      FormatTimestamp(std::chrono::system_clock::now() + std::chrono::hours(24) * expires_days);
  std::vector<IssuedInvitation> out;
  for (const Invitee& invitee : invitees) {
    IssuedInvitation issued{invitee, NewToken(), ""};
    issued.link = InvitationLink(base_url, issued.token);
    Invitation inv;
    inv.survey_id = survey_id;
    inv.company_key = invitee.company_key;
    inv.token_hash = HashToken(issued.token);
    inv.label = !invitee.name.empty() ? invitee.name : invitee.email;
    inv.expires_at = expires;
    if (Result<int64_t> id = store.AddInvitation(inv); !id.ok()) return id.status();
    out.push_back(std::move(issued));
  }
  return out;
}

std::string MailMergeCsv(const std::vector<IssuedInvitation>& issued) {
  std::string out = "\xEF\xBB\xBF" + CsvLine({"company_key", "name", "email", "link"}, true);
  for (const IssuedInvitation& i : issued) {
    out += CsvLine({i.invitee.company_key, i.invitee.name, i.invitee.email, i.link}, true);
  }
  return out;
}

}  // namespace shindan::web
