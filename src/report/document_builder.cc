// The report's figures (figures.h) laid out as the seed's tables: 表4–10, the 採点表 and ワースト
// 項目表 of 付録A, the org checklist, certification and awareness. Every number comes from the JSON
// tree, so a suppressed figure (null) is suppressed in every format.
#include <algorithm>
#include <cstdio>
#include <string>

#include "report/figures.h"

namespace shindan {

namespace {

using Json = nlohmann::ordered_json;
using Kind = TableCell::Kind;

// A figure of the JSON as the tables show it. The JSON is exact; the tables have always been made
// from figures first rounded a little finer than they are shown — shares to 4 decimals (then shown
// as a percentage with one), item means to 2, mean totals to 1, test statistics and effect sizes
// to 4, p-values to 6 — and rounding so here keeps every human format as it was. Ratios the
// builder computes itself (a band's share, a checklist rate) were never rounded first.
double Shown(double v, Kind kind) {
  switch (kind) {
    case Kind::kShare:
    case Kind::kStatistic:
      return Round(v, 4);
    case Kind::kMean:
      return Round(v, 2);
    case Kind::kScore:
      return Round(v, 1);
    case Kind::kPValue:
      return Round(v, 6);
    default:
      return v;
  }
}

TableCell Num(const Json& v, Kind kind) {
  if (v.is_null()) return TableCell::Suppressed();
  return TableCell::Number(kind, Shown(v.get<double>(), kind));
}

LocalText Both(const char* ja, const char* en) { return {ja, en}; }

// A profile table (表4–10): category, count, share, with a bar per category.
ReportTable ProfileTable(const Json& dim, std::string id, LocalText title, const std::vector<std::pair<std::string, LocalText>>& labels,
                         LocalText note = {}) {
  ReportTable t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.note = std::move(note);
  t.columns = {Both("区分", "Category"), Both("件数", "Count"), Both("構成比", "Share")};
  t.chart = ChartKind::kBars;
  t.chart_column = 2;
  for (const auto& [code, label] : labels) {
    if (!dim.contains(code)) continue;
    const Json& c = dim[code];
    LocalText name = label;
    if (c.contains("label")) name = {c["label"]["ja"].get<std::string>(), c["label"]["en"].get<std::string>()};
    t.rows.push_back({TableCell::Text(name), Num(c["count"], Kind::kCount), Num(c["share"], Kind::kShare)});
  }
  return t;
}

const std::vector<std::pair<std::string, LocalText>> kUnknown = {{"unknown", Both("不明", "Unknown")}};

std::vector<std::pair<std::string, LocalText>> With(std::vector<std::pair<std::string, LocalText>> v) {
  v.push_back(kUnknown.front());
  return v;
}

// The categories of a dimension in the figures' order, with their labels.
std::vector<std::pair<std::string, LocalText>> Categories(const Json& profile_dim) {
  std::vector<std::pair<std::string, LocalText>> out;
  for (auto it = profile_dim.begin(); it != profile_dim.end(); ++it) {
    LocalText label{it.key(), it.key()};
    if (it.value().contains("label")) {
      label = {it.value()["label"]["ja"].get<std::string>(), it.value()["label"]["en"].get<std::string>()};
    }
    out.push_back({it.key(), label});
  }
  return out;
}

const char* const kDimensions[] = {"size_type", "industry", "region"};
LocalText DimensionName(const std::string& d) {
  if (d == "size_type") return Both("従業員規模", "Size type");
  if (d == "industry") return Both("業種", "Industry");
  return Both("地域", "Region");
}

// Item text without the question's example part, short enough for a table row.
LocalText ItemLabel(const Item& item) {
  return {item.number + " " + item.text.ja, item.number + " " + item.text.en};
}

class DocumentBuilder {
 public:
  DocumentBuilder(const Snapshot& snapshot, const Json& figures, const ReportOptions& options)
      : s_(snapshot), j_(figures), o_(options) {}

