#include "store/tags.h"

#include <nlohmann/json.hpp>

namespace shindan {

std::string TagsJson(const std::vector<std::string>& tags) { return nlohmann::json(tags).dump(); }

std::vector<std::string> TagsFromJson(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& t : j) {
    if (t.is_string()) out.push_back(t.get<std::string>());
  }
  return out;
}

}  // namespace shindan
