// The one table from a failed Status to the exit code of a command (README.md, "Exit status").
#pragma once

#include "base/status.h"

namespace shindan {

// The exit code (kExitOk, kExitFailure or kExitBadInput of cli/command.h) for `s`:
//   kOk            0
//   kInvalidInput  2  bad input or usage
//   kNotFound      2  something named by the user (a survey, an instrument, a company id) that is
//                     not there: the user fixes the name. A missing *file* is kIoError, not this.
//   kIoError       1  a file or database that cannot be read or written
//   kInternal      1  a failure of the program or its data, not of the input
int ExitCodeFor(const Status& s);

}  // namespace shindan
