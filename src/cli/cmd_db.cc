// shindan db migrate|status [--db URL], shindan backup [--db URL] -o FILE, shindan restore [--db URL] FILE
#include <CLI/CLI.hpp>

#include <filesystem>
#include <ostream>

#include "cli/command.h"
#include "cli/db_commands.h"
#include "store/migrations.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace shindan {

namespace {

const char* T(Lang lang, const char* ja, const char* en) { return lang == Lang::kJa ? ja : en; }

int ExitFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidInput:
    case Status::Code::kNotFound:
      return kExitBadInput;
    default:
      return kExitFailure;
  }
}

// Parses --db; prints the error and returns nullopt when it is not a URL we know.
std::optional<StoreUrl> ParseDb(CommandContext& ctx, const std::string& url) {
  Result<StoreUrl> parsed = ParseStoreUrl(url);
  if (!parsed.ok()) {
    ctx.Error(parsed.status().message());
    return std::nullopt;
  }
  return *parsed;
}

void PrintPgDumpHelp(CommandContext& ctx, const std::string& url, const std::string& file) {
  const std::string u = RedactUrl(url);
  ctx.err << T(ctx.lang, "PostgreSQL のデータベースは PostgreSQL の道具でバックアップ・復元します。\n",
               "A PostgreSQL database is backed up and restored with PostgreSQL's own tools.\n")
          << T(ctx.lang, "バックアップ / back up:\n", "back up:\n")
          << "  pg_dump --format=custom --file='" << file << "' '" << u << "'\n"
          << T(ctx.lang, "復元 / restore:\n", "restore:\n")
          << "  pg_restore --clean --if-exists --single-transaction --no-owner --dbname='" << u << "' '" << file
          << "'\n"
          << T(ctx.lang, "詳しくは docs/storage.md を参照してください。\n", "See docs/storage.md.\n");
}

}  // namespace

void AddDbOption(CLI::App& app, std::string* url) {
  app.add_option("--db", *url,
                 "データベース: ファイル名、sqlite:PATH、postgresql://… (既定 ./shindan.db) / database: a file, "
                 "sqlite:PATH or postgresql://… (default ./shindan.db)");
}

int RunDb(CommandContext& ctx, std::vector<std::string> args) {
  if (!args.empty() && args[0] == "rebuild") return RunDbRebuild(ctx, std::vector<std::string>(args.begin() + 1, args.end()));
  CLI::App app("データベースのスキーマを管理します / Manages the database schema.", "db");
  std::string url = kDefaultStoreUrl, lang;
  CLI::App* migrate = app.add_subcommand(
      "migrate", "未適用のマイグレーションを適用する（開くたびに自動でも適用）/ apply pending migrations (also done on every open)");
  CLI::App* status =
      app.add_subcommand("status", "スキーマの版と未適用のマイグレーションを表示 / show the schema version and pending migrations");
  app.add_subcommand("rebuild",
                     "調査の列形式コピーを行から作り直す / rebuild the surveys' columnar copies from the rows (db rebuild --help)");
  for (CLI::App* sub : {migrate, status}) {
    AddDbOption(*sub, &url);
    sub->fallthrough();
  }
  AddDbOption(app, &url);
  app.require_subcommand(1);
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  if (!ParseDb(ctx, url)) return kExitBadInput;

  OpenOptions options;
  options.migrate = false;
  Result<std::unique_ptr<Store>> store = Store::Open(url, options);
  if (!store.ok()) {
    ctx.Error(store.status().message());
    return ExitFor(store.status());
  }
  Result<int> before = (*store)->SchemaVersion();
  if (!before.ok()) {
    ctx.Error(before.status().message());
    return ExitFor(before.status());
  }
  const int latest = LatestSchemaVersion();
  if (status->parsed()) {
    ctx.out << T(ctx.lang, "データベース / database: ", "database: ") << RedactUrl(url) << " (" << (*store)->Kind()
            << ")\n"
            << T(ctx.lang, "スキーマの版 / schema version: ", "schema version: ") << *before << "\n"
            << T(ctx.lang, "このプログラムの版 / this build writes: ", "this build writes: ") << latest << "\n";
    int pending = 0;
    for (const Migration& m : Migrations()) {
      if (m.version > *before) {
        ctx.out << "  " << T(ctx.lang, "未適用 / pending: ", "pending: ") << m.version << " " << m.name << "\n";
        ++pending;
      }
    }
    if (pending == 0) ctx.out << T(ctx.lang, "最新です / up to date\n", "up to date\n");
    return kExitOk;
  }
  Result<int> applied = (*store)->Migrate();
  if (!applied.ok()) {
    ctx.Error(applied.status().message());
    return ExitFor(applied.status());
  }
  if (*applied == 0) {
    ctx.out << T(ctx.lang, "スキーマは最新です（版 ", "The schema is up to date (version ") << *before << ")\n";
  } else {
    ctx.out << T(ctx.lang, "マイグレーションを適用しました: 版 ", "Migrated: version ") << *before << " → " << latest
            << " (" << *applied << T(ctx.lang, " 件)\n", " applied)\n");
  }
  return kExitOk;
}

int RunBackup(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "SQLite データベースを使用中のまま1つのファイルにバックアップします / Backs up a SQLite database to one file, while "
      "it stays in use (online backup).",
      "backup");
  std::string url = kDefaultStoreUrl, output, lang;
  AddDbOption(app, &url);
  app.add_option("-o,--output", output, "バックアップファイル / backup file to write")->required();
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  std::optional<StoreUrl> db = ParseDb(ctx, url);
  if (!db) return kExitBadInput;
  if (db->kind == StoreUrl::Kind::kPostgres) {
    PrintPgDumpHelp(ctx, url, output);
    return kExitBadInput;
  }
  if (Status s = SqliteBackup(db->target, output); !s.ok()) {
    ctx.Error(s.message());
    return ExitFor(s);
  }
  // Record it, so the audit log says when copies of the data were taken.
  if (Result<std::unique_ptr<Store>> store = Store::Open(url); store.ok()) {
    (*store)->Audit({.actor = "cli", .action = "backup", .subject = "file:" + output});
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(output, ec);
  ctx.out << T(ctx.lang, "バックアップしました / backed up: ", "Backed up ") << db->target << " → " << output;
  if (!ec) ctx.out << " (" << size << " bytes)";
  ctx.out << "\n";
  return kExitOk;
}

int RunRestore(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "バックアップから SQLite データベースを復元します（失敗したときは元のまま）/ Replaces a SQLite database with a "
      "backup; on any failure the database is left as it was.",
      "restore");
  std::string url = kDefaultStoreUrl, input, lang;
  AddDbOption(app, &url);
  app.add_option("FILE", input, "shindan backup で作ったファイル / a file written by shindan backup")->required();
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  std::optional<StoreUrl> db = ParseDb(ctx, url);
  if (!db) return kExitBadInput;
  if (db->kind == StoreUrl::Kind::kPostgres) {
    PrintPgDumpHelp(ctx, url, input);
    return kExitBadInput;
  }
  if (Status s = SqliteRestore(input, db->target); !s.ok()) {
    ctx.Error(s.message());
    return ExitFor(s);
  }
  if (Result<std::unique_ptr<Store>> store = Store::Open(url); store.ok()) {
    (*store)->Audit({.actor = "cli", .action = "restore", .subject = "file:" + input});
  }
  ctx.out << T(ctx.lang, "復元しました / restored: ", "Restored ") << input << " → " << db->target << "\n";
  return kExitOk;
}

}  // namespace shindan
