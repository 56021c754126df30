// The catalog of the source tree (instruments/, data/), loaded once per test binary. For tests
// only: header-only, so it never enters the core library.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "base/file.h"
#include "catalog/catalog.h"

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

}  // namespace shindan::test
