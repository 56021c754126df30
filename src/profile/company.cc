#include "profile/company.h"

#include <charconv>

#include "base/text.h"

namespace shindan {

namespace {

constexpr ProfileFieldId kFields[] = {
    {"employees", ProfileField::kEmployees},     {"capital", ProfileField::kCapital},
    {"industry", ProfileField::kIndustry},       {"legal_sector", ProfileField::kLegalSector},
    {"prefecture", ProfileField::kPrefecture},   {"it_core", ProfileField::kItCore},
    {"sites", ProfileField::kSites},             {"it_staff", ProfileField::kItStaff},
    {"it_uses", ProfileField::kItUses},          {"servers", ProfileField::kServers},
    {"certifications", ProfileField::kCertifications}, {"qualified_staff", ProfileField::kQualifiedStaff},
    {"knows_ipa", ProfileField::kKnowsIpa},      {"knows_benchmark", ProfileField::kKnowsBenchmark}};

std::string JoinList(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

}  // namespace

std::span<const ProfileFieldId> ProfileFields() { return kFields; }

ProfileField ProfileFieldOf(std::string_view item_id) {
  for (const ProfileFieldId& f : kFields) {
    if (item_id == f.item_id) return f.field;
  }
  return ProfileField::kNone;
}

void SetProfileField(CompanyProfile* p, ProfileField field, std::string_view v) {
  auto integer = [&](std::optional<long long>* out) {
    long long x = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec == std::errc() && end == v.data() + v.size() && !v.empty()) *out = x;
  };
  auto boolean = [&](std::optional<bool>* out) {
    if (!v.empty()) *out = v == "yes";
  };
  auto list = [&](std::vector<std::string>* out) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(';', start);
      if (end == std::string_view::npos) end = v.size();
      std::string_view part = TrimAscii(v.substr(start, end - start));
      if (!part.empty()) out->emplace_back(part);
      start = end + 1;
    }
  };
  switch (field) {
    case ProfileField::kNone: break;
    case ProfileField::kEmployees: integer(&p->employees); break;
    case ProfileField::kCapital: integer(&p->capital); break;
    case ProfileField::kIndustry: p->industry.assign(v); break;
    case ProfileField::kLegalSector: p->legal_sector.assign(v); break;
    case ProfileField::kPrefecture: p->prefecture.assign(v); break;
    case ProfileField::kItCore: boolean(&p->it_core); break;
    case ProfileField::kSites: integer(&p->sites); break;
    case ProfileField::kItStaff: integer(&p->it_staff); break;
    case ProfileField::kItUses: list(&p->it_uses); break;
    case ProfileField::kServers: integer(&p->servers); break;
    case ProfileField::kCertifications: list(&p->certifications); break;
    case ProfileField::kQualifiedStaff: boolean(&p->qualified_staff); break;
    case ProfileField::kKnowsIpa: boolean(&p->knows_ipa); break;
    case ProfileField::kKnowsBenchmark: boolean(&p->knows_benchmark); break;
  }
}

std::string ProfileFieldValue(const CompanyProfile& p, ProfileField field) {
  auto integer = [](const std::optional<long long>& v) { return v ? std::to_string(*v) : std::string(); };
  auto boolean = [](const std::optional<bool>& v) { return v ? std::string(*v ? "yes" : "no") : std::string(); };
  switch (field) {
    case ProfileField::kNone: return "";
    case ProfileField::kEmployees: return integer(p.employees);
    case ProfileField::kCapital: return integer(p.capital);
    case ProfileField::kIndustry: return p.industry;
    case ProfileField::kLegalSector: return p.legal_sector;
    case ProfileField::kPrefecture: return p.prefecture;
    case ProfileField::kItCore: return boolean(p.it_core);
    case ProfileField::kSites: return integer(p.sites);
    case ProfileField::kItStaff: return integer(p.it_staff);
    case ProfileField::kItUses: return JoinList(p.it_uses);
    case ProfileField::kServers: return integer(p.servers);
    case ProfileField::kCertifications: return JoinList(p.certifications);
    case ProfileField::kQualifiedStaff: return boolean(p.qualified_staff);
    case ProfileField::kKnowsIpa: return boolean(p.knows_ipa);
    case ProfileField::kKnowsBenchmark: return boolean(p.knows_benchmark);
  }
  return "";
}

void ClearProfile(CompanyProfile* p) {
  p->employees.reset();
  p->capital.reset();
  p->industry.clear();
  p->legal_sector.clear();
  p->prefecture.clear();
  p->it_core.reset();
  p->sites.reset();
  p->it_staff.reset();
  p->it_uses.clear();
  p->servers.reset();
  p->certifications.clear();
  p->qualified_staff.reset();
  p->knows_ipa.reset();
  p->knows_benchmark.reset();
}

CompanyProfile ProfileFromAnswers(const std::map<std::string, std::string>& a) {
  CompanyProfile p;
  for (const ProfileFieldId& f : kFields) {
    auto it = a.find(f.item_id);
    if (it != a.end()) SetProfileField(&p, f.field, it->second);
  }
  return p;
}

std::map<std::string, std::string> ProfileToAnswers(const CompanyProfile& p) {
  std::map<std::string, std::string> a;
  for (const ProfileFieldId& f : kFields) {
    std::string v = ProfileFieldValue(p, f.field);
    if (!v.empty()) a[f.item_id] = std::move(v);
  }
  return a;
}

}  // namespace shindan