  ReportDocument Build() {
    ReportDocument doc;
    doc.title = Both("情報セキュリティ対策 実態調査 集計結果", "Information security survey: results");
    doc.survey = o_.survey;
    doc.generated = o_.generated;
    doc.min_cell = o_.min_cell;
    doc.sections.push_back(Profile());
    doc.sections.push_back(SelfCheck());
    doc.sections.push_back(ByAttribute());
    doc.sections.push_back(OrgChecklist());
    doc.sections.push_back(Certification());
    if (j_.contains("population")) doc.sections.push_back(Population());
    if (j_.contains("quota")) doc.sections.push_back(Quota());
    if (j_.contains("interviews")) doc.sections.push_back(Interviews());
    return doc;
  }

 private:
  ReportSection Profile() {
    const Json& p = j_["profile"];
    ReportSection s;
    s.title = Both("回答企業の属性", "Respondents");
    s.facts.push_back({Both("回答企業数", "Respondents"), Num(j_["respondents"], Kind::kCount), {}});
    s.tables.push_back(ProfileTable(p["size_type"], "table04_size_type", Both("表4 従業員規模の分布", "Table 4 Size type"),
                                    Categories(p["size_type"])));
    s.tables.push_back(ProfileTable(p["industry"], "table05_industry", Both("表5 業種分類の分布", "Table 5 Industry"),
                                    Categories(p["industry"])));
    s.tables.push_back(ProfileTable(p["region"], "table06_region", Both("表6 地域分類の分布", "Table 6 Region"),
                                    Categories(p["region"])));
    s.tables.push_back(ProfileTable(p["sites"], "table07_sites", Both("表7 拠点数の分布", "Table 7 Sites"),
                                    With({{"1", Both("1拠点", "1 site")},
                                          {"2-3", Both("2〜3拠点", "2–3 sites")},
                                          {"4+", Both("4拠点以上", "4 or more sites")}})));
    const auto people = With({{"0", Both("0人（専任者なし）", "0 (none)")},
                              {"1", Both("1人", "1")},
                              {"2-3", Both("2〜3人", "2–3")},
                              {"4+", Both("4人以上", "4 or more")}});
    s.tables.push_back(ProfileTable(p["it_staff"], "table08_it_staff",
                                    Both("表8 情報システム部門の人数の分布", "Table 8 IT staff"), people));
    s.tables.push_back(ProfileTable(p["it_uses"], "table09_it_uses",
                                    Both("表9 IT導入状況、用途の分布（複数回答）", "Table 9 IT uses (multiple answers)"),
                                    {{"core", Both("基幹系", "Core business systems")},
                                     {"info", Both("情報系", "Information systems")},
                                     {"front", Both("フロント系（Web・EC）", "Front office (web, e-commerce)")},
                                     {"other", Both("その他", "Other")}},
                                    Both("構成比は回答企業数に対する割合（複数回答のため合計は100%を超える）",
                                         "Shares of respondents; multiple answers, so they add up to more than 100%")));
    const auto servers = With({{"0", Both("なし", "None")},
                               {"1", Both("1台", "1")},
                               {"2-3", Both("2〜3台", "2–3")},
                               {"4+", Both("4台以上", "4 or more")}});
    s.tables.push_back(ProfileTable(p["servers"], "table10_servers", Both("表10 サーバの有無、台数の分布", "Table 10 Servers"), servers));
    return s;
  }

