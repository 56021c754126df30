// shindan score FILE [--instrument ID] [--json] [--allow-missing]
#include <CLI/CLI.hpp>

#include <ostream>

#include "base/file.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/result_text.h"
#include "diagnosis/diagnosis.h"

namespace shindan {

int RunScore(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app("回答シートを採点し、結果と対策を表示します / Scores an answer sheet and shows the result and advice.",
               "score");
  std::string file, lang, instrument = instrument_id::kSelfCheck;
  bool json = false, allow_missing = false;
  app.add_option("FILE", file, "回答シート（JSON または取込形式の CSV 1行）/ answer sheet: JSON, or CSV in the import layout with one row")
      ->required();
  app.add_option("--instrument", instrument, "採点する診断票 / instrument to score (default self-check-2009)");
  app.add_flag("--json", json, "結果を JSON で出力 / print the result as JSON");
  app.add_flag("--allow-missing", allow_missing, "未回答の項目を0点として採点 / score unanswered items as 0 and list them");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  const Instrument* ins = catalog->Find(instrument);
  if (!ins || ins->scoring.method != Scoring::Method::kPoints) {
    std::string ids;
    for (const Instrument& i : catalog->instruments()) {
      if (i.scoring.method == Scoring::Method::kPoints) ids += (ids.empty() ? "" : ", ") + i.id;
    }
    ctx.Error("--instrument '" + instrument + "' — expected an instrument scored by points: " + ids);
    return kExitBadInput;
  }
  Result<RawResponse> raw = ReadSheet(FileSystem::Disk(), file, *catalog, instrument);
  if (!raw.ok()) {
    ctx.Error(raw.status().message());
    return ExitCodeFor(raw.status());
  }
  Result<Response> response = ValidateResponse(*catalog, *raw, {instrument, allow_missing});
  if (!response.ok()) {
    ctx.Error(response.status().message());
    return kExitBadInput;
  }
  std::unique_ptr<Diagnosis> d = Diagnose(*catalog, *response, instrument);
  if (json) ctx.out << DiagnosisJson(*catalog, *d) << "\n";
  else PrintDiagnosis(ctx.out, ctx.lang, *catalog, *d);
  return kExitOk;
}

}  // namespace shindan
