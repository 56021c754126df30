// The web application's pieces without a socket: forms, routes, languages.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "web/app.h"
#include "web/assets.h"
#include "web/bad_tokens.h"
#include "web/http.h"
#include "web/routes.h"

namespace shindan::web {
namespace {

TEST(FormTest, DecodesPercentPlusAndRepeatedFields) {
  auto f = ParseFormUrlEncoded("a=1&b=%E3%81%82+x&it=core&it=info&empty=&=skipped&bad=%zz%4");
  EXPECT_EQ(f.find("a")->second, "1");
  EXPECT_EQ(f.find("b")->second, "あ x");
  EXPECT_EQ(f.count("it"), 2u);
  EXPECT_EQ(f.find("empty")->second, "");
  EXPECT_EQ(f.count(""), 0u);
  EXPECT_EQ(f.find("bad")->second, "%zz%4") << "malformed escapes are kept as written";
  EXPECT_EQ(ParseFormUrlEncoded("a=1&b=2&c=3", 2).size(), 2u) << "at most max_fields";
  EXPECT_EQ(PercentEncode("a b/あ"), "a%20b%2F%E3%81%82");
}

// The OpenAPI document describes exactly the API routes the server registers: each path and
// method of the document is a route, and each route under /api/ is in the document.
TEST(RouteTest, OpenApiDocumentHasExactlyTheApiRoutes) {
  const Asset* doc = FindAsset("assets/openapi.json");
  ASSERT_NE(doc, nullptr);
  const nlohmann::json j = nlohmann::json::parse(doc->bytes);
  EXPECT_EQ(j["openapi"].get<std::string>().substr(0, 4), "3.0.");
  std::set<std::string> documented, registered;
  for (const auto& [path, item] : j["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + path);
    }
  }
  for (const Route& r : Routes()) {
    if (std::string_view(r.pattern).starts_with("/api/")) registered.insert(std::string(r.method) + " " + r.pattern);
  }
  EXPECT_EQ(documented, registered);
  EXPECT_GE(registered.size(), 6u);
}

TEST(BadTokenTest, WaitsDoubleAfterTheFreeOnesAndAreForgottenWhenWaited) {
  using std::chrono::seconds;
  const auto last = std::chrono::system_clock::from_time_t(1'800'000'000);  // 2027-01-15T08:00:00Z
  const std::string at = FormatTimestamp(last);
  EXPECT_EQ(BadTokenWait({9, at}, last), 0) << "the first 10 are free";
  EXPECT_EQ(BadTokenWait({10, at}, last), 1);
  EXPECT_EQ(BadTokenWait({11, at}, last), 2);
  EXPECT_EQ(BadTokenWait({13, at}, last + seconds(3)), 5);
  EXPECT_EQ(BadTokenWait({13, at}, last + seconds(8)), 1) << "the second stored may have begun just before";
  EXPECT_EQ(BadTokenWait({13, at}, last + seconds(9)), 0);
  EXPECT_EQ(BadTokenWait({19, at}, last), 512);
  EXPECT_EQ(BadTokenWait({20, at}, last), 900) << "at most a quarter of an hour";
  EXPECT_EQ(BadTokenWait({1000000, at}, last), 900);
  EXPECT_EQ(BadTokenWait({3, at}, last, 3), 1) << "the free count is the server's option";
  EXPECT_EQ(BadTokenWait({50, "garbage"}, last), 0) << "an unreadable time never locks anyone out";
}

TEST(RouteTest, MatchesPatternsAndNamesTemplatesNeverPaths) {
  std::map<std::string, std::string> params;
  bool known = false;
  const Route* r = MatchRoute("GET", "/r/TOKEN123/items", &params, &known);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(std::string(r->pattern), "/r/{token}/items");
  EXPECT_EQ(params["token"], "TOKEN123");
  EXPECT_EQ(r->access, Access::kRespondent);
  EXPECT_EQ(MatchRoute("DELETE", "/r/T/items", nullptr, &known), nullptr);
  EXPECT_TRUE(known) << "405, not 404";
  EXPECT_EQ(MatchRoute("GET", "/r//items", nullptr, &known), nullptr) << "an empty token matches nothing";
  EXPECT_EQ(RouteTemplate("GET", "/r/secret/result"), "/r/{token}/result");
  EXPECT_EQ(RouteTemplate("GET", "/r/secret/nothing"), "-");
  EXPECT_NE(MatchRoute("HEAD", "/healthz", nullptr, nullptr), nullptr);
}

TEST(RouteTest, EveryRouteIsListedOnceWithItsAccess) {
  std::set<std::string> seen;
  for (const Route& r : Routes()) {
    EXPECT_TRUE(seen.insert(std::string(r.method) + " " + r.pattern).second) << r.pattern;
    // A token in the path is checked before the handler runs: an invitation's under /r/, a
    // colleague's one-item link's under /q/ (and the same under /api/v1/).
    const std::string pattern = r.pattern;
    const bool colleague = pattern.starts_with("/q/") || pattern.starts_with("/api/v1/q/");
    EXPECT_EQ(pattern.find("{token}") != std::string::npos, r.access == Access::kRespondent || r.access == Access::kColleague)
        << r.pattern;
    EXPECT_EQ(colleague, r.access == Access::kColleague) << r.pattern;
  }
}

TEST(LangTest, QueryThenCookieThenAcceptLanguage) {
  HttpRequest r;
  EXPECT_EQ(RequestLang(r), Lang::kJa);
  r.headers["accept-language"] = "en-US,en;q=0.9";
  EXPECT_EQ(RequestLang(r), Lang::kEn);
  r.headers["accept-language"] = "ja,en;q=0.5";
  EXPECT_EQ(RequestLang(r), Lang::kJa);
  r.headers["cookie"] = "x=1; lang=en";
  EXPECT_EQ(RequestLang(r), Lang::kEn);
  r.query.emplace("lang", "ja");
  EXPECT_EQ(RequestLang(r), Lang::kJa);
}

}  // namespace
}  // namespace shindan::web
