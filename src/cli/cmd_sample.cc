// shindan sample --companies FILE --design FILE --seed N -o FILE [--id COL]
// A reproducible stratified draw with reserves from a company list (stats/sample.h); writes the
// drawn companies and prints, per cell, target, reserves, available and shortfall.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>

#include "base/file.h"
#include "base/text.h"
#include "cli/command.h"
#include "cli/print_table.h"
#include "cli/read_text.h"
#include "stats/estimate.h"
#include "stats/sample.h"

namespace shindan {

int RunSample(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "企業リストから層別無作為抽出（予備つき、再現可能）/ Draws a reproducible stratified random sample with "
      "reserves from a company list.",
      "sample");
  std::string lang, companies_file, design_file, output;
  SampleOptions options;
  app.add_option("--companies", companies_file, "企業リストの CSV / the company list (CSV)")->required();
  app.add_option("--design", design_file, "設計ファイル / the design file")->required();
  app.add_option("--seed", options.seed, "乱数の種 / the random seed (the same seed, the same draw)")->required();
  app.add_option("-o,--output", output, "抽出結果の CSV / where to write the drawn companies")->required();
  app.add_option("--id", options.id_column, "企業 ID の列 / the id column (default company_id)");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  int exit_code = kExitOk;
  std::optional<SampleDesign> design = ReadParsed(ctx, design_file, &exit_code, [&](const std::string& contents) {
    return ParseSampleDesign(contents, design_file);
  });
  if (!design) return exit_code;
  std::optional<DataTable> companies = ReadParsed(ctx, companies_file, &exit_code, [&](const std::string& contents) {
    return ReadDataTable(contents, companies_file);
  });
  if (!companies) return exit_code;
  Result<SampleDraw> draw = DrawSample(*companies, *design, options);
  if (!draw.ok()) {
    ctx.Error(draw.status().message());
    return kExitBadInput;
  }
  Status s = FileSystem::Disk().WriteFile(output, SampleCsv(*companies, *design, *draw));
  if (!s.ok()) {
    ctx.Error(s.message());
    return kExitFailure;
  }
  std::vector<std::vector<std::string>> rows = {{"セル / cell", "目標 / target", "予備 / reserve", "該当 / available",
                                                 "抽出 / drawn", "予備抽出 / reserves drawn", "不足 / shortfall"}};
  int64_t shortfall_total = 0;
  for (size_t c = 0; c < design->cells.size(); ++c) {
    const DesignCell& cell = design->cells[c];
    const CellTally& t = draw->cells[c];
    const int64_t shortfall = std::max<int64_t>(0, cell.target + cell.reserve - t.available);
    shortfall_total += shortfall;
    rows.push_back({cell.label, GroupThousands(cell.target), GroupThousands(cell.reserve), GroupThousands(t.available),
                    GroupThousands(t.main), GroupThousands(t.reserve), shortfall ? GroupThousands(shortfall) : ""});
  }
  ctx.out << output << ": " << draw->drawn.size() << " 社 / companies (seed " << options.seed << ")\n\n";
  PrintTable(ctx.out, rows);
  ctx.out << "\nどのセルにも入らない企業 / companies in no cell: " << GroupThousands(draw->outside) << "\n";
  if (shortfall_total) {
    ctx.err << "shindan sample: 注意 / note: " << shortfall_total
            << " 件の不足 — 該当企業が目標と予備に足りないセルがあります / places short: some cells have fewer "
               "companies than target + reserves\n";
  }
  return kExitOk;
}

}  // namespace shindan
