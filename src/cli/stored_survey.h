// Opening an existing survey of a database for reading (export, report): the database must exist
// (reading never creates one, nor migrates it: it never waits for a writer) and the survey must be
// there; otherwise a message naming what was given and what was expected, and the exit code.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cli/exit_code.h"
#include "store/store.h"

namespace shindan {

struct CommandContext;

struct StoredSurvey {
  std::unique_ptr<Store> store;
  int64_t id = 0;
};

// A reader never changes the database; a writer (a command that changes a survey, such as
// `frame attach`) brings an older schema up to date on open, as Store::Open does, but never creates
// a database: a mistyped --db is an error, not a new empty file.
enum class SurveyAccess { kRead, kWrite };

// On failure prints the error through `ctx`, sets *exit_code and returns nullopt.
std::optional<StoredSurvey> OpenStoredSurvey(CommandContext& ctx, const std::string& db, const std::string& survey,
                                             int* exit_code, SurveyAccess access = SurveyAccess::kRead);

}  // namespace shindan
