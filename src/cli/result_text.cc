#include "cli/result_text.h"

#include <cstdio>
#include <ostream>

#include "catalog/catalog.h"
#include "cli/command.h"  // T
#include "diagnosis/diagnosis.h"

namespace shindan {

namespace {

// Picks the Japanese or the English of a literal pair.

std::string Pad(const std::string& s, int width) {
  int w = DisplayWidth(s);
  return w >= width ? s : s + std::string(static_cast<size_t>(width - w), ' ');
}

std::string Bar(int points, int max, int width) {
  if (max <= 0) return std::string(static_cast<size_t>(width), ' ');
  int filled = points <= 0 ? 0 : (points * width + max / 2) / max;
  std::string bar;
  for (int i = 0; i < width; ++i) bar += i < filled ? "█" : "░";
  return bar;
}

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

void PrintDiagnosis(std::ostream& out, Lang lang, const Catalog& catalog, const Diagnosis& d) {
  const ScoreResult& s = d.score;
  const Instrument& ins = *d.instrument;
  out << "\n══ " << T(lang, "診断結果", "Result") << " — " << ins.title.in(lang) << " (" << ins.id << " " << ins.version
      << ") ══\n\n";
  out << "  " << T(lang, "合計点（2009年版の採点）", "Total (2009 scoring)") << ": " << s.total << " / " << s.max
      << T(lang, " 点", " points") << "   " << T(lang, "合格ライン", "pass mark") << " " << s.pass_mark << " → "
      << (s.passed ? T(lang, "合格", "PASSED") : T(lang, "不合格", "NOT PASSED")) << "\n";
  if (s.adjusted_total) {
    out << "  " << T(lang, "調整後の点数（該当なしの項目を除く）", "Adjusted (items not applicable left out)") << ": "
        << Fixed1(*s.adjusted_total) << " / " << s.max << "   → "
        << (*s.adjusted_passed ? T(lang, "合格", "PASSED") : T(lang, "不合格", "NOT PASSED")) << "\n";
  }
  out << "  " << Bar(s.total, s.max, 40) << "\n";
  out << "  " << T(lang, "70点は最低限の対策ができている目安、100点はシートの全項目を全社員が実施している状態です。",
                   "70 means the minimum measures are in place; 100 means every item is done by every employee.")
      << "\n";
  if (!d.missing.empty()) {
    out << "  " << T(lang, "未回答（0点として計算）", "Not answered (scored 0)") << ":";
    for (const auto& m : d.missing) out << " " << m;
    out << "\n";
  }

  const Classification& c = d.classification;
  out << "\n  " << T(lang, "企業区分", "Company type") << ": ";
  if (c.size_type.empty()) out << T(lang, "規模不明", "size unknown");
  else out << catalog.classification().SizeTypeLabel(c.size_type).in(lang);
  if (!c.industry.empty()) out << " / " << catalog.classification().IndustryLabel(c.industry).in(lang);
  if (const Prefecture* p = catalog.geography().FindPrefecture(d.profile.prefecture)) {
    out << " / " << (lang == Lang::kJa ? p->name : p->romaji);
    if (const Region* r = catalog.geography().FindRegion(p->region)) out << "（" << r->label.in(lang) << "）";
  }
  out << "\n  " << T(lang, "中小企業基本法の中小企業", "SME under the SME Basic Act") << ": "
      << (c.legal_sme == Tristate::kYes  ? T(lang, "該当", "yes")
          : c.legal_sme == Tristate::kNo ? T(lang, "非該当", "no")
                                         : T(lang, "判定できません（業種・資本金を入力してください）",
                                                 "cannot tell (give the sector and capital)"))
      << "\n";
  if (c.outside_survey) {
    out << "  " << T(lang, "※ 従業員300人超のため、本調査の中小企業の定義（300人以下）の対象外です。",
                     "※ Over 300 employees: outside this survey's SME definition (300 or fewer).")
        << "\n";
  }

  out << "\n  " << T(lang, "分類別の点数", "Points by category") << "\n";
  for (const SectionResult& sec : s.sections) {
    out << "    " << Pad(sec.section->label.in(lang), 14) << " " << Bar(sec.points, sec.applicable_max, 16) << " "
        << sec.points << "/" << sec.applicable_max << "\n";
  }

  if (!d.unmet.empty()) {
    out << "\n  " << T(lang, "まだ実施できていない項目と対策（優先度順）", "Items not yet met, most urgent first") << "\n";
    for (const Advice& a : d.unmet) {
      const Item& item = *a.result->item;
      const AnswerOption* option = ins.FindOption(item, a.result->answer);
      out << "\n    [" << (a.priority ? a.priority->label.in(lang) : "?") << "] No." << item.number << " "
          << (ins.FindSection(item.section) ? ins.FindSection(item.section)->label.in(lang) : "") << " — "
          << (option ? option->label.in(lang) : T(lang, "未回答", "not answered")) << "\n";
      if (item.objective) out << "      " << T(lang, "目的", "Objective") << ": " << item.objective->in(lang) << "\n";
      if (item.example) out << "      " << T(lang, "実施例", "Example") << ": " << item.example->in(lang) << "\n";
      if (a.advice) {
        out << "      " << T(lang, "まず", "First step") << ": " << a.advice->action.in(lang) << "\n";
        out << "      " << T(lang, "費用", "Cost") << ": " << (a.cost ? a.cost->label.in(lang) : "?") << "   "
            << T(lang, "組織的な対策ガイドライン", "Organisational guideline") << ":";
        for (const std::string& g : a.advice->guideline) {
          for (const Instrument& other : catalog.instruments()) {
            if (&other == &ins) continue;
            if (const Item* gi = other.FindItem(g)) out << " " << gi->number;
          }
        }
        out << "\n";
      }
    }
  } else if (s.total == s.max) {
    out << "\n  " << T(lang, "すべての項目を実施しています。", "Every item is met.") << "\n";
  }

  if (!d.plan.empty()) {
    out << "\n  " << T(lang, "6か月の実行計画（費用のかからない対策から）", "Six-month plan (no-cost measures first)") << "\n";
    for (const PlanMonth& m : d.plan) {
      std::string head = m.month == 0 ? T(lang, "7か月目以降", "Later") : (lang == Lang::kJa ? std::to_string(m.month) + "か月目" : "Month " + std::to_string(m.month));
      out << "    " << Pad(head, 12) << ":";
      for (const Advice& a : m.steps) {
        const Item& item = *a.result->item;
        out << " No." << item.number << "（" << (ins.FindSection(item.section) ? ins.FindSection(item.section)->label.in(lang) : "") << "）";
      }
      out << "\n";
    }
  }

  if (!d.cases.empty()) {
    out << "\n  " << T(lang, "参考になる事例", "Cases like yours") << "\n";
    for (const CaseMatch& m : d.cases) {
      out << "    ・" << m.c->title.in(lang) << "\n      " << m.c->summary.in(lang) << "\n";
    }
  }

  for (const ScoreResult& o : d.others) {
    out << "\n  " << o.instrument->title.in(lang) << ": " << o.counted << " / " << o.items.size() << " "
        << T(lang, "項目を実施", "items implemented") << "\n";
    for (const SectionResult& sec : o.sections) {
      out << "    " << sec.section->number << ". " << sec.section->label.in(lang) << ": " << sec.points << "/" << sec.max << "\n";
    }
  }
  out << "\n";
}

}  // namespace shindan
