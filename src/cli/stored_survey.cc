#include "cli/stored_survey.h"

#include <filesystem>

#include "cli/command.h"

namespace shindan {

std::optional<StoredSurvey> OpenStoredSurvey(CommandContext& ctx, const std::string& db, const std::string& survey,
                                             int* exit_code) {
  auto fail = [&](const std::string& message, int code) -> std::optional<StoredSurvey> {
    ctx.Error(message);
    *exit_code = code;
    return std::nullopt;
  };
  if (Result<StoreUrl> url = ParseStoreUrl(db); url.ok() && url->kind == StoreUrl::Kind::kSqlite) {
    std::error_code ec;
    if (!std::filesystem::exists(url->target, ec)) {
      return fail("--db " + db + ": no such database — expected a file written by `shindan import`", kExitBadInput);
    }
  }
  Result<std::unique_ptr<Store>> opened = Store::Open(db);
  if (!opened.ok()) return fail(opened.status().message(), ExitCodeFor(opened.status()));
  Result<std::optional<int64_t>> found = (*opened)->FindSurvey(survey);
  if (!found.ok()) return fail(found.status().message(), ExitCodeFor(found.status()));
  if (!found->has_value()) {
    std::string names;
    if (Result<std::vector<SurveyInfo>> all = (*opened)->ListSurveys(); all.ok()) {
      for (const SurveyInfo& s : *all) names += (names.empty() ? "" : ", ") + s.name;
    }
    return fail("--survey '" + survey + "': no such survey — expected " +
                    (names.empty() ? std::string("a survey imported with `shindan import --survey NAME`") : "one of: " + names),
                kExitBadInput);
  }
  return StoredSurvey{std::move(*opened), **found};
}

}  // namespace shindan
