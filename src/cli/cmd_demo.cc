// shindan demo [-o FILE] [--companies N] [--seed S]
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <ostream>

#include "base/file.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/progress_bar.h"
#include "exchange/demo.h"

namespace shindan {

int RunDemo(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "2009年調査の集計結果を再現するデモ調査データ（取込形式 CSV）を作ります / Writes a demo survey in the "
      "import layout; with the defaults its figures match the 2009 survey.",
      "demo");
  std::string output, lang;
  DemoOptions options;
  app.add_option("-o,--output", output, "出力ファイル（省略時は標準出力）/ output file (default: standard output)");
  app.add_option("--companies", options.companies,
                 "企業数（既定 66：2009年調査と同数。他の数では各集計値を比例配分）/ number of companies (default 66, "
                 "as in 2009; other numbers scale every figure)");
  app.add_option("--seed", options.seed, "乱数の種（既定 2009）/ random seed (default 2009)");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  if (options.companies < 1 || options.companies > kMaxDemoCompanies) {
    ctx.Error("--companies " + std::to_string(options.companies) + " — expected a whole number from 1 to " +
              std::to_string(kMaxDemoCompanies));
    return kExitBadInput;
  }

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;

  std::unique_ptr<ProgressBar> bar;
  if (options.companies >= 100000 && isatty(STDERR_FILENO))
    bar = std::make_unique<ProgressBar>(ctx.err, "作成中 / writing");
  auto progress = [&](long long done) {
    if (bar) bar->Update(static_cast<uint64_t>(done), static_cast<uint64_t>(options.companies));
  };

  if (output.empty() || output == "-") {
    Status s = WriteDemoSurvey(
        *catalog, options,
        [&](std::string_view chunk) {
          ctx.out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
          return ctx.out ? Status::Ok() : Status::IoError("standard output: write failed");
        },
        progress);
    ctx.out.flush();
    if (!s.ok()) {
      ctx.Error(s.message());
      return ExitCodeFor(s);
    }
    return kExitOk;
  }

  // Through a WritableFile: a failure never leaves half a survey where a good file was, and a
  // pipe or device (/dev/null) is written in place.
  Result<std::unique_ptr<WritableFile>> file = FileSystem::Disk().NewWritableFile(output);
  Status s = file.status();
  if (s.ok()) {
    s = WriteDemoSurvey(*catalog, options, [&](std::string_view chunk) { return (*file)->Append(chunk); }, progress);
  }
  if (s.ok()) s = (*file)->Commit();
  if (!s.ok()) {
    ctx.Error(s.message());
    return ExitCodeFor(s);
  }
  return kExitOk;
}

}  // namespace shindan
