// Running one sub-command in-process with captured output. For tests only: header-only, so it
// never enters the core library.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"

namespace shindan::test {

struct Ran {
  int code;
  std::string out, err;
};

// Runs `run` with `args` against the source tree's data; an argument starting "@/" names a file
// of the source tree ("@/tests/fixtures/…").
inline Ran Call(int (*run)(CommandContext&, std::vector<std::string>), std::vector<std::string> args,
                Lang lang = Lang::kJa) {
  std::istringstream in;
  std::ostringstream out, err;
  CommandContext ctx{in, out, err};
  ctx.lang = lang;
  ctx.data_dir = SHINDAN_SOURCE_ROOT;
  for (std::string& a : args) {
    if (a.rfind("@/", 0) == 0) a = std::string(SHINDAN_SOURCE_ROOT) + a.substr(1);
  }
  int code = run(ctx, std::move(args));
  return {code, out.str(), err.str()};
}

}  // namespace shindan::test
