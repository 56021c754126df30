// The one table of routes: method, path pattern, who may call it, handler. The server dispatches
// through it, the access log names its patterns (never a token), and the security matrix test
// walks it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/text.h"
#include "store/store.h"
#include "web/http.h"

namespace shindan::web {

class WebApp;

// Who may call a route. Later parts add signed-in roles; each is checked before the handler runs.
enum class Access {
  kAnyone,       // public pages: home, health, static files
  kRespondent,   // the path's {token} must name an invitation that is neither expired nor revoked
  kColleague,    // the path's {token} must name a one-item link (store.h ItemLink) that is usable:
                 // it reaches that one item of that one invitation, nothing else
  kOrganiser,    // a signed-in organiser of the survey (part 2)
  kInterviewer,  // a signed-in interviewer (part 2)
  kClient,       // a client organisation a company shared with (part 3)
};
const char* AccessName(Access access);

// The caller as established for one request, before the handler runs.
struct Caller {
  Access role = Access::kAnyone;
  std::optional<Invitation> invitation;  // kRespondent: the invitation the token names;
                                         // kColleague: the invitation of the item link
  std::optional<ItemLink> item_link;     // kColleague: the link the token names
  std::string token;                     // kRespondent, kColleague: the token as given in the path
  // The hash of the token that let the caller in: what its forms' CSRF tokens are made from.
  const std::string& token_hash() const { return item_link ? item_link->token_hash : invitation->token_hash; }
  // kRespondent: its draft as read with the invitation (WebApp::LookupRespondent), until a save of
  // this request makes it stale (web/respondent_flow.h: LoadDraft, SaveDraft).
  std::optional<std::map<std::string, std::string>> draft;
};

struct RequestContext {
  WebApp& app;
  HttpRequest& request;
  Caller caller;
  Lang lang = Lang::kJa;
};

struct Route {
  const char* method;
  const char* pattern;  // "/r/{token}/items": {name} matches one non-empty path segment
  Access access;
  const char* summary;
  HttpResponse (*handler)(RequestContext& ctx);
};

const std::vector<Route>& Routes();

// The route for `method` and `path`, filling `params`; nullptr when none. *path_known is set when
// some route has this path under another method (405 rather than 404).
const Route* MatchRoute(const std::string& method, const std::string& path, std::map<std::string, std::string>* params,
                        bool* path_known);
// The pattern of the route `path` matches under any method, for the access log; "-" when none.
std::string RouteTemplate(const std::string& method, const std::string& path);

}  // namespace shindan::web
