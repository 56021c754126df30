#include "cli/exit_code.h"

#include "cli/command.h"

namespace shindan {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kInvalidInput:
    case Status::Code::kNotFound:
      return kExitBadInput;
    case Status::Code::kIoError:
    case Status::Code::kInternal:
      return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace shindan
