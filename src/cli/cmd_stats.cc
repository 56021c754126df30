// shindan frame check FILE
// shindan estimate --data FILE --var COL [design options] [--prop VALUE] [--total] [--by COL] [--json]
// shindan estimate --survey NAME --frame FILE [--db URL] [--by size_type|industry] [--json]
// shindan design --design FILE | --frame FILE --n N --method M [--sd FILE] [--min K] [-o FILE] [--json]
// shindan sample --companies FILE --design FILE --seed N -o FILE [--id COL]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "analytics/aggregate.h"
#include "base/file.h"
#include "base/text.h"
#include "catalog/catalog.h"
#include "cli/read_text.h"
#include "cli/stats_commands.h"
#include "cli/stored_survey.h"
#include "report/report.h"
#include "analytics/column_copy.h"
#include "analytics/survey_source.h"
#include "stats/allocation.h"
#include "stats/estimate.h"
#include "stats/frame.h"
#include "stats/sample.h"

namespace shindan {

namespace {

// Pads `s` on the left (right-aligns) or right to `width` terminal columns.
std::string Pad(const std::string& s, int width, bool right_align) {
  const int w = DisplayWidth(s);
  if (w >= width) return s;
  const std::string fill(static_cast<size_t>(width - w), ' ');
  return right_align ? fill + s : s + fill;
}

// Prints rows as columns: the first left-aligned, the others right-aligned.
void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<int> width;
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], DisplayWidth(r[c]));
    }
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      if (c) line += "  ";
      line += Pad(r[c], width[c], c > 0);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

