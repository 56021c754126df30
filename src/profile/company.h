// A company's attributes (the `profile` instrument), typed.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shindan {

struct CompanyProfile {
  std::optional<long long> employees;
  std::optional<long long> capital;  // yen
  std::string industry;              // mfg, dist, svc, net; empty when not given
  std::string legal_sector;          // manufacturing, wholesale, retail, service, other; optional
  std::string prefecture;            // JIS code
  std::optional<bool> it_core;
  std::optional<long long> sites;
  std::optional<long long> it_staff;
  std::vector<std::string> it_uses;  // core, info, front, other
  std::optional<long long> servers;
  std::vector<std::string> certifications;
  std::optional<bool> qualified_staff;
  std::optional<bool> knows_ipa;
  std::optional<bool> knows_benchmark;
};

// The CompanyProfile member a profile item sets. The one table from the profile instrument's item
// ids to the members (ProfileFields): the importer, the exporters and the snapshot look items up
// here once per file, then switch on the field.
enum class ProfileField {
  kNone, kEmployees, kCapital, kIndustry, kLegalSector, kPrefecture, kItCore, kSites, kItStaff, kItUses,
  kServers, kCertifications, kQualifiedStaff, kKnowsIpa, kKnowsBenchmark
};
struct ProfileFieldId {
  const char* item_id;
  ProfileField field;
};
// Every field but kNone, in the profile instrument's item order.
std::span<const ProfileFieldId> ProfileFields();
// kNone for an item id that sets no member.
ProfileField ProfileFieldOf(std::string_view item_id);

// Sets one member from a canonical value as AnswerParser returns it and the store keeps it
// (digits, "yes"/"no", codes, ';'-joined lists). An empty value, or a number that is not one,
// leaves the member unset.
void SetProfileField(CompanyProfile* profile, ProfileField field, std::string_view value);
// The canonical value of one member; "" when unset.
std::string ProfileFieldValue(const CompanyProfile& profile, ProfileField field);
// Unsets every member, keeping the vectors' capacity (the importer reuses one profile per thread).
void ClearProfile(CompanyProfile* profile);

// Builds a profile from validated answers to the profile instrument (canonical forms keyed by
// item id, as AnswerParser returns them). Absent keys stay empty.
CompanyProfile ProfileFromAnswers(const std::map<std::string, std::string>& answers);

// The inverse, for writing files: only the fields that are set.
std::map<std::string, std::string> ProfileToAnswers(const CompanyProfile& profile);

}  // namespace shindan
