#include "cli/command.h"
namespace shindan {
int RunTake(CommandContext&, std::vector<std::string>) { return 0; }
}
