#include "profile/geography.h"

#include <nlohmann/json.hpp>

#include <set>

#include "base/json_reader.h"

namespace shindan {

namespace {
}  // namespace

Result<Geography> Geography::Parse(const std::string& json_text, const std::string& file) {
  Result<nlohmann::json> doc = ParseJson(json_text, file);
  if (!doc.ok()) return doc.status();
  JsonCursor root(*doc, file);
  root.CheckKeys({"format", "regions", "prefectures"});
  if (root.String("format") != "shindan-prefectures/1" && root.ok()) {
    root.Child("format").Fail("expected \"shindan-prefectures/1\"");
  }
  Geography g;
  JsonCursor regions = root.Child("regions");
  for (size_t i = 0; i < regions.Size() && root.ok(); ++i) {
    JsonCursor c = regions.At(i);
    c.CheckKeys({"code", "label"});
    g.regions_.push_back({c.String("code"), c.Text("label")});
  }
  JsonCursor list = root.Child("prefectures");
  if (root.ok() && list.Size() != 47) list.Fail("expected 47 prefectures, found " + std::to_string(list.Size()));
  for (size_t i = 0; i < list.Size() && root.ok(); ++i) {
    JsonCursor c = list.At(i);
    c.CheckKeys({"code", "name", "short", "kana", "romaji", "aliases", "region"});
    Prefecture p;
    p.code = c.String("code");
    p.name = c.String("name");
    p.short_name = c.String("short");
    p.romaji = c.String("romaji");
    p.region = c.String("region");
    if (root.ok() && !g.FindRegion(p.region)) c.Child("region").Fail("unknown region '" + p.region + "'");
    std::vector<std::string> spellings = {p.code, p.name, p.short_name, p.romaji};
    if (c.Has("kana")) spellings.push_back(c.String("kana"));
    if (c.Has("aliases")) {
      for (const std::string& a : c.StringList("aliases")) spellings.push_back(a);
    }
    // Romaji with the suffix written as a separate word or joined: "Osaka Prefecture", "Osaka-fu".
    for (const char* suffix : {" prefecture", "-ken", "-fu", "-to", " ken", " fu", " to"}) {
      spellings.push_back(p.romaji + suffix);
    }
    for (const std::string& s : spellings) {
      auto [it, inserted] = g.by_spelling_.emplace(MatchKey(s), i);
      if (!inserted && it->second != i && root.ok()) {
        c.Fail("spelling '" + s + "' is also used by " + g.prefectures_[it->second].name);
      }
    }
    // JIS codes are also written without the leading zero.
    if (p.code.size() == 2 && p.code[0] == '0') g.by_spelling_.emplace(p.code.substr(1), i);
    g.prefectures_.push_back(std::move(p));
  }
  if (!root.ok()) return root.error();
  return g;
}

Result<Geography> Geography::Load(const FileSystem& fs, const std::string& path) {
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

Result<std::string> Geography::ResolvePrefecture(std::string_view normalized) const {
  auto it = by_spelling_.find(MatchKey(normalized));
  if (it != by_spelling_.end()) return prefectures_[it->second].code;
  return Status::InvalidInput("'" + std::string(normalized) +
                              "' — expected one of the 47 prefectures, e.g. 東京都, 東京 or Tokyo");
}

const Prefecture* Geography::FindPrefecture(const std::string& code) const {
  for (const auto& p : prefectures_) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

const Region* Geography::FindRegion(const std::string& code) const {
  for (const auto& r : regions_) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

}  // namespace shindan
