// A company's attributes (the `profile` instrument), typed.
#pragma once

#include <map>
#include <optional>
#include <string>
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

// Builds a profile from validated answers to the profile instrument (canonical forms keyed by
// item id, as AnswerParser returns them). Absent keys stay empty.
CompanyProfile ProfileFromAnswers(const std::map<std::string, std::string>& answers);

// The inverse, for writing files: only the fields that are set.
std::map<std::string, std::string> ProfileToAnswers(const CompanyProfile& profile);

}  // namespace shindan
