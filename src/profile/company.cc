#include "profile/company.h"

#include "base/text.h"

namespace shindan {

namespace {

std::optional<long long> Int(const std::map<std::string, std::string>& a, const char* key) {
  auto it = a.find(key);
  if (it == a.end() || it->second.empty()) return std::nullopt;
  return std::stoll(it->second);
}

std::optional<bool> Bool(const std::map<std::string, std::string>& a, const char* key) {
  auto it = a.find(key);
  if (it == a.end() || it->second.empty()) return std::nullopt;
  return it->second == "yes";
}

std::string Str(const std::map<std::string, std::string>& a, const char* key) {
  auto it = a.find(key);
  return it == a.end() ? std::string() : it->second;
}

std::vector<std::string> List(const std::map<std::string, std::string>& a, const char* key) {
  return SplitList(Str(a, key), {";"});
}

std::string JoinList(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

}  // namespace

CompanyProfile ProfileFromAnswers(const std::map<std::string, std::string>& a) {
  CompanyProfile p;
  p.employees = Int(a, "employees");
  p.capital = Int(a, "capital");
  p.industry = Str(a, "industry");
  p.legal_sector = Str(a, "legal_sector");
  p.prefecture = Str(a, "prefecture");
  p.it_core = Bool(a, "it_core");
  p.sites = Int(a, "sites");
  p.it_staff = Int(a, "it_staff");
  p.it_uses = List(a, "it_uses");
  p.servers = Int(a, "servers");
  p.certifications = List(a, "certifications");
  p.qualified_staff = Bool(a, "qualified_staff");
  p.knows_ipa = Bool(a, "knows_ipa");
  p.knows_benchmark = Bool(a, "knows_benchmark");
  return p;
}

std::map<std::string, std::string> ProfileToAnswers(const CompanyProfile& p) {
  std::map<std::string, std::string> a;
  auto put_int = [&](const char* k, const std::optional<long long>& v) {
    if (v) a[k] = std::to_string(*v);
  };
  auto put_bool = [&](const char* k, const std::optional<bool>& v) {
    if (v) a[k] = *v ? "yes" : "no";
  };
  auto put_str = [&](const char* k, const std::string& v) {
    if (!v.empty()) a[k] = v;
  };
  put_int("employees", p.employees);
  put_int("capital", p.capital);
  put_str("industry", p.industry);
  put_str("legal_sector", p.legal_sector);
  put_str("prefecture", p.prefecture);
  put_bool("it_core", p.it_core);
  put_int("sites", p.sites);
  put_int("it_staff", p.it_staff);
  put_str("it_uses", JoinList(p.it_uses));
  put_int("servers", p.servers);
  put_str("certifications", JoinList(p.certifications));
  put_bool("qualified_staff", p.qualified_staff);
  put_bool("knows_ipa", p.knows_ipa);
  put_bool("knows_benchmark", p.knows_benchmark);
  return a;
}

}  // namespace shindan
