// The JSON API under /api/v1 (issue 11 §5): everything the respondent's pages do, for programs
// and for a client other than the browser. It is the pages' other face: the same draft, parsers,
// submission and diagnosis (respondent_flow.h, diagnosis/), only the rendering differs. Described
// by GET /api/openapi.json (assets/openapi.json), which the tests check against the route table.
//
// A POST must carry `Content-Type: application/json`: a cross-site HTML form cannot send it
// without the browser asking first (CORS), and the server answers no such question, so the API
// needs no CSRF token. A request that fails changes nothing.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

#include "diagnosis/diagnosis.h"
#include "web/app.h"
#include "web/assets.h"
#include "web/render.h"
#include "web/respondent_flow.h"

namespace shindan::web {

namespace {

HttpResponse ApiJson(int status, const nlohmann::json& body) {
  HttpResponse r = HttpResponse::Json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  r.no_store = true;
  return r;
}

// Japanese first, English beside it: an API's caller may show the message as it is.
std::string BothLanguages(const std::string& key) { return Text(Lang::kJa, key) + " / " + Text(Lang::kEn, key); }

HttpResponse ApiUnavailable() { return ApiError(503, "unavailable", BothLanguages("server_error"), ""); }

nlohmann::json ErrorJson(const std::string& code, const std::string& message, const std::string& field) {
  nlohmann::json error{{"code", code}, {"message", message}, {"field", nullptr}};
  if (!field.empty()) error["field"] = field;
  return {{"error", error}};
}

// The first of `errors` (item id → message) as the error answer, all of them under "errors".
HttpResponse ApiInvalid(const std::map<std::string, std::string>& errors) {
  nlohmann::json body = ErrorJson("invalid", errors.begin()->second, errors.begin()->first);
  body["error"]["errors"] = errors;
  return ApiJson(422, body);
}

// The request body as a sheet ({"profile": {…}, "answers": {…}}); the error answer when it is not.
std::optional<HttpResponse> ReadSheetBody(const RequestContext& ctx, RawResponse* sheet, bool answers_required) {
  Result<RawResponse> raw = ParseJsonSheet(ctx.request.body, "request body", answers_required);
  if (!raw.ok()) return ApiError(400, "bad_request", raw.status().message(), "");
  *sheet = std::move(raw).value();
  return std::nullopt;
}

// The first required item of `items` the draft has no value for, or "".
std::string FirstMissing(const Draft& draft, const std::vector<const Item*>& items, const std::string& prefix) {
  for (const Item* item : items) {
    auto it = draft.find(prefix + item->id);
    if (item->required && (it == draft.end() || it->second.empty())) return item->id;
  }
  return "";
}

// The draft has what the result needs: the first profile questions and every item.
std::string MissingForResult(const RequestContext& ctx, const Draft& draft) {
  if (std::string f = FirstMissing(draft, ProfileItems(ctx, true), "p."); !f.empty()) return f;
  return FirstMissing(draft, AllItems(Primary(ctx)), "a.");
}

int Answered(const Draft& draft, const Instrument& instrument) {
  int n = 0;
  for (const Item& item : instrument.items) {
    auto it = draft.find("a." + item.id);
    n += it != draft.end() && !it->second.empty();
  }
  return n;
}

nlohmann::json StateJson(const RequestContext& ctx, const Draft& draft) {
  nlohmann::json profile = nlohmann::json::object(), answers = nlohmann::json::object();
  for (const auto& [key, value] : draft) {
    if (value.empty()) continue;
    if (key.starts_with("p.")) profile[key.substr(2)] = value;
    if (key.starts_with("a.")) answers[key.substr(2)] = value;
  }
  const Instrument& now = AnsweringNow(ctx, draft);
  return {{"step", NextStep(ctx, draft)},
          {"recorded", Done(draft, "survey-profile")},
          {"company_known", !ctx.caller.invitation->company_key.empty()},
          {"expires_at", ctx.caller.invitation->expires_at},
          {"instrument", now.id},
          {"answered", Answered(draft, now)},
          {"items", now.items.size()},
          {"profile", profile},
          {"answers", answers}};
}

}  // namespace

HttpResponse ApiError(int status, const std::string& code, const std::string& message, const std::string& field) {
  return ApiJson(status, ErrorJson(code, message, field));
}

HttpResponse ApiErrorFor(int status) {
  switch (status) {
    case 403: return ApiError(403, "forbidden", BothLanguages("not_found"), "");
    case 404: return ApiError(404, "not_found", BothLanguages("not_found"), "");
    case 405: return ApiError(405, "method_not_allowed", BothLanguages("not_found"), "");
    case 415:
      return ApiError(415, "unsupported_media_type",
                      "リクエストは JSON（Content-Type: application/json）で送ってください。 / "
                      "Send the request as JSON (Content-Type: application/json).",
                      "");
    case 429:
      return ApiError(429, "too_many_requests", BothLanguages("too_many"), "");
    case 503: return ApiUnavailable();
  }
  return ApiError(500, "server_error", BothLanguages("server_error"), "");
}

HttpResponse ApiInvalidLink() {
  return ApiError(404, "invalid_link",
                  Text(Lang::kJa, "invalid_link_title") + "。" + Text(Lang::kJa, "invalid_link") + " / " +
                      Text(Lang::kEn, "invalid_link_title") + ". " + Text(Lang::kEn, "invalid_link"),
                  "");
}

HttpResponse ApiDocument(RequestContext&) {
  const Asset* doc = FindAsset("assets/openapi.json");
  if (!doc) return ApiErrorFor(404);
  HttpResponse r = HttpResponse::Json(200, std::string(doc->bytes));
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return r;
}

// Scores a sheet without storing anything: what `shindan score --json` prints for the same sheet.
HttpResponse ApiScore(RequestContext& ctx) {
  RawResponse sheet;
  if (std::optional<HttpResponse> bad = ReadSheetBody(ctx, &sheet, true)) return *bad;
  const std::string primary = ctx.app.options().primary_instrument;
  Result<Response> response = ValidateResponse(ctx.app.catalog(), sheet, {primary, false});
  if (!response.ok()) return ApiError(422, "invalid", response.status().message(), "");
  std::unique_ptr<Diagnosis> d = Diagnose(ctx.app.catalog(), *response, primary);
  return ApiJson(200, nlohmann::json::parse(DiagnosisJson(ctx.app.catalog(), *d)));
}

HttpResponse ApiState(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ApiUnavailable();
  return ApiJson(200, StateJson(ctx, *draft));
}

// Saves the profile values and answers given (all or none: one invalid value refuses the request).
HttpResponse ApiSaveAnswers(RequestContext& ctx) {
  RawResponse sheet;
  if (std::optional<HttpResponse> bad = ReadSheetBody(ctx, &sheet, false)) return *bad;
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ApiUnavailable();
  const Instrument& profile = ctx.app.catalog().profile();
  const std::vector<const Instrument*> answerable = Answerable(ctx, *draft);
  std::map<std::string, std::string> errors;
  for (const auto& [key, value] : sheet.profile) {
    if (!profile.FindItem(key)) errors[key] = "unknown profile field — expected one of the profile's item ids";
  }
  for (const auto& [key, value] : sheet.answers) {
    if (std::none_of(answerable.begin(), answerable.end(), [&](const Instrument* i) { return i->FindItem(key); })) {
      std::string ids;
      for (const Instrument* i : answerable) ids += (ids.empty() ? "" : " or ") + i->id;
      errors[key] = "unknown item — expected an item id of " + ids;
    }
  }
  if (!errors.empty()) return ApiInvalid(errors);
  Parsed p = ParseValues(ctx, profile, AllItems(profile), "p.", true, LookupIn(sheet.profile));
  for (const Instrument* instrument : answerable) {
    Parsed a = ParseValues(ctx, *instrument, AllItems(*instrument), "a.", true, LookupIn(sheet.answers));
    p.errors.merge(a.errors);
    p.values.merge(a.values);
  }
  if (!p.errors.empty()) return ApiInvalid(p.errors);
  const size_t saved = p.values.size();
  for (const auto& [k, v] : p.values) (*draft)[k] = v;
  // The steps a page would have finished with these values, so that the pages continue from here.
  if (FirstMissing(*draft, ProfileItems(ctx, true), "p.").empty() && !Done(*draft, "profile")) {
    p.values["done.profile"] = (*draft)["done.profile"] = "1";
  }
  if (MissingForResult(ctx, *draft).empty() && !Done(*draft, "items")) p.values["done.items"] = (*draft)["done.items"] = "1";
  if (Status s = SaveDraft(ctx, p.values); !s.ok()) return ApiUnavailable();
  nlohmann::json state = StateJson(ctx, *draft);
  state["saved"] = saved;
  return ApiJson(200, state);
}

// The result: the diagnosis (score, categories, items not met with advice, plan, cases) and where
// the company stands among its peers.
HttpResponse ApiResult(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ApiUnavailable();
  if (std::string missing = MissingForResult(ctx, *draft); !missing.empty()) {
    return ApiError(409, "incomplete", BothLanguages("api_incomplete"), missing);
  }
  Result<Response> response = BuildResponse(ctx, *draft, false);
  if (!response.ok()) return ApiUnavailable();
  std::unique_ptr<Diagnosis> d = Diagnose(ctx.app.catalog(), *response, Primary(ctx).id);
  const nlohmann::json diagnosis = nlohmann::json::parse(DiagnosisJson(ctx.app.catalog(), *d));
  Result<std::optional<PeerStanding>> standing = Standing(ctx, diagnosis, Done(*draft, "survey-profile"));
  if (!standing.ok()) return ApiUnavailable();
  nlohmann::json peers = nullptr;
  if (*standing) {
    const PeerStanding& s = **standing;
    peers = {{"group", PeerGroupName(s.group)},
             {"companies", s.histogram.companies},
             {"percentile", s.percentile},
             {"weighted", s.weighted},
             {"ci_low", s.weighted ? nlohmann::json(s.ci_low) : nlohmann::json(nullptr)},
             {"ci_high", s.weighted ? nlohmann::json(s.ci_high) : nlohmann::json(nullptr)},
             {"frame", s.frame.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.frame)},
             {"not_weighted", nullptr},
             {"bands", PeerBands(s.histogram)}};
    if (!s.weighted) {
      const Catalog& catalog = ctx.app.catalog();
      peers["not_weighted"] = {
          {"code", NotWeightedCode(s.not_weighted)},
          {"message", NotWeightedReason(catalog, s, Lang::kJa) + " / " + NotWeightedReason(catalog, s, Lang::kEn)}};
    }
  }
  return ApiJson(200, {{"recorded", Done(*draft, "survey-profile")}, {"diagnosis", diagnosis}, {"peers", peers}});
}

