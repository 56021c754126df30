// The one Status → exit code table (README.md "Exit status"); every row also runs through the real
// binary in tests/cli_cases_exit_codes.json and tests/cli_test.cc.
#include "cli/exit_code.h"

#include <gtest/gtest.h>

#include "cli/command.h"

namespace shindan {
namespace {

TEST(ExitCode, OneRowPerStatusCode) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(Status::InvalidInput("x")), 2);
  EXPECT_EQ(ExitCodeFor(Status::NotFound("x")), 2);
  EXPECT_EQ(ExitCodeFor(Status::IoError("x")), 1);
  EXPECT_EQ(ExitCodeFor(Status::Internal("x")), 1);
}

// Regression (issue 9): three copies disagreed — NotFound was 2 in `db` and `notes`, 1 in `export`,
// `report` and `import`.
TEST(ExitCode, NotFoundIsAUsageErrorEverywhere) {
  EXPECT_EQ(ExitCodeFor(Status::NotFound("--survey 'x': no such survey")), kExitBadInput);
}

}  // namespace
}  // namespace shindan