  ReportSection SelfCheck() {
    const Json& sc = j_["self_check"];
    const Instrument& ins = s_.primary();
    ReportSection s;
    s.title = Both("5分でできる自社診断シート 回答集計結果", "Five-minute self-check: results");
    const int pass_mark = sc["pass_mark"].get<int>();
    s.facts.push_back({{std::to_string(pass_mark) + "点以上", std::to_string(pass_mark) + " or more"},
                       Num(sc["passed"], Kind::kCount), Num(sc["pass_rate"], Kind::kShare)});

    // The distribution of totals in bands of ten points (the last band 90–100).
    ReportTable hist;
    hist.id = "self_check_totals";
    hist.title = Both("合計点の分布", "Distribution of totals");
    hist.columns = {Both("合計点", "Total"), Both("件数", "Count"), Both("構成比", "Share")};
    hist.chart = ChartKind::kHistogram;
    hist.chart_column = 1;
    uint64_t bands[10] = {};
    uint64_t all = 0;
    bool suppressed = false;
    for (auto it = sc["totals"].begin(); it != sc["totals"].end(); ++it) {
      if (it.value().is_null()) {
        suppressed = true;
        continue;
      }
      int total = std::stoi(it.key());
      int band = std::clamp(total / 10, 0, 9);
      bands[band] += it.value().get<uint64_t>();
      all += it.value().get<uint64_t>();
    }
    for (int b = 0; b < 10; ++b) {
      std::string label = std::to_string(b * 10) + "–" + std::to_string(b == 9 ? 100 : b * 10 + 9);
      bool hide = o_.min_cell > 0 && bands[b] < static_cast<uint64_t>(o_.min_cell);
      TableCell count = hide || suppressed ? TableCell::Suppressed() : TableCell::Number(Kind::kCount, static_cast<double>(bands[b]));
      TableCell share = hide || suppressed || all == 0 ? TableCell::Suppressed()
                                                       : TableCell::Number(Kind::kShare, static_cast<double>(bands[b]) / static_cast<double>(all));
      hist.rows.push_back({TableCell::Untranslated(label), count, share});
    }
    s.tables.push_back(std::move(hist));

    // Per item: mean and the answer counts, the non-implementation rate.
    ReportTable items;
    items.id = "self_check_items";
    items.title = Both("質問項目別 回答状況", "Answers by item");
    items.columns = {Both("質問項目", "Item"), Both("平均点", "Mean")};
    const AnswerAlphabet& alpha = s_.alphabet();
    std::vector<std::string> codes;
    for (size_t c = 1; c < alpha.codes.size(); ++c) {
      codes.push_back(alpha.codes[c]);
      const AnswerOption* o = nullptr;
      for (const Item& item : ins.items) {
        for (const AnswerOption* cand : ins.OptionsFor(item)) {
          if (cand->code == alpha.codes[c]) o = cand;
        }
        if (o) break;
      }
      items.columns.push_back(o ? o->label : LocalText{alpha.codes[c], alpha.codes[c]});
    }
    items.columns.push_back(Both("実施していない率", "Not implemented"));
    items.chart = ChartKind::kBars;
    items.chart_column = 1;
    for (const Item& item : ins.items) {
      const Json& f = sc["items"][item.id];
      std::vector<TableCell> row = {TableCell::Text(ItemLabel(item)), Num(f["mean"], Kind::kMean)};
      for (const std::string& code : codes) {
        row.push_back(f["counts"].contains(code) ? Num(f["counts"][code], Kind::kCount) : TableCell{});
      }
      row.push_back(Num(f["not_implemented_rate"], Kind::kShare));
      items.rows.push_back(std::move(row));
    }
    s.tables.push_back(std::move(items));

    // ワースト項目表: the ten lowest means.
    ReportTable worst;
    worst.id = "self_check_worst";
    worst.title = Both("質問内容別 ワースト項目表（平均点）", "Worst items (mean points)");
    worst.columns = {Both("順位", "Rank"), Both("質問項目", "Item"), Both("平均点", "Mean"), Both("実施していない", "Not implemented"),
                     Both("実施していない率", "Not implemented (share)")};
    worst.chart = ChartKind::kBars;
    worst.chart_column = 2;
    int rank = 0;
    for (const Json& id : sc["worst"]) {
      if (++rank > 10) break;
      const Item* item = ins.FindItem(id.get<std::string>());
      const Json& f = sc["items"][id.get<std::string>()];
      // The rank with the item's number, so that the bar chart reads on its own.
      const std::string number = item ? item->number : id.get<std::string>();
      worst.rows.push_back({TableCell::Text(LocalText{std::to_string(rank) + "位 No." + number, "#" + std::to_string(rank) + " No." + number}),
                            TableCell::Text(item ? ItemLabel(*item) : LocalText{id, id}),
                            Num(f["mean"], Kind::kMean), Num(f["not_implemented"], Kind::kCount),
                            Num(f["not_implemented_rate"], Kind::kShare)});
    }
    s.tables.push_back(std::move(worst));
    return s;
  }

