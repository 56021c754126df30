// The SQLite store (Debian's libsqlite3): one file, WAL, the embedded default.
// Reached through Store::Open; the backup functions are for `shindan backup` / `shindan restore`.
#pragma once

#include <memory>
#include <string>

#include "base/file.h"
#include "base/status.h"
#include "store/store.h"

namespace shindan {

// Opens the database file `path` — created when missing with options.create_if_missing — (WAL,
// foreign keys on, 5 s busy timeout, synchronous=NORMAL) and, with options.migrate, applies
// pending migrations. Nothing is written to a file that is not a shindan database (or empty).
// REQUIRES: options.now is set (Store::Open sets it).
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const OpenOptions& options);

// Copies the database at `db_path` to the file `out_path` with SQLite's online backup API, while
// other connections go on reading and writing. The copy is written through `fs`'s staged file
// (base/file.h, NewStagedFile): built beside `out_path`, flushed and renamed over it only when
// complete, so `out_path` is the old file or the whole backup, never half of one. A pipe or a
// device as `out_path` is refused (InvalidInput), untouched: a database cannot be streamed.
Status SqliteBackup(const std::string& db_path, const std::string& out_path, FileSystem& fs = FileSystem::Disk());

// Replaces the database at `db_path` (created when missing) with the backup `backup_path`, after
// checking that the backup is an intact shindan database no newer than this build and that the
// target is a shindan database or empty (another program's database is refused, untouched). A
// backup that cannot be read is an IoError ("cannot read"). The copy runs in one transaction on
// the target: on any failure the target is left as it was. Connections that have the target open
// see the restored content afterwards.
Status SqliteRestore(const std::string& backup_path, const std::string& db_path);

}  // namespace shindan
