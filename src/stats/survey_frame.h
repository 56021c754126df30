// A survey's population frame, kept in its database (Store::SetSurveyFrame) so that every server
// on it weights by the same counts: attached by `shindan frame attach` and `shindan serve --demo`,
// checked as `frame check` checks a file, and read back by the result page (web/peers.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "stats/frame.h"

namespace shindan {

class Catalog;
class Store;

// Checks `text` (UTF-8, read from `path`) as ParseFrame does — every disagreement named by `path`,
// line and column — and, when it is a frame, stores it as the survey's frame (replacing any it had)
// under the file's name without its folders, which the result page shows. A bad frame stores
// nothing. NotFound for an unknown survey.
Result<Frame> AttachFrame(const Catalog& catalog, Store& store, int64_t survey_id, std::string_view text,
                          const std::string& path);

// The survey's frame, parsed; nullopt when it has none. InvalidInput naming the survey's frame when
// the stored text is no longer a frame for this catalog (an industry label it no longer knows).
Result<std::optional<Frame>> AttachedFrame(const Catalog& catalog, Store& store, int64_t survey_id);

}  // namespace shindan
