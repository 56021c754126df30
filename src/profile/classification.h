// Company classification (seed §2.6.2, footnote 1), with its thresholds from
// data/classification.json: size type, industry, region and the legal SME flag.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "base/text.h"
#include "profile/company.h"
#include "profile/geography.h"

namespace shindan {

struct SizeTypeRule {
  std::string code;  // A, B, C
  LocalText label;
  long long min_employees = 0;
  long long max_employees = 0;
};

struct IndustryRule {
  std::string code;  // mfg, dist, svc, net
  LocalText label;
  std::vector<std::string> legal_sectors;  // the 中小企業基本法 sectors this industry may be
};

struct LegalSectorRule {
  std::string code;
  LocalText label;
  long long max_capital_yen = 0;
  long long max_employees = 0;
};

enum class Tristate { kYes, kNo, kUnknown };
const char* TristateName(Tristate t);  // "yes", "no", "unknown"

struct Classification {
  // A, B, C; S for an IT-core company whatever its size; "out" above 300 employees (outside this
  // survey's SME definition); empty when the number of employees is not known.
  std::string size_type;
  std::string industry;  // the profile's industry; "net" for an IT-core company; empty if unknown
  std::string region;    // capital, regional1, regional2, other; empty if unknown
  // A, B, C by the number of employees alone — for an IT-core company too, as 表2 counts them
  // under their size (for quotas); "out" above 300; empty when the number is not known.
  std::string employee_size;
  Tristate legal_sme = Tristate::kUnknown;
  bool outside_survey = false;
};

class ClassificationRules {
 public:
  static Result<ClassificationRules> Parse(const std::string& json_text, const std::string& file);
  static Result<ClassificationRules> Load(const FileSystem& fs, const std::string& path);

  Classification Classify(const CompanyProfile& profile, const Geography& geography) const;
  // The size type by employees alone: A, B, C, "out" above the largest, "" when unknown.
  std::string SizeByEmployees(std::optional<long long> employees) const;

  // Labels for codes; the code itself when unknown.
  LocalText SizeTypeLabel(const std::string& code) const;
  LocalText IndustryLabel(const std::string& code) const;
  const std::vector<SizeTypeRule>& size_types() const { return size_types_; }
  const std::vector<IndustryRule>& industries() const { return industries_; }

 private:
  Tristate LegalSme(const CompanyProfile& profile) const;

  std::vector<SizeTypeRule> size_types_;
  SizeTypeRule it_core_;   // code S
  SizeTypeRule outside_;   // code out
  std::vector<IndustryRule> industries_;
  std::vector<LegalSectorRule> sectors_;
};

}  // namespace shindan
