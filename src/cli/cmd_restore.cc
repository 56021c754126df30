// shindan restore [--db URL] FILE   replaces the SQLite database with a backup; PostgreSQL: pg_restore, exit 2
#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.h"
#include "cli/db_options.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace shindan {

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
