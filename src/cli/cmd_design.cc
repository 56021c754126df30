// shindan design --design FILE | --frame FILE --n N --method equal|proportional|neyman [--sd FILE]
//                [--min K] [--reserve-ratio R] [-o FILE] [--json]
// Shows a design file (fixed quotas, e.g. data/designs/ipa-2009.json), or allocates n over the cells
// of a frame (stats/allocation.h) and prints or writes the design. docs/statistics.md.
#include <CLI/CLI.hpp>
#include <ostream>

#include "base/file.h"
#include "base/text.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/print_table.h"
#include "cli/read_text.h"
#include "stats/allocation.h"
#include "stats/frame.h"
#include "stats/sample.h"

namespace shindan {

namespace {

void PrintDesign(std::ostream& out, const SampleDesign& d) {
  out << d.id << ": " << d.title.ja << " / " << d.title.en << "\n\n";
  bool has_population = false;
  for (const DesignCell& c : d.cells) has_population |= c.population.has_value();
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"セル / cell"};
  if (has_population) head.push_back("母集団 / N_h");
  head.insert(head.end(), {"目標 / target", "予備 / reserve"});
  rows.push_back(head);
  int64_t population = 0, reserve = 0;
  for (const DesignCell& c : d.cells) {
    std::vector<std::string> r = {c.label};
    if (has_population) r.push_back(c.population ? GroupThousands(*c.population) : "—");
    r.insert(r.end(), {GroupThousands(c.target), GroupThousands(c.reserve)});
    rows.push_back(r);
    population += c.population.value_or(0);
    reserve += c.reserve;
  }
  std::vector<std::string> total = {"合計 / total"};
  if (has_population) total.push_back(GroupThousands(population));
  total.insert(total.end(), {GroupThousands(d.TotalTarget()), GroupThousands(reserve)});
  rows.push_back(total);
  PrintTable(out, rows);
}

}  // namespace

int RunDesign(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "標本設計：固定割当の設計ファイルを表示するか、母集団枠に n を割り当てます / Shows a design file "
      "(fixed quotas), or allocates n over the cells of a frame: equal, proportional or Neyman.",
      "design");
  std::string lang, design_file, frame_file, method_name, sd_file, output;
  int64_t n = 0, minimum = 0;
  double reserve_ratio = 1;
  bool json = false;
  app.add_option("--design", design_file,
                 "設計ファイル（固定割当）/ a design file (fixed quotas), e.g. "
                 "data/designs/ipa-2009.json");
  app.add_option("--frame", frame_file, "母集団枠 / the population frame to allocate over");
  app.add_option("--n", n, "標本の大きさ / the sample size")->check(CLI::NonNegativeNumber);
  app.add_option("--method", method_name, "割当方法 / allocation: equal, proportional or neyman")
      ->check(CLI::IsMember({"equal", "proportional", "neyman"}));
  app.add_option("--sd", sd_file,
                 "Neyman 割当の層別標準偏差（枠と同じ形）/ stratum standard deviations for Neyman, "
                 "laid out as the frame without totals");
  app.add_option("--min", minimum, "各層の最小数 / the minimum per stratum")->check(CLI::NonNegativeNumber);
  app.add_option("--reserve-ratio", reserve_ratio, "目標 1 件あたりの予備数 / reserves per place (default 1)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("-o,--output", output, "設計を JSON で書き出す / write the design as JSON");
  app.add_flag("--json", json, "設計を JSON で表示 / print the design as JSON");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  if (design_file.empty() == frame_file.empty()) {
    ctx.Error("give either --design FILE (show a design) or --frame FILE --n N --method M (allocate)");
    return kExitBadInput;
  }

  int exit_code = kExitOk;
  SampleDesign design;
  if (!design_file.empty()) {
    std::optional<SampleDesign> d = ReadParsed(ctx, design_file, &exit_code, [&](const std::string& contents) {
      return ParseSampleDesign(contents, design_file);
    });
    if (!d) return exit_code;
    design = std::move(d).value();
  } else {
    if (method_name.empty() || !app.count("--n")) {
      ctx.Error("--frame needs --n N and --method equal|proportional|neyman");
      return kExitBadInput;
    }
    std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
    if (!catalog) return kExitFailure;
    IndustryLookup lookup = IndustryLookupFor(catalog->profile());
    std::optional<Frame> frame = ReadParsed(ctx, frame_file, &exit_code, [&](const std::string& contents) {
      return ParseFrame(contents, frame_file, lookup);
    });
    if (!frame) return exit_code;
    AllocationMethod method = *ParseAllocationMethod(method_name);
    std::vector<double> sd;
    if (method == AllocationMethod::kNeyman) {
      if (sd_file.empty()) {
        ctx.Error("--method neyman needs --sd FILE, the standard deviation of each cell");
        return kExitBadInput;
      }
      std::optional<std::vector<double>> parsed =
          ReadParsed(ctx, sd_file, &exit_code,
                     [&](const std::string& contents) { return ParseFrameSds(contents, sd_file, *frame, lookup); });
      if (!parsed) return exit_code;
      sd = std::move(parsed).value();
    }
    std::vector<int64_t> population;
    for (const FrameRow& r : frame->rows) population.insert(population.end(), r.counts.begin(), r.counts.end());
    Result<std::vector<int64_t>> targets = Allocate(method, population, sd, n, minimum);
    if (!targets.ok()) {
      ctx.Error(targets.status().WithContext(frame_file).message());
      return kExitBadInput;
    }
    design = DesignFromFrame(*frame, *targets, reserve_ratio, method_name + "-" + std::to_string(n));
  }
  if (!output.empty()) {
    Status s = FileSystem::Disk().WriteFile(output, SampleDesignJson(design));
    if (!s.ok()) {
      ctx.Error(s.message());
      return kExitFailure;
    }
  }
  if (json) {
    ctx.out << SampleDesignJson(design);
  } else {
    PrintDesign(ctx.out, design);
  }
  return kExitOk;
}

}  // namespace shindan
