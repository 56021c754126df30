// shindan frame check FILE
// shindan frame attach --survey NAME FILE [--db URL]
// shindan frame detach --survey NAME [--db URL]
// Reads a population frame (stats/frame.h), checks every row and column total against its cells,
// and prints a summary (exit 0) or every disagreement (exit 2). `attach` then keeps it in the
// database as the survey's frame (stats/survey_frame.h), which weights the result page's percentile;
// a bad frame stores nothing. `detach` removes it. docs/statistics.md.
#include <CLI/CLI.hpp>
#include <ostream>

#include "base/text.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/db_options.h"
#include "cli/exit_code.h"
#include "cli/print_table.h"
#include "cli/read_text.h"
#include "cli/stored_survey.h"
#include "stats/frame.h"
#include "stats/survey_frame.h"

namespace shindan {

namespace {

// The frame's summary line's tail and its table, as `check` and `attach` print them.
void PrintFrame(CommandContext& ctx, const Frame& f) {
  ctx.out << f.rows.size() << " 業種 / industries × " << f.columns.size() << " 規模 / size types, 合計 / total "
          << GroupThousands(f.grand_total) << "\n\n";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"業種 / industry"};
  for (const std::string& c : f.columns) head.push_back(c);
  head.push_back("計 / total");
  rows.push_back(head);
  for (const FrameRow& r : f.rows) {
    std::vector<std::string> row = {r.industry + "  " + r.label};
    for (int64_t v : r.counts) row.push_back(GroupThousands(v));
    row.push_back(GroupThousands(r.total));
    rows.push_back(row);
  }
  std::vector<std::string> total = {f.total_label};
  for (int64_t v : f.column_totals) total.push_back(GroupThousands(v));
  total.push_back(GroupThousands(f.grand_total));
  rows.push_back(total);
  PrintTable(ctx.out, rows);
}

int Fail(CommandContext& ctx, const Status& s) {
  ctx.Error(s.message());
  return ExitCodeFor(s);
}

}  // namespace

int RunFrame(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "母集団枠（業種 × 規模の企業数、表1の形）を扱います / Works with population frames "
      "(counts of companies by industry × size type, laid out as the seed's 表1).",
      "frame");
  std::string lang, file, db = kDefaultStoreUrl, survey;
  CLI::App* check =
      app.add_subcommand("check", "行と列の合計を検算する / checks every row and column total against its cells");
  check->add_option("FILE", file, "枠の CSV / the frame CSV (industry,A,B,C,total)")->required();
  CLI::App* attach = app.add_subcommand(
      "attach",
      "検算した枠を調査の母集団枠としてデータベースに保存する（結果画面のパーセンタイルを重み付け）/ checks a frame "
      "and keeps it in the database as the survey's frame (it weights the result page's percentile)");
  attach->add_option("FILE", file, "枠の CSV（UTF-8 または Shift_JIS）/ the frame CSV (UTF-8 or Shift_JIS)")
      ->required();
  CLI::App* detach = app.add_subcommand("detach", "調査の母集団枠を外す / removes the survey's frame");
  for (CLI::App* sub : {attach, detach}) {
    AddDbOption(*sub, &db);
    AddSurveyOption(*sub, &survey);
  }
  app.require_subcommand(1);
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  if ((attach->parsed() || detach->parsed()) && survey.empty()) {
    ctx.Error("--survey — expected the survey's name");
    return kExitBadInput;
  }
  if ((attach->parsed() || detach->parsed()) && !ParseDb(ctx, db)) return kExitBadInput;

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  int exit_code = kExitOk;

  if (detach->parsed()) {
    std::optional<StoredSurvey> opened = OpenStoredSurvey(ctx, db, survey, &exit_code, SurveyAccess::kWrite);
    if (!opened) return exit_code;
    Result<std::optional<Store::StoredFrame>> before = opened->store->SurveyFrame(opened->id);
    if (!before.ok()) return Fail(ctx, before.status());
    Result<bool> removed = opened->store->RemoveSurveyFrame(opened->id);
    if (!removed.ok()) return Fail(ctx, removed.status());
    if (!*removed) {
      ctx.out << "調査 " << survey << " には母集団枠がありません。何も変えていません / survey " << survey
              << " has no frame: nothing changed\n";
      return kExitOk;
    }
    const std::string removed_source = *before ? (*before)->source : "";
    opened->store->Audit({0, "", "cli", "frame-detach", "survey:" + survey, removed_source});
    ctx.out << "調査 " << survey << " の母集団枠 " << removed_source << " を外しました / removed the frame "
            << removed_source << " of survey " << survey << "\n";
    return kExitOk;
  }

  // check and attach: the file first, so that a bad frame never opens the database.
  std::optional<std::string> text = ReadText(ctx, file, &exit_code);
  if (!text) return exit_code;
  Result<Frame> parsed = ParseFrame(*text, file, IndustryLookupFor(catalog->profile()));
  if (!parsed.ok()) return Fail(ctx, parsed.status());
  if (check->parsed()) {
    ctx.out << file << ": 合計は整合しています / every total agrees with its cells — ";
    PrintFrame(ctx, *parsed);
    return kExitOk;
  }
  std::optional<StoredSurvey> opened = OpenStoredSurvey(ctx, db, survey, &exit_code, SurveyAccess::kWrite);
  if (!opened) return exit_code;
  Result<std::optional<Store::StoredFrame>> before = opened->store->SurveyFrame(opened->id);
  if (!before.ok()) return Fail(ctx, before.status());
  Result<Frame> attached = AttachFrame(*catalog, *opened->store, opened->id, *text, file);
  if (!attached.ok()) return Fail(ctx, attached.status());
  opened->store->Audit({0, "", "cli", "frame-attach", "survey:" + survey,
                        attached->source + ": " + GroupThousands(attached->grand_total) + " companies" +
                            (*before ? " (replaced " + (*before)->source + ")" : "")});
  ctx.out << file << ": 調査 " << survey << " の母集団枠にしました / attached as the population frame of survey "
          << survey;
  if (*before) ctx.out << "（" << (*before)->source << " を置き換え / replacing " << (*before)->source << "）";
  ctx.out << " — ";
  PrintFrame(ctx, *attached);
  return kExitOk;
}

}  // namespace shindan