  // 採点表 (item × attribute means, as a heat map) and the totals and pass rates by attribute.
  ReportSection ByAttribute() {
    const Json& sc = j_["self_check"];
    const Instrument& ins = s_.primary();
    ReportSection s;
    s.title = Both("企業属性別の結果", "Results by company attribute");

    ReportTable heat;
    heat.id = "self_check_by_attribute";
    heat.title = Both("質問内容別 従業員規模・地域・業種 採点表（平均点）", "Mean points by item and attribute");
    heat.columns = {Both("質問項目", "Item"), Both("全体", "All")};
    heat.chart = ChartKind::kHeatMap;
    heat.chart_column = 1;
    int max_points = 0;
    for (const auto& pts : s_.alphabet().points) max_points = std::max(max_points, *std::max_element(pts.begin(), pts.end()));
    heat.scale_min = 0;
    heat.scale_max = max_points;
    std::vector<std::pair<std::string, std::string>> columns;  // (dimension, category)
    for (const char* d : kDimensions) {
      for (const auto& [code, label] : Categories(j_["profile"][d])) {
        if (!sc["by"][d].contains(code)) continue;
        columns.push_back({d, code});
        heat.columns.push_back(label);
      }
    }
    for (const Item& item : ins.items) {
      std::vector<TableCell> row = {TableCell::Text(LocalText{item.number, item.number}), Num(sc["items"][item.id]["mean"], Kind::kMean)};
      for (const auto& [d, code] : columns) row.push_back(Num(sc["by"][d][code]["items"][item.id], Kind::kMean));
      heat.rows.push_back(std::move(row));
    }
    s.tables.push_back(std::move(heat));

    for (const char* d : kDimensions) {
      ReportTable t;
      t.id = std::string("self_check_by_") + d;
      LocalText dn = DimensionName(d);
      t.title = {dn.ja + "別 合計点と合格率", "Totals and pass rate by " + dn.en};
      t.columns = {Both("区分", "Category"), Both("回答数", "n"), Both("平均合計点", "Mean total"), Both("合格数", "Passed"),
                   Both("合格率", "Pass rate")};
      t.chart = ChartKind::kBars;
      t.chart_column = 4;
      for (const auto& [code, label] : Categories(j_["profile"][d])) {
        if (!sc["by"][d].contains(code)) continue;
        const Json& c = sc["by"][d][code];
        t.rows.push_back({TableCell::Text(label), Num(c["n"], Kind::kCount), Num(c["mean_total"], Kind::kScore),
                          Num(c["passed"], Kind::kCount), Num(c["pass_rate"], Kind::kShare)});
      }
      s.tables.push_back(std::move(t));
    }
    s.tables.push_back(Differences());
    return s;
  }

