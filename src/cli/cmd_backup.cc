// shindan backup [--db URL] -o FILE   SQLite online backup; PostgreSQL: explains pg_dump, exit 2
#include <CLI/CLI.hpp>

#include <filesystem>
#include <ostream>

#include "cli/command.h"
#include "cli/db_options.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace shindan {

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

}  // namespace shindan
