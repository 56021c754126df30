#include "cli/stored_survey.h"

#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/read_text.h"
#include "stats/survey_frame.h"
#include "store/migrations.h"

namespace shindan {

std::optional<StoredSurvey> OpenStoredSurvey(CommandContext& ctx, const std::string& db, const std::string& survey,
                                             int* exit_code, SurveyAccess access) {
  auto fail = [&](const std::string& message, int code) -> std::optional<StoredSurvey> {
    ctx.Error(message);
    *exit_code = code;
    return std::nullopt;
  };
  // A reader never creates a database nor changes its schema, so it never waits for a writer; a
  // writer migrates (after that the version check below passes).
  OpenOptions options;
  options.create_if_missing = false;
  options.migrate = access == SurveyAccess::kWrite;
  Result<std::unique_ptr<Store>> opened = Store::Open(db, options);
  if (!opened.ok() && opened.status().code() == Status::Code::kNotFound) {
    return fail("--db " + RedactUrl(db) + ": no such database — expected a file written by `shindan import`", kExitBadInput);
  }
  if (!opened.ok()) return fail(opened.status().message(), ExitCodeFor(opened.status()));
  Result<int> version = (*opened)->SchemaVersion();
  if (!version.ok()) return fail(version.status().message(), ExitCodeFor(version.status()));
  if (*version < LatestSchemaVersion()) {
    return fail("--db " + RedactUrl(db) + ": the database has schema version " + std::to_string(*version) +
                    ", older than this shindan (" + std::to_string(LatestSchemaVersion()) +
                    ") — run `shindan db migrate --db " + RedactUrl(db) + "` first",
                kExitFailure);
  }
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

std::optional<Frame> FrameOfSurvey(CommandContext& ctx, const Catalog& catalog, const StoredSurvey* stored,
                                   const std::string& frame_file, int* exit_code) {
  if (!frame_file.empty()) {
    return ReadParsed(ctx, frame_file, exit_code, [&](const std::string& contents) {
      return ParseFrame(contents, frame_file, IndustryLookupFor(catalog.profile()));
    });
  }
  if (!stored) return std::nullopt;
  Result<std::optional<Frame>> attached = AttachedFrame(catalog, *stored->store, stored->id);
  if (!attached.ok()) {
    ReportReadFailure(ctx, attached.status(), exit_code);
    return std::nullopt;
  }
  return std::move(attached).value();
}

}  // namespace shindan