  // Do attributes make a difference? The seed judged by eye; this says it with tests.
  ReportTable Differences() {
    const Json& diffs = j_["self_check"]["differences"];
    ReportTable t;
    t.id = "self_check_differences";
    t.title = Both("企業属性による差の検定", "Do the attributes make a difference?");
    t.columns = {Both("属性", "Attribute"),
                 Both("群数", "Groups"),
                 Both("回答数", "n"),
                 Both("クラスカル・ウォリス H", "Kruskal–Wallis H"),
                 Both("p値", "p"),
                 Both("ε²", "ε²"),
                 Both("分散分析 F", "ANOVA F"),
                 Both("p値", "p"),
                 Both("η²", "η²"),
                 Both("合格率 χ²", "Pass rate χ²"),
                 Both("p値", "p"),
                 Both("クラメールの V", "Cramér's V")};
    const bool detect = o_.detect_points.has_value();
    if (detect) {
      t.columns.push_back(Both("必要社数（1群あたり）", "Companies needed per group"));
      t.columns.push_back(Both("現在の検出力", "Power now"));
    }
    auto value = [](const Json& test, const char* key, Kind kind) {
      return test.contains(key) && test[key].is_number() ? Num(test[key], kind) : TableCell{};
    };
    bool simulated = false;
    for (const char* d : kDimensions) {
      const Json& f = diffs[d];
      const Json& kw = f["kruskal_wallis"];
      const Json& anova = f["anova"];
      const Json& pass = f["pass_rate"];
      const bool use_simulated = pass.contains("simulated_p") && pass["simulated_p"].is_number();
      simulated = simulated || use_simulated;
      std::vector<TableCell> row = {TableCell::Text(DimensionName(d)),
                                    TableCell::Number(Kind::kCount, f["groups"].get<double>()),
                                    TableCell::Number(Kind::kCount, f["n"].get<double>()),
                                    value(kw, "h", Kind::kStatistic),
                                    value(kw, "p", Kind::kPValue),
                                    value(kw, "epsilon_squared", Kind::kStatistic),
                                    value(anova, "f", Kind::kStatistic),
                                    value(anova, "p", Kind::kPValue),
                                    value(anova, "eta_squared", Kind::kStatistic),
                                    value(pass, "chi_squared", Kind::kStatistic),
                                    value(pass, use_simulated ? "simulated_p" : "p", Kind::kPValue),
                                    value(pass, "cramers_v", Kind::kStatistic)};
      if (detect) {
        const Json& det = f.contains("detect") ? f["detect"] : Json::object();
        row.push_back(value(det, "n_per_group", Kind::kCount));
        row.push_back(value(det, "current_power", Kind::kShare));
      }
      t.rows.push_back(std::move(row));
    }
    std::string ja = "p値が0.05未満なら、その属性の群の間に差があると言えます（平均点: クラスカル・ウォリス検定と分散分析、合格率: χ²検定）。"
                     "ε²・η²・V は差の大きさ（効果量）です。回答企業を単純無作為標本とみなした検定で、抽出設計の重みは考慮していません。",
                en = "A p-value under 0.05 means the groups of that attribute differ (mean totals: Kruskal–Wallis and ANOVA; "
                     "pass rates: χ² test). ε², η² and V measure how large the difference is (effect sizes). The tests treat the "
                     "respondents as a simple random sample; design weights are not used.";
    if (simulated) {
      ja += "期待度数が5未満のセルがある合格率の検定は、モンテカルロ法（10,000回、乱数の種は固定）によるp値です。";
      en += " Where an expected count is under 5, the pass-rate p-value is a Monte Carlo one (10,000 tables, fixed seed).";
    }
    if (detect) {
      char points[32];
      std::snprintf(points, sizeof points, "%g", *o_.detect_points);
      ja += std::string("必要社数は、2群の平均点の差 ") + points + " 点を有意水準5%・検出力80%で検出するのに要る1群あたりの社数、"
            "検出力は現在の最も小さい2群でその差を検出できる確率です。";
      en += std::string(" Companies needed: per group, to detect a difference of ") + points +
            " points between two groups' mean totals at the 5% level with 80% power; power now: the chance of detecting it "
            "with the two smallest groups of this survey.";
    }
    t.note = {ja, en};
    return t;
  }

