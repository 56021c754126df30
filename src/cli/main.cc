#include <unistd.h>

#include <iostream>

#include "cli/command.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  shindan::CommandContext ctx{std::cin, std::cout, std::cerr};
  ctx.interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  int code = shindan::RunCli(std::move(args), ctx);
  std::cout.flush();
  return code;
}
