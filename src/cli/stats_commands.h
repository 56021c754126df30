// The survey-statistics sub-commands (docs/statistics.md):
//   shindan frame check FILE
//   shindan estimate --data FILE --var COL [--strata COL] [--cluster COL] [--fpc COL] [--weights COL]
//                    [--prop VALUE] [--total] [--by COL] [--poststrata COL --population FILE] [--json]
//   shindan design --design FILE | --frame FILE --n N --method equal|proportional|neyman [--sd FILE]
//                  [--min K] [--reserve-ratio R] [-o FILE] [--json]
//   shindan sample --companies FILE --design FILE --seed N -o FILE [--id COL]
// Exit codes as in cli/command.h: 0 done, 1 the environment failed (a file cannot be read),
// 2 bad input (a frame whose totals disagree, a bad cell, an impossible design) or usage.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shindan {

// `frame check FILE`: reads a population frame (stats/frame.h), checks every row and column total
// against its cells, and prints a summary (exit 0) or every disagreement (exit 2).
int RunFrame(CommandContext& ctx, std::vector<std::string> args);

// `estimate`: design-based estimates from any CSV (stats/estimate.h) as a table, or with --json
// as {"estimates": [{"domain", "estimate", "se", "ci_low", "ci_high", "n", "deff", …}, …]}.
int RunEstimate(CommandContext& ctx, std::vector<std::string> args);

// `design`: shows a design file (fixed quotas, e.g. data/designs/ipa-2009.json), or allocates n over
// the cells of a frame (stats/allocation.h) and prints or writes the design.
int RunDesign(CommandContext& ctx, std::vector<std::string> args);

// `sample`: a reproducible stratified draw with reserves from a company list (stats/sample.h);
// writes the drawn companies and prints, per cell, target, reserves, available and shortfall.
int RunSample(CommandContext& ctx, std::vector<std::string> args);

}  // namespace shindan