// Records the response in the survey: first the self-check with the whole profile, then (when
// its total reaches the pass mark) the organisational checklist.
HttpResponse ApiSubmit(RequestContext& ctx) {
  Result<Draft> draft = LoadDraft(ctx);
  if (!draft.ok()) return ApiUnavailable();
  if (!Done(*draft, "survey-profile")) {
    if (std::string missing = MissingForResult(ctx, *draft); !missing.empty()) {
      return ApiError(409, "incomplete", BothLanguages("api_incomplete"), missing);
    }
    Parsed rest = ParseValues(ctx, ctx.app.catalog().profile(), ProfileItems(ctx, false), "p.", false, LookupIn(*draft, "p."));
    if (!rest.errors.empty()) return ApiInvalid(rest.errors);
    Result<Response> response = BuildResponse(ctx, *draft, false);
    if (!response.ok()) return ApiUnavailable();
    const Draft done = {{"done.profile", "1"}, {"done.items", "1"}, {"done.survey-profile", "1"}};
    if (Status s = Submit(ctx, *response, {Primary(ctx).id}, true, done); !s.ok()) return ApiUnavailable();
    draft->insert(done.begin(), done.end());
    return ApiJson(200, {{"recorded", Primary(ctx).id}, {"step", NextStep(ctx, *draft)}});
  }
  if (NextStep(ctx, *draft) != "org") {
    return ApiError(409, "already_recorded", BothLanguages("api_already_recorded"), "");
  }
  const Instrument& org = *Followup(ctx);
  Parsed answers = ParseValues(ctx, org, AllItems(org), "a.", false, LookupIn(*draft, "a."));
  if (!answers.errors.empty()) return ApiInvalid(answers.errors);
  Result<Response> response = BuildResponse(ctx, *draft, true);
  if (!response.ok()) return ApiUnavailable();
  if (Status s = Submit(ctx, *response, {org.id}, false, {{"done.org", "1"}}); !s.ok()) return ApiUnavailable();
  (*draft)["done.org"] = "1";
  return ApiJson(200, {{"recorded", org.id}, {"step", NextStep(ctx, *draft)}});
}

