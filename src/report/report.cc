#include "report/report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "catalog/catalog.h"

namespace shindan {

namespace {

using Json = nlohmann::ordered_json;  // the tables keep the seed's order
using CellPredicate = std::function<bool(int size, int industry, int region)>;

struct Category {
  const char* code;
  LocalText label;
  CellPredicate in;
};

double Round(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

// The report's dimensions, with the seed's labels (tables 4–6).
std::vector<Category> SizeCategories() {
  return {{"A", {"小規模(20人未満)", "Small (under 20)"}, [](int s, int, int) { return s == dim::kA; }},
          {"B", {"中規模(20人-100人未満)", "Medium (20–99)"}, [](int s, int, int) { return s == dim::kB; }},
          {"C", {"大規模(100人-300人)", "Large (100–300)"}, [](int s, int, int) { return s == dim::kC; }},
          {"S", {"ネット系企業(タイプS)", "IT-core (type S)"}, [](int s, int, int) { return s == dim::kS; }},
          {"unknown", {"不明・対象外", "Unknown or outside"}, [](int s, int, int) { return s == dim::kSizeUnknown; }}};
}
std::vector<Category> IndustryCategories() {
  return {{"mfg", {"製造・建設業", "Manufacturing & construction"}, [](int, int i, int) { return i == dim::kMfg; }},
          {"dist", {"流通・卸・小売業", "Distribution, wholesale & retail"}, [](int, int i, int) { return i == dim::kDist; }},
          {"svc", {"サービス業その他", "Services & other"}, [](int, int i, int) { return i == dim::kSvc; }},
          {"net", {"ネット系企業(タイプS)", "IT-core (type S)"}, [](int, int i, int) { return i == dim::kNet; }},
          {"unknown", {"不明", "Unknown"}, [](int, int i, int) { return i == dim::kIndustryUnknown; }}};
}
std::vector<Category> RegionCategories() {
  return {{"capital", {"大都市圏(首都圏)", "Capital region"}, [](int, int, int r) { return r == dim::kCapital; }},
          {"regional1", {"地方圏1", "Regional 1"}, [](int, int, int r) { return r == dim::kRegional1; }},
          {"regional2", {"地方圏2", "Regional 2"}, [](int, int, int r) { return r == dim::kRegional2; }},
          {"other", {"その他", "Other"}, [](int, int, int r) { return r == dim::kOther; }},
          {"net", {"ネット系企業(タイプS)", "IT-core (type S)"}, [](int, int, int r) { return r == dim::kRegionNet; }},
          {"unknown", {"不明", "Unknown"}, [](int, int, int r) { return r == dim::kRegionUnknown; }}};
}

void ForCells(const CellPredicate& in, const std::function<void(int cell)>& fn) {
  for (int s = 0; s < dim::kSizeCount; ++s) {
    for (int i = 0; i < dim::kIndustryCount; ++i) {
      for (int r = 0; r < dim::kRegionCount; ++r) {
        if (in(s, i, r)) fn(dim::Cell(s, i, r));
      }
    }
  }
}

class Builder {
 public:
  Builder(const Catalog& catalog, const Snapshot& s, const AggregateState& a, const ReportOptions& o)
      : catalog_(catalog), s_(s), a_(a), o_(o) {}

  Json Build() {
    Json j;
    j["survey"] = o_.survey;
    j["instrument"] = s_.primary().id;
    j["respondents"] = a_.rows;
    j["min_cell"] = o_.min_cell;
    j["profile"] = Profile();
    j["self_check"] = SelfCheck();
    j["org_checklist"] = OrgChecklist();
    j["certified"] = Certified();
    j["awareness"] = Awareness();
    return j;
  }

 private:
  // A count, or null when it is below the suppression threshold.
  Json Count(uint64_t n) const { return Suppressed(n) ? Json(nullptr) : Json(n); }
  bool Suppressed(uint64_t n) const { return o_.min_cell > 0 && n < static_cast<uint64_t>(o_.min_cell); }
  // A fraction num/den, suppressed when den (the respondents it is drawn from) or num is small.
  Json Share(uint64_t num, uint64_t den) const {
    if (den == 0 || Suppressed(den) || Suppressed(num)) return nullptr;
    return Round(static_cast<double>(num) / static_cast<double>(den), 4);
  }

  uint64_t RowsIn(const CellPredicate& in) const {
    uint64_t n = 0;
    ForCells(in, [&](int c) {
      for (int b = 0; b < a_.bins; ++b) n += a_.Total(c, b);
    });
    return n;
  }

  Json Profile() const {
    Json p;
    auto dimension = [&](const std::vector<Category>& cats) {
      Json d = Json::object();
      for (const Category& c : cats) {
        uint64_t n = RowsIn(c.in);
        if (std::string(c.code) == "unknown" && n == 0) continue;
        d[c.code] = {{"count", Count(n)}, {"share", Share(n, a_.rows)}, {"label", {{"ja", c.label.ja}, {"en", c.label.en}}}};
      }
      return d;
    };
    p["size_type"] = dimension(SizeCategories());
    p["industry"] = dimension(IndustryCategories());
    p["region"] = dimension(RegionCategories());
    auto bands = [&](const std::vector<uint64_t>& counts, int width, const std::vector<std::pair<const char*, int>>& names) {
      Json d = Json::object();
      for (const auto& [name, band] : names) {
        uint64_t n = 0;
        for (int c = 0; c < dim::kCells; ++c) n += counts[static_cast<size_t>(c) * width + band];
        if (std::string(name) == "unknown" && n == 0) continue;
        d[name] = {{"count", Count(n)}, {"share", Share(n, a_.rows)}};
      }
      return d;
    };
    p["sites"] = bands(a_.sites, dim::kSitesCount,
                       {{"1", dim::kSites1}, {"2-3", dim::kSites2to3}, {"4+", dim::kSites4plus}, {"unknown", dim::kSitesUnknown}});
    const std::vector<std::pair<const char*, int>> count_bands = {
        {"0", dim::kCount0}, {"1", dim::kCount1}, {"2-3", dim::kCount2to3}, {"4+", dim::kCount4plus}, {"unknown", dim::kCountUnknown}};
    p["it_staff"] = bands(a_.it_staff, dim::kCountCount, count_bands);
    p["servers"] = bands(a_.servers, dim::kCountCount, count_bands);
    // Table 9 is multiple-answer: shares of respondents, not of answers.
    p["it_uses"] = bands(a_.it_uses, 4, {{"core", 0}, {"info", 1}, {"front", 2}, {"other", 3}});
    return p;
  }

  // Mean points of item k over the respondents who answered it, within cells `in`.
  Json ItemMean(int k, const CellPredicate& in, uint64_t* answered_out = nullptr) const {
    const AnswerAlphabet& alpha = s_.alphabet();
    int64_t points = 0;
    uint64_t answered = 0;
    ForCells(in, [&](int c) {
      for (int code = 1; code < a_.codes; ++code) {
        uint64_t n = a_.Answer(c, k, code);
        answered += n;
        points += static_cast<int64_t>(n) * alpha.points[static_cast<size_t>(k)][static_cast<size_t>(code)];
      }
    });
    if (answered_out) *answered_out = answered;
    if (answered == 0 || Suppressed(answered)) return nullptr;
    return Round(static_cast<double>(points) / static_cast<double>(answered), 2);
  }

  Json SelfCheck() const {
    const AnswerAlphabet& alpha = s_.alphabet();
    const Instrument& ins = s_.primary();
    auto all = [](int, int, int) { return true; };
    Json sc;
    uint64_t passed = 0;
    Json totals = Json::object();
    for (int c = 0; c < dim::kCells; ++c) {
      for (int b = 0; b < a_.bins; ++b) {
        if (a_.min_total + b >= a_.pass_mark) passed += a_.Total(c, b);
      }
    }
    for (int b = 0; b < a_.bins; ++b) {
      uint64_t n = 0;
      for (int c = 0; c < dim::kCells; ++c) n += a_.Total(c, b);
      if (n) totals[std::to_string(a_.min_total + b)] = Count(n);
    }
    sc["passed"] = Count(passed);
    sc["pass_rate"] = Share(passed, a_.rows);
    sc["pass_mark"] = a_.pass_mark;
    sc["totals"] = totals;
    Json items = Json::object();
    std::vector<std::pair<double, int>> means;
    for (int k = 0; k < a_.items; ++k) {
      const Item& item = ins.items[static_cast<size_t>(k)];
      Json counts = Json::object();
      uint64_t no = 0, answered = 0;
      for (int code = 1; code < a_.codes; ++code) {
        uint64_t n = 0;
        for (int c = 0; c < dim::kCells; ++c) n += a_.Answer(c, k, code);
        if (alpha.allowed[static_cast<size_t>(k)][static_cast<size_t>(code)] || n) counts[alpha.codes[static_cast<size_t>(code)]] = Count(n);
        if (alpha.codes[static_cast<size_t>(code)] == "no") no = n;
        answered += n;
      }
      Json mean = ItemMean(k, all);
      items[item.id] = {{"number", item.number}, {"mean", mean}, {"counts", counts}, {"answered", Count(answered)},
                        {"not_implemented", Count(no)}, {"not_implemented_rate", Share(no, answered)}};
      if (mean.is_number()) means.push_back({mean.get<double>(), k});
    }
    sc["items"] = items;
    std::stable_sort(means.begin(), means.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    Json worst = Json::array();
    for (const auto& [m, k] : means) worst.push_back(ins.items[static_cast<size_t>(k)].id);
    sc["worst"] = worst;
    Json by;
    by["size_type"] = ByCategory(SizeCategories());
    by["industry"] = ByCategory(IndustryCategories());
    by["region"] = ByCategory(RegionCategories());
    sc["by"] = by;
    return sc;
  }

  Json ByCategory(const std::vector<Category>& cats) const {
    const Instrument& ins = s_.primary();
    Json d = Json::object();
    for (const Category& cat : cats) {
      uint64_t n = 0, passed = 0;
      int64_t sum = 0;
      ForCells(cat.in, [&](int c) {
        for (int b = 0; b < a_.bins; ++b) {
          uint64_t k = a_.Total(c, b);
          n += k;
          sum += static_cast<int64_t>(k) * (a_.min_total + b);
          if (a_.min_total + b >= a_.pass_mark) passed += k;
        }
      });
      if (std::string(cat.code) == "unknown" && n == 0) continue;
      Json items = Json::object();
      for (int k = 0; k < a_.items; ++k) items[ins.items[static_cast<size_t>(k)].id] = ItemMean(k, cat.in);
      Json mean_total = (n == 0 || Suppressed(n)) ? Json(nullptr) : Json(Round(static_cast<double>(sum) / static_cast<double>(n), 1));
      d[cat.code] = {{"n", Count(n)}, {"mean_total", mean_total}, {"passed", Count(passed)}, {"pass_rate", Share(passed, n)},
                     {"items", items}};
    }
    return d;
  }

  Json OrgChecklist() const {
    Json o;
    o["respondents"] = Count(a_.secondary_respondents);
    Json items = Json::object();
    if (const Instrument* sec = s_.secondary()) {
      const AnswerAlphabet& alpha = s_.secondary_alphabet();
      for (int k = 0; k < a_.secondary_items; ++k) {
        Json counts = Json::object();
        for (int code = 1; code < a_.secondary_codes; ++code) {
          counts[alpha.codes[static_cast<size_t>(code)]] = Count(a_.secondary[static_cast<size_t>(k) * a_.secondary_codes + code]);
        }
        counts["number"] = sec->items[static_cast<size_t>(k)].number;
        items[sec->items[static_cast<size_t>(k)].id] = counts;
      }
    }
    o["items"] = items;
    return o;
  }

  Json Certified() const {
    uint64_t count = 0, under = 0;
    for (int b = 0; b < a_.bins; ++b) {
      count += a_.certified_totals[static_cast<size_t>(b)];
      if (a_.min_total + b < a_.pass_mark) under += a_.certified_totals[static_cast<size_t>(b)];
    }
    return {{"count", Count(count)}, {"under_pass_mark", Count(under)}};
  }

  Json Awareness() const {
    auto flag = [&](int bit) {
      uint64_t n = 0;
      for (int c = 0; c < dim::kCells; ++c) n += a_.flags[static_cast<size_t>(c) * 4 + bit];
      return Json{{"count", Count(n)}, {"share", Share(n, a_.rows)}};
    };
    return {{"knows_ipa", flag(2)}, {"knows_benchmark", flag(3)}, {"qualified_staff", flag(1)}};
  }

  const Catalog& catalog_;
  const Snapshot& s_;
  const AggregateState& a_;
  const ReportOptions& o_;
};

std::string Cell(const Json& v, bool percent = false) {
  if (v.is_null()) return "–";
  if (percent) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", v.get<double>() * 100.0);
    return buf;
  }
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
    return buf;
  }
  return v.dump();
}

}  // namespace

std::string ReportJson(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                       const ReportOptions& options) {
  return Builder(catalog, snapshot, state, options).Build().dump(2);
}

std::string ReportMarkdown(const Catalog& catalog, const Snapshot& snapshot, const AggregateState& state,
                           const ReportOptions& options) {
  const Json j = Builder(catalog, snapshot, state, options).Build();
  const bool ja = options.lang == Lang::kJa;
  std::string md;
  auto line = [&](const std::string& s) { md += s + "\n"; };
  line(std::string("# ") + (ja ? "調査集計結果" : "Survey results") + (options.survey.empty() ? "" : " — " + options.survey));
  line("");
  line(std::string(ja ? "回答企業数: " : "Respondents: ") + j["respondents"].dump());
  struct Table {
    const char* key;
    const char* ja;
    const char* en;
  };
  const Table tables[] = {{"size_type", "表4 従業員規模の分布", "Table 4 Size type"},
                          {"industry", "表5 業種分類の分布", "Table 5 Industry"},
                          {"region", "表6 地域分類の分布", "Table 6 Region"},
                          {"sites", "表7 拠点数の分布", "Table 7 Sites"},
                          {"it_staff", "表8 情報システム部門の人数の分布", "Table 8 IT staff"},
                          {"it_uses", "表9 IT導入状況、用途の分布（複数回答）", "Table 9 IT uses (multiple answers)"},
                          {"servers", "表10 サーバの有無、台数の分布", "Table 10 Servers"}};
  for (const Table& t : tables) {
    line("");
    line(std::string("## ") + (ja ? t.ja : t.en));
    line("");
    line(ja ? "| 区分 | 件数 | 構成比 |" : "| category | count | share |");
    line("| --- | ---: | ---: |");
    for (auto it = j["profile"][t.key].begin(); it != j["profile"][t.key].end(); ++it) {
      std::string name = it.key();
      if (it.value().contains("label")) name = it.value()["label"][ja ? "ja" : "en"].get<std::string>();
      line("| " + name + " | " + Cell(it.value()["count"]) + " | " + Cell(it.value()["share"], true) + " |");
    }
  }
  const Json& sc = j["self_check"];
  line("");
  line(ja ? "## 自社診断シート 合格状況" : "## Self-check: passing");
  line("");
  line(std::string(ja ? "70点以上: " : "70 or more: ") + Cell(sc["passed"]) + " (" + Cell(sc["pass_rate"], true) + ")");
  line("");
  line(ja ? "## 質問項目別 平均点（採点表）" : "## Mean points by item");
  line("");
  std::string head = ja ? "| No. | 全体 |" : "| No. | all |";
  std::string sep = "| --- | ---: |";
  for (const char* d : {"size_type", "industry", "region"}) {
    for (auto it = sc["by"][d].begin(); it != sc["by"][d].end(); ++it) {
      head += " " + it.key() + " |";
      sep += " ---: |";
    }
  }
  line(head);
  line(sep);
  for (auto it = sc["items"].begin(); it != sc["items"].end(); ++it) {
    std::string row = "| " + it.value()["number"].get<std::string>() + " | " + Cell(it.value()["mean"]) + " |";
    for (const char* d : {"size_type", "industry", "region"}) {
      for (auto c = sc["by"][d].begin(); c != sc["by"][d].end(); ++c) row += " " + Cell(c.value()["items"][it.key()]) + " |";
    }
    line(row);
  }
  line("");
  line(ja ? "## ワースト項目" : "## Worst items");
  line("");
  int rank = 0;
  for (const auto& id : sc["worst"]) {
    if (++rank > 10) break;
    const Json& item = sc["items"][id.get<std::string>()];
    line(std::to_string(rank) + ". No." + item["number"].get<std::string>() + " — " + Cell(item["mean"]) +
         (ja ? "（実施していない " : " (not implemented ") + Cell(item["not_implemented"]) + ", " +
         Cell(item["not_implemented_rate"], true) + ")");
  }
  line("");
  line(ja ? "## 組織的な対策ガイドライン チェックシート" : "## Organisational checklist");
  line("");
  line(std::string(ja ? "回答企業数: " : "Respondents: ") + Cell(j["org_checklist"]["respondents"]));
  line("");
  line(ja ? "| 項目 | 実施している | 実施していない |" : "| item | yes | no |");
  line("| --- | ---: | ---: |");
  for (auto it = j["org_checklist"]["items"].begin(); it != j["org_checklist"]["items"].end(); ++it) {
    line("| " + it.value()["number"].get<std::string>() + " | " + Cell(it.value()["yes"]) + " | " + Cell(it.value()["no"]) + " |");
  }
  line("");
  line(std::string(ja ? "認証取得企業（Pマーク・ISMS）: " : "Certified companies (Pマーク, ISMS): ") + Cell(j["certified"]["count"]) +
       (ja ? "、うち70点未満: " : ", under 70: ") + Cell(j["certified"]["under_pass_mark"]));
  line(std::string(ja ? "IPAを知っている: " : "Know IPA: ") + Cell(j["awareness"]["knows_ipa"]["count"]) +
       (ja ? "、ベンチマークを知っている: " : ", know the benchmark: ") + Cell(j["awareness"]["knows_benchmark"]["count"]) +
       (ja ? "、資格保有者がいる: " : ", qualified staff: ") + Cell(j["awareness"]["qualified_staff"]["count"]));
  (void)catalog;
  return md;
}

}  // namespace shindan
