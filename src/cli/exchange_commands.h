// The sub-commands that move surveys in and out of the database (docs/import.md):
//   shindan import [--db URL] [--survey NAME] [--encoding utf-8|shift_jis] [--format csv|jsonl] FILE
//   shindan export [--db URL] [--survey NAME] --format csv|xlsx|json [--encoding utf-8|shift_jis] -o FILE
// Exit codes as in cli/command.h: 0 done, 1 the environment failed (I/O, database), 2 bad input.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shindan {

// All or nothing: a file with any problem prints every problem (the first 100, then a count),
// changes nothing and exits 2. FILE "-" reads standard input.
int RunImport(CommandContext& ctx, std::vector<std::string> args);

// Writes the survey's latest responses; the file appears only when complete.
int RunExport(CommandContext& ctx, std::vector<std::string> args);
// shindan notes [--db URL] [--survey NAME] FILE   interview notes (exchange/notes.h), all or nothing
int RunNotes(CommandContext& ctx, std::vector<std::string> args);

}  // namespace shindan
