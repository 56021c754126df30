// The sub-commands of `shindan`: one table of {name, summary, function} (after Ninja's kTools),
// so that usage text and dispatch cannot drift apart.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "base/text.h"

namespace CLI {
class App;
}

namespace shindan {

class Catalog;

// Exit codes: 0 success, 1 a failure of the environment (I/O), 2 bad input or usage.
enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitBadInput = 2 };

// What every command gets: the standard streams and the options every command accepts.
struct CommandContext {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool interactive = false;  // standard input and output are terminals
  Lang lang = Lang::kJa;
  std::string data_dir;       // --data-dir; empty = Catalog::FindRoot's default

  // Loads the catalog, printing the error and returning nullptr on failure.
  std::unique_ptr<Catalog> LoadCatalog() const;
  // Prints an error headed in both languages.
  void Error(const std::string& message) const;
};

struct Command {
  const char* name;
  const char* summary_ja;
  const char* summary_en;
  // `args` are the arguments after the command name.
  int (*run)(CommandContext& ctx, std::vector<std::string> args);
};

const std::vector<Command>& Commands();

// Entry point for main() and for tests.
int RunCli(std::vector<std::string> args, CommandContext& ctx);

// Adds --lang and --data-dir to a command's parser; `lang_text` receives the raw --lang value.
void AddCommonOptions(CLI::App& app, CommandContext& ctx, std::string* lang_text);
// Parses `args`; returns -1 to go on, else the exit code (after printing help or the error).
int ParseArgs(CLI::App& app, CommandContext& ctx, std::vector<std::string> args, const std::string& lang_text);

// The text in the user's language, for the messages a command prints in one language only.
inline const char* T(Lang lang, const char* ja, const char* en) { return lang == Lang::kJa ? ja : en; }

// The sub-commands, one file each (cli/cmd_NAME.cc, whose opening comment gives the usage), in the
// order of the table in cli.cc. `args` are the arguments after the command name.
int RunTake(CommandContext& ctx, std::vector<std::string> args);
int RunScore(CommandContext& ctx, std::vector<std::string> args);
int RunInstruments(CommandContext& ctx, std::vector<std::string> args);
int RunDemo(CommandContext& ctx, std::vector<std::string> args);
int RunImport(CommandContext& ctx, std::vector<std::string> args);
int RunExport(CommandContext& ctx, std::vector<std::string> args);
int RunNotes(CommandContext& ctx, std::vector<std::string> args);
int RunReport(CommandContext& ctx, std::vector<std::string> args);
int RunFrame(CommandContext& ctx, std::vector<std::string> args);
int RunDesign(CommandContext& ctx, std::vector<std::string> args);
int RunSample(CommandContext& ctx, std::vector<std::string> args);
int RunEstimate(CommandContext& ctx, std::vector<std::string> args);
int RunDb(CommandContext& ctx, std::vector<std::string> args);
// `db rebuild`: the surveys' columnar copies rebuilt from the rows (cmd_db_rebuild.cc; RunDb dispatches).
int RunDbRebuild(CommandContext& ctx, std::vector<std::string> args);
int RunBackup(CommandContext& ctx, std::vector<std::string> args);
int RunRestore(CommandContext& ctx, std::vector<std::string> args);
int RunServe(CommandContext& ctx, std::vector<std::string> args);   // cmd_serve.cc
int RunInvite(CommandContext& ctx, std::vector<std::string> args);  // cmd_invite.cc

}  // namespace shindan
