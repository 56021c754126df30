#include "web/routes.h"

#include "web/app.h"
#include "web/assets.h"
#include "web/render.h"

namespace shindan::web {

namespace {

HttpResponse Home(RequestContext& ctx) {
  const std::string base = ctx.app.options().base_url.empty() ? "http://127.0.0.1:8080" : ctx.app.options().base_url;
  HttpResponse r;
  r.body = RenderPage(ctx.lang, Text(ctx.lang, "home_title"), Render("home", {{"base_url", base}}, ctx.lang));
  return r;
}

// 200 when the database answers a query, 503 otherwise.
HttpResponse Healthz(RequestContext& ctx) {
  Result<WebApp::Lease> db = ctx.app.Db();
  if (!db.ok()) return HttpResponse::Json(503, R"({"status":"unavailable"})");
  if (Result<int> v = (*db)->SchemaVersion(); !v.ok()) {
    db->Discard();
    return HttpResponse::Json(503, R"({"status":"unavailable"})");
  }
  return HttpResponse::Json(200, R"({"status":"ok"})");
}

HttpResponse Static(RequestContext& ctx) {
  const std::string file = ctx.request.Param("file");
  // Data compiled in for the server's own use, or served at a route of its own.
  if (file == "texts.json" || file == "openapi.json") return MessagePage(ctx, 404, "not_found_title", "not_found");
  const Asset* a = FindAsset("assets/" + file);
  if (!a) return MessagePage(ctx, 404, "not_found_title", "not_found");
  HttpResponse r;
  r.body = std::string(a->bytes);
  if (file.ends_with(".css")) r.content_type = "text/css; charset=utf-8";
  else if (file.ends_with(".js")) r.content_type = "text/javascript; charset=utf-8";
  else r.content_type = "application/octet-stream";
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return r;
}

// Splits "/a/b" into {"a", "b"}; "/" into {}.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    if (end > pos || end < path.size()) out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool Matches(std::string_view pattern, std::string_view path, std::map<std::string, std::string>* params) {
  if (path.empty() || path[0] != '/') return false;
  const std::vector<std::string_view> want = Segments(pattern), got = Segments(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (got[i].empty()) return false;
      found.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  if (params) *params = std::move(found);
  return true;
}

}  // namespace

const char* AccessName(Access access) {
  switch (access) {
    case Access::kAnyone: return "anyone";
    case Access::kRespondent: return "respondent";
    case Access::kColleague: return "colleague";
    case Access::kOrganiser: return "organiser";
    case Access::kInterviewer: return "interviewer";
    case Access::kClient: return "client";
  }
  return "?";
}

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/", Access::kAnyone, "home page: what shindan is, how to begin", Home},
      {"GET", "/healthz", Access::kAnyone, "200 when the database answers", Healthz},
      {"GET", "/static/{file}", Access::kAnyone, "CSS and script compiled into the binary", Static},
      {"GET", "/r/{token}", Access::kRespondent, "an invitation link: continues where the respondent left off", ResumeRespondent},
      {"GET", "/r/{token}/profile", Access::kRespondent, "the company questions the diagnosis needs", ProfileGet},
      {"POST", "/r/{token}/profile", Access::kRespondent, "saves the company questions", ProfilePost},
      {"GET", "/r/{token}/items", Access::kRespondent, "the self-check items", ItemsGet},
      {"POST", "/r/{token}/items", Access::kRespondent, "saves the self-check items", ItemsPost},
      {"POST", "/r/{token}/answer", Access::kRespondent, "saves answers as they are tapped (script)", AnswerPost},
      {"GET", "/r/{token}/result", Access::kRespondent, "the result: score, chart, advice, plan, cases, history", ResultGet},
      {"GET", "/r/{token}/survey-profile", Access::kRespondent, "the survey's other company questions", SurveyProfileGet},
      {"POST", "/r/{token}/survey-profile", Access::kRespondent, "saves them and records the response", SurveyProfilePost},
      {"GET", "/r/{token}/org", Access::kRespondent, "the organisational checklist (total at the pass mark)", OrgGet},
      {"POST", "/r/{token}/org", Access::kRespondent, "saves and records the organisational checklist", OrgPost},
      {"GET", "/r/{token}/org-result", Access::kRespondent, "the organisational checklist's result", OrgResultGet},
      {"POST", "/r/{token}/ask", Access::kRespondent, "a one-item link for a colleague who knows the answer", AskPost},
      // A colleague's one-item link (colleague.cc): that item of that sheet, nothing else.
      {"GET", "/q/{token}", Access::kColleague, "one item of a sheet, asked of a colleague", ColleagueGet},
      {"POST", "/q/{token}", Access::kColleague, "saves the colleague's answer into the sheet", ColleaguePost},
      // The JSON API (api.cc), described by its OpenAPI document.
      {"GET", "/api/openapi.json", Access::kAnyone, "the API's OpenAPI 3.0 document", ApiDocument},
      {"POST", "/api/v1/score", Access::kAnyone, "scores a sheet, storing nothing", ApiScore},
      {"GET", "/api/v1/r/{token}", Access::kRespondent, "the invitation's state: step, answers so far", ApiState},
      {"POST", "/api/v1/r/{token}/answers", Access::kRespondent, "saves profile values and answers", ApiSaveAnswers},
      {"GET", "/api/v1/r/{token}/result", Access::kRespondent, "the result with percentile, plan and cases", ApiResult},
      {"POST", "/api/v1/r/{token}/submit", Access::kRespondent, "records the response in the survey", ApiSubmit},
      {"POST", "/api/v1/r/{token}/ask", Access::kRespondent, "a one-item link for a colleague", ApiAsk},
      {"GET", "/api/v1/q/{token}", Access::kColleague, "the item a colleague is asked, and its answer", ApiColleagueItem},
      {"POST", "/api/v1/q/{token}", Access::kColleague, "saves the colleague's answer", ApiColleagueAnswer},
  };
  return kRoutes;
}

const Route* MatchRoute(const std::string& method, const std::string& path, std::map<std::string, std::string>* params,
                        bool* path_known) {
  if (path_known) *path_known = false;
  for (const Route& r : Routes()) {
    if (!Matches(r.pattern, path, nullptr)) continue;
    if (method == r.method || (method == "HEAD" && std::string_view(r.method) == "GET")) {
      Matches(r.pattern, path, params);
      return &r;
    }
    if (path_known) *path_known = true;
  }
  return nullptr;
}

std::string RouteTemplate(const std::string& method, const std::string& path) {
  bool known = false;
  if (const Route* r = MatchRoute(method, path, nullptr, &known)) return r->pattern;
  for (const Route& r : Routes()) {
    if (Matches(r.pattern, path, nullptr)) return r.pattern;
  }
  return "-";
}

}  // namespace shindan::web
