#include "web/app.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>

#include "store/password.h"
#include "web/bad_tokens.h"
#include "web/render.h"

namespace shindan::web {

namespace {

constexpr char kCsrfSecretName[] = "csrf";

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

// Headers on every answer (issue 11 §6): no inline script, no framing, no sniffing, no Referer
// (tokens are in paths).
void AddSecurityHeaders(HttpResponse* r) {
  r->headers.emplace_back("Content-Security-Policy",
                          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                          "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  r->headers.emplace_back("X-Content-Type-Options", "nosniff");
  r->headers.emplace_back("X-Frame-Options", "DENY");
  r->headers.emplace_back("Referrer-Policy", "no-referrer");
  if (r->no_store) r->headers.emplace_back("Cache-Control", "no-store");
}

}  // namespace

Result<std::unique_ptr<WebApp>> WebApp::Create(const Catalog& catalog, const WebOptions& options) {
  if (!catalog.Find(options.primary_instrument)) {
    return Status::InvalidInput("instrument '" + options.primary_instrument + "' is not in the catalog");
  }
  OpenOptions open;
  open.durable_commits = true;  // an answer acknowledged is never lost, not even to a power cut
  Result<std::unique_ptr<Store>> store = Store::Open(options.db_url, open);
  if (!store.ok()) return store.status();
  std::string candidate = NewToken();
  Result<std::string> secret = (*store)->EnsureSecret(kCsrfSecretName, candidate);
  if (!secret.ok()) return secret.status();
  std::unique_ptr<WebApp> app(new WebApp(catalog, options));
  app->secret_ = *secret;
  app->pool_.push_back(std::move(store).value());
  return app;
}

// At most this many calls in one group, so that one statement stays short.
constexpr size_t kMaxGroup = 512;

WebApp::WebApp(const Catalog& catalog, WebOptions options)
    : catalog_(catalog),
      options_(std::move(options)),
      drafts_([this](std::span<const DraftWrite> writes) { return CommitDrafts(writes); }, kMaxGroup),
      lookups_([this](std::span<const RespondentKey> keys) { return LookUpGroup(keys); }, kMaxGroup) {
  Result<StoreUrl> url = ParseStoreUrl(options_.db_url);
  group_lookups_ = url.ok() && url->kind == StoreUrl::Kind::kPostgres;
}

Status WebApp::SaveDraft(int64_t invitation_id, std::map<std::string, std::string> values) {
  return drafts_.Call(DraftWrite{invitation_id, std::move(values)});
}

Result<RespondentLookup> WebApp::LookupRespondent(const std::string& address, const std::string& token_hash) {
  RespondentKey key{address, token_hash};
  // SQLite's reads are calls in this process, not round trips, and its readers run side by side:
  // grouping them would only make them wait for each other (0.49x /healthz instead of 0.67x for
  // the saves, docs/BENCHMARKS.md).
  if (!group_lookups_) return std::move(LookUpGroup(std::span(&key, 1)).front());
  return lookups_.Call(std::move(key));
}

// One commit for a group of saves; every save learns its status.
std::vector<Status> WebApp::CommitDrafts(std::span<const DraftWrite> writes) {
  // Rows locked in one order by every group, on every server: two servers' groups that touch the
  // same invitations then wait for each other instead of deadlocking. Stable, so that two saves of
  // one invitation keep their order (the later wins).
  std::vector<DraftWrite> sorted(writes.begin(), writes.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const DraftWrite& a, const DraftWrite& b) { return a.invitation_id < b.invitation_id; });
  Status status = Status::Ok();
  if (Result<Lease> db = Db(); !db.ok()) {
    status = db.status();
  } else if (status = (*db)->SaveDrafts(sorted); !status.ok()) {
    db->Discard();
  }
  return std::vector<Status>(writes.size(), status);
}

std::vector<Result<RespondentLookup>> WebApp::LookUpGroup(std::span<const RespondentKey> keys) {
  Result<Lease> db = Db();
  Result<std::vector<RespondentLookup>> found = db.ok() ? (*db)->LookupRespondents(keys)
                                                        : Result<std::vector<RespondentLookup>>(db.status());
  if (!found.ok()) {
    if (db.ok()) db->Discard();
    return std::vector<Result<RespondentLookup>>(keys.size(), found.status());
  }
  std::vector<Result<RespondentLookup>> out;
  out.reserve(keys.size());
  for (RespondentLookup& one : *found) out.emplace_back(std::move(one));
  return out;
}

WebApp::Lease::~Lease() {
  if (store_ && app_) app_->Return(std::move(store_));
}

Result<WebApp::Lease> WebApp::Db() {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      std::unique_ptr<Store> s = std::move(pool_.back());
      pool_.pop_back();
      return Lease(this, std::move(s));
    }
  }
  OpenOptions open;
  open.migrate = false;  // Create() migrated already
  open.durable_commits = true;
  Result<std::unique_ptr<Store>> s = Store::Open(options_.db_url, open);
  if (!s.ok()) return s.status();
  return Lease(this, std::move(s).value());
}