  ReportSection OrgChecklist() {
    const Json& oc = j_["org_checklist"];
    ReportSection s;
    s.title = Both("組織的な対策ガイドラインの付録チェックシート 回答集計結果", "Organisational checklist: results");
    s.facts.push_back({Both("回答企業数", "Respondents"), Num(oc["respondents"], Kind::kCount), {}});
    const Instrument* sec = s_.secondary();
    if (!sec) return s;
    ReportTable t;
    t.id = "org_checklist_items";
    t.title = Both("項目別 実施状況", "Implementation by item");
    t.columns = {Both("項目", "Item"), Both("実施している", "Implemented"), Both("実施していない", "Not implemented"),
                 Both("実施率", "Implemented (share)")};
    t.chart = ChartKind::kBars;
    t.chart_column = 3;
    for (const Item& item : sec->items) {
      const Json& f = oc["items"][item.id];
      TableCell rate = TableCell::Suppressed();
      if (f["yes"].is_number() && f["no"].is_number()) {
        double yes = f["yes"].get<double>(), no = f["no"].get<double>();
        if (yes + no > 0 && !(o_.min_cell > 0 && yes + no < o_.min_cell)) rate = TableCell::Number(Kind::kShare, yes / (yes + no));
      }
      t.rows.push_back({TableCell::Text(ItemLabel(item)), Num(f["yes"], Kind::kCount), Num(f["no"], Kind::kCount), rate});
    }
    s.tables.push_back(std::move(t));
    return s;
  }

  ReportSection Certification() {
    ReportSection s;
    s.title = Both("認証取得・認知度・資格", "Certification, awareness and qualifications");
    const Json& c = j_["certified"];
    s.facts.push_back({Both("認証取得企業（Pマーク・ISMS）", "Certified companies (Pマーク, ISMS)"), Num(c["count"], Kind::kCount), {}});
    s.facts.push_back({Both("うち自社診断70点未満", "of which under 70 in the self-check"), Num(c["under_pass_mark"], Kind::kCount), {}});
    ReportTable t;
    t.id = "awareness";
    t.title = Both("IPA・ベンチマークの認知度、資格保有者", "Awareness of IPA and the benchmark, qualified staff");
    t.columns = {Both("項目", "Item"), Both("件数", "Count"), Both("構成比", "Share")};
    t.chart = ChartKind::kBars;
    t.chart_column = 2;
    const Json& a = j_["awareness"];
    const std::pair<const char*, LocalText> rows[] = {
        {"knows_ipa", Both("IPAを知っている", "Know IPA")},
        {"knows_benchmark", Both("情報セキュリティ対策ベンチマークを知っている", "Know the security benchmark")},
        {"qualified_staff", Both("情報セキュリティ関連の資格保有者がいる", "Have staff with security qualifications")}};
    for (const auto& [key, label] : rows) {
      t.rows.push_back({TableCell::Text(label), Num(a[key]["count"], Kind::kCount), Num(a[key]["share"], Kind::kShare)});
    }
    s.tables.push_back(std::move(t));
    return s;
  }

  // Quota tracking per cell of the sample design.
  ReportSection Quota() {
    const Json& q = j_["quota"];
    ReportSection s;
    s.title = Both("回収状況（抽出設計のセル別）", "Quotas by cell of the sample design");
    const Json& total = q["total"];
    auto count = [](const Json& v) { return v.is_number() ? TableCell::Number(Kind::kCount, v.get<double>()) : TableCell{}; };
    s.facts.push_back({Both("目標", "Target"), count(total["target"]), {}});
    s.facts.push_back({Both("回答", "Answered"), count(total["answered"]),
                       total["target"].get<double>() > 0
                           ? TableCell::Number(Kind::kShare, total["answered"].get<double>() / total["target"].get<double>())
                           : TableCell{}});
    s.facts.push_back({Both("不足", "Shortfall"), count(total["shortfall"]), {}});
    ReportTable t;
    t.id = "quota_cells";
    t.title = Both("セル別 目標・依頼・回答・不足", "Target, invited, answered and shortfall by cell");
    t.columns = {Both("セル", "Cell"),     Both("目標", "Target"),    Both("依頼", "Invited"),
                 Both("回答", "Answered"), Both("不足", "Shortfall"), Both("達成率", "Reached")};
    t.chart = ChartKind::kBars;
    t.chart_column = 5;
    for (const Json& c : q["cells"]) {
      t.rows.push_back({TableCell::Untranslated(c["label"].get<std::string>()), count(c["target"]), count(c["invited"]),
                        count(c["answered"]), count(c["shortfall"]),
                        c.contains("reached") && c["reached"].is_number() ? Num(c["reached"], Kind::kShare)
                                                                          : TableCell{}});
    }
    t.note = Both("回答は、従業員数による規模（ネット系企業もその規模で数える）・業種・地域でセルに割り当てています。",
                  "Respondents are placed in cells by size by employees (IT-core companies under their size), industry and "
                  "region, as shindan sample placed the company list.");
    s.tables.push_back(std::move(t));
    return s;
  }

