// The web application over loopback: the real `shindan serve` binary on a port of 18080–18099,
// driven by an HTTP client, on SQLite and on PostgreSQL ($SHINDAN_TEST_POSTGRES_URL).
#include <gtest/gtest.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "analytics/column_copy.h"
#include "catalog/test_catalog.h"
#include "store/store.h"
#include "cli/command.h"
#include "cli/test_command.h"
#include "web/routes.h"

extern char** environ;

namespace shindan {
namespace {

std::string RandomHex(int n) {
  static std::mt19937_64 rng(std::random_device{}() ^ static_cast<uint64_t>(getpid()));
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back("0123456789abcdef"[rng() % 16]);
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string PgExec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) error = PQerrorMessage(conn);
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

std::string SqliteExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* err = nullptr;
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string error = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  return error;
}

// A `shindan serve` child process on a free port of 18080–18099.
class ServerProcess {
 public:
  ServerProcess(const std::string& db, const std::filesystem::path& dir, const std::string& name,
                std::vector<std::string> extra_args = {})
      : extra_args_(std::move(extra_args)) {
    log_ = (dir / (name + ".out")).string();
    err_ = (dir / (name + ".err")).string();
    for (int port = 18080; port <= 18099 && pid_ <= 0; ++port) {
      if (Start(db, port)) port_ = port;
    }
  }
  ~ServerProcess() { Stop(); }

  bool ok() const { return pid_ > 0; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string AccessLog() const { return ReadFile(log_); }
  std::string Errors() const { return ReadFile(err_); }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }

  // SIGTERM, then the exit status (-1 when it did not exit normally).
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

 private:
  // Starts the server on `port`; false when it could not listen there (another test has it).
  bool Start(const std::string& db, int port) {
    std::vector<std::string> args = {SHINDAN_BINARY, "--data-dir", SHINDAN_SOURCE_ROOT, "serve", "--db", db,
                                     "--listen", "127.0.0.1:" + std::to_string(port), "--threads", "8"};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return false;
    // Ready when this process says it listens (its own stderr, so never another test's server).
    for (int i = 0; i < 2000; ++i) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) return false;
      if (ReadFile(err_).find("listening on") != std::string::npos) {
        pid_ = pid;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return false;
  }

