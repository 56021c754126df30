// The database schema, as numbered migrations applied in order (both dialects side by side).
//
// Policy (docs/storage.md): a migration is never edited once released and never destroys data —
// new tables, new nullable or defaulted columns, new indexes; a column is retired by no longer
// using it. Each store applies the pending ones in one transaction and records each in
// `schema_migrations(version, name, applied_at)`, so a failed upgrade changes nothing.
#pragma once

#include <span>

namespace shindan {

struct Migration {
  int version;           // 1, 2, 3, … without gaps
  const char* name;      // short description, recorded in schema_migrations
  const char* sqlite;    // statements for SQLite (run with sqlite3_exec)
  const char* postgres;  // statements for PostgreSQL (run with PQexec)
};

// Every migration, oldest first.
std::span<const Migration> Migrations();

// The schema version this build writes: the last migration's number.
int LatestSchemaVersion();

// PRAGMA application_id of a shindan SQLite database ("SHDN"), so that `restore` and `Open` can tell
// a shindan database from another program's.
inline constexpr int kSqliteApplicationId = 0x5348444E;

// The key of the PostgreSQL advisory lock that serialises migrations between processes.
inline constexpr long long kPostgresMigrationLock = 0x5348444E0001LL;

}  // namespace shindan
