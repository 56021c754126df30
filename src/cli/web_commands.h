// The web application's commands: `serve` (cmd_serve.cc) and `invite` (cmd_invite.cc).
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shindan {

int RunServe(CommandContext& ctx, std::vector<std::string> args);
int RunInvite(CommandContext& ctx, std::vector<std::string> args);

}  // namespace shindan
