// The --db option and what the database commands (db, backup, restore) do with its URL.
#pragma once

#include <optional>
#include <string>

#include "store/store.h"

namespace CLI {
class App;
}

namespace shindan {

struct CommandContext;

// Adds `--db URL` (default ./shindan.db) to a command's parser; every command that touches the
// database takes it.
void AddDbOption(CLI::App& app, std::string* url);

// Parses --db; prints the error and returns nullopt when it is not a URL we know.
std::optional<StoreUrl> ParseDb(CommandContext& ctx, const std::string& url);

// What `backup` and `restore` print for a PostgreSQL URL: PostgreSQL's own tools, with `file`.
void PrintPgDumpHelp(CommandContext& ctx, const std::string& url, const std::string& file);

// The exit code of the database commands for a failed Status: 2 for invalid input or a missing
// thing that was named, 1 otherwise.
int ExitFor(const Status& s);

}  // namespace shindan
