#include "cli/db_options.h"

#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.h"

namespace shindan {

int ExitFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidInput:
    case Status::Code::kNotFound:
      return kExitBadInput;
    default:
      return kExitFailure;
  }
}

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

void AddDbOption(CLI::App& app, std::string* url) {
  app.add_option("--db", *url,
                 "データベース: ファイル名、sqlite:PATH、postgresql://… (既定 ./shindan.db) / database: a file, "
                 "sqlite:PATH or postgresql://… (default ./shindan.db)");
}

}  // namespace shindan