// A one-item link for a colleague: {"item": "sc05"} → 201 with the link (shown this once).
HttpResponse ApiAsk(RequestContext& ctx) {
  nlohmann::json body = nlohmann::json::parse(ctx.request.body, nullptr, false);
  if (!body.is_object() || !body.contains("item") || !body["item"].is_string()) {
    return ApiError(400, "bad_request", "request body: expected {\"item\": \"ITEM ID\"}", "item");
  }
  Result<IssuedItemLink> issued = AskColleague(ctx, body["item"].get<std::string>());
  if (issued.status().code() == Status::Code::kInvalidInput) return ApiError(422, "invalid", issued.status().message(), "item");
  if (!issued.ok()) return ApiUnavailable();
  return ApiJson(201, {{"item", issued->item_id}, {"link", issued->link}, {"expires_at", issued->expires_at}});
}

namespace {

// The linked item as a colleague sees it, with the answer given through this link so far.
nlohmann::json ColleagueItemJson(const RequestContext& ctx, const Item& item) {
  const Instrument& ins = Primary(ctx);
  auto both = [](const LocalText& text) { return nlohmann::json{{"ja", text.in(Lang::kJa)}, {"en", text.in(Lang::kEn)}}; };
  nlohmann::json options = nlohmann::json::array();
  for (const AnswerOption* o : ins.OptionsFor(item)) options.push_back({{"code", o->code}, {"label", both(o->label)}});
  nlohmann::json j{{"id", item.id}, {"number", item.number}, {"text", both(item.text)}, {"options", options}};
  if (item.objective) j["objective"] = both(*item.objective);
  if (item.example) j["example"] = both(*item.example);
  const ItemLink& link = *ctx.caller.item_link;
  return {{"item", j},
          {"answer", link.answer.empty() ? nlohmann::json(nullptr) : nlohmann::json(link.answer)},
          {"answered_at", link.answered_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(link.answered_at)},
          {"expires_at", link.expires_at}};
}

}  // namespace

HttpResponse ApiColleagueItem(RequestContext& ctx) {
  const Item* item = LinkedItem(ctx);
  if (!item) return ApiInvalidLink();
  return ApiJson(200, ColleagueItemJson(ctx, *item));
}

// The colleague's answer: {"answer": "yes"}.
HttpResponse ApiColleagueAnswer(RequestContext& ctx) {
  const Item* item = LinkedItem(ctx);
  if (!item) return ApiInvalidLink();
  nlohmann::json body = nlohmann::json::parse(ctx.request.body, nullptr, false);
  if (!body.is_object() || !body.contains("answer") || !body["answer"].is_string()) {
    return ApiError(400, "bad_request", "request body: expected {\"answer\": \"CODE\"}", "answer");
  }
  Result<Parsed> p = AnswerAsColleague(ctx, body["answer"].get<std::string>());
  if (!p.ok()) return ApiUnavailable();
  if (!p->errors.empty()) return ApiInvalid(p->errors);
  ItemLink& link = *ctx.caller.item_link;
  link.answer = p->values.at("a." + item->id);
  link.answered_at = FormatTimestamp(std::chrono::system_clock::now());
  return ApiJson(200, ColleagueItemJson(ctx, *item));
}

}  // namespace shindan::web
