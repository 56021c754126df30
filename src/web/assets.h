// The files the web application serves and renders (src/web/assets/*, src/web/templates/*),
// compiled into the binary by cmake/embed_assets.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace shindan::web {

struct Asset {
  std::string_view name;  // relative to src/web: "assets/style.css", "templates/page.html"
  std::string_view bytes;
};

const std::vector<Asset>& EmbeddedAssets();

// The asset named `name`, or nullptr.
inline const Asset* FindAsset(std::string_view name) {
  for (const Asset& a : EmbeddedAssets()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace shindan::web