  std::vector<std::string> extra_args_;
  std::string log_, err_;
  pid_t pid_ = 0;
  int port_ = 0;
  int exit_code_ = -1;
};

// The token of a link "http://…/r/TOKEN".
std::string TokenOf(const std::string& link) { return link.substr(link.rfind('/') + 1); }

std::string CsrfOf(const std::string& html) {
  std::smatch m;
  if (std::regex_search(html, m, std::regex(R"re(name="csrf" value="([0-9a-f]+)")re"))) return m[1];
  return "";
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

class WebTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("shindan_web_" + RandomHex(12));
    std::filesystem::create_directories(dir_);
    if (GetParam() == "sqlite") {
      path_ = (dir_ / "web.db").string();
      db_ = "sqlite:" + path_;
    } else {
      const char* admin = std::getenv("SHINDAN_TEST_POSTGRES_URL");
      if (!admin || !*admin) {
        const char* skip = std::getenv("SHINDAN_TEST_NO_POSTGRES");
        if (skip && std::string(skip) == "1") GTEST_SKIP() << "SHINDAN_TEST_NO_POSTGRES=1: PostgreSQL not tested";
        FAIL() << "SHINDAN_TEST_POSTGRES_URL is not set (see scripts/pg-test-server.sh), or set SHINDAN_TEST_NO_POSTGRES=1";
      }
      admin_ = admin;
      database_ = "shindan_w_" + RandomHex(16);
      ASSERT_EQ(PgExec(admin_, "CREATE DATABASE " + database_), "");
      const size_t scheme = admin_.find("://"), slash = admin_.find('/', scheme + 3), query = admin_.find('?');
      db_ = admin_.substr(0, slash == std::string::npos ? query : slash) + "/" + database_ +
            (query == std::string::npos ? "" : admin_.substr(query));
    }
  }
  void TearDown() override {
    if (!database_.empty()) PgExec(admin_, "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Sql(const std::string& sql) { return GetParam() == "sqlite" ? SqliteExec(path_, sql) : PgExec(db_, sql); }

  // `shindan invite` in-process; the links it prints.
  std::vector<std::string> Invite(const std::vector<std::string>& extra, const std::string& base) {
    std::vector<std::string> args = {"--db", db_, "--survey", "web", "--base-url", base};
    args.insert(args.end(), extra.begin(), extra.end());
    test::Ran r = test::Call(RunInvite, args);
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::string> links;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) links.push_back(line);
    return links;
  }

  std::filesystem::path dir_;
  std::string path_, db_, admin_, database_;
};

httplib::Params ProfileForm(const std::string& csrf, const std::string& employees) {
  return {{"csrf", csrf}, {"employees", employees}, {"industry", "mfg"}, {"prefecture", "13"}, {"it_core", "no"}};
}

TEST_P(WebTest, HomeHealthAndSecurityHeaders) {
  ServerProcess server(db_, dir_, "home");
  ASSERT_TRUE(server.ok()) << server.Errors();
  httplib::Client c = server.Client();
  auto home = c.Get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("<html lang=\"ja\">"), std::string::npos);
  EXPECT_NE(home->body.find("5分でできる"), std::string::npos);
  EXPECT_EQ(home->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(home->get_header_value("Referrer-Policy"), "no-referrer");
  const std::string csp = home->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(home->body.find("<script>"), std::string::npos) << "no inline script";

  auto en = c.Get("/", {{"Accept-Language", "en-GB,en;q=0.9,ja;q=0.5"}});
  EXPECT_NE(en->body.find("<html lang=\"en\">"), std::string::npos);
  auto switched = c.Get("/?lang=en");
  EXPECT_NE(switched->body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(switched->get_header_value("Set-Cookie").find("lang=en"), std::string::npos);
  auto cookie = c.Get("/", {{"Cookie", "lang=en"}});
  EXPECT_NE(cookie->body.find("<html lang=\"en\">"), std::string::npos);

  auto health = c.Get("/healthz");
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, R"({"status":"ok"})");
  auto css = c.Get("/static/style.css");
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(c.Get("/static/texts.json")->status, 404);
  EXPECT_EQ(c.Get("/no/such/page")->status, 404);
  EXPECT_EQ(c.Post("/healthz", "", "text/plain")->status, 405);
  // A body over the limit is refused (413) before it is read; the client may see the connection
  // reset instead of the answer, as the server does not read what it refuses. Either way the
  // server goes on serving.
  auto big = c.Post("/r/x/items", std::string(200 * 1024, 'a'), "application/x-www-form-urlencoded");
  if (big) {
    EXPECT_EQ(big->status, 413) << "bodies are limited";
  }
  EXPECT_EQ(server.Client().Get("/healthz")->status, 200);

  EXPECT_EQ(server.Stop(), 0) << "SIGTERM ends the server with exit status 0";
  const std::string log = server.AccessLog();
  EXPECT_NE(log.find(R"("method":"GET","route":"/healthz","status":200)"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("route":"/static/{file}")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("route":"-","status":404)"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("us":)"), std::string::npos);
}

// The respondent's whole way (seed 図1), with bad input on the way, on one server.
TEST_P(WebTest, RespondentAnswersAndSeesTheResult) {
  ServerProcess server(db_, dir_, "walk");
  ASSERT_TRUE(server.ok()) << server.Errors();
  const std::vector<std::string> links = Invite({"--new", "1"}, server.url());
  ASSERT_EQ(links.size(), 1u);
  const std::string token = TokenOf(links[0]);
  EXPECT_GE(token.size(), 22u) << "at least 128 bits in base64";
  const std::string base = "/r/" + token;
  httplib::Client c = server.Client();

  auto start = c.Get(base);
  ASSERT_TRUE(start);
  EXPECT_EQ(start->status, 303);
  EXPECT_EQ(start->get_header_value("Location"), base + "/profile");
  auto profile = c.Get(base + "/profile");
  EXPECT_EQ(profile->status, 200);
  EXPECT_NE(profile->body.find(R"(<main data-step="profile">)"), std::string::npos);
  EXPECT_EQ(profile->get_header_value("Cache-Control"), "no-store");
  const std::string csrf = CsrfOf(profile->body);
  ASSERT_FALSE(csrf.empty());

  // Bad input: the page comes back with the message beside the field and everything else kept.
  auto bad = c.Post(base + "/profile", ProfileForm(csrf, "-3"));
  EXPECT_EQ(bad->status, 422);
  EXPECT_NE(bad->body.find(R"(<div class="field invalid" id="f-employees">)"), std::string::npos);
  EXPECT_NE(bad->body.find(R"(role="alert" id="e-employees")"), std::string::npos);
  EXPECT_NE(bad->body.find("この回答は受け付けられません：&#39;-3&#39; — 0以上の整数を数字で入力してください。"), std::string::npos)
      << "said wholly in the page's language: " << bad->body.substr(bad->body.find("e-employees"), 300);
  auto bad_en = c.Post(base + "/profile?lang=en", ProfileForm(csrf, "-3"));
  EXPECT_NE(bad_en->body.find("This answer cannot be accepted: &#39;-3&#39; — Enter a whole number of at least 0."),
            std::string::npos)
      << bad_en->body.substr(bad_en->body.find("e-employees"), 300);
  EXPECT_NE(bad->body.find(R"(value="-3")"), std::string::npos);
  EXPECT_NE(bad->body.find(R"(value="mfg" checked)"), std::string::npos) << "the other answers are kept";
  auto script = c.Post(base + "/profile", ProfileForm(csrf, "<script>alert(1)</script>"));
  EXPECT_EQ(script->body.find("<script>alert"), std::string::npos) << "escaped";
  EXPECT_NE(script->body.find("&lt;script&gt;alert(1)&lt;"), std::string::npos);
  EXPECT_EQ(c.Post(base + "/profile", ProfileForm("0", "15"))->status, 403) << "a form without its CSRF token";

  auto good = c.Post(base + "/profile", ProfileForm(csrf, "１５"));  // 全角 digits
  EXPECT_EQ(good->status, 303);
  EXPECT_EQ(good->get_header_value("Location"), base + "/items");

  auto items = c.Get(base + "/items");
  EXPECT_NE(items->body.find(R"(<main data-step="items">)"), std::string::npos);
  for (int i = 1; i <= 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    EXPECT_NE(items->body.find("name=\"" + std::string(name) + "\" value=\"yes\""), std::string::npos) << name;
  }
  EXPECT_EQ(Count(items->body, "value=\"na\""), 1) << "該当なし only where the instrument allows it (item 6)";
  EXPECT_NE(items->body.find("data-action=\"next\""), std::string::npos);

  // Half the items, then the page again: the answers so far are kept, the rest marked.
  httplib::Params half = {{"csrf", csrf}};
  for (int i = 1; i <= 12; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    half.emplace(name, "yes");
  }
  auto partial = c.Post(base + "/items", half);
  EXPECT_EQ(partial->status, 422);
  EXPECT_EQ(Count(partial->body, "role=\"alert\" id=\"e-sc"), 13);
  // Reopening the link continues with every answer saved so far.
  auto reopened = c.Get(base);
  EXPECT_EQ(reopened->get_header_value("Location"), base + "/items");
  auto again = c.Get(base + "/items");
  EXPECT_EQ(Count(again->body, "value=\"yes\" checked"), 12);
  EXPECT_NE(again->body.find("<span data-answered>12</span>"), std::string::npos);

  // The script's one-answer save, then the rest by the form.
  auto one = c.Post(base + "/answer", httplib::Params{{"csrf", csrf}, {"sc13", "partial"}});
  EXPECT_EQ(one->status, 200);
  EXPECT_EQ(one->body, R"({"saved":1})");
  auto wrong = c.Post(base + "/answer", httplib::Params{{"csrf", csrf}, {"sc21", "partial"}});
  EXPECT_EQ(wrong->status, 422) << "item 21 takes only yes / no";
  EXPECT_NE(wrong->body.find(R"("field":"sc21")"), std::string::npos);
  httplib::Params all = {{"csrf", csrf}};
  for (int i = 1; i <= 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    all.emplace(name, i == 13 ? "partial" : "yes");
  }
  auto done = c.Post(base + "/items", all);
  EXPECT_EQ(done->status, 303);
  EXPECT_EQ(done->get_header_value("Location"), base + "/result");

  auto result = c.Get(base + "/result");
  EXPECT_EQ(result->status, 200);
  EXPECT_NE(result->body.find(R"(<main data-step="result")"), std::string::npos);
  EXPECT_NE(result->body.find(R"(data-total="98")"), std::string::npos);
  EXPECT_NE(result->body.find("<svg class=\"radar\""), std::string::npos);
  EXPECT_NE(result->body.find(R"(id="u-sc13")"), std::string::npos) << "the item not met, with its advice";
  EXPECT_NE(result->body.find(R"(data-peers="0")"), std::string::npos) << "no other company has answered yet";
  EXPECT_NE(result->body.find("survey-profile\" data-action=\"next\""), std::string::npos);

  auto survey = c.Get(base + "/survey-profile");
  EXPECT_NE(survey->body.find(R"(<main data-step="survey-profile">)"), std::string::npos);
  httplib::Params rest = {{"csrf", csrf}, {"sites", "1"}, {"it_staff", "0"}, {"it_uses", "core"}, {"it_uses", "info"},
                          {"servers", "2"}, {"qualified_staff", "no"}, {"knows_ipa", "yes"}, {"knows_benchmark", "no"}};
  auto recorded = c.Post(base + "/survey-profile", rest);
  EXPECT_EQ(recorded->status, 303);
  EXPECT_EQ(recorded->get_header_value("Location"), base + "/org") << "98 ≥ 70: the organisational checklist";

  auto org = c.Get(base + "/org");
  EXPECT_NE(org->body.find(R"(<main data-step="org">)"), std::string::npos);
  EXPECT_NE(org->body.find(R"(name="oc1_1" value="yes")"), std::string::npos);
  httplib::Params checklist = {{"csrf", csrf}};
  for (const char* id : {"oc1_1", "oc1_2", "oc1_3", "oc1_4", "oc1_5", "oc1_6", "oc1_7", "oc2_1", "oc2_2", "oc2_3", "oc3_1",
                         "oc3_2", "oc3_3", "oc3_4", "oc3_5", "oc4_1", "oc4_2", "oc4_3", "oc4_4", "oc4_5", "oc5_1", "oc5_2"}) {
    checklist.emplace(id, std::string(id) < "oc3" ? "yes" : "no");
  }
  auto org_done = c.Post(base + "/org", checklist);
  EXPECT_EQ(org_done->status, 303) << org_done->body.substr(0, 2000);
  auto org_result = c.Get(base + "/org-result");
  EXPECT_NE(org_result->body.find(R"(<main data-step="org-result")"), std::string::npos);
  EXPECT_NE(org_result->body.find(R"(data-org-yes="10")"), std::string::npos);
  EXPECT_EQ(c.Get(base)->get_header_value("Location"), base + "/org-result") << "the link now shows the end";

  // The response is in the survey, as an import would have put it; the log never names the token.
  const std::string csv = (dir_ / "export.csv").string();
  test::Ran exported = test::Call(RunExport, {"--db", db_, "--survey", "web", "--format", "csv", "-o", csv});
  EXPECT_EQ(exported.code, 0) << exported.err;
  EXPECT_NE(ReadFile(csv).find("web-1,15,"), std::string::npos) << ReadFile(csv);
  // Each submission kept the survey's columnar copy current: the report and the peer figures read
  // it, never the rows.
  {
    Result<std::unique_ptr<Store>> store = Store::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    Result<std::optional<int64_t>> survey = (*store)->FindSurvey("web");
    ASSERT_TRUE(survey.ok() && *survey);
    Result<bool> current = CopyIsCurrent(test::SourceCatalog(), **store, **survey);
    ASSERT_TRUE(current.ok()) << current.status().message();
    EXPECT_TRUE(*current);
    Result<PeerHistogram> peers = PeerTotals(test::SourceCatalog(), **store, **survey, "", "");
    ASSERT_TRUE(peers.ok()) << peers.status().message();
    EXPECT_TRUE(peers->from_copy);
    EXPECT_EQ(peers->companies, 1u);
  }
  EXPECT_EQ(server.Stop(), 0);
  const std::string log = server.AccessLog();
  EXPECT_EQ(log.find(token), std::string::npos) << "tokens never in the access log";
  EXPECT_NE(log.find(R"("route":"/r/{token}/items")"), std::string::npos);
}

TEST_P(WebTest, LinksThatAreUnknownExpiredOrRevokedAreRefused) {
  ServerProcess server(db_, dir_, "refuse");
  ASSERT_TRUE(server.ok()) << server.Errors();
  const std::vector<std::string> links = Invite({"--new", "3"}, server.url());
  ASSERT_EQ(links.size(), 3u);
  httplib::Client c = server.Client();
  EXPECT_EQ(c.Get("/r/" + TokenOf(links[0]) + "/profile")->status, 200);

  // The whole link, as the mail-merge file has it, names its token too.
  test::Ran revoked = test::Call(RunInvite, {"--db", db_, "--revoke", links[1]});
  EXPECT_EQ(revoked.code, 0) << revoked.err;
  ASSERT_EQ(Sql("UPDATE invitations SET expires_at = '2000-01-01T00:00:00Z' WHERE id = 3"), "");
  for (const std::string& path : {"/r/" + TokenOf(links[1]), "/r/" + TokenOf(links[2]) + "/profile",
                                  std::string("/r/nosuchtoken/result")}) {
    auto r = c.Get(path);
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_NE(r->body.find("このリンクは使えません"), std::string::npos) << path;
  }
  EXPECT_EQ(test::Call(RunInvite, {"--db", db_, "--revoke", TokenOf(links[1])}).code, 2) << "already revoked";
}

// わからない: the respondent sends one item to a colleague; the colleague's answer fills it in and
// the result follows — before the response is recorded and after (a new submission, in history).
TEST_P(WebTest, ColleagueAnswersOneItemThroughItsOwnLink) {
  ServerProcess server(db_, dir_, "colleague");
  ASSERT_TRUE(server.ok()) << server.Errors();
  const std::vector<std::string> links = Invite({"--new", "2"}, server.url());
  ASSERT_EQ(links.size(), 2u);
  const std::string base = "/r/" + TokenOf(links[0]);
  httplib::Client c = server.Client();
  const std::string csrf = CsrfOf(c.Get(base + "/profile")->body);
  ASSERT_EQ(c.Post(base + "/profile", ProfileForm(csrf, "277"))->status, 303);
  httplib::Params all = {{"csrf", csrf}};
  for (int i = 1; i <= 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    all.emplace(name, i == 5 || i == 9 ? "unknown" : "yes");  // わからない: −1 point each
  }
  ASSERT_EQ(c.Post(base + "/items", all)->status, 303);
  auto result = c.Get(base + "/result");
  ASSERT_EQ(result->status, 200);
  EXPECT_NE(result->body.find(R"(data-total="90")"), std::string::npos);
  EXPECT_NE(result->body.find(R"(<input type="hidden" name="item" value="sc05">)"), std::string::npos)
      << "a わからない item can be sent to a colleague";
  EXPECT_EQ(result->body.find(R"(name="item" value="sc01")"), std::string::npos) << "only the things to find out";

  EXPECT_EQ(c.Post(base + "/ask", httplib::Params{{"csrf", csrf}, {"item", "sc99"}})->status, 422);
  EXPECT_EQ(c.Post(base + "/ask", httplib::Params{{"csrf", "0"}, {"item", "sc05"}})->status, 403);
  auto ask = c.Post(base + "/ask", httplib::Params{{"csrf", csrf}, {"item", "sc05"}});
  ASSERT_EQ(ask->status, 200);
  EXPECT_NE(ask->body.find(R"(<main data-step="ask">)"), std::string::npos);
  EXPECT_EQ(ask->get_header_value("Cache-Control"), "no-store");
  std::smatch m;
  const std::string ask_page = std::regex_replace(ask->body, std::regex("&#x2F;"), "/");  // the template escapes '/'
  ASSERT_TRUE(std::regex_search(ask_page, m, std::regex(R"re(value="(http[^"]+/q/([A-Za-z0-9_-]+))" data-ask-link)re")));
  const std::string item_token = m[2];
  EXPECT_EQ(std::string(m[1]), server.url() + "/q/" + item_token);
  EXPECT_NE(ask->body.find("mailto:?subject="), std::string::npos);
  EXPECT_NE(c.Get(base + "/result")->body.find(R"(data-asked="sc05")"), std::string::npos) << "the page says it was asked";

  // The colleague sees that one item: not the company's other answers, not its result.
  const std::string q = "/q/" + item_token;
  auto page = c.Get(q);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find(R"(<main data-step="colleague">)"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(Count(page->body, "type=\"radio\""), 4) << "sc05's options only";
  EXPECT_NE(page->body.find(R"(name="sc05" value="yes")"), std::string::npos);
  EXPECT_EQ(page->body.find("name=\"sc04\""), std::string::npos);
  EXPECT_EQ(page->body.find("277"), std::string::npos) << "nothing of the profile";
  EXPECT_EQ(page->body.find("data-total"), std::string::npos);
  const std::string q_csrf = CsrfOf(page->body);
  ASSERT_FALSE(q_csrf.empty());
  EXPECT_NE(q_csrf, csrf);
  EXPECT_EQ(c.Post(q, httplib::Params{{"csrf", csrf}, {"sc05", "yes"}})->status, 403) << "the respondent's form key";
  auto bad = c.Post(q, httplib::Params{{"csrf", q_csrf}, {"sc05", "maybe"}});
  EXPECT_EQ(bad->status, 422);
  EXPECT_NE(bad->body.find(R"(role="alert" id="e-sc05")"), std::string::npos);
  auto none = c.Post(q, httplib::Params{{"csrf", q_csrf}});
  EXPECT_EQ(none->status, 422) << "a missing answer";
  // The token reaches no respondent page, and an invitation token no colleague page.
  EXPECT_EQ(c.Get("/r/" + item_token + "/result")->status, 404);
  EXPECT_EQ(c.Get("/q/" + TokenOf(links[0]))->status, 404);
  EXPECT_EQ(c.Get("/api/v1/r/" + item_token)->status, 404);
  EXPECT_EQ(c.Get("/api/v1/q/" + TokenOf(links[0]))->status, 404);

  auto answered = c.Post(q, httplib::Params{{"csrf", q_csrf}, {"sc05", "yes"}});
  EXPECT_EQ(answered->status, 303);
  EXPECT_EQ(answered->get_header_value("Location"), q);
  EXPECT_NE(c.Get(q)->body.find("data-answered-by-colleague"), std::string::npos);
  result = c.Get(base + "/result");
  EXPECT_NE(result->body.find(R"(data-total="95")"), std::string::npos) << "the result follows the colleague's answer";
  EXPECT_NE(result->body.find(R"(data-colleague-answer="sc05")"), std::string::npos);
  EXPECT_EQ(result->body.find(R"(name="item" value="sc05")"), std::string::npos) << "no longer a thing to find out";

  // Recorded; then a colleague answers sc09 through the API: the survey gets a new submission.
  httplib::Params rest = {{"csrf", csrf}, {"sites", "1"}, {"it_staff", "0"}, {"it_uses", "core"},
                          {"servers", "2"}, {"qualified_staff", "no"}, {"knows_ipa", "yes"}, {"knows_benchmark", "no"}};
  ASSERT_EQ(c.Post(base + "/survey-profile", rest)->status, 303);
  auto api_ask = c.Post("/api/v1" + base + "/ask", R"({"item": "sc09"})", "application/json");
  ASSERT_EQ(api_ask->status, 201) << api_ask->body;
  const nlohmann::json issued = nlohmann::json::parse(api_ask->body);
  const std::string api_q = "/api/v1/q/" + TokenOf(issued["link"].get<std::string>());
  auto item = c.Get(api_q);
  ASSERT_EQ(item->status, 200) << item->body;
  EXPECT_EQ(nlohmann::json::parse(item->body)["item"]["id"], "sc09");
  EXPECT_TRUE(nlohmann::json::parse(item->body)["answer"].is_null());
  EXPECT_EQ(c.Post(api_q, R"({"answer": "sometimes"})", "application/json")->status, 422);
  EXPECT_EQ(c.Post(api_q, "answer=yes", "application/x-www-form-urlencoded")->status, 415);
  auto saved = c.Post(api_q, R"({"answer": "yes"})", "application/json");
  ASSERT_EQ(saved->status, 200) << saved->body;
  EXPECT_EQ(nlohmann::json::parse(saved->body)["answer"], "yes");
  result = c.Get(base + "/result");
  EXPECT_NE(result->body.find(R"(data-total="100")"), std::string::npos);
  {
    Result<std::unique_ptr<Store>> store = Store::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    Result<std::optional<int64_t>> survey = (*store)->FindSurvey("web");
    ASSERT_TRUE(survey.ok() && *survey);
    Result<std::vector<CompanyRecord>> history = (*store)->History(**survey, "web-1");
    ASSERT_TRUE(history.ok()) << history.status().message();
    ASSERT_EQ(history->size(), 2u) << "the recorded response, then the colleague's answer as a new submission";
    Result<PeerHistogram> peers = PeerTotals(test::SourceCatalog(), **store, **survey, "", "");
    ASSERT_TRUE(peers.ok());
    EXPECT_EQ(peers->companies, 1u);
    EXPECT_EQ(peers->counts[100 - peers->min_total], 1u) << "the survey's figures follow: the company's total is 100";
  }
  EXPECT_NE(result->body.find("No.9 unknown→yes"), std::string::npos) << "the history shows the change";

  // An expired link is refused; revoking the invitation revokes its links.
  ASSERT_EQ(Sql("UPDATE item_links SET expires_at = '2000-01-01T00:00:00Z' WHERE item_id = 'sc05'"), "");
  EXPECT_EQ(c.Get(q)->status, 404);
  EXPECT_EQ(c.Get(api_q)->status, 200);
  ASSERT_EQ(test::Call(RunInvite, {"--db", db_, "--revoke", TokenOf(links[0])}).code, 0);
  EXPECT_NE(c.Get(api_q)->body.find("invalid_link"), std::string::npos);
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_EQ(server.AccessLog().find(item_token), std::string::npos) << "tokens never in the access log";
  EXPECT_NE(server.AccessLog().find(R"("route":"/q/{token}")"), std::string::npos);
}

// After the response is recorded the respondent may still change an answer — on the items page,
// by the script's save, through the API — or its profile, and the survey follows: each change is a
// new submission (the history shows it, the peer figures use it), and a save that changes nothing
// records nothing.
TEST_P(WebTest, ChangesAfterTheResponseIsRecordedAreRecordedToo) {
  ServerProcess server(db_, dir_, "change");
  ASSERT_TRUE(server.ok()) << server.Errors();
  const std::string base = "/r/" + TokenOf(Invite({"--new", "1"}, server.url())[0]);
  httplib::Client c = server.Client();
  const std::string csrf = CsrfOf(c.Get(base + "/profile")->body);
  ASSERT_EQ(c.Post(base + "/profile", ProfileForm(csrf, "30"))->status, 303);
  httplib::Params all = {{"csrf", csrf}};
  for (int i = 1; i <= 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    all.emplace(name, i == 3 ? "no" : "yes");
  }
  Result<std::unique_ptr<Store>> store = Store::Open(db_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  const int64_t survey = *(*store)->FindSurvey("web").value();
  auto submissions = [&] { return (*store)->History(survey, "web-1").value().size(); };
  // The survey knows the company from before (an earlier response): that is not this sheet's
  // record, and a change on the result page before recording leaves it alone.
  ASSERT_TRUE(SaveAnswers(test::SourceCatalog(), **store, survey, "web-1", "self-check-2009", {{"sc01", "no"}}).ok());
  ASSERT_EQ(c.Post(base + "/items", all)->status, 303);
  ASSERT_EQ(c.Post(base + "/answer", httplib::Params{{"csrf", csrf}, {"sc04", "no"}})->status, 200);
  ASSERT_EQ(c.Post(base + "/answer", httplib::Params{{"csrf", csrf}, {"sc04", "yes"}})->status, 200);
  EXPECT_EQ(submissions(), 1u) << "nothing recorded before the survey-profile page";
  httplib::Params rest = {{"csrf", csrf}, {"sites", "1"}, {"it_staff", "0"}, {"it_uses", "core"},
                          {"servers", "2"}, {"qualified_staff", "no"}, {"knows_ipa", "yes"}, {"knows_benchmark", "no"}};
  ASSERT_EQ(c.Post(base + "/survey-profile", rest)->status, 303);
  auto recorded_total = [&]() -> int {
    Result<PeerHistogram> peers = PeerTotals(test::SourceCatalog(), **store, survey, "", "");
    if (!peers.ok() || peers->companies != 1) return -1;
    for (size_t i = 0; i < peers->counts.size(); ++i) {
      if (peers->counts[i]) return peers->min_total + static_cast<int>(i);
    }
    return -1;
  };
  ASSERT_EQ(submissions(), 2u) << "the earlier response, then this sheet's";
  EXPECT_EQ(recorded_total(), 96);

  // The script's save of one tap on the items page.
  auto tap = c.Post(base + "/answer", httplib::Params{{"csrf", csrf}, {"sc03", "yes"}});
  ASSERT_EQ(tap->status, 200);
  EXPECT_EQ(tap->body, R"({"saved":1})");
  EXPECT_EQ(submissions(), 3u) << "the change is a new submission";
  EXPECT_EQ(recorded_total(), 100) << "the survey's figures follow";
  auto result = c.Get(base + "/result");
  EXPECT_NE(result->body.find(R"(data-total="100")"), std::string::npos);
  EXPECT_NE(result->body.find("No.3 no→yes"), std::string::npos) << "the history shows the change";

  // The items page posted again without a change records nothing; with one, records it.
  all.erase("sc03");
  all.emplace("sc03", "yes");
  ASSERT_EQ(c.Post(base + "/items", all)->status, 303);
  EXPECT_EQ(submissions(), 3u) << "nothing changed";
  all.erase("sc07");
  all.emplace("sc07", "unknown");
  ASSERT_EQ(c.Post(base + "/items", all)->status, 303);
  EXPECT_EQ(submissions(), 4u);
  EXPECT_EQ(recorded_total(), 95);

  // The API: a self-check answer is recorded; the organisational checklist's (answerable now, the
  // total passing) waits for its own submission; an item of neither is refused.
  auto api = c.Post("/api/v1" + base + "/answers", R"({"answers": {"sc07": "yes", "oc1_1": "yes"}})", "application/json");
  ASSERT_EQ(api->status, 200) << api->body;
  EXPECT_EQ(submissions(), 5u);
  EXPECT_EQ(recorded_total(), 100);
  EXPECT_EQ((*store)->History(survey, "web-1").value().back().responses.size(), 1u) << "no org checklist recorded yet";
  auto unknown = c.Post("/api/v1" + base + "/answers", R"({"answers": {"sc99": "yes"}})", "application/json");
  EXPECT_EQ(unknown->status, 422);
  EXPECT_NE(unknown->body.find("self-check-2009 or org-checklist-2009"), std::string::npos) << unknown->body;
  EXPECT_EQ(submissions(), 5u);

  // The profile page posted again with another number of employees: the company moves to another
  // size type in the survey too (a submission of the profile alone); posted again the same, nothing.
  auto size_type = [&] {  // of the latest submission with a profile
    std::string size;
    const std::vector<CompanyRecord> history = (*store)->History(survey, "web-1").value();
    for (const CompanyRecord& r : history) {
      if (!r.profile_version.empty()) size = r.size_type;
    }
    return size;
  };
  EXPECT_EQ(size_type(), "B");
  ASSERT_EQ(c.Post(base + "/profile", ProfileForm(csrf, "150"))->status, 303);
  EXPECT_EQ(submissions(), 6u);
  EXPECT_EQ(size_type(), "C");
  EXPECT_TRUE((*store)->History(survey, "web-1").value().back().responses.empty()) << "the profile alone";
  ASSERT_EQ(c.Post(base + "/profile", ProfileForm(csrf, "１５０"))->status, 303) << "全角 digits, the same number";
  EXPECT_EQ(submissions(), 6u);
  EXPECT_EQ(recorded_total(), 100) << "its answers stay current";
}

// serve --min-cell K: the fewest peers the result page compares with (the report's --min-cell).
TEST_P(WebTest, MinCellSetsTheSmallestPeerGroupShown) {
  std::vector<std::string> links;
  for (const char* k : {"5", "1"}) {
    ServerProcess server(db_, dir_, std::string("min_cell_") + k, {"--min-cell", k});
    ASSERT_TRUE(server.ok()) << server.Errors();
    if (links.empty()) links = Invite({"--new", "2"}, server.url());
    ASSERT_EQ(links.size(), 2u);
    httplib::Client c = server.Client();
    nlohmann::json answers = nlohmann::json::object();
    for (int i = 1; i <= 25; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "sc%02d", i);
      answers[name] = i <= 20 ? "yes" : "no";
    }
    const nlohmann::json sheet = {{"profile", {{"employees", "15"}, {"industry", "mfg"}, {"prefecture", "13"}, {"it_core", "no"}}},
                                  {"answers", answers}};
    const nlohmann::json rest = {{"profile", {{"sites", "1"}, {"it_staff", "0"}, {"it_uses", "core"}, {"servers", "2"},
                                              {"qualified_staff", "no"}, {"knows_ipa", "yes"}, {"knows_benchmark", "no"}}}};
    if (std::string(k) == "5") {  // the first company answers and is recorded
      const std::string api = "/api/v1/r/" + TokenOf(links[0]);
      ASSERT_EQ(c.Post(api + "/answers", sheet.dump(), "application/json")->status, 200);
      ASSERT_EQ(c.Post(api + "/answers", rest.dump(), "application/json")->status, 200);
      ASSERT_EQ(c.Post(api + "/submit", "{}", "application/json")->status, 200);
      ASSERT_EQ(c.Post("/api/v1/r/" + TokenOf(links[1]) + "/answers", sheet.dump(), "application/json")->status, 200);
    }
    auto result = c.Get("/r/" + TokenOf(links[1]) + "/result");
    ASSERT_EQ(result->status, 200);
    if (std::string(k) == "5") {
      EXPECT_NE(result->body.find(R"(data-peers="0")"), std::string::npos) << "one other company: below 5";
      EXPECT_NE(result->body.find("まだ5社に満たない"), std::string::npos);
    } else {
      EXPECT_NE(result->body.find(R"(data-peers="1")"), std::string::npos) << "one other company is enough";
      EXPECT_NE(result->body.find(R"(data-peer-group="size_industry")"), std::string::npos);
    }
  }
  ServerProcess refused(db_, dir_, "min_cell_0", {"--min-cell", "0"});
  EXPECT_FALSE(refused.ok()) << "--min-cell 0 is refused";
}

TEST_P(WebTest, CompanyListInvitationsOpenWithTheStoredProfileAndMakeAMailMergeFile) {
  ServerProcess server(db_, dir_, "companies");
  ASSERT_TRUE(server.ok()) << server.Errors();
  const std::string list = (dir_ / "companies.csv").string();
  std::ofstream(list) << "company_id,name,email\nk1,株式会社テスト,a@example.jp\nk2,\"=HYPERLINK(1)\",b@example.jp\n";
  const std::string out = (dir_ / "links.csv").string();
  Invite({"--companies", list, "-o", out}, server.url());
  const std::string csv = ReadFile(out);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF" "company_key,name,email,link\r\nk1,株式会社テスト,a@example.jp," + server.url() + "/r/", 0), 0u)
      << csv;
  EXPECT_NE(csv.find("k2,'=HYPERLINK(1),b@example.jp,"), std::string::npos) << "formulas neutralised";
  EXPECT_EQ(test::Call(RunInvite, {"--db", db_, "--survey", "web", "--revoke", "--company", "k2"}).code, 0);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(csv, m, std::regex("k2,[^\\r]*,(http[^\\r]+)")));
  EXPECT_EQ(server.Client().Get("/r/" + TokenOf(m[1]))->status, 404);
}

// Two servers on one database answer one sheet: nothing lives in a server's memory.
TEST_P(WebTest, TwoServersOnOneDatabaseShareTheRespondent) {
  ServerProcess a(db_, dir_, "a");
  ServerProcess b(db_, dir_, "b");
  ASSERT_TRUE(a.ok() && b.ok()) << a.Errors() << b.Errors();
  ASSERT_NE(a.port(), b.port());
  const std::string base = "/r/" + TokenOf(Invite({"--new", "1"}, a.url())[0]);
  httplib::Client ca = a.Client(), cb = b.Client();
  const std::string csrf = CsrfOf(ca.Get(base + "/profile")->body);
  EXPECT_EQ(csrf, CsrfOf(cb.Get(base + "/profile")->body)) << "one CSRF secret in the database";
  EXPECT_EQ(cb.Post(base + "/profile", ProfileForm(csrf, "120"))->status, 303);
  for (int i = 1; i <= 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    httplib::Client& c = i % 2 ? ca : cb;
    EXPECT_EQ(c.Post(base + "/answer", httplib::Params{{"csrf", csrf}, {name, "no"}})->status, 200);
  }
  auto items = ca.Get(base + "/items");
  EXPECT_NE(items->body.find("<span data-answered>25</span>"), std::string::npos);
  httplib::Params all = {{"csrf", csrf}};
  for (int i = 1; i <= 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    all.emplace(name, "no");
  }
  EXPECT_EQ(cb.Post(base + "/items", all)->status, 303);
  EXPECT_NE(ca.Get(base + "/result")->body.find(R"(data-total="0")"), std::string::npos);
}

// Many respondents at once: the reads before each request and the saves go to the database in
// groups (web/group_call.h), and each respondent gets only its own sheet back, every answer it was
// told was saved there at its next read; bad tokens among them are refused.
TEST_P(WebTest, RespondentsAtOnceEachReadTheirOwnSheet) {
  ServerProcess server(db_, dir_, "crowd", {"--bad-tokens", "100000"});
  ASSERT_TRUE(server.ok()) << server.Errors();
  constexpr int kRespondents = 12;
  const std::vector<std::string> links = Invite({"--new", std::to_string(kRespondents)}, server.url());
  ASSERT_EQ(links.size(), static_cast<size_t>(kRespondents));
  // Each respondent's own pattern of yes and no (every item allows both).
  auto code_of = [](int r, int i) -> std::string { return ((static_cast<uint32_t>(r + 1) * 2654435761u) >> i) & 1 ? "yes" : "no"; };
  std::atomic<int> failures{0}, refused{0};
  std::mutex messages_mu;
  std::string messages;
  auto fail = [&](const std::string& what) {
    ++failures;
    std::lock_guard<std::mutex> lock(messages_mu);
    messages += what + "\n";
  };
  std::vector<std::thread> threads;
  for (int r = 0; r < kRespondents; ++r) {
    threads.emplace_back([&, r] {
      httplib::Client c = server.Client();
      const std::string base = "/r/" + TokenOf(links[static_cast<size_t>(r)]);
      auto profile = c.Get(base + "/profile");
      if (!profile || profile->status != 200) return fail("respondent " + std::to_string(r) + ": no profile page");
      const std::string csrf = CsrfOf(profile->body);
      for (int i = 1; i <= 25; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "sc%02d", i);
        const std::string code = code_of(r, i);
        auto saved = c.Post(base + "/answer", httplib::Params{{"csrf", csrf}, {name, code}});
        if (!saved || saved->status != 200) return fail("respondent " + std::to_string(r) + ": " + name + " not saved");
        auto state = c.Get("/api/v1" + base);
        if (!state || state->status != 200) return fail("respondent " + std::to_string(r) + ": no state");
        const nlohmann::json answers = nlohmann::json::parse(state->body)["answers"];
        if (answers.size() != static_cast<size_t>(i) || answers.value(name, "") != code) {
          return fail("respondent " + std::to_string(r) + " after " + name + "=" + code + " reads " + answers.dump());
        }
      }
    });
  }
  for (int g = 0; g < 2; ++g) {
    threads.emplace_back([&, g] {
      httplib::Client c = server.Client();
      for (int i = 0; i < 25; ++i) {
        auto r = c.Get("/api/v1/r/guess-" + std::to_string(g) + "-" + std::to_string(i));
        if (r && r->status == 404) ++refused;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << messages;
  EXPECT_EQ(refused.load(), 50) << "every bad token refused";
  for (int r = 0; r < kRespondents; ++r) {
    auto state = server.Client().Get("/api/v1/r/" + TokenOf(links[static_cast<size_t>(r)]));
    ASSERT_TRUE(state);
    const nlohmann::json answers = nlohmann::json::parse(state->body)["answers"];
    ASSERT_EQ(answers.size(), 25u);
    for (int i = 1; i <= 25; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "sc%02d", i);
      EXPECT_EQ(answers[name], code_of(r, i)) << "respondent " << r << " " << name;
    }
  }
}

// The JSON API is the pages' other face: answers saved through it on one server are the same
// respondent's on another, its result is the page's, and its submission records the response.
// `serve --demo` loads the demo survey with 表1 as its frame: the result page and the API give the
// percentile weighted to the population with its 95% interval, naming the frame; the company's
// total is the same in both.
TEST_P(WebTest, TheDemoSurveysResultIsWeightedByItsFrame) {
  ServerProcess server(db_, dir_, "demo", {"--demo"});
  ASSERT_TRUE(server.ok()) << server.Errors();
  std::smatch link;
  const std::string errors = server.Errors();
  ASSERT_TRUE(std::regex_search(errors, link, std::regex(R"(http://\S+/r/(\S+))"))) << errors;
  {
    // Read from the database, not from the server's message: ServerProcess may start the server
    // again on another port when one is taken, and the second start finds the demo loaded.
    Result<std::unique_ptr<Store>> store = Store::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    Result<std::optional<int64_t>> demo = (*store)->FindSurvey("demo");
    ASSERT_TRUE(demo.ok() && *demo);
    Result<std::optional<Store::StoredFrame>> frame = (*store)->SurveyFrame(**demo);
    ASSERT_TRUE(frame.ok() && *frame) << "the demo survey has its frame";
    EXPECT_EQ((*frame)->source, "teikoku-2009-corrected.csv");
  }
  const std::string token = link[1];
  httplib::Client c = server.Client();
  nlohmann::json sheet = {{"profile", {{"employees", 15}, {"industry", "mfg"}, {"prefecture", "13"}, {"it_core", false}}},
                          {"answers", nlohmann::json::object()}};
  for (int i = 1; i <= 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    sheet["answers"][name] = i <= 15 ? "yes" : "no";  // 60 points: peers above and below
  }
  ASSERT_EQ(c.Post("/api/v1/r/" + token + "/answers", sheet.dump(), "application/json")->status, 200);
  auto api = c.Get("/api/v1/r/" + token + "/result");
  ASSERT_EQ(api->status, 200) << api->body;
  const nlohmann::json peers = nlohmann::json::parse(api->body)["peers"];
  ASSERT_TRUE(peers.is_object()) << api->body;
  EXPECT_EQ(peers["weighted"], true) << peers.dump();
  EXPECT_EQ(peers["frame"], "teikoku-2009-corrected.csv");
  EXPECT_TRUE(peers["not_weighted"].is_null());
  const double percentile = peers["percentile"].get<double>();
  EXPECT_LE(peers["ci_low"].get<double>(), percentile);
  EXPECT_GE(peers["ci_high"].get<double>(), percentile);
  EXPECT_GT(peers["ci_high"].get<double>() - peers["ci_low"].get<double>(), 1) << "66 companies leave some uncertainty";

  auto page = c.Get("/r/" + token + "/result", {{"Accept-Language", "en"}});
  ASSERT_EQ(page->status, 200);
  const std::string shown = std::to_string(static_cast<int>(percentile + 0.5));
  const std::string low = std::to_string(static_cast<int>(peers["ci_low"].get<double>() + 0.5));
  EXPECT_NE(page->body.find("data-percentile=\"" + shown + "\" data-weighted=\"true\" data-ci-low=\"" + low + "\""),
            std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("(weighted to the population; 95% interval " + low + "–"), std::string::npos);
  EXPECT_NE(page->body.find("the frame teikoku-2009-corrected.csv counts there"), std::string::npos);
  auto ja = c.Get("/r/" + token + "/result", {{"Accept-Language", "ja"}});
  EXPECT_NE(ja->body.find("（母集団で重み付け。95% 区間 " + low + "〜"), std::string::npos);
  EXPECT_NE(ja->body.find("母集団の企業数（teikoku-2009-corrected.csv）"), std::string::npos);
}

TEST_P(WebTest, ApiSavesOnOneServerAndRecordsOnAnother) {
  ServerProcess a(db_, dir_, "api-a");
  ServerProcess b(db_, dir_, "api-b");
  ASSERT_TRUE(a.ok() && b.ok()) << a.Errors() << b.Errors();
  const std::string token = TokenOf(Invite({"--new", "1"}, a.url())[0]);
  const std::string api = "/api/v1/r/" + token;
  httplib::Client ca = a.Client(), cb = b.Client();
  nlohmann::json sheet = {{"profile", {{"employees", "１２０"}, {"industry", "svc"}, {"prefecture", "13"}, {"it_core", false}}},
                          {"answers", nlohmann::json::object()}};
  for (int i = 1; i <= 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "sc%02d", i);
    sheet["answers"][name] = i <= 10 ? "yes" : "no";
  }
  auto bad = sheet;
  bad["answers"]["sc05"] = "perhaps";
  auto refused = ca.Post(api + "/answers", bad.dump(), "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422);
  EXPECT_EQ(nlohmann::json::parse(refused->body)["error"]["field"], "sc05");
  EXPECT_EQ(nlohmann::json::parse(cb.Get(api)->body)["answered"], 0) << "a refused request saves nothing";
  EXPECT_EQ(ca.Post(api + "/answers", "employees=5", "application/x-www-form-urlencoded")->status, 415)
      << "only JSON, which a cross-site form cannot send";

  auto saved = ca.Post(api + "/answers", sheet.dump(), "application/json");
  ASSERT_EQ(saved->status, 200) << saved->body;
  const nlohmann::json state = nlohmann::json::parse(cb.Get(api)->body);
  EXPECT_EQ(state["answered"], 25);
  EXPECT_EQ(state["profile"]["employees"], "120") << "全角 digits accepted";
  EXPECT_EQ(state["step"], "result");
  auto result = cb.Get(api + "/result");
  ASSERT_EQ(result->status, 200);
  const nlohmann::json j = nlohmann::json::parse(result->body);
  const int total = j["diagnosis"]["total"].get<int>();
  EXPECT_NE(cb.Get("/r/" + token + "/result")->body.find("data-total=\"" + std::to_string(total) + "\""), std::string::npos)
      << "the page shows the API's total";
  EXPECT_TRUE(j["peers"].is_null()) << "no peers in an empty survey";

  EXPECT_EQ(cb.Post(api + "/submit", "{}", "application/json")->status, 422) << "the survey's other questions first";
  const nlohmann::json rest = {{"profile", {{"sites", 1}, {"it_staff", 0}, {"it_uses", {"info"}}, {"servers", 0},
                                            {"qualified_staff", false}, {"knows_ipa", false}, {"knows_benchmark", false}}}};
  EXPECT_EQ(cb.Post(api + "/answers", rest.dump(), "application/json")->status, 200);
  auto submitted = ca.Post(api + "/submit", "{}", "application/json");
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  EXPECT_EQ(nlohmann::json::parse(submitted->body)["recorded"], "self-check-2009");
  {
    Result<std::unique_ptr<Store>> store = Store::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    Result<std::optional<int64_t>> survey = (*store)->FindSurvey("web");
    ASSERT_TRUE(survey.ok() && survey->has_value());
    Result<std::vector<CompanyRecord>> history = (*store)->History(**survey, "web-1");
    ASSERT_TRUE(history.ok());
    EXPECT_EQ(history->size(), 1u) << "the response recorded once";
  }
  EXPECT_EQ(cb.Post(api + "/submit", "{}", "application/json")->status, 409) << "recorded once";
  EXPECT_EQ(cb.Get("/r/" + token)->status, 303);
}

// Repeated bad tokens from one address are slowed down by every server on the database: after 10,
// no token of that address is looked up until it has waited (429, Retry-After), not even a right one.
TEST_P(WebTest, RepeatedBadTokensAreSlowedDownOnEveryServer) {
  ServerProcess a(db_, dir_, "bad-a");
  ServerProcess b(db_, dir_, "bad-b");
  ASSERT_TRUE(a.ok() && b.ok()) << a.Errors() << b.Errors();
  const std::string right = "/r/" + TokenOf(Invite({"--new", "1"}, a.url())[0]);
  httplib::Client ca = a.Client(), cb = b.Client();
  for (int i = 0; i < 10; ++i) {
    httplib::Client& c = i % 2 ? ca : cb;
    auto r = c.Get("/r/guess" + std::to_string(i));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << "bad token " << i + 1 << " of the 10 free ones";
  }
  auto slowed = ca.Get(right);
  ASSERT_TRUE(slowed);
  EXPECT_EQ(slowed->status, 429) << "the right token waits too: a guesser learns nothing";
  EXPECT_EQ(slowed->get_header_value("Retry-After"), "1");
  EXPECT_NE(slowed->body.find("しばらくお待ちください"), std::string::npos);
  auto api = cb.Get("/api/v1" + right);
  EXPECT_EQ(api->status, 429) << "the other server knows: the count is in the database";
  EXPECT_NE(api->body.find("\"too_many_requests\""), std::string::npos);
  EXPECT_EQ(ca.Get("/")->status, 200) << "pages without a token are not slowed";

  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // the 1-s wait, counted in whole seconds
  EXPECT_EQ(ca.Get(right)->status, 303) << "after the wait the right token works";
  EXPECT_EQ(cb.Get("/r/guess-again")->status, 404);
  auto longer = ca.Get(right);
  EXPECT_EQ(longer->status, 429);
  EXPECT_EQ(longer->get_header_value("Retry-After"), "2") << "each further bad token doubles the wait";
}

// Every route × every kind of caller, against the table of what is allowed.
TEST_P(WebTest, SecurityMatrixOfEveryRouteAndCaller) {
  // The matrix gives hundreds of bad tokens from one address: not slowed down here (tested above).
  ServerProcess server(db_, dir_, "matrix", {"--bad-tokens", "100000"});
  ASSERT_TRUE(server.ok()) << server.Errors();
  const std::vector<std::string> links = Invite({"--new", "4"}, server.url());
  ASSERT_EQ(links.size(), 4u);
  ASSERT_EQ(test::Call(RunInvite, {"--db", db_, "--revoke", TokenOf(links[2])}).code, 0);
  ASSERT_EQ(Sql("UPDATE invitations SET expires_at = '2000-01-01T00:00:00Z' WHERE id = 4"), "");
  httplib::Client c = server.Client();
  // The other company answers its profile: its data must never show under the right token.
  const std::string other = "/r/" + TokenOf(links[1]);
  const std::string other_csrf = CsrfOf(c.Get(other + "/profile")->body);
  ASSERT_EQ(c.Post(other + "/profile", ProfileForm(other_csrf, "277"))->status, 303);

  struct CallerKind {
    const char* name;
    std::string token;
  };
  // One-item links for a colleague: one of the right invitation, one expired, one of the other.
  auto item_link = [&](const std::string& token) {
    auto r = c.Post("/api/v1/r/" + token + "/ask", R"({"item": "sc05"})", "application/json");
    EXPECT_EQ(r->status, 201) << r->body;
    return TokenOf(nlohmann::json::parse(r->body)["link"].get<std::string>());
  };
  const std::string item_token = item_link(TokenOf(links[0])), expired_item = item_link(TokenOf(links[0]));
  const std::string other_item = item_link(TokenOf(links[1]));
  ASSERT_EQ(Sql("UPDATE item_links SET expires_at = '2000-01-01T00:00:00Z' WHERE id = 2"), "");
  const std::vector<CallerKind> callers = {{"no token", ""},
                                           {"unknown token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
                                           {"revoked token", TokenOf(links[2])},
                                           {"expired token", TokenOf(links[3])},
                                           {"right token", TokenOf(links[0])},
                                           {"item link", item_token},
                                           {"expired item link", expired_item}};
  const std::string right_csrf = CsrfOf(c.Get("/r/" + TokenOf(links[0]) + "/profile")->body);
  const std::string item_csrf = CsrfOf(c.Get("/q/" + item_token)->body);
  const std::string other_item_csrf = CsrfOf(c.Get("/q/" + other_item)->body);
  ASSERT_FALSE(item_csrf.empty());
  auto caller_is = [](const CallerKind& caller, const char* name) { return caller.name == std::string(name); };
  for (const web::Route& route : web::Routes()) {
    for (const CallerKind& caller : callers) {
      std::string path = route.pattern;
      if (size_t p = path.find("{token}"); p != std::string::npos) path.replace(p, 7, caller.token);
      if (size_t p = path.find("{file}"); p != std::string::npos) path.replace(p, 6, "style.css");
      const std::string what = std::string(route.method) + " " + route.pattern + " as " + caller.name;
      const bool api = path.starts_with("/api/");
      const std::string csrf = caller_is(caller, "right token") ? right_csrf : caller_is(caller, "item link") ? item_csrf : other_csrf;
      httplib::Result r = std::string(route.method) == "GET" ? c.Get(path)
                          : api ? c.Post(path, R"({"answers": {}})", "application/json")
                                : c.Post(path, httplib::Params{{"csrf", csrf}});
      ASSERT_TRUE(r) << what;
      EXPECT_EQ(r->body.find("value=\"277\""), std::string::npos) << what << ": another company's answer";
      EXPECT_EQ(r->body.find("SELECT"), std::string::npos) << what;
      EXPECT_EQ(r->body.find("sqlite"), std::string::npos) << what;
      if (route.access == web::Access::kAnyone) {
        // The API's score refuses an empty sheet: 422, not a refusal of the caller.
        EXPECT_TRUE(r->status == 200 || (api && r->status == 422)) << what << ": " << r->status;
      } else if (route.access == web::Access::kRespondent && caller_is(caller, "right token")) {
        // The API's result and submit wait for a whole sheet: 409; its ask wants an item: 400.
        EXPECT_TRUE(r->status == 200 || r->status == 303 || r->status == 422 || (api && (r->status == 409 || r->status == 400)))
            << what << ": " << r->status;
      } else if (route.access == web::Access::kColleague && caller_is(caller, "item link")) {
        // An empty answer: 422 from the page, 400 from the API (the body has no "answer").
        EXPECT_TRUE(r->status == 200 || r->status == 303 || r->status == 422 || (api && r->status == 400))
            << what << ": " << r->status;
      } else if (caller.token.empty()) {
        EXPECT_EQ(r->status, 404) << what;  // no such path
      } else {
        EXPECT_EQ(r->status, 404) << what;
        EXPECT_NE(r->body.find("このリンクは使えません"), std::string::npos) << what;
      }
      EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer") << what;
      if (route.access == web::Access::kRespondent || route.access == web::Access::kColleague) {
        EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store") << what;
      }
    }
  }
  // Another sheet's item link passes no form of this one, nor this one's of another.
  EXPECT_EQ(c.Post("/q/" + item_token, httplib::Params{{"csrf", other_item_csrf}, {"sc05", "yes"}})->status, 403);
  EXPECT_EQ(c.Post("/q/" + other_item, httplib::Params{{"csrf", item_csrf}, {"sc05", "yes"}})->status, 403);
  // The other company's CSRF token does not pass for this one.
  EXPECT_EQ(c.Post("/r/" + TokenOf(links[0]) + "/profile", ProfileForm(other_csrf, "5"))->status, 403);
}

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }
INSTANTIATE_TEST_SUITE_P(Backends, WebTest, ::testing::Values("sqlite", "postgresql"), BackendName);

}  // namespace
}  // namespace shindan
