// shindan estimate --data FILE --var COL [design options] [--prop VALUE] [--total] [--by COL]
//                  [--lonely-psu R] [--ci normal|t] [--level L] [--json]
// shindan estimate --survey NAME [--frame FILE] [--db URL] [--by size_type|industry] [--json]
// Design-based estimates from any CSV (stats/estimate.h) as a table, or with --json as
// {"estimates": [{"domain", "estimate", "se", "ci_low", "ci_high", "n", "deff", …}, …]}; or the
// population estimates of a stored survey weighted by a frame. docs/statistics.md.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "analytics/aggregate.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/db_options.h"
#include "cli/print_table.h"
#include "cli/read_text.h"
#include "cli/stored_survey.h"
#include "report/report.h"
#include "analytics/column_copy.h"
#include "analytics/survey_source.h"
#include "stats/estimate.h"
#include "stats/frame.h"

namespace shindan {

namespace {

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

namespace {

// The population estimates of a stored survey, weighted by `frame_file` or, without one, by the
// survey's own frame (`shindan frame attach`) — the figures of the report's population section
// (docs/statistics.md §7), printed as `estimate` prints its own.
int RunStoredEstimate(CommandContext& ctx, const std::string& db, const std::string& survey, const std::string& frame_file,
                      const std::string& by, bool json) {
  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  int exit_code = kExitOk;
  std::optional<StoredSurvey> stored = OpenStoredSurvey(ctx, db, survey, &exit_code);
  if (!stored) return exit_code;
  std::optional<Frame> frame = FrameOfSurvey(ctx, *catalog, &*stored, frame_file, &exit_code);
  if (!frame) {
    if (exit_code != kExitOk) return exit_code;
    ctx.Error("survey " + survey + " has no population frame — give --frame FILE, or attach one with `shindan frame attach --survey " +
              survey + " FILE`");
    return kExitBadInput;
  }
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
    if (e.contains("base")) o["base"] = e["base"];
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
  ctx.out << "調査「" << survey << "」の母集団推計（" << frame->source << " で重み付け、回答 " << figures["respondents"].dump()
          << " 社、対象外 " << figures["excluded"].dump() << " 社）/ population estimates of survey " << survey << " weighted by "
          << frame->source << "\n";
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
      std::snprintf(line, sizeof line, "%-18s %-10s %10.4f  SE %8.4f  95%% CI [%.4f, %.4f]  n=%d%s\n",
                    o["statistic"].get<std::string>().c_str(), o["domain"].is_null() ? "" : o["domain"].get<std::string>().c_str(),
                    num("estimate"), num("se"), num("ci_low"), num("ci_high"), static_cast<int>(num("n")),
                    o.value("base", "") == "applicable" ? "  該当企業のみ / among companies it applies to" : "");
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
  AddSurveyOption(app, &survey);
  AddDbOption(app, &db);
  app.add_option("--frame", frame_file, "母集団の枠（表1の形の CSV）/ the population frame (a CSV laid out as 表1)");
  app.add_option("--strata", design_spec.strata, "層の列 / the stratum column");
  app.add_option("--cluster", design_spec.cluster,
                 "集落の列（多段抽出では段ごとにカンマ区切り A,B）/ the cluster (PSU) column; for a multistage "
                 "design one column per stage, A,B");
  app.add_option("--fpc", design_spec.fpc,
                 "有限母集団修正の列：層の母集団の大きさ（集落抽出では集落数、多段では段ごとに F1,F2）/ finite "
                 "population correction: the stratum's population size (with --cluster, its number of clusters; "
                 "multistage: one column per stage, F1,F2), or the sampling fraction");
  std::string lonely = "fail", ci = "normal";
  app.add_option("--lonely-psu", lonely,
                 "PSU が 1 つの層の扱い（R の survey.lonely.psu）/ a stratum with one PSU, as R's "
                 "options(survey.lonely.psu): fail (default), remove, certainty, adjust, average")
      ->check(CLI::IsMember({"fail", "remove", "certainty", "adjust", "average"}));
  app.add_option("--ci", ci, "信頼区間：normal（既定）か t（自由度は設計の df）/ interval: normal (default) or t on the design's df")
      ->check(CLI::IsMember({"normal", "t"}));
  app.add_option("--level", spec.interval.level, "信頼水準（既定 0.95）/ confidence level (default 0.95)")
      ->check(CLI::Range(0.5, 0.9999));
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
  app.footer(
      "--data の代わりに保存済みの調査から平均合計点・合格率・各項目の実施率を推定 / from a stored survey instead of --data: "
      "the mean total, the pass rate and each item's implementation rate —\n"
      "  --survey NAME [--frame FILE] [--db URL] [--by size_type|industry]\n"
      "  （--frame を省くと調査に付けた枠（shindan frame attach）で重み付け / without --frame, weighted by the survey's "
      "attached frame, shindan frame attach）");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  if (app.count("--prop")) spec.prop = prop;
  design_spec.lonely_psu = *ParseLonelyPsu(lonely);
  if (ci == "t") spec.interval.kind = IntervalKind::kT;
  if (!survey.empty()) {
    if (!data_file.empty() || !spec.var.empty()) {
      ctx.Error("--survey " + survey + " — expected either --survey NAME [--frame FILE] or --data FILE --var COL, not both");
      return kExitBadInput;
    }
    if (!spec.by.empty() && spec.by != "size_type" && spec.by != "industry") {
      ctx.Error("--by " + spec.by + " — expected size_type or industry for a stored survey (the frame's dimensions)");
      return kExitBadInput;
    }
    return RunStoredEstimate(ctx, db, survey, frame_file, spec.by, json);
  }
  if (data_file.empty() || spec.var.empty()) {
    ctx.Error("--data FILE and --var COL are needed — or --survey NAME [--frame FILE] to estimate from a stored survey");
    return kExitBadInput;
  }
  if (!population_file.empty() && design_spec.poststrata.empty()) {
    ctx.Error("--population " + population_file + " needs --poststrata COL, the column its counts are for");
    return kExitBadInput;
  }

  int exit_code = kExitOk;
  std::optional<DataTable> data = ReadParsed(
      ctx, data_file, &exit_code, [&](const std::string& contents) { return ReadDataTable(contents, data_file); });
  if (!data) return exit_code;
  if (!population_file.empty()) {
    std::optional<PopulationCounts> pop =
        ReadParsed(ctx, population_file, &exit_code, [&](const std::string& contents) {
          return ParsePopulationCounts(contents, population_file, design_spec.poststrata);
        });
    if (!pop) return exit_code;
    design_spec.population = std::move(pop).value();
  }
  Result<Design> design = Design::Build(*data, design_spec);
  if (!design.ok()) {
    ctx.Error(design.status().message());
    return kExitBadInput;
  }
  std::vector<std::string> warnings;
  Result<std::vector<Estimate>> estimates = EstimateAll(*data, *design, spec, &warnings);
  if (!estimates.ok()) {
    ctx.Error(estimates.status().message());
    return kExitBadInput;
  }
  for (const std::string& w : warnings) ctx.err << "shindan estimate: 注意 / note: " << w << "\n";
  const double level = 100 * spec.interval.level;
  const double q = IntervalQuantile(spec.interval, design->degrees_of_freedom());

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
      o["ci"] = {{"kind", ci}, {"level", spec.interval.level}, {"quantile", JsonNumber(q)}};
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
  char pct_text[32];
  std::snprintf(pct_text, sizeof pct_text, "%g%%", level);
  const std::string pct = pct_text;
  std::vector<std::vector<std::string>> rows = {
      {"領域 / domain", "推定値 / estimate", "標準誤差 / SE", pct + " 信頼区間 / CI", "n", "推定母集団 / N̂", "deff"}};
  for (const Estimate& e : *estimates) {
    rows.push_back({e.domain ? *e.domain : "全体 / all", Number(e.estimate), Number(e.se),
                    Number(e.ci_low) + " – " + Number(e.ci_high), std::to_string(e.n), Number(e.population),
                    std::isfinite(e.deff) ? Number(e.deff) : "—"});
  }
  PrintTable(ctx.out, rows);
  char quantile[32];
  std::snprintf(quantile, sizeof quantile, "%.6f", q);
  if (spec.interval.kind == IntervalKind::kNormal) {
    ctx.out << "\n" << pct << " 信頼区間は正規近似（z = " << quantile << "、R の confint() と同じ）/ " << pct
            << " intervals: normal approximation, z = " << quantile << ", as R's confint()";
  } else {
    const std::string df = std::to_string(design->degrees_of_freedom());
    ctx.out << "\n" << pct << " 信頼区間は自由度 " << df << " の t 分布（t = " << quantile << "、R の confint(df = degf()) と同じ）/ "
            << pct << " intervals: Student's t on the design's " << df << " df, t = " << quantile
            << ", as R's confint(df = degf(design))";
  }
  ctx.out << (spec.prop ? "; R の svyciprop() の既定はロジット区間 / R's svyciprop() defaults to a logit interval" : "") << ".\n";
  return kExitOk;
}

}  // namespace shindan
