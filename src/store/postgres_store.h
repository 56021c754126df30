// The PostgreSQL store (Debian's libpq): several `shindan serve` processes share one database.
// Reached through Store::Open.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "store/store.h"

namespace shindan {

// Connects with a libpq URI ("postgresql://user@host:port/dbname?…") and, with options.migrate,
// applies pending migrations (serialised between processes by an advisory lock).
// REQUIRES: options.now is set (Store::Open sets it).
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const OpenOptions& options);

}  // namespace shindan
