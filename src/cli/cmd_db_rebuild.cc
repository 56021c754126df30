// shindan db rebuild [--db URL] [--survey NAME]: the columnar copies rebuilt from the rows.
#include <CLI/CLI.hpp>

#include "analytics/column_copy.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/db_options.h"
#include "cli/stored_survey.h"
#include "store/store.h"

namespace shindan {

int RunDbRebuild(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "調査の列形式コピー（レポートと同業比較が読むもの）を回答の行から作り直します / Rebuilds the columnar copy of a "
      "survey (what the report and the peer percentile read) from its rows.",
      "db rebuild");
  std::string url = kDefaultStoreUrl, survey, lang;
  AddDbOption(app, &url);
  app.add_option("--survey", survey, "調査名（省略時はすべて）/ survey name (default: every survey)");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  std::vector<std::pair<std::string, int64_t>> surveys;
  std::unique_ptr<Store> store;
  if (!survey.empty()) {
    int exit_code = 0;
    std::optional<StoredSurvey> stored = OpenStoredSurvey(ctx, url, survey, &exit_code);
    if (!stored) return exit_code;
    store = std::move(stored->store);
    surveys.emplace_back(survey, stored->id);
  } else {
    Result<std::unique_ptr<Store>> opened = Store::Open(url);
    if (!opened.ok()) {
      ctx.Error(opened.status().message());
      return ExitCodeFor(opened.status());
    }
    store = std::move(opened).value();
    Result<std::vector<SurveyInfo>> all = store->ListSurveys();
    if (!all.ok()) {
      ctx.Error(all.status().message());
      return ExitCodeFor(all.status());
    }
    for (const SurveyInfo& s : *all) surveys.emplace_back(s.name, s.id);
  }
  for (const auto& [name, id] : surveys) {
    if (Status s = RebuildCopy(*catalog, *store, id); !s.ok()) {
      ctx.Error("survey " + name + ": " + s.message());
      return ExitCodeFor(s);
    }
    Result<bool> current = CopyIsCurrent(*catalog, *store, id);
    if (!current.ok()) {
      ctx.Error("survey " + name + ": " + current.status().message());
      return ExitCodeFor(current.status());
    }
    if (*current) {
      ctx.out << "調査「" << name << "」の列形式コピーを作り直しました / rebuilt the columnar copy of survey " << name << "\n";
    } else {
      ctx.out << "調査「" << name << "」: 読めない回答があるため列形式コピーなし（レポートは行から読みます）/ survey " << name
              << ": no columnar copy, a stored record cannot be read with these instruments (the report reads the rows)\n";
    }
  }
  return kExitOk;
}

}  // namespace shindan
