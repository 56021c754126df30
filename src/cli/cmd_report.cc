// shindan report --format md|json [--input FILE] [-o PATH] [--lang ja|en] [--min-cell K]
#include <CLI/CLI.hpp>

#include <ostream>

#include "analytics/aggregate.h"
#include "base/file.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "report/report.h"
#include "report/survey_source.h"

namespace shindan {

int RunReport(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app("調査の集計表（本文の表4〜10と付録A）を作ります / Makes the survey report (the seed's tables 4–10 and 付録A).",
               "report");
  std::string input, output, lang, format;
  int min_cell = 0;
  app.add_option("--input", input, "回答の CSV（取込形式）/ responses as a wide CSV (import layout)")->required();
  app.add_option("--format", format, "出力形式 / output format: md or json")->required()->check(CLI::IsMember({"md", "json"}));
  app.add_option("-o,--output", output, "出力先（省略時は標準出力）/ output file (default: standard output)");
  app.add_option("--min-cell", min_cell, "回答数が K 未満の数値を伏せる / suppress figures drawn from fewer than K respondents")
      ->check(CLI::NonNegativeNumber);
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  Result<std::string> bytes = FileSystem::Disk().ReadFile(input);
  if (!bytes.ok()) {
    ctx.Error(bytes.status().message());
    return kExitFailure;
  }
  Result<std::string> text = ToUtf8(*bytes, DetectEncoding(*bytes));
  if (!text.ok()) {
    ctx.Error(text.status().WithContext(input).message());
    return kExitBadInput;
  }
  Result<std::unique_ptr<Snapshot>> snapshot = SnapshotFromCsv(*catalog, *text, input);
  if (!snapshot.ok()) {
    ctx.Error(snapshot.status().message());
    return kExitBadInput;
  }
  AggregateState state = Aggregate(**snapshot, 2);
  ReportOptions options;
  options.min_cell = min_cell;
  options.lang = ctx.lang;
  options.survey = input;
  std::string doc = format == "json" ? ReportJson(*catalog, **snapshot, state, options) + "\n"
                                     : ReportMarkdown(*catalog, **snapshot, state, options);
  if (output.empty()) {
    ctx.out << doc;
    return kExitOk;
  }
  Status s = FileSystem::Disk().WriteFile(output, doc);
  if (!s.ok()) {
    ctx.Error(s.message());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace shindan
