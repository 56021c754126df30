// The respondent's way (seed 図1): profile → the self-check items → result → the survey's other
// profile questions (the response is recorded here) → when the total reaches the pass mark, the
// organisational checklist → its result.
//
// Everything given so far is in the database (Store::SaveDraft, one row per field; its fields in
// respondent_flow.h), so the link reopened on any device, on any server, continues where the
// respondent left off.
// Scoring, advice, plan and cases come from diagnosis/ (Diagnose, DiagnosisJson): this file only
// parses forms and renders.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

#include "analytics/column_copy.h"
#include "base/problems.h"
#include "diagnosis/diagnosis.h"
#include "exchange/record.h"
#include "exchange/response.h"
#include "instrument/codec.h"
#include "web/app.h"
#include "web/pages.h"
#include "web/peers.h"
#include "web/radar.h"
#include "web/render.h"
#include "web/respondent_flow.h"

namespace shindan::web {

namespace {

// The profile questions asked before the items: what the classification (size type, industry,
// region) and the peer comparison need. The others come after the result.
const std::set<std::string>& FirstProfileFields() {
  static const std::set<std::string> kFields = {"employees", "industry", "prefecture", "it_core"};
  return kFields;
}

std::string Get(const Draft& d, const std::string& key) {
  auto it = d.find(key);
  return it == d.end() ? std::string() : it->second;
}

std::string Base(const RequestContext& ctx) { return "/r/" + ctx.caller.token; }

const Invitation& Inv(const RequestContext& ctx) { return *ctx.caller.invitation; }

bool Passed(const RequestContext& ctx, const Draft& draft) {
  Result<Response> r = BuildResponse(ctx, draft, false);
  if (!r.ok()) return false;
  return Score(Primary(ctx), r->answers[Primary(ctx).id]).passed;
}

HttpResponse ToStep(const RequestContext& ctx, const std::string& step) { return HttpResponse::Redirect(Base(ctx) + "/" + step); }

// What an item takes, in the page's language, for a message beside the field.
std::string WhatItTakes(const RequestContext& ctx, const Instrument& ins, const Item& item) {
  const bool ja = ctx.lang == Lang::kJa;
  switch (item.type) {
    case ItemType::kInteger: {
      const std::string lo = item.min ? std::to_string(*item.min) : "", hi = item.max ? std::to_string(*item.max) : "";
      if (ja) {
        return (item.min ? lo + "以上" : std::string()) + (item.max ? hi + "以下" : std::string()) + "の整数を数字で入力してください。";
      }
      return std::string("Enter a whole number") + (item.min && item.max ? " from " + lo + " to " + hi
                                                    : item.min            ? " of at least " + lo
                                                    : item.max            ? " of at most " + hi
                                                                          : "") + ".";
    }
    case ItemType::kBoolean:
      return ja ? "「" + Text(ctx.lang, "yes") + "」か「" + Text(ctx.lang, "no") + "」を選んでください。"
                : "Choose " + Text(ctx.lang, "yes") + " or " + Text(ctx.lang, "no") + ".";
    case ItemType::kPrefecture:
      return ja ? "都道府県を一覧から選んでください。" : "Choose a prefecture from the list.";
    case ItemType::kChoice:
    case ItemType::kMulti: {
      std::string labels;
      for (const AnswerOption* o : ins.OptionsFor(item)) labels += (labels.empty() ? "" : ja ? "、" : ", ") + o->label.in(ctx.lang);
      if (item.type == ItemType::kMulti) return ja ? "次から選んでください（複数可）：" + labels + "。" : "Choose one or more of: " + labels + ".";
      return ja ? "次から一つ選んでください：" + labels + "。" : "Choose one of: " + labels + ".";
    }
    default:
      return ja ? "入力を確かめてください。" : "Please check what you entered.";
  }
}

}  // namespace

bool Done(const Draft& d, const std::string& step) { return d.count("done." + step) > 0; }

std::string CompanyKey(const Invitation& inv) {
  return inv.company_key.empty() ? "web-" + std::to_string(inv.id) : inv.company_key;
}

Result<Draft> LoadDraft(RequestContext& ctx) {
  // Read with the invitation, when this request has saved nothing since: no round trip more.
  if (ctx.caller.draft) return *ctx.caller.draft;
  Result<WebApp::Lease> db = ctx.app.Db();
  if (!db.ok()) return db.status();
  return (*db)->LoadDraft(Inv(ctx).id);
}

namespace {

// The answers among `values` ("a.ID" draft fields) of each instrument in `instruments`, and with
// `profile` its fields ("p.ID"), recorded as one new submission of each where they change what is
// recorded (SaveAnswers, SaveProfile).
Status RecordChanges(RequestContext& ctx, Store& db, const Draft& values, const std::set<std::string>& instruments,
                     bool profile) {
  if (profile) {
    std::map<std::string, std::string> fields;
    for (const auto& [key, value] : values) {
      if (key.starts_with("p.")) fields.emplace(key.substr(2), value);
    }
    if (!fields.empty()) {
      if (Status s = SaveProfile(ctx.app.catalog(), db, Inv(ctx).survey_id, CompanyKey(Inv(ctx)), fields); !s.ok()) return s;
    }
  }
  for (const std::string& id : instruments) {
    const Instrument* ins = ctx.app.catalog().Find(id);
    if (!ins) continue;
    std::map<std::string, std::string> codes;
    for (const Item& item : ins->items) {
      if (auto it = values.find("a." + item.id); it != values.end()) codes.emplace(item.id, it->second);
    }
    if (codes.empty()) continue;
    if (Status s = SaveAnswers(ctx.app.catalog(), db, Inv(ctx).survey_id, CompanyKey(Inv(ctx)), id, codes); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace

Status SaveDraft(RequestContext& ctx, const Draft& values) {
  // Only a sheet whose items are done can have a recorded response (SurveyProfilePost records), as
  // the draft read with the invitation says; without that draft (a colleague's link, a second save
  // of the request) it is read. (Left open: another tab of the same respondent finishing the items
  // and recording in the milliseconds between this request's read and its commit.)
  const bool maybe_recorded = !ctx.caller.draft || Done(*ctx.caller.draft, "items");
  ctx.caller.draft.reset();  // stale from now on: a LoadDraft after this reads the database again
  if (Status s = ctx.app.SaveDraft(Inv(ctx).id, values); !s.ok()) return s;
  const bool changes = std::any_of(values.begin(), values.end(), [](const auto& kv) {
    return kv.first.starts_with("a.") || kv.first.starts_with("p.");
  });
  if (!maybe_recorded || !changes) return Status::Ok();
  // What this invitation has recorded, read after the draft is written: those instruments get the
  // changed answers, and a recorded profile its changed fields, as a new submission (the history
  // shows the change, the survey's tables and peers follow). Submit marks the draft recorded after
  // its commit and then reads the draft again, so one of the two always sees the other's write.
  // (The draft's marks, not the survey's history: a company the survey knew may have earlier
  // responses that this sheet has not replaced yet.)
  Result<WebApp::Lease> db = ctx.app.Db();
  if (!db.ok()) return db.status();
  Result<Draft> now = (*db)->LoadDraft(Inv(ctx).id);
  if (!now.ok()) {
    db->Discard();
    return now.status();
  }
  std::set<std::string> recorded;
  if (Done(*now, "survey-profile")) recorded.insert(Primary(ctx).id);
  if (Done(*now, "org") && Followup(ctx)) recorded.insert(Followup(ctx)->id);
  if (Status s = RecordChanges(ctx, **db, values, recorded, Done(*now, "survey-profile")); !s.ok()) {
    db->Discard();
    return s;
  }
  return Status::Ok();
}

const Instrument& Primary(const RequestContext& ctx) { return *ctx.app.catalog().Find(ctx.app.options().primary_instrument); }
const Instrument* Followup(const RequestContext& ctx) { return ctx.app.catalog().Find(ctx.app.options().followup_instrument); }

Result<Response> BuildResponse(const RequestContext& ctx, const Draft& draft, bool with_followup) {
  RawResponse raw;
  raw.file = "web";
  raw.company_id = CompanyKey(Inv(ctx));
  for (const auto& [key, value] : draft) {
    if (key.starts_with("p.")) raw.profile[key.substr(2)] = value;
  }
  auto add = [&](const Instrument& ins) {
    for (const Item& item : ins.items) {
      if (std::string v = Get(draft, "a." + item.id); !v.empty()) raw.answers[item.id] = v;
    }
  };
  add(Primary(ctx));
  if (with_followup && Followup(ctx)) add(*Followup(ctx));
  return ValidateResponse(ctx.app.catalog(), raw, {ctx.app.options().primary_instrument, false});
}

std::string NextStep(const RequestContext& ctx, const Draft& draft) {
  if (!Done(draft, "profile")) return "profile";
  if (!Done(draft, "items")) return "items";
  if (!Done(draft, "survey-profile")) return "result";
  if (Followup(ctx) && Passed(ctx, draft)) return Done(draft, "org") ? "org-result" : "org";
  return "result";
}

const Instrument& AnsweringNow(const RequestContext& ctx, const Draft& draft) {
  return Done(draft, "survey-profile") && Followup(ctx) ? *Followup(ctx) : Primary(ctx);
}

std::vector<const Instrument*> Answerable(const RequestContext& ctx, const Draft& draft) {
  std::vector<const Instrument*> out = {&Primary(ctx)};
  if (&AnsweringNow(ctx, draft) != &Primary(ctx)) out.push_back(&AnsweringNow(ctx, draft));
  return out;
}

ValueLookup LookupIn(const std::map<std::string, std::string>& values, std::string prefix) {
  return [&values, prefix = std::move(prefix)](const Item& item) -> std::optional<std::string> {
    auto it = values.find(prefix + item.id);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::vector<const Item*> ProfileItems(const RequestContext& ctx, bool first) {
  std::vector<const Item*> out;
  for (const Item& item : ctx.app.catalog().profile().items) {
    if ((FirstProfileFields().count(item.id) > 0) == first) out.push_back(&item);
  }
  return out;
}

std::vector<const Item*> AllItems(const Instrument& ins) {
  std::vector<const Item*> out;
  for (const Item& item : ins.items) out.push_back(&item);
  return out;
}

Parsed ParseValues(const RequestContext& ctx, const Instrument& ins, const std::vector<const Item*>& items,
                   const std::string& prefix, bool only_given, const ValueLookup& lookup) {
  Parsed out;
  const AnswerParser& parser = ctx.app.catalog().ParserFor(ins);
  for (const Item* item : items) {
    std::optional<std::string> given = lookup(*item);
    if (only_given && !given) continue;
    const std::string raw = given.value_or("");
    out.shown[item->id] = raw;
    if (NormalizeInput(raw).empty()) {
      if (item->required) {
        out.errors[item->id] = Text(ctx.lang, "please_answer");
      } else {
        out.values[prefix + item->id] = "";
      }
      continue;
    }
    Result<std::string> v = parser.Parse(*item, raw);
    if (!v.ok()) {
      // Said wholly in the page's language: what was given and what the item takes (the parser's
      // own detail is the command line's, in English).
      out.errors[item->id] = Text(ctx.lang, "invalid_answer") + (ctx.lang == Lang::kJa ? "" : " ") + Echo(raw) + " — " +
                             WhatItTakes(ctx, ins, *item);
      continue;
    }
    out.values[prefix + item->id] = *v;
    out.shown[item->id] = *v;
  }
  return out;
}

Status Submit(RequestContext& ctx, const Response& response, const std::vector<std::string>& instruments,
              bool with_profile, const Draft& done) {
  Result<CompanyRecord> record = RecordFromResponse(ctx.app.catalog(), response, instruments, with_profile);
  if (!record.ok()) return record.status();
  Result<WebApp::Lease> db = ctx.app.Db();
  if (!db.ok()) return db.status();
  Status status = [&]() -> Status {
    Result<std::unique_ptr<ImportSession>> session = (*db)->BeginImportOf(Inv(ctx).survey_id);
    if (!session.ok()) return session.status();
    // The columnar copy and the cell states follow in the same transaction: the result page's
    // percentile and the report read them, never the rows.
    return CommitWithCopy(ctx.app.catalog(), **db, **session, {&*record, 1});
  }();
  if (!status.ok()) return status;
  if (Status s = (*db)->MarkInvitationUsed(Inv(ctx).id, response.company_id); !s.ok()) return s;
  // The draft marked recorded, then read again: an answer saved after the draft was read for this
  // record (a colleague's, the respondent's own in another tab) is not in it, so it is recorded
  // too. The saving side reads the marks after writing the draft (SaveDraft), so one of the two
  // always sees the other's write.
  ctx.caller.draft.reset();
  if (Status s = ctx.app.SaveDraft(Inv(ctx).id, done); !s.ok()) return s;
  Result<Draft> now = (*db)->LoadDraft(Inv(ctx).id);
  if (!now.ok()) return now.status();
  Draft changed;  // the draft's answers (and with the profile, its fields) that are not the ones just recorded
  for (const auto& [key, value] : *now) {
    if (value.empty()) continue;
    bool same = true;
    if (key.starts_with("a.")) {
      same = std::any_of(response.answers.begin(), response.answers.end(), [&](const auto& instrument) {
        auto it = instrument.second.find(key.substr(2));
        return it != instrument.second.end() && it->second == value;
      });
    } else if (key.starts_with("p.") && with_profile) {
      auto it = response.profile.find(key.substr(2));
      same = it != response.profile.end() && it->second == value;
    }
    if (!same) changed.emplace(key, value);
  }
  if (changed.empty()) return Status::Ok();
  return RecordChanges(ctx, **db, changed, std::set<std::string>(instruments.begin(), instruments.end()), with_profile);
}

Result<std::optional<PeerStanding>> Standing(RequestContext& ctx, const nlohmann::json& diagnosis, bool recorded) {
  auto code = [&](const char* key) { return diagnosis[key].is_string() ? diagnosis[key].get<std::string>() : std::string(); };
  Result<WebApp::Lease> db = ctx.app.Db();
  if (!db.ok()) return db.status();
  return StandingAmongPeers(ctx.app.catalog(), **db, Inv(ctx).survey_id, code("size_type"), code("industry"),
                            diagnosis["total"].get<int>(), recorded, ctx.app.options().min_peers);
}

const char* PeerGroupName(PeerStanding::Group group) {
  switch (group) {
    case PeerStanding::Group::kSizeAndIndustry: return "size_industry";
    case PeerStanding::Group::kSizeType: return "size";
    case PeerStanding::Group::kSurvey: return "survey";
  }
  return "survey";
}

HttpResponse Page(const RequestContext& ctx, int status, const std::string& title, const std::string& content) {
  HttpResponse r;
  r.status = status;
  r.no_store = true;
  r.body = RenderPage(ctx.lang, title, content);
  return r;
}

HttpResponse ServerError(const RequestContext& ctx) { return MessagePage(ctx, 503, "server_error_title", "server_error"); }

namespace {

// --- forms

// The posted form's values of `items`.
Parsed ParseItems(const RequestContext& ctx, const Instrument& ins, const std::vector<const Item*>& items,
                  const std::string& prefix, bool only_given) {
  return ParseValues(ctx, ins, items, prefix, only_given, [&](const Item& item) -> std::optional<std::string> {
    if (ctx.request.form.count(item.id) == 0) return std::nullopt;
    if (item.type != ItemType::kMulti) return ctx.request.Form(item.id);
    std::string raw;
    for (const std::string& v : ctx.request.FormAll(item.id)) raw += (raw.empty() ? "" : ";") + v;
    return raw;
  });
}

mstch::array Options(const RequestContext& ctx, const Instrument& ins, const Item& item, const std::string& value) {
  mstch::array out;
  std::set<std::string> chosen;
  for (const std::string& v : SplitList(value, {";"})) chosen.insert(v);
  auto add = [&](const std::string& code, const std::string& label) {
    out.push_back(mstch::map{{"name", item.id}, {"code", code}, {"label", label}, {"checked", chosen.count(code) > 0}});
  };
  if (item.type == ItemType::kBoolean) {
    add("yes", Text(ctx.lang, "yes"));
    add("no", Text(ctx.lang, "no"));
  } else if (item.type == ItemType::kPrefecture) {
    for (const Prefecture& p : ctx.app.catalog().geography().prefectures()) {
      add(p.code, ctx.lang == Lang::kJa ? p.name : p.romaji);
    }
  } else {
    for (const AnswerOption* o : ins.OptionsFor(item)) add(o->code, o->label.in(ctx.lang));
  }
  return out;
}

mstch::map FieldContext(const RequestContext& ctx, const Instrument& ins, const Item& item, const std::string& value,
                        const std::string& error) {
  mstch::map m{{"id", item.id}, {"label", item.text.in(ctx.lang)}, {"required", item.required}};
  if (item.help) m["help"] = item.help->in(ctx.lang);
  if (!error.empty()) m["error"] = error;
  if (item.unit) m["unit"] = item.unit->in(ctx.lang);
  switch (item.type) {
    case ItemType::kBoolean:
      m["radios"] = true;
      m["options"] = Options(ctx, ins, item, value);
      break;
    case ItemType::kChoice: {
      mstch::array options = Options(ctx, ins, item, value);
      m[options.size() <= 6 ? "radios" : "select"] = true;
      m["options"] = std::move(options);
      break;
    }
    case ItemType::kMulti:
      m["checks"] = true;
      m["options"] = Options(ctx, ins, item, value);
      break;
    case ItemType::kPrefecture:
      m["select"] = true;
      m["options"] = Options(ctx, ins, item, value);
      break;
    default:
      m["input"] = true;
      m["value"] = value;
      m["numeric"] = item.type == ItemType::kInteger;
  }
  return m;
}

HttpResponse ProfileForm(const RequestContext& ctx, bool first, const std::map<std::string, std::string>& shown,
                         const std::map<std::string, std::string>& errors, int status) {
  const Instrument& profile = ctx.app.catalog().profile();
  mstch::array fields;
  for (const Item* item : ProfileItems(ctx, first)) {
    auto v = shown.find(item->id);
    auto e = errors.find(item->id);
    fields.push_back(FieldContext(ctx, profile, *item, v == shown.end() ? "" : v->second,
                                  e == errors.end() ? "" : e->second));
  }
  const std::string step = first ? "profile" : "survey-profile";
  const std::string heading = Text(ctx.lang, first ? "step_profile" : "step_survey_profile");
  mstch::map m{{"step", step},
               {"heading", heading},
               {"lead", Text(ctx.lang, first ? "profile_lead" : "survey_profile_lead")},
               {"has_errors", !errors.empty()},
               {"action", Base(ctx) + "/" + step},
               {"csrf", ctx.app.Csrf(ctx.caller)},
               {"fields", fields},
               {"button", Text(ctx.lang, "next")}};
  return Page(ctx, status, heading, Render("form", std::move(m), ctx.lang));
}

HttpResponse ItemsForm(const RequestContext& ctx, const Instrument& ins, const std::string& step,
                       const std::map<std::string, std::string>& shown, const std::map<std::string, std::string>& errors,
                       int status) {
  mstch::array items;
  std::string section;
  int answered = 0;
  for (const Item& item : ins.items) {
    auto v = shown.find(item.id);
    const std::string value = v == shown.end() ? "" : v->second;
    if (!value.empty()) ++answered;
    auto e = errors.find(item.id);
    mstch::map m = ItemContext(ctx, ins, item, value, e == errors.end() ? "" : e->second);
    if (item.section != section) {
      section = item.section;
      if (const Section* s = ins.FindSection(item.section)) m["section"] = s->label.in(ctx.lang);
    }
    items.push_back(std::move(m));
  }
  const bool primary = step == "items";
  const std::string heading = primary ? ins.title.in(ctx.lang) : Text(ctx.lang, "step_org");
  mstch::map m{{"step", step},
               {"heading", heading},
               {"has_errors", !errors.empty()},
               {"action", Base(ctx) + "/" + step},
               {"save", Base(ctx) + "/answer"},
               {"csrf", ctx.app.Csrf(ctx.caller)},
               {"items", items},
               {"answered", answered},
               {"count", static_cast<int>(ins.items.size())},
               {"button", Text(ctx.lang, primary ? "see_result" : "next")}};
  if (!primary) m["lead"] = Text(ctx.lang, "org_lead");
  return Page(ctx, status, heading, Render("items", std::move(m), ctx.lang));
}

std::map<std::string, std::string> Shown(const Draft& draft, const std::string& prefix) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : draft) {
    if (k.starts_with(prefix)) out[k.substr(prefix.size())] = v;
  }
  return out;
}

std::string OneDecimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The company's earlier results (newest first) with what changed since the one before.
mstch::array History(RequestContext& ctx) {
  mstch::array out;
  Result<WebApp::Lease> db = ctx.app.Db();
  if (!db.ok()) return out;
  Result<std::vector<CompanyRecord>> history = (*db)->History(Inv(ctx).survey_id, CompanyKey(Inv(ctx)));
  if (!history.ok()) return out;
  const Instrument& ins = Primary(ctx);
  std::optional<Answers> previous;
  for (const CompanyRecord& rec : *history) {
    for (const CompanyRecord::InstrumentAnswers& r : rec.responses) {
      if (r.instrument_id != ins.id) continue;
      Result<Answers> answers = DecodeAnswers(ins, r.answers);
      if (!answers.ok()) continue;
      std::string changes;
      if (previous) {
        for (const Item& item : ins.items) {
          const std::string before = previous->count(item.id) ? previous->at(item.id) : "";
          const std::string now = answers->count(item.id) ? answers->at(item.id) : "";
          if (before != now) changes += (changes.empty() ? "" : ", ") + ("No." + item.number + " " + before + "→" + now);
        }
      }
      out.insert(out.begin(), mstch::map{{"at", rec.recorded_at}, {"total", Score(ins, *answers).total}, {"changes", changes}});
      previous = std::move(answers).value();
    }
  }
  return out;
}

}  // namespace

mstch::map ItemContext(const RequestContext& ctx, const Instrument& ins, const Item& item, const std::string& value,
                       const std::string& error) {
  mstch::map m{{"id", item.id}, {"number", item.number}, {"text", item.text.in(ctx.lang)},
               {"options", Options(ctx, ins, item, value)}};
  if (item.objective && item.example) {
    m["has_parts"] = true;
    m["objective"] = item.objective->in(ctx.lang);
    m["example"] = item.example->in(ctx.lang);
  }
  mstch::array notes;
  for (const std::string& id : item.notes) {
    if (const Note* n = ins.FindNote(id)) notes.push_back(mstch::map{{"note", n->id + " " + n->text.in(ctx.lang)}});
  }
  if (item.help) notes.push_back(mstch::map{{"note", item.help->in(ctx.lang)}});
  m["notes"] = notes;
  if (!error.empty()) m["error"] = error;
  return m;
}

HttpResponse ResumeRespondent(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  return ToStep(ctx, NextStep(ctx, *draft));
}

HttpResponse ProfileGet(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  std::map<std::string, std::string> shown = Shown(*draft, "p.");
  if (shown.empty() && !Inv(ctx).company_key.empty()) {
    // A company the organiser already knows: its stored profile fills the form.
    if (Result<WebApp::Lease> db = ctx.app.Db(); db.ok()) {
      if (Result<std::vector<CompanyRecord>> h = (*db)->History(Inv(ctx).survey_id, Inv(ctx).company_key); h.ok()) {
        for (const CompanyRecord& rec : *h) {
          if (rec.profile_version.empty()) continue;
          if (Result<Answers> values = DecodeValues(ctx.app.catalog().profile(), rec.profile); values.ok()) shown = *values;
        }
      }
    }
  }
  return ProfileForm(ctx, true, shown, {}, 200);
}

HttpResponse ProfilePost(RequestContext& ctx) {
  Parsed p = ParseItems(ctx, ctx.app.catalog().profile(), ProfileItems(ctx, true), "p.", false);
  if (!p.errors.empty()) {
    if (Status s = SaveDraft(ctx, p.values); !s.ok()) return ServerError(ctx);
    return ProfileForm(ctx, true, p.shown, p.errors, 422);
  }
  p.values["done.profile"] = "1";
  if (Status s = SaveDraft(ctx, p.values); !s.ok()) return ServerError(ctx);
  return ToStep(ctx, "items");
}

HttpResponse ItemsGet(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  if (!Done(*draft, "profile")) return ToStep(ctx, "profile");
  return ItemsForm(ctx, Primary(ctx), "items", Shown(*draft, "a."), {}, 200);
}

HttpResponse ItemsPost(RequestContext& ctx) {
  const Instrument& ins = Primary(ctx);
  Parsed p = ParseItems(ctx, ins, AllItems(ins), "a.", false);
  if (!p.errors.empty()) {
    if (Status s = SaveDraft(ctx, p.values); !s.ok()) return ServerError(ctx);
    return ItemsForm(ctx, ins, "items", p.shown, p.errors, 422);
  }
  p.values["done.items"] = "1";
  if (Status s = SaveDraft(ctx, p.values); !s.ok()) return ServerError(ctx);
  return ToStep(ctx, "result");
}

// The script's save of the answers just tapped: JSON in, JSON out.
HttpResponse AnswerPost(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return HttpResponse::Json(503, R"({"error":{"code":"unavailable","message":"try again","field":null}})");
  // The main instrument's items stay answerable after the response is recorded (a change is
  // recorded too: SaveDraft), beside the follow-up's.
  Parsed p;
  for (const Instrument* ins : Answerable(ctx, *draft)) {
    Parsed one = ParseItems(ctx, *ins, AllItems(*ins), "a.", true);
    p.values.merge(one.values);
    p.errors.merge(one.errors);
  }
  if (!p.errors.empty()) {
    const auto& [field, message] = *p.errors.begin();
    return HttpResponse::Json(422, nlohmann::json{{"error", {{"code", "invalid"}, {"message", message}, {"field", field}}}}.dump());
  }
  if (Status s = SaveDraft(ctx, p.values); !s.ok()) {
    return HttpResponse::Json(503, R"({"error":{"code":"unavailable","message":"try again","field":null}})");
  }
  return HttpResponse::Json(200, nlohmann::json{{"saved", p.values.size()}}.dump());
}

// The company among its peers (web/peers.h), or false when too few have answered. `recorded`: the
// company's own response is in the survey already.
mstch::node PeersContext(RequestContext& ctx, const std::optional<PeerStanding>& standing, int total) {
  if (!standing) return mstch::node(false);
  const PeerStanding& s = *standing;
  const Lang lang = ctx.lang;
  const char* group = PeerGroupName(s.group);
  const std::string label = Text(lang, std::string("peers_group_") + group);
  const std::string n = std::to_string(s.histogram.companies);
  auto whole = [](double v) { return std::to_string(static_cast<int>(v + 0.5)); };
  const std::string percentile = whole(s.percentile);
  std::string sentence = lang == Lang::kJa
                             ? label + " " + n + " " + Text(lang, "peers_among") + " " + percentile
                             : "Among " + n + " " + label + ": " + Text(lang, "peers_among") + " " + percentile;
  mstch::map m{{"percentile", percentile},
               {"group", std::string(group)},
               {"companies", n},
               {"weighted", std::string(s.weighted ? "true" : "false")},
               {"widened", s.widened()},
               {"histogram", PeerHistogramSvg(s.histogram, total, Text(lang, "peers_histogram"), lang)}};
  if (s.weighted) {
    const std::string low = whole(s.ci_low), high = whole(s.ci_high);
    const std::string weighted = Text(lang, "peers_weighted"), interval = Text(lang, "peers_interval");
    sentence += lang == Lang::kJa ? "（" + weighted + "。" + interval + " " + low + "〜" + high + "）"
                                  : " (" + weighted + "; " + interval + " " + low + "–" + high + ")";
    std::string note = Text(lang, "peers_weighted_note");
    if (const size_t at = note.find("{frame}"); at != std::string::npos) note.replace(at, 7, s.frame);
    m["ci"] = mstch::map{{"low", low}, {"high", high}};
    m["weighting_note"] = note;
  } else {
    m["weighting_note"] = Text(lang, "peers_not_weighted") + (lang == Lang::kJa ? "" : " ") +
                          NotWeightedReason(ctx.app.catalog(), s, lang);
  }
  m["sentence"] = sentence;
  return mstch::node(std::move(m));
}

HttpResponse ResultGet(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  if (!Done(*draft, "profile") || !Done(*draft, "items")) return ToStep(ctx, NextStep(ctx, *draft));
  Result<Response> response = BuildResponse(ctx, *draft, false);
  if (!response.ok()) return ServerError(ctx);
  const Catalog& catalog = ctx.app.catalog();
  std::unique_ptr<Diagnosis> d = Diagnose(catalog, *response, Primary(ctx).id);
  const nlohmann::json j = nlohmann::json::parse(DiagnosisJson(catalog, *d));
  const Lang lang = ctx.lang;
  const char* l = lang == Lang::kJa ? "ja" : "en";

  mstch::map m{{"step", std::string("result")},
               {"heading", Text(lang, "step_result")},
               {"total", j["total"].get<int>()},
               {"max", j["max"].get<int>()},
               {"passed", std::string(j["passed"].get<bool>() ? "true" : "false")},
               {"verdict", Text(lang, j["passed"].get<bool>() ? "passed" : "not_passed")},
               {"verdict_class", std::string(j["passed"].get<bool>() ? "pass" : "fail")},
               {"meaning", Text(lang, j["passed"].get<bool>() ? "meaning_pass" : "meaning_fail")},
               {"categories", FromJson(j["categories"], lang)},
               {"complete", Done(*draft, "survey-profile")}};
  if (!j["adjusted_total"].is_null()) {
    m["has_adjusted"] = true;
    m["adjusted_total"] = OneDecimal(j["adjusted_total"].get<double>());
  }
  const bool recorded = Done(*draft, "survey-profile");
  Result<std::optional<PeerStanding>> standing = Standing(ctx, j, recorded);
  if (!standing.ok()) return ServerError(ctx);
  std::map<std::string, double> peer_means;
  if (*standing) {
    const Answers& own = response->answers[Primary(ctx).id];
    peer_means = PeerCategoryMeans(Primary(ctx), **standing, recorded ? &own : nullptr);
  }
  std::vector<RadarAxis> axes;
  for (const auto& c : j["categories"]) {
    const int best = c["applicable_max"].get<int>();
    RadarAxis axis{c["label"][l].get<std::string>(), best > 0 ? std::max(0, c["points"].get<int>()) / double(best) : 0};
    if (auto it = peer_means.find(c["id"].get<std::string>()); it != peer_means.end()) axis.peers = it->second;
    axes.push_back(std::move(axis));
  }
  m["radar"] = RadarSvg(axes, Text(lang, "categories"), Text(lang, "radar_company"), Text(lang, "radar_peers"), lang);
  m["peers"] = PeersContext(ctx, *standing, j["total"].get<int>());
  // The smallest group shown (serve --min-cell), said in the notes on widening and on too few.
  for (const char* key : {"peers_widened", "peers_too_few"}) {
    std::string text = Text(lang, key);
    if (size_t at = text.find("{k}"); at != std::string::npos) text.replace(at, 3, std::to_string(ctx.app.options().min_peers));
    m[key] = text;
  }

  // Colleagues asked about items (colleague.cc): the last link of each item, the answers given.
  std::map<std::string, const ItemLink*> asked;
  mstch::array colleague_answers;
  Result<std::vector<ItemLink>> links = [&]() -> Result<std::vector<ItemLink>> {
    Result<WebApp::Lease> db = ctx.app.Db();  // returned at once: History and the peers take their own
    if (!db.ok()) return db.status();
    return (*db)->ListItemLinks(Inv(ctx).id);
  }();
  if (!links.ok()) return ServerError(ctx);
  for (const ItemLink& link : *links) {
    asked[link.item_id] = &link;
    const Item* item = Primary(ctx).FindItem(link.item_id);
    if (link.answered_at.empty() || !item) continue;
    std::string answer = link.answer;
    for (const AnswerOption* o : Primary(ctx).OptionsFor(*item)) {
      if (o->code == link.answer) answer = o->label.in(lang);
    }
    const std::string label = item->objective ? item->objective->in(lang) : item->text.in(lang);
    const std::string at = link.answered_at.substr(0, 10);
    colleague_answers.push_back(mstch::map{
        {"item", item->id},
        {"line", "No." + item->number + " " + label + " — " + answer + (lang == Lang::kJa ? "（" + at + "）" : " (" + at + ")")}});
  }
  m["has_colleague_answers"] = !colleague_answers.empty();
  m["colleague_answers"] = colleague_answers;
  m["ask_action"] = Base(ctx) + "/ask";
  m["csrf"] = ctx.app.Csrf(ctx.caller);

  // Not met: わからない first (things to find out), then as the core orders them.
  std::vector<nlohmann::json> unmet(j["unmet"].begin(), j["unmet"].end());
  std::stable_partition(unmet.begin(), unmet.end(), [](const nlohmann::json& u) { return u["answer"] == "unknown"; });
  mstch::array unmet_ctx;
  std::map<std::string, std::string> labels;  // item → short label, for the plan
  bool has_unknown = false;
  for (const nlohmann::json& u : unmet) {
    has_unknown = has_unknown || u["answer"] == "unknown";
    const std::string label = u.contains("objective") ? u["objective"][l].get<std::string>() : u["text"][l].get<std::string>();
    labels[u["item"].get<std::string>()] = label;
    mstch::map um{{"item", u["item"].get<std::string>()}, {"number", u["number"].get<std::string>()},
                  {"objective_or_text", label}};
    if (u["answer"] == "unknown") {
      // A thing to find out: someone else in the company may know (a one-item link).
      um["unknown"] = true;
      if (auto a = asked.find(u["item"].get<std::string>()); a != asked.end() && a->second->answered_at.empty()) {
        um["asked"] = a->second->created_at.substr(0, 10);
      }
    }
    if (u.contains("example")) um["example"] = u["example"][l].get<std::string>();
    if (u.contains("action")) um["action"] = u["action"][l].get<std::string>();
    if (u["cost"].is_object()) um["cost"] = u["cost"]["label"][l].get<std::string>();
    if (u["priority"].is_object()) um["priority"] = u["priority"]["label"][l].get<std::string>();
    mstch::array guideline;
    if (u.contains("guideline")) {
      for (const auto& g : u["guideline"]) guideline.push_back(g.value("number", g["id"].get<std::string>()));
    }
    um["guideline"] = guideline;
    unmet_ctx.push_back(std::move(um));
  }
  m["has_unmet"] = !unmet_ctx.empty();
  m["has_unknown"] = has_unknown;
  m["unmet"] = unmet_ctx;
  mstch::array plan;
  for (const auto& month : j["plan"]) {
    mstch::array steps;
    for (const auto& id : month["items"]) {
      const std::string item = id.get<std::string>();
      const Item* it = Primary(ctx).FindItem(item);
      steps.push_back(mstch::map{{"number", it ? "No." + it->number : item}, {"label", labels[item]}});
    }
    const std::string when = month["after_plan"].get<bool>()
                                 ? Text(lang, "after_plan")
                                 : (lang == Lang::kJa ? std::to_string(month["month"].get<int>()) + Text(lang, "month")
                                                      : Text(lang, "month") + " " + std::to_string(month["month"].get<int>()));
    plan.push_back(mstch::map{{"when", when}, {"steps", steps}});
  }
  m["plan"] = plan;
  m["cases"] = FromJson(j["cases"], lang);
  m["has_cases"] = !j["cases"].empty();
  mstch::array history = History(ctx);
  m["has_history"] = !history.empty();
  m["history"] = history;
  if (!Done(*draft, "survey-profile")) {
    m["next"] = Base(ctx) + "/survey-profile";
    m["next_label"] = Text(lang, "to_survey_profile");
  } else if (Followup(ctx) && j["passed"].get<bool>() && !Done(*draft, "org")) {
    m["next"] = Base(ctx) + "/org";
    m["next_label"] = Text(lang, "to_org");
  }
  return Page(ctx, 200, Text(lang, "step_result"), Render("result", std::move(m), lang));
}

HttpResponse SurveyProfileGet(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  if (!Done(*draft, "items") || Done(*draft, "survey-profile")) return ToStep(ctx, NextStep(ctx, *draft));
  return ProfileForm(ctx, false, Shown(*draft, "p."), {}, 200);
}

HttpResponse SurveyProfilePost(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  if (!Done(*draft, "items") || Done(*draft, "survey-profile")) return ToStep(ctx, NextStep(ctx, *draft));
  Parsed p = ParseItems(ctx, ctx.app.catalog().profile(), ProfileItems(ctx, false), "p.", false);
  if (Status s = SaveDraft(ctx, p.values); !s.ok()) return ServerError(ctx);
  if (!p.errors.empty()) return ProfileForm(ctx, false, p.shown, p.errors, 422);
  for (const auto& [k, v] : p.values) {
    if (v.empty()) draft->erase(k);
    else (*draft)[k] = v;
  }
  Result<Response> response = BuildResponse(ctx, *draft, false);
  if (!response.ok()) return ServerError(ctx);
  if (Status s = Submit(ctx, *response, {Primary(ctx).id}, true, {{"done.survey-profile", "1"}}); !s.ok()) {
    return ServerError(ctx);
  }
  (*draft)["done.survey-profile"] = "1";
  return ToStep(ctx, NextStep(ctx, *draft));
}

HttpResponse OrgGet(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  if (NextStep(ctx, *draft) != "org") return ToStep(ctx, NextStep(ctx, *draft));
  return ItemsForm(ctx, *Followup(ctx), "org", Shown(*draft, "a."), {}, 200);
}

HttpResponse OrgPost(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  if (NextStep(ctx, *draft) != "org") return ToStep(ctx, NextStep(ctx, *draft));
  const Instrument& org = *Followup(ctx);
  Parsed p = ParseItems(ctx, org, AllItems(org), "a.", false);
  if (Status s = SaveDraft(ctx, p.values); !s.ok()) return ServerError(ctx);
  if (!p.errors.empty()) return ItemsForm(ctx, org, "org", p.shown, p.errors, 422);
  for (const auto& [k, v] : p.values) (*draft)[k] = v;
  Result<Response> response = BuildResponse(ctx, *draft, true);
  if (!response.ok()) return ServerError(ctx);
  if (Status s = Submit(ctx, *response, {org.id}, false, {{"done.org", "1"}}); !s.ok()) return ServerError(ctx);
  return ToStep(ctx, "org-result");
}

HttpResponse OrgResultGet(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ServerError(ctx);
  if (NextStep(ctx, *draft) != "org-result") return ToStep(ctx, NextStep(ctx, *draft));
  Result<Response> response = BuildResponse(ctx, *draft, true);
  if (!response.ok()) return ServerError(ctx);
  std::unique_ptr<Diagnosis> d = Diagnose(ctx.app.catalog(), *response, Primary(ctx).id);
  const nlohmann::json j = nlohmann::json::parse(DiagnosisJson(ctx.app.catalog(), *d));
  const nlohmann::json& o = j["other_instruments"][Followup(ctx)->id];
  mstch::map m{{"heading", Text(ctx.lang, "step_org_result")},
               {"yes", o["yes"].get<int>()},
               {"items", o["items"].get<int>()},
               {"sections", FromJson(o["sections"], ctx.lang)},
               {"result", Base(ctx) + "/result"}};
  return Page(ctx, 200, Text(ctx.lang, "step_org_result"), Render("org_result", std::move(m), ctx.lang));
}

}  // namespace shindan::web
