#include "diagnosis/diagnosis.h"

#include <nlohmann/json.hpp>

#include <set>

namespace shindan {

std::unique_ptr<Diagnosis> Diagnose(const Catalog& catalog, const Response& response, const std::string& instrument_id) {
  auto d = std::make_unique<Diagnosis>();
  d->instrument = catalog.Find(instrument_id);
  d->company_id = response.company_id;
  d->profile = ProfileFromAnswers(response.profile);
  d->classification = catalog.classification().Classify(d->profile, catalog.geography());
  auto answers = response.answers.find(instrument_id);
  static const Answers kNone;
  d->score = Score(*d->instrument, answers == response.answers.end() ? kNone : answers->second);
  d->missing = response.missing;
  if (const AdviceBook* book = catalog.AdviceFor(instrument_id)) {
    d->unmet = book->Unmet(d->score);
    d->plan = book->Plan(d->score);
  }
  std::set<std::string> unmet_sections;
  for (const ItemResult& r : d->score.items) {
    if (!r.met && r.applicable) unmet_sections.insert(r.item->section);
  }
  d->cases = catalog.cases().Match(d->classification, unmet_sections, 3);
  for (const Instrument& ins : catalog.instruments()) {
    if (ins.id == instrument_id || ins.scoring.method == Scoring::Method::kNone) continue;
    auto it = response.answers.find(ins.id);
    if (it != response.answers.end()) d->others.push_back(Score(ins, it->second));
  }
  return d;
}

namespace {

nlohmann::json Text(const LocalText& t) { return {{"ja", t.ja}, {"en", t.en}}; }

nlohmann::json OrNull(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json AdviceJson(const Catalog& catalog, const Advice& a) {
  const Item& item = *a.result->item;
  nlohmann::json j = {{"item", item.id}, {"number", item.number}, {"answer", OrNull(a.result->answer)},
                      {"points", a.result->points}, {"text", Text(item.text)}};
  if (item.objective) j["objective"] = Text(*item.objective);
  if (item.example) j["example"] = Text(*item.example);
  if (a.advice) {
    nlohmann::json guideline = nlohmann::json::array();
    for (const std::string& id : a.advice->guideline) {
      nlohmann::json g = {{"id", id}};
      for (const Instrument& ins : catalog.instruments()) {
        if (const Item* gi = ins.FindItem(id); gi && gi != &item) {
          g["number"] = gi->number;
          g["text"] = Text(gi->text);
        }
      }
      guideline.push_back(g);
    }
    j["guideline"] = guideline;
    j["action"] = Text(a.advice->action);
  }
  j["cost"] = a.cost ? nlohmann::json{{"code", a.cost->code}, {"label", Text(a.cost->label)}} : nlohmann::json(nullptr);
  j["priority"] = a.priority ? nlohmann::json{{"code", a.priority->code}, {"label", Text(a.priority->label)}}
                             : nlohmann::json(nullptr);
  return j;
}

nlohmann::json SectionsJson(const ScoreResult& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const SectionResult& sec : s.sections) {
    out.push_back({{"id", sec.section->id}, {"label", Text(sec.section->label)}, {"points", sec.points},
                   {"max", sec.max}, {"applicable_max", sec.applicable_max}});
  }
  return out;
}

}  // namespace

std::string DiagnosisJson(const Catalog& catalog, const Diagnosis& d) {
  const ScoreResult& s = d.score;
  nlohmann::json j;
  j["instrument"] = d.instrument->id;
  j["version"] = d.instrument->version;
  j["company_id"] = OrNull(d.company_id);
  j["total"] = s.total;
  j["max"] = s.max;
  j["pass_mark"] = s.pass_mark;
  j["passed"] = s.passed;
  j["adjusted_total"] = s.adjusted_total ? nlohmann::json(*s.adjusted_total) : nlohmann::json(nullptr);
  j["adjusted_passed"] = s.adjusted_passed ? nlohmann::json(*s.adjusted_passed) : nlohmann::json(nullptr);
  j["applicable_items"] = s.applicable_items;
  j["categories"] = SectionsJson(s);
  nlohmann::json answers = nlohmann::json::object();
  for (const ItemResult& r : s.items) answers[r.item->id] = OrNull(r.answer);
  j["answers"] = answers;
  nlohmann::json unmet = nlohmann::json::array();
  for (const Advice& a : d.unmet) unmet.push_back(AdviceJson(catalog, a));
  j["unmet"] = unmet;
  nlohmann::json plan = nlohmann::json::array();
  for (const PlanMonth& m : d.plan) {
    nlohmann::json items = nlohmann::json::array();
    for (const Advice& a : m.steps) items.push_back(a.result->item->id);
    plan.push_back({{"month", m.month == 0 ? nlohmann::json(nullptr) : nlohmann::json(m.month)},
                    {"after_plan", m.month == 0}, {"items", items}});
  }
  j["plan"] = plan;
  j["missing"] = d.missing;
  const Classification& c = d.classification;
  j["size_type"] = OrNull(c.size_type);
  j["outside_survey"] = c.outside_survey;
  j["industry"] = OrNull(c.industry);
  j["region"] = OrNull(c.region);
  j["prefecture"] = OrNull(d.profile.prefecture);
  j["legal_sme"] = TristateName(c.legal_sme);
  nlohmann::json cases = nlohmann::json::array();
  for (const CaseMatch& m : d.cases) {
    cases.push_back({{"id", m.c->id}, {"score", m.score}, {"title", Text(m.c->title)}, {"summary", Text(m.c->summary)}});
  }
  j["cases"] = cases;
  nlohmann::json others = nlohmann::json::object();
  for (const ScoreResult& o : d.others) {
    nlohmann::json sections = nlohmann::json::array();
    for (const SectionResult& sec : o.sections) {
      sections.push_back({{"id", sec.section->id}, {"label", Text(sec.section->label)}, {"yes", sec.points},
                          {"items", sec.max}});
    }
    others[o.instrument->id] = {{"yes", o.counted}, {"items", static_cast<int>(o.items.size())}, {"sections", sections}};
  }
  j["other_instruments"] = others;
  return j.dump(2);
}

}  // namespace shindan
