// Japan's 47 prefectures and the survey's regions (seed §4.1.3), loaded from data/prefectures.json.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "base/text.h"
#include "instrument/answer.h"

namespace shindan {

struct Region {
  std::string code;  // capital, regional1, regional2, other
  LocalText label;
};

struct Prefecture {
  std::string code;   // JIS X 0401: "01" … "47"
  std::string name;   // 東京都
  std::string short_name;  // 東京
  std::string romaji;      // Tokyo
  std::string region;      // Region::code
};

class Geography : public ValueResolver {
 public:
  static Result<Geography> Parse(const std::string& json_text, const std::string& file);
  static Result<Geography> Load(const FileSystem& fs, const std::string& path);

  // Accepts the full name (東京都), the short name (東京), romaji with or without macrons and
  // suffixes (Tokyo, Tōkyō, Tokyo-to), or the JIS code; returns the code.
  Result<std::string> ResolvePrefecture(std::string_view normalized) const override;

  const Prefecture* FindPrefecture(const std::string& code) const;
  const Region* FindRegion(const std::string& code) const;
  const std::vector<Prefecture>& prefectures() const { return prefectures_; }
  const std::vector<Region>& regions() const { return regions_; }

 private:
  std::vector<Region> regions_;
  std::vector<Prefecture> prefectures_;
  std::unordered_map<std::string, size_t> by_spelling_;
};

}  // namespace shindan