void WebApp::Return(std::unique_ptr<Store> store) {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(store));
}

std::string WebApp::Csrf(const Caller& caller) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
  crypto_hash_sha256(key, reinterpret_cast<const unsigned char*>(secret_.data()), secret_.size());
  const std::string message = "csrf:" + caller.token_hash();
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(), key);
  return Hex(mac, sizeof mac);
}

bool WebApp::CsrfOk(const HttpRequest& request, const Caller& caller) const {
  const std::string given = request.Form("csrf");
  const std::string want = Csrf(caller);
  return given.size() == want.size() && sodium_memcmp(given.data(), want.data(), want.size()) == 0;
}

Lang RequestLang(const HttpRequest& request) {
  for (const std::string& v : {request.Query("lang"), request.Cookie("lang")}) {
    if (v == "ja") return Lang::kJa;
    if (v == "en") return Lang::kEn;
  }
  // Accept-Language: the first of ja / en by order of appearance (browsers list by preference).
  const std::string accept = AsciiLower(request.Header("accept-language"));
  const size_t ja = accept.find("ja"), en = accept.find("en");
  if (en != std::string::npos && (ja == std::string::npos || en < ja)) return Lang::kEn;
  return Lang::kJa;
}

HttpResponse MessagePage(const RequestContext& ctx, int status, const std::string& heading_key,
                         const std::string& message_key) {
  HttpResponse r;
  r.status = status;
  r.no_store = true;
  const std::string heading = Text(ctx.lang, heading_key);
  r.body = RenderPage(ctx.lang, heading,
                      Render("message", {{"step", std::string("message")}, {"heading", heading},
                                         {"message", Text(ctx.lang, message_key)}},
                             ctx.lang));
  return r;
}

namespace {

// Reads what `caller.token` names for a route of `access` — a respondent's invitation and its
// draft (WebApp::LookupRespondent: with the other requests arriving meanwhile, in one round trip on
// PostgreSQL), or a colleague's one-item link and its invitation — whatever its state, filling in
// `caller`; answers the bad tokens of `address`.
Result<BadTokenRecord> LookUp(WebApp& app, Access access, const std::string& address, Caller* caller) {
  const std::string hash = HashToken(caller->token);
  if (access == Access::kColleague) {
    Result<WebApp::Lease> db = app.Db();
    if (!db.ok()) return db.status();
    Result<BadTokenRecord> bad = (*db)->BadTokens(address);
    Result<std::optional<ItemLink>> link = bad.ok() ? (*db)->FindItemLink(hash) : bad.status();
    if (!link.ok()) {
      db->Discard();
      return link.status();
    }
    if (*link) {
      caller->invitation = (*link)->invitation;
      caller->item_link = std::move(*link);
    }
    return bad;
  }
  Result<RespondentLookup> found = app.LookupRespondent(address, hash);
  if (!found.ok()) return found.status();
  caller->invitation = std::move(found->invitation);
  if (caller->invitation) caller->draft = std::move(found->draft);
  return found->bad_tokens;
}

// Whether the token names an invitation (or a colleague's link) usable at `now`.
bool UsableAt(const Caller& caller, const std::string& now) {
  if (caller.item_link) return caller.item_link->UsableAt(now);
  return caller.invitation && caller.invitation->UsableAt(now);
}

}  // namespace

