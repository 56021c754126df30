#include "stats/survey_frame.h"

#include <filesystem>

#include "catalog/catalog.h"
#include "store/store.h"

namespace shindan {

Result<Frame> AttachFrame(const Catalog& catalog, Store& store, int64_t survey_id, std::string_view text,
                          const std::string& path) {
  Result<Frame> frame = ParseFrame(text, path, IndustryLookupFor(catalog.profile()));
  if (!frame.ok()) return frame.status();
  // Only the name: the page shows it to respondents, who have no business with the organiser's folders.
  const std::string name = std::filesystem::path(path).filename().string();
  if (Status s = store.SetSurveyFrame(survey_id, name, std::string(text)); !s.ok()) return s;
  frame->source = name;
  return frame;
}

Result<std::optional<Frame>> AttachedFrame(const Catalog& catalog, Store& store, int64_t survey_id) {
  Result<std::optional<Store::StoredFrame>> stored = store.SurveyFrame(survey_id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return std::optional<Frame>();
  Result<Frame> frame = ParseFrame((*stored)->body, (*stored)->source, IndustryLookupFor(catalog.profile()));
  if (!frame.ok()) {
    return Status::InvalidInput("the survey's frame " + (*stored)->source + " (attached " + (*stored)->attached_at +
                                ") no longer checks — attach it again with `shindan frame attach`:\n" +
                                frame.status().message());
  }
  return std::optional<Frame>(std::move(frame).value());
}

}  // namespace shindan
