// Invitations to answer a survey (issue 11 §2): a random token of 256 bits (libsodium, NewToken)
// per company or per open link, kept in the database only as its hash, with an expiry. Used by
// `shindan invite` and `shindan serve --demo`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/store.h"

namespace shindan::web {

struct Invitee {
  std::string company_key;  // empty: an open link that asks for the profile
  std::string name, email;  // from the company list, for the mail merge
};

struct IssuedInvitation {
  Invitee invitee;
  std::string token;
  std::string link;
};

inline constexpr int kDefaultInvitationDays = 90;

// "BASE/r/TOKEN" (a trailing slash of `base_url` is dropped).
std::string InvitationLink(const std::string& base_url, const std::string& token);

// Adds one invitation per invitee to the survey, expiring `expires_days` days from now.
Result<std::vector<IssuedInvitation>> IssueInvitations(Store& store, int64_t survey_id, const std::vector<Invitee>& invitees,
                                                       int expires_days, const std::string& base_url);

// The mail-merge file: UTF-8 with a BOM (Excel reads it as UTF-8), header company_key,name,email,link.
std::string MailMergeCsv(const std::vector<IssuedInvitation>& issued);

}  // namespace shindan::web
