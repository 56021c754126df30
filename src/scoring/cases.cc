#include "scoring/cases.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "base/json_reader.h"

namespace shindan {

Result<CaseLibrary> CaseLibrary::Parse(const std::string& json_text, const std::string& file) {
  Result<nlohmann::json> doc = ParseJson(json_text, file);
  if (!doc.ok()) return doc.status();
  JsonCursor root(*doc, file);
  root.CheckKeys({"format", "cases"});
  if (root.String("format") != "shindan-cases/1" && root.ok()) root.Child("format").Fail("expected \"shindan-cases/1\"");
  CaseLibrary lib;
  JsonCursor list = root.Child("cases");
  for (size_t i = 0; i < list.Size() && root.ok(); ++i) {
    JsonCursor c = list.At(i);
    c.CheckKeys({"id", "source", "title", "summary", "industry", "size_types", "topics", "lessons"});
    Case k;
    k.id = c.String("id");
    k.source = c.OptString("source").value_or("");
    k.title = c.Text("title");
    k.summary = c.Text("summary");
    k.industries = c.StringList("industry");
    k.size_types = c.StringList("size_types");
    k.topics = c.StringList("topics");
    JsonCursor lessons = c.Child("lessons");
    for (size_t j = 0; j < lessons.Size() && root.ok(); ++j) {
      JsonCursor l = lessons.At(j);
      l.CheckKeys({"ja", "en"});
      k.lessons.push_back({l.String("ja"), l.String("en")});
    }
    for (const auto& other : lib.cases_) {
      if (root.ok() && other.id == k.id) c.Child("id").Fail("duplicate case id '" + k.id + "'");
    }
    lib.cases_.push_back(std::move(k));
  }
  if (!root.ok()) return root.error();
  return lib;
}

Result<CaseLibrary> CaseLibrary::Load(const FileSystem& fs, const std::string& path) {
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

std::vector<CaseMatch> CaseLibrary::Match(const Classification& company, const std::set<std::string>& unmet_sections,
                                          size_t limit) const {
  auto contains = [](const std::vector<std::string>& v, const std::string& s) {
    return !s.empty() && std::find(v.begin(), v.end(), s) != v.end();
  };
  std::vector<CaseMatch> out;
  for (const Case& c : cases_) {
    int score = 0;
    if (contains(c.industries, company.industry)) score += 2;
    if (contains(c.size_types, company.size_type)) score += 1;
    for (const std::string& t : c.topics) score += unmet_sections.count(t) ? 1 : 0;
    if (score > 0) out.push_back({&c, score});
  }
  std::sort(out.begin(), out.end(), [](const CaseMatch& a, const CaseMatch& b) {
    return a.score != b.score ? a.score > b.score : a.c->id < b.c->id;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace shindan
