#include "profile/classification.h"

#include <nlohmann/json.hpp>

#include "base/json_reader.h"

namespace shindan {

const char* TristateName(Tristate t) {
  switch (t) {
    case Tristate::kYes: return "yes";
    case Tristate::kNo: return "no";
    case Tristate::kUnknown: return "unknown";
  }
  return "unknown";
}

Result<ClassificationRules> ClassificationRules::Parse(const std::string& json_text, const std::string& file) {
  Result<nlohmann::json> doc = ParseJson(json_text, file);
  if (!doc.ok()) return doc.status();
  JsonCursor root(*doc, file);
  root.CheckKeys({"format", "size_types", "size_type_it_core", "outside", "industries", "legal_sme"});
  if (root.String("format") != "shindan-classification/1" && root.ok()) {
    root.Child("format").Fail("expected \"shindan-classification/1\"");
  }
  ClassificationRules r;
  JsonCursor sizes = root.Child("size_types");
  long long expected_min = 0;
  for (size_t i = 0; i < sizes.Size() && root.ok(); ++i) {
    JsonCursor c = sizes.At(i);
    c.CheckKeys({"code", "label", "min_employees", "max_employees"});
    SizeTypeRule s{c.String("code"), c.Text("label"), c.Int("min_employees"), c.Int("max_employees")};
    // The bands must tile the employee axis from 0 without gaps or overlaps.
    if (root.ok() && s.min_employees != expected_min) {
      c.Child("min_employees").Fail(std::to_string(s.min_employees) + " — expected " + std::to_string(expected_min) +
                                    ", right after the previous size type");
    }
    if (root.ok() && s.max_employees < s.min_employees) c.Child("max_employees").Fail("below min_employees");
    expected_min = s.max_employees + 1;
    r.size_types_.push_back(std::move(s));
  }
  if (root.ok() && r.size_types_.empty()) sizes.Fail("expected at least one size type");
  JsonCursor s = root.Child("size_type_it_core");
  r.it_core_ = {s.String("code"), s.Text("label")};
  JsonCursor o = root.Child("outside");
  r.outside_ = {o.String("code"), o.Text("label")};
  JsonCursor industries = root.Child("industries");
  for (size_t i = 0; i < industries.Size() && root.ok(); ++i) {
    JsonCursor c = industries.At(i);
    c.CheckKeys({"code", "label", "legal_sectors"});
    r.industries_.push_back({c.String("code"), c.Text("label"), c.StringList("legal_sectors")});
  }
  JsonCursor legal = root.Child("legal_sme");
  legal.CheckKeys({"source", "sectors"});
  JsonCursor sectors = legal.Child("sectors");
  for (size_t i = 0; i < sectors.Size() && root.ok(); ++i) {
    JsonCursor c = sectors.At(i);
    c.CheckKeys({"code", "label", "max_capital_yen", "max_employees"});
    LegalSectorRule l;
    l.code = c.String("code");
    l.label = c.Text("label");
    l.max_capital_yen = c.OptInt64("max_capital_yen").value_or(0);
    l.max_employees = c.Int("max_employees");
    r.sectors_.push_back(std::move(l));
  }
  for (size_t i = 0; i < r.industries_.size() && root.ok(); ++i) {
    for (const std::string& code : r.industries_[i].legal_sectors) {
      bool known = false;
      for (const auto& l : r.sectors_) known = known || l.code == code;
      if (!known) industries.At(i).Child("legal_sectors").Fail("unknown sector '" + code + "'");
    }
  }
  if (!root.ok()) return root.error();
  return r;
}

Result<ClassificationRules> ClassificationRules::Load(const FileSystem& fs, const std::string& path) {
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

Tristate ClassificationRules::LegalSme(const CompanyProfile& p) const {
  // 中小企業基本法 第2条第1項: an SME meets the capital limit OR the employee limit of its sector.
  std::vector<std::string> candidates;
  if (!p.legal_sector.empty()) {
    candidates.push_back(p.legal_sector);
  } else {
    for (const auto& ind : industries_) {
      if (ind.code == p.industry) candidates = ind.legal_sectors;
    }
  }
  if (candidates.empty()) return Tristate::kUnknown;
  std::optional<Tristate> agreed;
  for (const std::string& code : candidates) {
    const LegalSectorRule* rule = nullptr;
    for (const auto& l : sectors_) {
      if (l.code == code) rule = &l;
    }
    if (!rule) return Tristate::kUnknown;
    Tristate t;
    bool employees_ok = p.employees && *p.employees <= rule->max_employees;
    bool capital_ok = p.capital && *p.capital <= rule->max_capital_yen;
    if (employees_ok || capital_ok) t = Tristate::kYes;
    else if (p.employees && p.capital) t = Tristate::kNo;
    else t = Tristate::kUnknown;  // one limit fails and the other cannot be checked
    if (agreed && *agreed != t) return Tristate::kUnknown;
    agreed = t;
  }
  return agreed.value_or(Tristate::kUnknown);
}

Classification ClassificationRules::Classify(const CompanyProfile& p, const Geography& geography) const {
  Classification c;
  const bool it_core = p.it_core.value_or(false) || p.industry == "net";
  c.employee_size = SizeByEmployees(p.employees);
  if (it_core) {
    c.size_type = it_core_.code;
  } else {
    c.size_type = c.employee_size;
    c.outside_survey = c.size_type == outside_.code;
  }
  c.industry = it_core ? "net" : p.industry;
  if (const Prefecture* pref = geography.FindPrefecture(p.prefecture)) c.region = pref->region;
  c.legal_sme = LegalSme(p);
  return c;
}

std::string ClassificationRules::SizeByEmployees(std::optional<long long> employees) const {
  if (!employees) return "";
  for (const auto& s : size_types_) {
    if (*employees >= s.min_employees && *employees <= s.max_employees) return s.code;
  }
  if (*employees > size_types_.back().max_employees) return outside_.code;
  return "";
}

LocalText ClassificationRules::SizeTypeLabel(const std::string& code) const {
  for (const auto& s : size_types_) {
    if (s.code == code) return s.label;
  }
  if (code == it_core_.code) return it_core_.label;
  if (code == outside_.code) return outside_.label;
  return {code, code};
}

LocalText ClassificationRules::IndustryLabel(const std::string& code) const {
  for (const auto& i : industries_) {
    if (i.code == code) return i.label;
  }
  return {code, code};
}

}  // namespace shindan