  // 付録A ヒアリング重点項目コメント一覧: a table per topic that has comments.
  ReportSection Interviews() {
    const Json& iv = j_["interviews"];
    ReportSection s;
    s.title = Both("ヒアリング重点項目コメント一覧", "Interview comments by topic");
    s.facts.push_back({Both("コメント数", "Comments"), TableCell::Number(Kind::kCount, iv["notes"].get<double>()), {}});
    auto category = [](const Json& c) {
      return c.is_null() ? TableCell::Text(Both("不明", "Unknown")) : TableCell::Text(LocalText{c["ja"].get<std::string>(), c["en"].get<std::string>()});
    };
    for (auto it = iv["topics"].begin(); it != iv["topics"].end(); ++it) {
      const Json& topic = it.value();
      if (topic["comments"].empty()) continue;
      ReportTable t;
      t.id = "interviews_" + it.key();
      const std::string number = topic["number"].get<std::string>();
      t.title = {number + " " + topic["title"]["ja"].get<std::string>(), number + " " + topic["title"]["en"].get<std::string>()};
      t.columns = {Both("従業員規模", "Size type"), Both("業種", "Industry"), Both("地域", "Region"), Both("タグ", "Tags"),
                   Both("コメント", "Comment")};
      for (const Json& c : topic["comments"]) {
        std::string tags;
        for (const Json& tag : c["tags"]) tags += (tags.empty() ? "" : "・") + tag.get<std::string>();
        t.rows.push_back({category(c["size_type"]), category(c["industry"]), category(c["region"]), TableCell::Untranslated(tags),
                          TableCell::Untranslated(c["note"].get<std::string>())});
      }
      s.tables.push_back(std::move(t));
    }
    return s;
  }

