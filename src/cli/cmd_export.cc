// shindan export [--db URL] [--survey NAME] --format csv|xlsx|json [--encoding utf-8|shift_jis] -o FILE
// Writes the survey's latest responses (docs/import.md); the file appears only when complete.
#include <CLI/CLI.hpp>

#include <ostream>

#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/stored_survey.h"
#include "exchange/export.h"

namespace shindan {

int RunExport(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "調査の最新の回答を取込形式（横持ち CSV）、XLSX または JSON Lines で書き出します / Writes a survey's latest "
      "responses as the wide CSV of the import, XLSX or JSON lines.",
      "export");
  std::string output, lang, db = kDefaultStoreUrl, survey = "default", format_text, encoding_text;
  app.add_option("-o,--output", output, "出力ファイル / output file")->required();
  app.add_option("--format", format_text, "形式 csv、xlsx または json（JSON Lines）/ format: csv, xlsx or json (JSON lines)")
      ->required();
  app.add_option("--encoding", encoding_text,
                 "CSV の文字コード utf-8（BOM 付き、既定）または shift_jis / CSV encoding: utf-8 with a BOM (default) or shift_jis");
  app.add_option("--db", db, "データベース（既定 ./shindan.db、sqlite:PATH、postgresql://…）/ database URL (default ./shindan.db)");
  app.add_option("--survey", survey, "書き出す調査名（既定 default）/ survey to export (default \"default\")");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  ExportOptions options;
  Result<ExportFormat> format = ParseExportFormat(format_text);
  if (!format.ok()) {
    ctx.Error("--format: " + format.status().message());
    return kExitBadInput;
  }
  options.format = *format;
  if (!encoding_text.empty()) {
    Result<Encoding> e = ParseEncoding(encoding_text);
    if (!e.ok()) {
      ctx.Error("--encoding: " + e.status().message());
      return kExitBadInput;
    }
    if (*e != Encoding::kUtf8 && options.format != ExportFormat::kCsv) {
      ctx.Error("--encoding " + encoding_text + " — expected it only with --format csv (XLSX and JSON are always UTF-8)");
      return kExitBadInput;
    }
    options.encoding = *e;
  }

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  int exit_code = kExitOk;
  std::optional<StoredSurvey> opened = OpenStoredSurvey(ctx, db, survey, &exit_code);
  if (!opened) return exit_code;
  Store& store = *opened->store;
  const int64_t survey_id = opened->id;
  RecordSource source = [&](const std::function<Status(const CompanyRecord&)>& fn) {
    return store.ScanLatest(survey_id, fn);
  };
  Result<ExportSummary> summary = ExportFile(*catalog, source, output, options);
  if (!summary.ok()) {
    ctx.Error(summary.status().message());
    return ExitCodeFor(summary.status());
  }
  AuditEntry audit;
  audit.actor = "cli";
  audit.action = "export";
  audit.subject = "survey:" + survey;
  audit.detail = output + ": " + std::to_string(summary->companies) + " companies as " + format_text;
  if (Status s = store.Audit(audit); !s.ok()) {
    ctx.Error(s.message());
    return ExitCodeFor(s);
  }
  ctx.out << "調査「" << survey << "」の " << summary->companies << " 社を書き出しました: " << output << " / exported "
          << summary->companies << (summary->companies == 1 ? " company" : " companies") << " of survey " << survey
          << " to " << output << "\n";
  return kExitOk;
}

}  // namespace shindan
