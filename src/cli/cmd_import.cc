// shindan import [--db URL] [--survey NAME] [--encoding utf-8|shift_jis] [--format csv|jsonl] FILE
// All or nothing (docs/import.md): a file with any problem prints every problem (the first 100, then a
// count), changes nothing and exits 2. FILE "-" reads standard input.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <istream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "analytics/column_copy.h"
#include "base/file.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/progress_bar.h"
#include "cli/exit_code.h"
#include "cli/db_options.h"
#include "exchange/import.h"
#include "store/store.h"

namespace shindan {

namespace {

std::string Plural(long long n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// The problems of a rejected file, every one on its own line, then the count of those not shown.
std::string ProblemText(const ImportReport& report) {
  const long long n = report.problems.count();
  return report.problems.Render() + "\n取り込みを中止しました（問題 " + std::to_string(n) +
         " 件）。データベースは変更していません / import aborted: " + Plural(n, "problem", "problems") +
         "; the database is unchanged";
}

// A new SQLite database written under a private name beside its path and given the path's name
// only once the import into it has committed: a staged file (base/file.h) published with
// Publish::kIfAbsent. Until then no other process can open it, which buys two things: the file
// keeps SQLite's rollback journal instead of the write-ahead log (OpenOptions::write_ahead_log; a
// new file's pages are written once instead of twice, into the log and then into the file — a
// fifth of a large import), and a bad input file is found while importing instead of by a checking
// pass before it, so the input is read once. The name is given with link(2), which never replaces
// a file: a database that appeared at the path meanwhile (another import) is left alone, and this
// import goes into it as into any existing database.
class PrivateNewDatabase {
 public:
  // A private empty file beside `url`'s SQLite path; null when `url` is not a SQLite file or the
  // file cannot be made (the caller then checks the input first and lets the store create the
  // database).
  static std::unique_ptr<PrivateNewDatabase> Make(const std::string& url) {
    Result<StoreUrl> parsed = ParseStoreUrl(url);
    if (!parsed.ok() || parsed->kind != StoreUrl::Kind::kSqlite || parsed->target.empty()) return nullptr;
    Result<std::unique_ptr<WritableFile>> file =
        FileSystem::Disk().NewStagedFile(parsed->target, FileSystem::Publish::kIfAbsent);
    if (!file.ok()) return nullptr;
    Result<std::string> path = (*file)->StagingPath();
    if (!path.ok()) return nullptr;
    return std::unique_ptr<PrivateNewDatabase>(new PrivateNewDatabase(std::move(file).value(), std::move(path).value()));
  }
  // The staged file removes itself unless published; a journal SQLite left beside it goes too.
  ~PrivateNewDatabase() {
    if (published_) return;
    for (const char* suffix : {"-journal", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  PrivateNewDatabase(const PrivateNewDatabase&) = delete;
  PrivateNewDatabase& operator=(const PrivateNewDatabase&) = delete;

  // The store URL of the private file.
  std::string url() const { return "sqlite:" + path_; }

  // Gives the private file the database's name, durably. False when it cannot — a file appeared at
  // the path meanwhile, or the file system has no hard links — and the caller imports into the
  // path instead. REQUIRES: every Store on the private file is closed.
  bool Publish() {
    std::error_code ec;
    if (std::filesystem::exists(path_ + "-journal", ec) || std::filesystem::exists(path_ + "-wal", ec)) return false;
    published_ = file_->Commit().ok();
    return published_;
  }

 private:
  PrivateNewDatabase(std::unique_ptr<WritableFile> file, std::string path) : file_(std::move(file)), path_(std::move(path)) {}
  std::unique_ptr<WritableFile> file_;
  std::string path_;
  bool published_ = false;
};

Result<int64_t> CompaniesIn(Store& store, int64_t survey) {
  Result<std::vector<SurveyInfo>> surveys = store.ListSurveys();
  if (!surveys.ok()) return surveys.status();
  for (const SurveyInfo& s : *surveys) {
    if (s.id == survey) return s.companies;
  }
  return int64_t{0};
}

}  // namespace

int RunImport(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "調査の回答ファイル（横持ち CSV または JSON Lines）をデータベースに取り込みます。問題が1つでもあれば何も取り込みません / "
      "Imports a survey file (wide CSV or JSON lines) into the database; a file with any problem imports nothing.",
      "import");
  std::string file, lang, db = kDefaultStoreUrl, survey = "default", encoding_text, format_text;
  app.add_option("FILE", file, "取り込むファイル（- は標準入力）/ the file to import (- reads standard input)")->required();
  AddDbOption(app, &db);
  AddSurveyOption(app, &survey);
  app.add_option("--encoding", encoding_text,
                 "文字コード utf-8 または shift_jis（既定は自動判定）/ encoding: utf-8 or shift_jis (default: detected)");
  app.add_option("--format", format_text,
                 "形式 csv または jsonl（既定は拡張子と内容から判定）/ format: csv or jsonl (default: from the file name and content)");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  ImportOptions options;
  options.file = file == "-" ? "stdin" : file;
  if (!encoding_text.empty()) {
    Result<Encoding> e = ParseEncoding(encoding_text);
    if (!e.ok()) {
      ctx.Error("--encoding: " + e.status().message());
      return kExitBadInput;
    }
    options.encoding = *e;
  }
  if (!format_text.empty()) {
    Result<ImportFormat> f = ParseImportFormat(format_text);
    if (!f.ok()) {
      ctx.Error("--format: " + f.status().message());
      return kExitBadInput;
    }
    options.format = *f;
  } else {
    for (const char* ext : {".jsonl", ".ndjson", ".json"}) {
      const std::string e = ext;
      if (file.size() > e.size() && AsciiLower(file.substr(file.size() - e.size())) == e) options.format = ImportFormat::kJsonLines;
    }
  }
  std::string input;  // standard input is read whole; a file is mapped by ImportFile
  if (file == "-") {
    input.assign(std::istreambuf_iterator<char>(ctx.in), std::istreambuf_iterator<char>());
  } else if (std::FILE* f = std::fopen(file.c_str(), "rb")) {  // before the database is opened or made
    std::fclose(f);
  } else {
    ctx.Error(file + ": cannot open (" + std::strerror(errno) + ")");
    return kExitFailure;
  }

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  auto run = [&](const RecordSink& sink, const char* label) -> Result<ImportReport> {
    std::unique_ptr<ProgressBar> bar;
    ImportOptions o = options;
    if (isatty(STDERR_FILENO)) {
      bar = std::make_unique<ProgressBar>(ctx.err, label);
      o.progress = [&](uint64_t done, uint64_t total) { bar->Update(done, total); };
    }
    return file == "-" ? ImportText(*catalog, input, o, sink) : ImportFile(*catalog, file, o, sink);
  };
  auto rejected = [&](const Result<ImportReport>& r) {
    if (!r.ok()) {
      ctx.Error(r.status().message());
      return ExitCodeFor(r.status());
    }
    ctx.Error(ProblemText(*r));
    return static_cast<int>(kExitBadInput);
  };

  // Imports the file into `store` in one transaction, keeping the survey's columnar copy current in
  // the same transaction (analytics/column_copy.h). On failure the session rolls back and `code`
  // is the exit status.
  struct Imported {
    int code = -1;
    int64_t survey_id = 0;
    long long records = 0;
  };
  auto import_into = [&](Store& store) -> Imported {
    // A new survey is created inside the import's transaction: a failed or killed import leaves none.
    Result<std::unique_ptr<ImportSession>> session = store.BeginImport(survey);
    if (!session.ok()) {
      ctx.Error(session.status().message());
      return {ExitCodeFor(session.status())};
    }
    CopyWriter copy(*catalog, store, (*session)->survey_id());
    if (Status s = copy.Start(); !s.ok()) {
      ctx.Error(s.message());
      return {ExitCodeFor(s)};
    }
    Result<ImportReport> report = run(
        [&](const CompanyRecord& r) {
          Status s = (*session)->Add(r);
          if (s.ok()) copy.Add(r);
          return s;
        },
        "取込中 / importing");
    if (!report.ok() || !report->ok()) return {rejected(report)};
    if (Status s = (*session)->Commit([&] { return copy.Finish(); }); !s.ok()) {
      ctx.Error(s.message());
      return {ExitCodeFor(s)};
    }
    return {-1, (*session)->survey_id(), report->records};
  };

  OpenOptions existing;
  existing.create_if_missing = false;
  Result<std::unique_ptr<Store>> opened = Store::Open(db, existing);
  std::optional<Imported> done;
  int64_t before = 0;
  if (!opened.ok() && opened.status().code() == Status::Code::kNotFound) {
    // No database yet. A SQLite one is written under a private name and named only once the import
    // has committed (PrivateNewDatabase); otherwise the whole file is checked before the database
    // is made. Either way a bad file makes no database. (A database is never deleted: another
    // import may be writing to it.)
    if (std::unique_ptr<PrivateNewDatabase> fresh = PrivateNewDatabase::Make(db)) {
      OpenOptions private_file;
      private_file.write_ahead_log = false;
      Result<std::unique_ptr<Store>> store = Store::Open(fresh->url(), private_file);
      if (!store.ok()) {
        ctx.Error(store.status().message());
        return ExitCodeFor(store.status());
      }
      done = import_into(**store);
      if (done->code >= 0) return done->code;
      store->reset();  // closed before it is named
      // Not named (a database appeared at the path meanwhile): the import goes into the path, as into
      // any existing database; the file is good, so no check is needed before creating one.
      if (!fresh->Publish()) done.reset();
    } else {
      Result<ImportReport> check = run(RecordSink(), "確認中 / checking ");
      if (!check.ok() || !check->ok()) return rejected(check);
    }
    opened = Store::Open(db, done ? existing : OpenOptions());
  }
  if (!opened.ok()) {
    ctx.Error(opened.status().message());
    return ExitCodeFor(opened.status());
  }
  Store& store = **opened;
  if (!done) {
    Result<std::optional<int64_t>> found = store.FindSurvey(survey);
    if (!found.ok()) {
      ctx.Error(found.status().message());
      return ExitCodeFor(found.status());
    }
    Result<int64_t> companies = found->has_value() ? CompaniesIn(store, **found) : Result<int64_t>(int64_t{0});
    if (!companies.ok()) {
      ctx.Error(companies.status().message());
      return ExitCodeFor(companies.status());
    }
    before = *companies;
    done = import_into(store);
    if (done->code >= 0) return done->code;
  }
  const int64_t survey_id = done->survey_id;
  // Counted after the commit: a store may write the rows of a session only then.
  Result<int64_t> after = CompaniesIn(store, survey_id);
  if (!after.ok()) {
    ctx.Error(after.status().message());
    return ExitCodeFor(after.status());
  }
  const long long imported = done->records;
  const long long added = *after - before;
  const long long updated = imported - added;
  AuditEntry audit;
  audit.actor = "cli";
  audit.action = "import";
  audit.subject = "survey:" + survey;
  audit.detail = options.file + ": " + std::to_string(imported) + " companies (" + std::to_string(added) + " new, " +
                 std::to_string(updated) + " updated)";
  if (Status s = store.Audit(audit); !s.ok()) {
    ctx.Error(s.message());
    return ExitCodeFor(s);
  }
  ctx.out << "調査「" << survey << "」に " << imported << " 社を取り込みました（新規 " << added << " 社、更新 " << updated
          << " 社）/ imported " << Plural(imported, "company", "companies") << " (" << added << " new, " << updated
          << " updated) into survey " << survey << "\n";
  return kExitOk;
}

}  // namespace shindan
