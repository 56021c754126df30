// shindan db migrate [--db URL]   applies pending migrations and reports the schema version
// shindan db status  [--db URL]   reports the schema version and pending migrations, changes nothing
#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/db_options.h"
#include "store/migrations.h"
#include "store/store.h"

namespace shindan {

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
  // `status` changes nothing: a database that does not exist is reported, not created.
  options.create_if_missing = !status->parsed();
  Result<std::unique_ptr<Store>> store = Store::Open(url, options);
  if (!store.ok()) {
    ctx.Error(store.status().message());
    return ExitCodeFor(store.status());
  }
  Result<int> before = (*store)->SchemaVersion();
  if (!before.ok()) {
    ctx.Error(before.status().message());
    return ExitCodeFor(before.status());
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
    return ExitCodeFor(applied.status());
  }
  if (*applied == 0) {
    ctx.out << T(ctx.lang, "スキーマは最新です（版 ", "The schema is up to date (version ") << *before << ")\n";
  } else {
    ctx.out << T(ctx.lang, "マイグレーションを適用しました: 版 ", "Migrated: version ") << *before << " → " << latest
            << " (" << *applied << T(ctx.lang, " 件)\n", " applied)\n");
  }
  return kExitOk;
}

}  // namespace shindan
