#include "cli/command.h"
namespace shindan {
int RunDemo(CommandContext&, std::vector<std::string>) { return 0; }
}
