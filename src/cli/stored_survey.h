// Opening an existing survey of a database for reading (export, report): the database must exist
// (reading never creates one, nor migrates it: it never waits for a writer) and the survey must be
// there; otherwise a message naming what was given and what was expected, and the exit code.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cli/exit_code.h"
#include "stats/frame.h"
#include "store/store.h"

namespace shindan {

class Catalog;
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

// The population frame a survey's figures are weighted by: the file `frame_file` when given
// (checked as `frame check` checks it), else the stored survey's own frame (`shindan frame attach`;
// none when `stored` is null). nullopt with *exit_code untouched when there is neither; nullopt
// with the problems printed and *exit_code set when the file or the attached frame does not check.
std::optional<Frame> FrameOfSurvey(CommandContext& ctx, const Catalog& catalog, const StoredSurvey* stored,
                                   const std::string& frame_file, int* exit_code);

}  // namespace shindan
