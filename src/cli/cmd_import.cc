// shindan import [--db URL] [--survey NAME] [--encoding utf-8|shift_jis] [--format csv|jsonl] FILE
// All or nothing (docs/import.md): a file with any problem prints every problem (the first 100, then a
// count), changes nothing and exits 2. FILE "-" reads standard input.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <istream>
#include <iterator>
#include <ostream>
#include <string>
#include <utility>

#include "analytics/column_copy.h"
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

  OpenOptions existing;
  existing.create_if_missing = false;
  Result<std::unique_ptr<Store>> opened = Store::Open(db, existing);
  if (!opened.ok() && opened.status().code() == Status::Code::kNotFound) {
    // No database yet: check the whole file before making one, so that a bad file creates nothing.
    // (A database is never deleted: another import may be writing to it.)
    Result<ImportReport> check = run(RecordSink(), "確認中 / checking ");
    if (!check.ok() || !check->ok()) return rejected(check);
    opened = Store::Open(db);
  }
  if (!opened.ok()) {
    ctx.Error(opened.status().message());
    return ExitCodeFor(opened.status());
  }
  Store& store = **opened;

  Result<std::optional<int64_t>> found = store.FindSurvey(survey);
  if (!found.ok()) {
    ctx.Error(found.status().message());
    return ExitCodeFor(found.status());
  }
  Result<int64_t> before = found->has_value() ? CompaniesIn(store, **found) : Result<int64_t>(int64_t{0});
  if (!before.ok()) {
    ctx.Error(before.status().message());
    return ExitCodeFor(before.status());
  }
  // A new survey is created inside the import's transaction: a failed or killed import leaves none.
  Result<std::unique_ptr<ImportSession>> session = store.BeginImport(survey);
  if (!session.ok()) {
    ctx.Error(session.status().message());
    return ExitCodeFor(session.status());
  }
  // The survey's columnar copy is kept current in the same transaction (analytics/column_copy.h).
  CopyWriter copy(*catalog, store, (*session)->survey_id());
  if (Status s = copy.Start(); !s.ok()) {
    ctx.Error(s.message());
    return ExitCodeFor(s);
  }
  Result<ImportReport> report = run(
      [&](const CompanyRecord& r) {
        Status s = (*session)->Add(r);
        if (s.ok()) copy.Add(r);
        return s;
      },
      "取込中 / importing");
  if (!report.ok() || !report->ok()) return rejected(report);  // the session rolls back

  if (Status s = (*session)->Commit([&] { return copy.Finish(); }); !s.ok()) {
    ctx.Error(s.message());
    return ExitCodeFor(s);
  }
  const int64_t survey_id = (*session)->survey_id();
  session->reset();  // the session is over: what follows runs outside it
  // Counted after the commit: a store may write the rows of a session only then.
  Result<int64_t> after = CompaniesIn(store, survey_id);
  if (!after.ok()) {
    ctx.Error(after.status().message());
    return ExitCodeFor(after.status());
  }
  const long long imported = report->records;
  const long long added = *after - *before;
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