HttpResponse WebApp::Handle(HttpRequest& request) {
  RequestContext ctx{*this, request, Caller{}, RequestLang(request)};
  // The API answers in JSON ({"error": …}) where the pages answer with a page.
  const bool api = request.path.starts_with("/api/");
  auto refuse = [&](int status, const char* heading_key, const char* message_key) {
    return api ? ApiErrorFor(status) : MessagePage(ctx, status, heading_key, message_key);
  };
  HttpResponse response;
  try {
    bool path_known = false;
    const Route* route = MatchRoute(request.method, request.path, &request.params, &path_known);
    if (!route) {
      response = refuse(path_known ? 405 : 404, "not_found_title", "not_found");
    } else {
      request.route = route->pattern;
      bool allowed = true;
      if (route->access == Access::kRespondent || route->access == Access::kColleague) {
        ctx.caller.token = request.Param("token");
        allowed = false;
        const auto now = std::chrono::system_clock::now();
        // The address's bad tokens and what the token names, read together (for a respondent one
        // round trip on PostgreSQL, with its draft): a throttled address's token is read too, but
        // nothing of it is answered.
        Result<BadTokenRecord> bad = LookUp(*this, route->access, request.remote_addr, &ctx.caller);
        if (!bad.ok()) {
          response = refuse(503, "server_error_title", "server_error");
        } else if (const int64_t wait = BadTokenWait(*bad, now, options_.free_bad_tokens); wait > 0) {
          // Too many bad tokens from this address: no answer about any token of its until it waits.
          response = api ? ApiErrorFor(429) : MessagePage(ctx, 429, "too_many_title", "too_many");
          response.headers.emplace_back("Retry-After", std::to_string(wait));
        } else if (!UsableAt(ctx.caller, FormatTimestamp(now))) {
          // One answer for unknown, expired and revoked: the page says no more than "not usable".
          response = api ? ApiInvalidLink() : MessagePage(ctx, 404, "invalid_link_title", "invalid_link");
          if (Result<Lease> db = Db(); db.ok() && !(*db)->RecordBadToken(request.remote_addr, FormatTimestamp(now),
                                                                           FormatTimestamp(now - kBadTokenMemory)).ok()) {
            db->Discard();
          }
        } else {
          ctx.caller.role = route->access;
          allowed = true;
        }
      } else if (route->access != Access::kAnyone) {
        allowed = false;  // signed-in roles come with part 2
        response = refuse(403, "not_found_title", "not_found");
      }
      if (allowed) {
        if (api && request.method == "POST" && !request.Header("content-type").starts_with("application/json")) {
          // Only JSON, which a cross-site form cannot send: the API's protection against CSRF.
          response = ApiErrorFor(415);
        } else if (!api && request.method == "POST" && ctx.caller.invitation && !CsrfOk(request, ctx.caller)) {
          response = MessagePage(ctx, 403, "bad_request_title", "bad_form");
        } else {
          response = route->handler(ctx);
        }
      }
    }
  } catch (const std::exception&) {
    // Never a stack trace or a database message in an answer.
    response = refuse(500, "server_error_title", "server_error");
  }
  if (request.Query("lang") == "ja" || request.Query("lang") == "en") {
    response.headers.emplace_back("Set-Cookie", "lang=" + request.Query("lang") + "; Path=/; SameSite=Lax; Max-Age=31536000");
  }
  if (request.path.starts_with("/r/") || request.path.starts_with("/q/") || request.path.starts_with("/api/v1/r/") ||
      request.path.starts_with("/api/v1/q/")) {
    response.no_store = true;
  }
  AddSecurityHeaders(&response);
  return response;
}

}  // namespace shindan::web