// About five significant digits, never in exponent form, thousands grouped: 662.29, 9.4089,
// 3,687,178, 0.81456. "—" for a value that cannot be computed.
std::string Number(double x) {
  if (!std::isfinite(x)) return "—";
  int decimals = 0;
  if (x != 0) decimals = std::clamp(4 - static_cast<int>(std::floor(std::log10(std::fabs(x)))), 0, 8);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s = buf;
  const size_t start = s[0] == '-' ? 1 : 0;
  size_t point = s.find('.');
  if (point == std::string::npos) point = s.size();
  for (size_t i = point; i > start + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

nlohmann::ordered_json JsonNumber(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

const char* StatisticJa(const EstimateSpec& spec) {
  if (spec.prop) return spec.total ? "件数" : "割合";
  return spec.total ? "合計" : "平均";
}

}  // namespace

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
  std::optional<std::string> text = ReadText(ctx, file, &exit_code);
  if (!text) return exit_code;
  Result<Frame> frame = ParseFrame(*text, file, IndustryLookupFor(catalog->profile()));
  if (!frame.ok()) {
    ctx.Error(frame.status().message());
    return kExitBadInput;
  }
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

namespace {

// The population estimates of a stored survey, weighted by `frame_file` — the figures of the
// report's population section (docs/statistics.md §7), printed as `estimate` prints its own.
int RunStoredEstimate(CommandContext& ctx, const std::string& db, const std::string& survey, const std::string& frame_file,
                      const std::string& by, bool json) {
  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  int exit_code = kExitOk;
  std::optional<std::string> text = ReadText(ctx, frame_file, &exit_code);
  if (!text) return exit_code;
  Result<Frame> frame = ParseFrame(*text, frame_file, IndustryLookupFor(catalog->profile()));
  if (!frame.ok()) {
    ctx.Error(frame.status().message());
    return kExitBadInput;
  }
  std::optional<StoredSurvey> stored = OpenStoredSurvey(ctx, db, survey, &exit_code);
  if (!stored) return exit_code;
  Result<std::unique_ptr<Snapshot>> snapshot = SnapshotForReport(*catalog, *stored->store, [&] { return Store::Open(db); }, stored->id);
  if (!snapshot.ok()) {
    ctx.Error(snapshot.status().message());
    return ExitCodeFor(snapshot.status());
  }
  ReportOptions options;
  options.frame = &*frame;
  const nlohmann::ordered_json figures =
      nlohmann::ordered_json::parse(ReportJson(*catalog, **snapshot, Aggregate(**snapshot, 2), options))["population"];
  // One row per statistic (and domain): the mean total, the pass rate, and without --by each item.
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  auto add = [&](const std::string& statistic, const nlohmann::ordered_json& domain, const nlohmann::ordered_json& e) {
    nlohmann::ordered_json o;
    o["statistic"] = statistic;
    o["domain"] = domain;
    for (const char* key : {"estimate", "se", "ci_low", "ci_high", "n"}) o[key] = e.contains(key) ? e[key] : nullptr;
    if (e.contains("not_computable")) o["not_computable"] = e["not_computable"];
    if (!by.empty()) o["by"] = by;
    list.push_back(std::move(o));
  };
  if (by.empty()) {
    add("mean_total", nullptr, figures["mean_total"]);
    add("pass_rate", nullptr, figures["pass_rate"]);
    for (auto it = figures["items"].begin(); it != figures["items"].end(); ++it) add("implemented." + it.key(), nullptr, it.value());
  } else {
    for (const char* statistic : {"mean_total", "pass_rate"}) {
      for (auto it = figures["by"][by].begin(); it != figures["by"][by].end(); ++it) add(statistic, it.key(), it.value()[statistic]);
    }
  }
  if (json) {
    nlohmann::ordered_json doc;
    doc["frame"] = figures["frame"];
    doc["population"] = figures["population"];
    doc["respondents"] = figures["respondents"];
    doc["excluded"] = figures["excluded"];
    doc["estimates"] = std::move(list);
    ctx.out << doc.dump(1) << "\n";
    return kExitOk;
  }
  ctx.out << "調査「" << survey << "」の母集団推計（" << frame_file << " で重み付け、回答 " << figures["respondents"].dump()
          << " 社、対象外 " << figures["excluded"].dump() << " 社）/ population estimates of survey " << survey << " weighted by "
          << frame_file << "\n";
  for (const auto& o : list) {
    char line[256];
    if (o.contains("not_computable")) {
      std::snprintf(line, sizeof line, "%-18s %-10s not computable: %s\n", o["statistic"].get<std::string>().c_str(),
                    o["domain"].is_null() ? "" : o["domain"].get<std::string>().c_str(), o["not_computable"].get<std::string>().c_str());
    } else if (o["estimate"].is_null()) {
      std::snprintf(line, sizeof line, "%-18s %-10s –\n", o["statistic"].get<std::string>().c_str(),
                    o["domain"].is_null() ? "" : o["domain"].get<std::string>().c_str());
    } else {
      auto num = [&](const char* k) { return o[k].is_number() ? o[k].get<double>() : std::nan(""); };
      std::snprintf(line, sizeof line, "%-18s %-10s %10.4f  SE %8.4f  95%% CI [%.4f, %.4f]  n=%d\n",
                    o["statistic"].get<std::string>().c_str(), o["domain"].is_null() ? "" : o["domain"].get<std::string>().c_str(),
                    num("estimate"), num("se"), num("ci_low"), num("ci_high"), static_cast<int>(num("n")));
    }
    ctx.out << line;
  }
  return kExitOk;
}

}  // namespace

int RunEstimate(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "標本から母集団の平均・合計・割合を推定します（標準誤差・95% 信頼区間・デザイン効果つき）/ "
      "Estimates population means, totals and proportions from a sample, with standard errors, 95% "
      "confidence intervals and design effects (docs/statistics.md).",
      "estimate");
  std::string lang, data_file, population_file;
  DesignSpec design_spec;
  EstimateSpec spec;
  std::string prop;
  bool json = false;
  std::string db = kDefaultStoreUrl, survey, frame_file;
  app.add_option("--data", data_file, "標本の CSV（1 行 1 単位）/ the sample as CSV, one row per unit");
  app.add_option("--var", spec.var, "推定する列 / the column to estimate");
  app.add_option("--survey", survey,
                 "--data の代わりに保存済みの調査から推定（--frame が必要）/ estimate from a stored survey instead of --data "
                 "(needs --frame): mean total, pass rate and each item's implementation rate");
  app.add_option("--db", db, "データベース（既定 ./shindan.db）/ database URL (default ./shindan.db)");
  app.add_option("--frame", frame_file, "母集団の枠（表1の形の CSV）/ the population frame (a CSV laid out as 表1)");
  app.add_option("--strata", design_spec.strata, "層の列 / the stratum column");
  app.add_option("--cluster", design_spec.cluster, "集落（第 1 次抽出単位）の列 / the cluster (PSU) column");
  app.add_option("--fpc", design_spec.fpc,
                 "有限母集団修正の列：層の母集団の大きさ（集落抽出では集落数）/ finite population correction: the "
                 "stratum's population size (with --cluster, its number of clusters), or the sampling fraction");
  app.add_option("--weights", design_spec.weights,
                 "抽出ウェイトの列（省略時 N_h/n_h）/ sampling weights (default N_h/n_h)");
  app.add_option("--prop", prop, "VALUE の割合を推定 / estimate the share of rows where the column equals VALUE");
  app.add_flag("--total", spec.total, "平均でなく合計 / the population total instead of the mean");
  app.add_option("--by", spec.by, "領域（サブグループ）の列 / one estimate per value of this column (domains)");
  app.add_option("--poststrata", design_spec.poststrata, "事後層の列 / the post-stratification column");
  app.add_option(
      "--population", population_file,
      "事後層ごとの母集団数の CSV（COLNAME,count）/ population counts per post-stratum, a CSV COLNAME,count");
  app.add_flag("--json", json, "JSON で出力 / print JSON");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  if (app.count("--prop")) spec.prop = prop;
  if (!survey.empty()) {
    if (!data_file.empty() || !spec.var.empty()) {
      ctx.Error("--survey " + survey + " — expected either --survey NAME --frame FILE or --data FILE --var COL, not both");
      return kExitBadInput;
    }
    if (frame_file.empty()) {
      ctx.Error("--survey " + survey + " needs --frame FILE, the population counts the estimates are weighted by");
      return kExitBadInput;
    }
    if (!spec.by.empty() && spec.by != "size_type" && spec.by != "industry") {
      ctx.Error("--by " + spec.by + " — expected size_type or industry for a stored survey (the frame's dimensions)");
      return kExitBadInput;
    }
    return RunStoredEstimate(ctx, db, survey, frame_file, spec.by, json);
  }
  if (data_file.empty() || spec.var.empty()) {
    ctx.Error("--data FILE and --var COL are needed — or --survey NAME --frame FILE to estimate from a stored survey");
    return kExitBadInput;
  }
  if (!population_file.empty() && design_spec.poststrata.empty()) {
    ctx.Error("--population " + population_file + " needs --poststrata COL, the column its counts are for");
    return kExitBadInput;
  }

  int exit_code = kExitOk;
  std::optional<std::string> text = ReadText(ctx, data_file, &exit_code);
  if (!text) return exit_code;
  Result<DataTable> data = ReadDataTable(*text, data_file);
  if (!data.ok()) {
    ctx.Error(data.status().message());
    return kExitBadInput;
  }
  if (!population_file.empty()) {
    std::optional<std::string> pop_text = ReadText(ctx, population_file, &exit_code);
    if (!pop_text) return exit_code;
    Result<PopulationCounts> pop = ParsePopulationCounts(*pop_text, population_file, design_spec.poststrata);
    if (!pop.ok()) {
      ctx.Error(pop.status().message());
      return kExitBadInput;
    }
    design_spec.population = std::move(pop).value();
  }
  Result<Design> design = Design::Build(*data, design_spec);
  if (!design.ok()) {
    ctx.Error(design.status().message());
    return kExitBadInput;
  }
  Result<std::vector<Estimate>> estimates = EstimateAll(*data, *design, spec);
  if (!estimates.ok()) {
    ctx.Error(estimates.status().message());
    return kExitBadInput;
  }

  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Estimate& e : *estimates) {
      nlohmann::ordered_json o;
      o["domain"] = e.domain ? nlohmann::ordered_json(*e.domain) : nlohmann::ordered_json(nullptr);
      o["estimate"] = JsonNumber(e.estimate);
      o["se"] = JsonNumber(e.se);
      o["ci_low"] = JsonNumber(e.ci_low);
      o["ci_high"] = JsonNumber(e.ci_high);
      o["n"] = e.n;
      o["deff"] = JsonNumber(e.deff);
      o["population"] = JsonNumber(e.population);
      o["statistic"] = StatisticName(spec);
      o["variable"] = spec.var;
      if (spec.prop) o["value"] = *spec.prop;
      if (!spec.by.empty()) o["by"] = spec.by;
      o["df"] = design->degrees_of_freedom();
      list.push_back(std::move(o));
    }
    nlohmann::ordered_json doc;
    doc["estimates"] = std::move(list);
    ctx.out << doc.dump(1) << "\n";
    return kExitOk;
  }

  std::string what = std::string(StatisticJa(spec)) + " / " + StatisticName(spec) + " — " + spec.var;
  if (spec.prop) what += " = " + *spec.prop;
  if (!spec.by.empty()) what += "、領域 / by " + spec.by;
  ctx.out << what << "\n" << design->description() << "\n\n";
  std::vector<std::vector<std::string>> rows = {
      {"領域 / domain", "推定値 / estimate", "標準誤差 / SE", "95% 信頼区間 / CI", "n", "推定母集団 / N̂", "deff"}};
  for (const Estimate& e : *estimates) {
    rows.push_back({e.domain ? *e.domain : "全体 / all", Number(e.estimate), Number(e.se),
                    Number(e.ci_low) + " – " + Number(e.ci_high), std::to_string(e.n), Number(e.population),
                    std::isfinite(e.deff) ? Number(e.deff) : "—"});
  }
  PrintTable(ctx.out, rows);
  ctx.out << "\n95% 信頼区間は正規近似（z = 1.959964、R の confint() と同じ）/ 95% intervals: normal approximation, "
             "z = 1.959964, as R's confint()"
          << (spec.prop ? "; R の svyciprop() の既定はロジット区間 / R's svyciprop() defaults to a logit interval" : "")
          << ".\n";
  return kExitOk;
}

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
    std::optional<std::string> text = ReadText(ctx, design_file, &exit_code);
    if (!text) return exit_code;
    Result<SampleDesign> d = ParseSampleDesign(*text, design_file);
    if (!d.ok()) {
      ctx.Error(d.status().message());
      return kExitBadInput;
    }
    design = std::move(d).value();
  } else {
    if (method_name.empty() || !app.count("--n")) {
      ctx.Error("--frame needs --n N and --method equal|proportional|neyman");
      return kExitBadInput;
    }
    std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
    if (!catalog) return kExitFailure;
    IndustryLookup lookup = IndustryLookupFor(catalog->profile());
    std::optional<std::string> text = ReadText(ctx, frame_file, &exit_code);
    if (!text) return exit_code;
    Result<Frame> frame = ParseFrame(*text, frame_file, lookup);
    if (!frame.ok()) {
      ctx.Error(frame.status().message());
      return kExitBadInput;
    }
    AllocationMethod method = *ParseAllocationMethod(method_name);
    std::vector<double> sd;
    if (method == AllocationMethod::kNeyman) {
      if (sd_file.empty()) {
        ctx.Error("--method neyman needs --sd FILE, the standard deviation of each cell");
        return kExitBadInput;
      }
      std::optional<std::string> sd_text = ReadText(ctx, sd_file, &exit_code);
      if (!sd_text) return exit_code;
      Result<std::vector<double>> parsed = ParseFrameSds(*sd_text, sd_file, *frame, lookup);
      if (!parsed.ok()) {
        ctx.Error(parsed.status().message());
        return kExitBadInput;
      }
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
  std::optional<std::string> design_text = ReadText(ctx, design_file, &exit_code);
  if (!design_text) return exit_code;
  Result<SampleDesign> design = ParseSampleDesign(*design_text, design_file);
  if (!design.ok()) {
    ctx.Error(design.status().message());
    return kExitBadInput;
  }
  std::optional<std::string> text = ReadText(ctx, companies_file, &exit_code);
  if (!text) return exit_code;
  Result<DataTable> companies = ReadDataTable(*text, companies_file);
  if (!companies.ok()) {
    ctx.Error(companies.status().message());
    return kExitBadInput;
  }
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
