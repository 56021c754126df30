// shindan frame check FILE
// Reads a population frame (stats/frame.h), checks every row and column total against its cells,
// and prints a summary (exit 0) or every disagreement (exit 2). docs/statistics.md.
#include <CLI/CLI.hpp>
#include <ostream>

#include "base/text.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/print_table.h"
#include "cli/read_text.h"
#include "stats/frame.h"

namespace shindan {

int RunFrame(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "母集団枠（業種 × 規模の企業数、表1の形）を扱います / Works with population frames "
      "(counts of companies by industry × size type, laid out as the seed's 表1).",
      "frame");
  std::string lang, file;
  CLI::App* check =
      app.add_subcommand("check", "行と列の合計を検算する / checks every row and column total against its cells");
  check->add_option("FILE", file, "枠の CSV / the frame CSV (industry,A,B,C,total)")->required();
  app.require_subcommand(1);
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  int exit_code = kExitOk;
  std::optional<Frame> frame = ReadParsed(ctx, file, &exit_code, [&](const std::string& contents) {
    return ParseFrame(contents, file, IndustryLookupFor(catalog->profile()));
  });
  if (!frame) return exit_code;
  const Frame& f = *frame;
  ctx.out << file << ": 合計は整合しています / every total agrees with its cells — " << f.rows.size()
          << " 業種 / industries × " << f.columns.size() << " 規模 / size types, 合計 / total "
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
  return kExitOk;
}

}  // namespace shindan
