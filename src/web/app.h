// The web application without its transport: a request in, a response out (server.cc puts it
// behind HTTP). It holds no state of its own beyond the catalog and a pool of database
// connections: invitations, answers and secrets are in the database, so any number of servers on
// one PostgreSQL serve the same respondents.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "store/store.h"
#include "web/bad_tokens.h"
#include "web/group_call.h"
#include "web/http.h"
#include "web/peers.h"  // kMinPeers
#include "web/routes.h"

namespace shindan::web {

struct WebOptions {
  std::string db_url = kDefaultStoreUrl;
  std::string base_url;  // "http://127.0.0.1:8080"; shown on the home page
  // The survey's main instrument and the follow-up asked of companies at its pass mark (seed 図1).
  std::string primary_instrument = "self-check-2009";
  std::string followup_instrument = "org-checklist-2009";
  // Bad invitation tokens an address may give before it is slowed down (web/bad_tokens.h).
  int64_t free_bad_tokens = kFreeBadTokens;
  // Peer groups with fewer companies are not shown; the comparison widens (serve --min-cell).
  uint64_t min_peers = kMinPeers;
};

class WebApp {
 public:
  // Opens the database once (applying migrations) and reads or creates the server secret.
  // REQUIRES: `catalog` outlives the WebApp.
  static Result<std::unique_ptr<WebApp>> Create(const Catalog& catalog, const WebOptions& options);

  // Routes, authorises and handles one request, adding the security headers. Never throws.
  HttpResponse Handle(HttpRequest& request);

  // A connection from the pool, returned to it when the lease ends.
  class Lease {
   public:
    Lease(WebApp* app, std::unique_ptr<Store> store) : app_(app), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Store* operator->() { return store_.get(); }
    Store& operator*() { return *store_; }
    // Drops the connection instead of returning it (after an error that may have broken it).
    void Discard() { store_.reset(); }

   private:
    WebApp* app_;
    std::unique_ptr<Store> store_;
  };
  Result<Lease> Db();

  const Catalog& catalog() const { return catalog_; }
  // Every save of a respondent's answers goes through here: one durable commit for the saves
  // that arrive together (web/group_call.h). Returns once the values are committed, with the
  // status of that commit; an empty value removes the field.
  Status SaveDraft(int64_t invitation_id, std::map<std::string, std::string> values);
  // What every request of a respondent reads first (Store::LookupRespondents), read with those of
  // the requests that arrive together: one round trip for all of them on PostgreSQL.
  Result<RespondentLookup> LookupRespondent(const std::string& address, const std::string& token_hash);
  const WebOptions& options() const { return options_; }
  // The CSRF token of the forms shown to one caller: an HMAC of the hash of the token that let it
  // in (Caller::token_hash) under the server secret, so any server on the database checks it and
  // nothing is kept per form.
  std::string Csrf(const Caller& caller) const;
  bool CsrfOk(const HttpRequest& request, const Caller& caller) const;

 private:
  WebApp(const Catalog& catalog, WebOptions options);
  void Return(std::unique_ptr<Store> store);
  std::vector<Status> CommitDrafts(std::span<const DraftWrite> writes);
  std::vector<Result<RespondentLookup>> LookUpGroup(std::span<const RespondentKey> keys);

  const Catalog& catalog_;
  const WebOptions options_;
  std::string secret_;  // raw bytes of the server secret
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Store>> pool_;
  GroupCall<DraftWrite, Status> drafts_;
  GroupCall<RespondentKey, Result<RespondentLookup>> lookups_;
  bool group_lookups_ = false;  // on PostgreSQL, where each read is a round trip
};

// The page language: ?lang=, else the `lang` cookie, else Accept-Language, else Japanese.
Lang RequestLang(const HttpRequest& request);

// An HTML page with a message (errors, invalid links), with `status`.
HttpResponse MessagePage(const RequestContext& ctx, int status, const std::string& heading_key,
                         const std::string& message_key);

// The handlers of the respondent's way (respondent.cc), for the route table.
HttpResponse ResumeRespondent(RequestContext& ctx);
HttpResponse ProfileGet(RequestContext& ctx);
HttpResponse ProfilePost(RequestContext& ctx);
HttpResponse ItemsGet(RequestContext& ctx);
HttpResponse ItemsPost(RequestContext& ctx);
HttpResponse AnswerPost(RequestContext& ctx);
HttpResponse ResultGet(RequestContext& ctx);
HttpResponse SurveyProfileGet(RequestContext& ctx);
HttpResponse SurveyProfilePost(RequestContext& ctx);
HttpResponse OrgGet(RequestContext& ctx);
HttpResponse OrgPost(RequestContext& ctx);
HttpResponse OrgResultGet(RequestContext& ctx);
// A colleague's one-item link (colleague.cc).
HttpResponse AskPost(RequestContext& ctx);
HttpResponse ColleagueGet(RequestContext& ctx);
HttpResponse ColleaguePost(RequestContext& ctx);

// The JSON API (api.cc). Errors are {"error": {"code", "message", "field"}} with the status.
HttpResponse ApiError(int status, const std::string& code, const std::string& message, const std::string& field);
HttpResponse ApiErrorFor(int status);  // 403, 404, 405, 415, 500, 503 with their codes
HttpResponse ApiInvalidLink();         // a token naming no usable invitation (404)
HttpResponse ApiDocument(RequestContext& ctx);
HttpResponse ApiScore(RequestContext& ctx);
HttpResponse ApiState(RequestContext& ctx);
HttpResponse ApiSaveAnswers(RequestContext& ctx);
HttpResponse ApiResult(RequestContext& ctx);
HttpResponse ApiSubmit(RequestContext& ctx);
HttpResponse ApiAsk(RequestContext& ctx);
HttpResponse ApiColleagueItem(RequestContext& ctx);
HttpResponse ApiColleagueAnswer(RequestContext& ctx);

}  // namespace shindan::web