  // Population estimates, weighted by the frame (--frame).
  ReportSection Population() {
    const Json& p = j_["population"];
    ReportSection s;
    s.title = Both("母集団推計（企業数の枠で重み付け）", "Population estimates (weighted by the frame)");
    s.facts.push_back({Both("母集団の企業数（A・B・C × 3業種）", "Companies in the population (A, B, C × 3 industries)"),
                       TableCell::Number(Kind::kCount, p["population"].get<double>()), {}});
    s.facts.push_back({Both("推計に用いた回答企業", "Respondents used"), TableCell::Number(Kind::kCount, p["respondents"].get<double>()), {}});
    s.facts.push_back({Both("推計の対象外（タイプS・分類不明）", "Not in any stratum (type S, unclassified)"),
                       TableCell::Number(Kind::kCount, p["excluded"].get<double>()), {}});
    const std::vector<LocalText> columns = {Both("推定値", "Estimate"), Both("標準誤差", "SE"), Both("95%信頼区間 下限", "95% CI low"),
                                            Both("95%信頼区間 上限", "95% CI high"), Both("回答数", "n")};
    auto row = [&](LocalText label, const Json& e, Kind kind) {
      std::vector<TableCell> r = {TableCell::Text(std::move(label))};
      if (e.contains("not_computable")) {
        r.push_back(TableCell::Text(LocalText{"推計できません", "not computable"}));
        r.resize(columns.size() + 1);
        return r;
      }
      for (const char* key : {"estimate", "se", "ci_low", "ci_high"}) {
        r.push_back(Num(e[key], kind));
      }
      r.push_back(e["n"].is_null() ? TableCell::Suppressed() : TableCell::Number(Kind::kCount, e["n"].get<double>()));
      return r;
    };
    ReportTable overall;
    overall.id = "population_overall";
    overall.title = Both("母集団全体の推計", "Estimates for the whole population");
    overall.columns = {Both("指標", "Figure")};
    overall.columns.insert(overall.columns.end(), columns.begin(), columns.end());
    overall.rows.push_back(row(Both("平均合計点", "Mean total"), p["mean_total"], Kind::kMean));
    overall.rows.push_back(row(Both("合格率（70点以上）", "Pass rate (70 or more)"), p["pass_rate"], Kind::kShare));
    overall.note = Both("規模（A・B・C）× 業種（3区分）の層別推計。重みは層の企業数÷回答数、信頼区間は正規近似（±1.96×標準誤差）。",
                        "Stratified by size type (A, B, C) × industry (3); weights are the stratum's companies over its "
                        "respondents; intervals by the normal approximation (±1.96 SE).");
    s.tables.push_back(std::move(overall));

    ReportTable by;
    by.id = "population_by_attribute";
    by.title = Both("規模別・業種別の推計", "Estimates by size type and industry");
    by.columns = {Both("区分", "Group"), Both("平均合計点", "Mean total"), Both("下限", "low"), Both("上限", "high"),
                  Both("合格率", "Pass rate"), Both("下限", "low"), Both("上限", "high")};
    by.chart = ChartKind::kBars;
    by.chart_column = 4;
    auto add = [&](LocalText label, const Json& d) {
      std::vector<TableCell> r = {TableCell::Text(std::move(label))};
      for (const auto& [key, kind] : {std::pair<const char*, Kind>{"mean_total", Kind::kMean}, {"pass_rate", Kind::kShare}}) {
        const Json& e = d[key];
        for (const char* f : {"estimate", "ci_low", "ci_high"}) {
          r.push_back(e.contains(f) && e[f].is_number() ? Num(e[f], kind) : TableCell::Suppressed());
        }
      }
      by.rows.push_back(std::move(r));
    };
    for (const auto& [code, label] : Categories(j_["profile"]["size_type"])) {
      if (p["by"]["size_type"].contains(code)) add(label, p["by"]["size_type"][code]);
    }
    for (const auto& [code, label] : Categories(j_["profile"]["industry"])) {
      if (p["by"]["industry"].contains(code)) add(label, p["by"]["industry"][code]);
    }
    s.tables.push_back(std::move(by));

    ReportTable items;
    items.id = "population_items";
    items.title = Both("質問項目別 実施率の推計（「実施している」の割合）", "Estimated implementation rate by item (share answering yes)");
    items.columns = {Both("質問項目", "Item")};
    items.columns.insert(items.columns.end(), columns.begin(), columns.end());
    items.columns.push_back(Both("率の分母", "Base of the rate"));
    items.chart = ChartKind::kBars;
    items.chart_column = 1;
    for (const Item& item : s_.primary().items) {
      const Json& e = p["items"][item.id];
      std::vector<TableCell> r = row(ItemLabel(item), e, Kind::kShare);
      const bool applicable = e.value("base", "") == "applicable";
      r.push_back(TableCell::Text(applicable ? Both("該当する企業", "Companies it applies to") : Both("全企業", "All companies")));
      items.rows.push_back(std::move(r));
    }
    items.note = Both("「該当なし」と答えた企業がある項目の実施率は、その項目が該当する企業（母集団推計）に占める割合です（定義域推定）。"
                      "ほかの項目は全企業に占める割合です。",
                      "For an item some companies answered 該当なし (does not apply), the rate is the share among the "
                      "companies to which it applies (a domain estimate over the population); for the others, among all "
                      "companies.");
    s.tables.push_back(std::move(items));
    return s;
  }

  const Snapshot& s_;
  const Json& j_;
  const ReportOptions& o_;
};

}  // namespace

ReportDocument BuildReportDocument(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                                   const ReportOptions& options) {
  const Json figures = ReportFigures(catalog, snapshot, state, options);
  return DocumentBuilder(snapshot, figures, options).Build();
}

}  // namespace shindan
