// The catalog of the source tree (instruments/, data/), loaded once per test binary. For tests
// only: header-only, so it never enters the core library.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "base/file.h"
#include "catalog/catalog.h"
#include "instrument/loader.h"
#include "profile/geography.h"

namespace shindan::test {

// Aborts the test binary when the shipped catalog does not load: every test using it would fail.
inline const Catalog& SourceCatalog() {
  static const std::unique_ptr<Catalog> catalog = [] {
    Result<std::unique_ptr<Catalog>> c = Catalog::Load(FileSystem::Disk(), SHINDAN_SOURCE_ROOT);
    if (!c.ok()) {
      std::fprintf(stderr, "cannot load the catalog: %s\n", c.status().message().c_str());
      std::abort();
    }
    return std::move(c).value();
  }();
  return *catalog;
}

// A file of the source tree (path relative to its root); aborts when it cannot be read.
inline std::string ReadSource(const std::string& rel) {
  Result<std::string> text = FileSystem::Disk().ReadFile(std::string(SHINDAN_SOURCE_ROOT) + "/" + rel);
  if (!text.ok()) {
    std::fprintf(stderr, "cannot read %s: %s\n", rel.c_str(), text.status().message().c_str());
    std::abort();
  }
  return std::move(text).value();
}

// One instrument of instruments/ loaded from its own file, apart from the catalog (the loader's
// and the instrument's own tests), once per test binary.
inline const Instrument& SourceInstrument(const std::string& id) {
  static std::map<std::string, Instrument> cache;
  auto it = cache.find(id);
  if (it == cache.end()) {
    Result<Instrument> r = LoadInstrument(FileSystem::Disk(), SHINDAN_SOURCE_ROOT "/instruments/" + id + ".json");
    if (!r.ok()) {
      std::fprintf(stderr, "cannot load instrument %s: %s\n", id.c_str(), r.status().message().c_str());
      std::abort();
    }
    it = cache.emplace(id, std::move(r).value()).first;
  }
  return it->second;
}
inline const Instrument& SelfCheck() { return SourceInstrument("self-check-2009"); }

// data/prefectures.json, loaded once.
inline const Geography& SourceGeography() {
  static const Geography geo = [] {
    Result<Geography> g = Geography::Load(FileSystem::Disk(), SHINDAN_SOURCE_ROOT "/data/prefectures.json");
    if (!g.ok()) {
      std::fprintf(stderr, "cannot load the prefectures: %s\n", g.status().message().c_str());
      std::abort();
    }
    return std::move(g).value();
  }();
  return geo;
}

// The self-check's item id for its number: Sc(1) is "sc01".
inline std::string Sc(int n) {
  char id[16];
  std::snprintf(id, sizeof id, "sc%02d", n);
  return id;
}

// How an error names the answers the self-check's items take (items 1–20 and 21–25).
inline constexpr char kSc01Options[] =
    "実施している (yes), 一部実施している (partial), 実施していない (no) or わからない (unknown)";
inline constexpr char kSc21Options[] = "実施している (yes) or 実施していない (no)";

}  // namespace shindan::test
