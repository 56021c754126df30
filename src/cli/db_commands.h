// The database sub-commands: `shindan db migrate|status|rebuild`, `shindan backup`, `shindan restore`.
// (The lead adds them to the command table in cli.cc.)
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace shindan {

struct CommandContext;

// Adds `--db URL` (default ./shindan.db) to a command's parser; every command that touches the
// database takes it.
void AddDbOption(CLI::App& app, std::string* url);

// shindan db migrate [--db URL]   applies pending migrations and reports the schema version
// shindan db status  [--db URL]   reports the schema version and pending migrations, changes nothing
int RunDb(CommandContext& ctx, std::vector<std::string> args);
// shindan db rebuild [--db URL] [--survey NAME]   rebuilds the columnar copy of one survey (or of
// every survey) from its rows (cmd_db_rebuild.cc)
int RunDbRebuild(CommandContext& ctx, std::vector<std::string> args);
// shindan backup [--db URL] -o FILE   SQLite online backup; PostgreSQL: explains pg_dump, exit 2
int RunBackup(CommandContext& ctx, std::vector<std::string> args);
// shindan restore [--db URL] FILE     replaces the SQLite database with a backup; PostgreSQL: pg_restore, exit 2
int RunRestore(CommandContext& ctx, std::vector<std::string> args);

}  // namespace shindan
