// Store::Open: the factory that turns a --db URL into a store.
#include "store/store.h"

#include <ctime>

#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace shindan {

namespace {

constexpr char kExpected[] =
    "expected sqlite:PATH, a file path (./shindan.db), or postgresql://USER@HOST:PORT/DATABASE";

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool IsSchemeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
         c == '.';
}

}  // namespace

Result<StoreUrl> ParseStoreUrl(const std::string& url) {
  if (url.empty()) return Status::InvalidInput("--db: empty database URL — " + std::string(kExpected));
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    return StoreUrl{StoreUrl::Kind::kPostgres, url};
  }
  if (StartsWith(url, "sqlite:")) {
    std::string path = url.substr(7);
    // sqlite:///abs/path and sqlite://rel are common spellings; accept them as paths.
    if (StartsWith(path, "//")) path = path.substr(2);
    if (path.empty()) return Status::InvalidInput("--db '" + url + "': no file path after sqlite: — " + kExpected);
    return StoreUrl{StoreUrl::Kind::kSqlite, path};
  }
  // `scheme:` with two or more characters is a URL we do not know; one letter is a Windows drive.
  const size_t colon = url.find(':');
  if (colon != std::string::npos && colon >= 2 && (url[0] < '0' || url[0] > '9')) {
    bool scheme = true;
    for (size_t i = 0; i < colon; ++i) scheme = scheme && IsSchemeChar(url[i]);
    if (scheme) {
      return Status::InvalidInput("--db '" + RedactUrl(url) + "': unknown database URL scheme '" +
                                  url.substr(0, colon) + ":' — " + kExpected +
                                  " (for a file whose name has a colon, write sqlite:" + RedactUrl(url) + ")");
    }
  }
  return StoreUrl{StoreUrl::Kind::kSqlite, url};
}

std::string RedactUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const size_t authority = scheme_end + 3;
  // The last '@' ends the user information: a password may itself contain '@' or '/'.
  const size_t at = url.rfind('@');
  if (at == std::string::npos || at < authority) return url;
  const size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string FormatTimestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& url) { return Open(url, OpenOptions{}); }

Result<std::unique_ptr<Store>> Store::Open(const std::string& url, const OpenOptions& options) {
  Result<StoreUrl> parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.status();
  OpenOptions o = options;
  if (!o.now) o.now = [] { return std::chrono::system_clock::now(); };
  if (parsed->kind == StoreUrl::Kind::kPostgres) return OpenPostgresStore(parsed->target, o);
  return OpenSqliteStore(parsed->target, o);
}

Result<std::vector<RespondentLookup>> Store::LookupRespondents(std::span<const RespondentKey> keys) {
  std::vector<RespondentLookup> out(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Result<BadTokenRecord> bad = BadTokens(keys[i].address);
    if (!bad.ok()) return bad.status();
    out[i].bad_tokens = std::move(bad).value();
    Result<std::optional<Invitation>> invitation = FindInvitation(keys[i].token_hash);
    if (!invitation.ok()) return invitation.status();
    out[i].invitation = std::move(invitation).value();
    if (out[i].invitation) {
      Result<std::map<std::string, std::string>> draft = LoadDraft(out[i].invitation->id);
      if (!draft.ok()) return draft.status();
      out[i].draft = std::move(draft).value();
    }
  }
  return out;
}

Result<std::unique_ptr<ImportSession>> Store::BeginImportOf(int64_t survey_id) {
  // By name, not ListSurveys: that counts every survey's companies, and this is on the path of
  // every single write.
  Result<std::optional<std::string>> name = SurveyName(survey_id);
  if (!name.ok()) return name.status();
  if (!*name) return Status::NotFound("survey " + std::to_string(survey_id) + ": no such survey");
  return BeginImport(**name);
}

}  // namespace shindan
