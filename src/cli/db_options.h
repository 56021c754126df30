// The --db and --survey options, one help text each for every command that takes them, and what the
// database commands (db, backup, restore) do with the URL.
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

// Adds `--survey NAME`, a survey of the database. `*name` is the default, said in the help when it
// is not empty ("default" for most commands).
void AddSurveyOption(CLI::App& app, std::string* name);

// Parses --db; prints the error and returns nullopt when it is not a URL we know.
std::optional<StoreUrl> ParseDb(CommandContext& ctx, const std::string& url);

// What `backup` and `restore` print for a PostgreSQL URL: PostgreSQL's own tools, with `file`.
void PrintPgDumpHelp(CommandContext& ctx, const std::string& url, const std::string& file);

}  // namespace shindan
