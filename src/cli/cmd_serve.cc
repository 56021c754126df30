// shindan serve [--db URL] [--listen ADDR] [--demo] [--base-url URL]: the web application.
#include <CLI/CLI.hpp>

#include <iostream>
#include <ostream>

#include "analytics/column_copy.h"
#include "catalog/catalog.h"
#include "cli/stored_survey.h"
#include "cli/command.h"
#include "cli/db_options.h"
#include "cli/read_text.h"
#include "exchange/demo.h"
#include "exchange/import.h"
#include "stats/survey_frame.h"
#include "web/app.h"
#include "web/bad_tokens.h"
#include "web/invitations.h"
#include "web/server.h"

namespace shindan {

namespace {

constexpr char kDemoSurvey[] = "demo";
// The demo survey's population frame (表1 as corrected, docs/statistics.md), in the data folder.
constexpr char kDemoFrame[] = "data/frames/teikoku-2009-corrected.csv";

// --demo: the demo survey (66 companies, the 2009 figures) as survey "demo" when the database has
// no survey yet, with 表1 as its frame so that its result pages show the weighted percentile; then
// three open invitation links to it. `data_root`: the catalog's folder (Catalog::FindRoot).
Result<std::vector<web::IssuedInvitation>> PrepareDemo(const Catalog& catalog, const std::string& data_root,
                                                       const std::string& db, const std::string& base_url,
                                                       std::ostream& out) {
  Result<std::unique_ptr<Store>> store = Store::Open(db);
  if (!store.ok()) return store.status();
  Result<std::vector<SurveyInfo>> surveys = (*store)->ListSurveys();
  if (!surveys.ok()) return surveys.status();
  if (surveys->empty()) {
    Result<std::string> csv = DemoSurveyText(catalog, {});
    if (!csv.ok()) return csv.status();
    Result<std::unique_ptr<ImportSession>> session = (*store)->BeginImport(kDemoSurvey);
    if (!session.ok()) return session.status();
    ImportOptions options;
    options.file = "demo";
    std::vector<CompanyRecord> records;
    Result<ImportReport> report = ImportText(catalog, *csv, options, [&](const CompanyRecord& r) {
      records.push_back(r);
      return Status::Ok();
    });
    if (!report.ok()) return report.status();
    if (!report->ok()) return Status::Internal("the demo survey did not import: " + report->problems.Render());
    const int64_t survey_id = (*session)->survey_id();
    if (Status s = CommitWithCopy(catalog, **store, **session, records); !s.ok()) return s;
    const std::string path = data_root + "/" + kDemoFrame;
    Result<std::string> text = ReadTextFile(path);
    if (!text.ok()) return text.status();
    Result<Frame> frame = AttachFrame(catalog, **store, survey_id, *text, path);
    if (!frame.ok()) return frame.status();
    (*store)->Audit(
        {0, "", "cli", "frame-attach", std::string("survey:") + kDemoSurvey, frame->source + " (serve --demo)"});
    out << "デモ調査（" << report->records << " 社）を調査「demo」として読み込みました（母集団枠 " << frame->source
        << "）/ loaded the demo survey (" << report->records << " companies) as survey \"demo\", its frame "
        << frame->source << "\n";
  }
  Result<std::optional<int64_t>> demo = (*store)->FindSurvey(kDemoSurvey);
  if (!demo.ok()) return demo.status();
  if (!*demo) return std::vector<web::IssuedInvitation>();
  return web::IssueInvitations(**store, **demo, std::vector<web::Invitee>(3), web::kDefaultInvitationDays, base_url);
}

}  // namespace

int RunServe(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app("回答者向けの Web アプリケーションを起動する / Serves the web application (SIGTERM or Ctrl-C stops it).",
               "serve");
  std::string lang, db = kDefaultStoreUrl, listen = "127.0.0.1:8080", base_url;
  bool demo = false;
  web::ServeOptions serve;
  AddDbOption(app, &db);
  app.add_option("--listen", listen, "待ち受けるアドレス（既定 127.0.0.1:8080）/ address to listen on (default 127.0.0.1:8080)");
  app.add_flag(
      "--demo", demo,
      "デモ調査（母集団枠は表1）を読み込み招待リンクを3件表示 / load the demo survey, with 表1 as its frame, when the "
      "database has none; print three links");
  app.add_option("--base-url", base_url, "回答者から見たアドレス / the address respondents use (default http://LISTEN)");
  int64_t bad_tokens = web::kFreeBadTokens;
  app.add_option("--bad-tokens", bad_tokens,
                 "一つのアドレスから待たずに受け付ける誤ったトークンの数（既定 10）/ bad invitation tokens an address may give "
                 "before it must wait (default 10)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  uint64_t min_cell = web::kMinPeers;
  app.add_option("--min-cell", min_cell,
                 "結果ページで比べる同業他社の最少社数。満たないときは規模、次に調査全体に広げる（既定 5）/ the fewest "
                 "peers the result page compares with; below it the group widens to the size type, then the survey "
                 "(default 5)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1000000}));
  app.add_option("--threads", serve.threads, "ワーカー数（既定 64）/ worker threads (default 64)")->check(CLI::Range(1, 4096));
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  if (Status s = web::ParseListen(listen, &serve); !s.ok()) {
    ctx.Error(s.message());
    return kExitBadInput;
  }
  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  if (base_url.empty()) base_url = "http://" + serve.host + ":" + std::to_string(serve.port);

  std::vector<web::IssuedInvitation> links;
  if (demo) {
    Result<std::vector<web::IssuedInvitation>> issued =
        PrepareDemo(*catalog, Catalog::FindRoot(ctx.data_dir), db, base_url, ctx.err);
    if (!issued.ok()) {
      ctx.Error(issued.status().message());
      return ExitCodeFor(issued.status());
    }
    links = std::move(issued).value();
  }
  web::WebOptions options;
  options.db_url = db;
  options.base_url = base_url;
  options.free_bad_tokens = bad_tokens;
  options.min_peers = min_cell;
  Result<std::unique_ptr<web::WebApp>> web_app = web::WebApp::Create(*catalog, options);
  if (!web_app.ok()) {
    ctx.Error(web_app.status().message());
    return ExitCodeFor(web_app.status());
  }
  serve.on_listening = [&](const std::string& url) {
    ctx.err << "shindan serve: " << url << " で待ち受けています / listening on " << url << " (" << RedactUrl(db) << ")\n";
    if (!links.empty()) {
      ctx.err << "回答用の招待リンク / invitation links to answer the demo survey:\n";
      for (const web::IssuedInvitation& i : links) ctx.err << "  " << i.link << "\n";
    }
    ctx.err << std::flush;
  };
  // The access log goes to standard output, one JSON object per line.
  if (Status s = web::Serve(**web_app, serve, ctx.out); !s.ok()) {
    ctx.Error(s.message());
    return kExitFailure;
  }
  ctx.err << "shindan serve: 停止しました / stopped\n";
  return kExitOk;
}

}  // namespace shindan
