#include "cli/command.h"

#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>

#include "base/file.h"
#include "build_info.h"
#include "catalog/catalog.h"

namespace shindan {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"take", "端末で自社診断に回答する", "answer the self-check in the terminal", RunTake},
      {"score", "回答シート（JSON / CSV）を採点する", "score an answer sheet (JSON or CSV)", RunScore},
      {"instruments", "診断票の一覧と検証", "list and validate instruments", RunInstruments},
      {"demo", "デモ調査データ（取込形式 CSV）を作る", "write a demo survey in the import layout", RunDemo},
      {"import", "回答の CSV / JSON lines をデータベースに取り込む", "import responses (CSV, JSON lines) into the database", RunImport},
      {"export", "回答を CSV / XLSX / JSON で書き出す", "export responses as CSV, XLSX or JSON", RunExport},
      {"notes", "ヒアリングのコメントを取り込む", "import interview notes (ヒアリング) into the database", RunNotes},
      {"report", "調査の集計表を作る", "make the survey report (tables 4–10, 付録A)", RunReport},
      {"frame", "母集団フレーム（表1）を検証し、調査に付ける・外す",
       "check a population frame (table 1); attach it to a survey or detach it", RunFrame},
      {"design", "標本を層に配分する（表2 など）", "allocate a sample over strata (table 2, …)", RunDesign},
      {"sample", "企業リストから層別無作為抽出する", "draw a stratified random sample from a company list", RunSample},
      {"estimate", "母集団の推定値と標準誤差・信頼区間", "population estimates with standard errors and intervals", RunEstimate},
      {"serve", "回答者向けの Web アプリケーションを起動する", "serve the web application", RunServe},
      {"invite", "回答の招待リンクを作る・取り消す", "create or revoke invitation links", RunInvite},
      {"db", "データベースの移行と列形式コピーの再構築（migrate, rebuild）", "database maintenance (migrate, rebuild)", RunDb},
      {"backup", "SQLite データベースをバックアップする", "back up a SQLite database", RunBackup},
      {"restore", "SQLite データベースを復元する", "restore a SQLite database", RunRestore},
  };
  return kCommands;
}

std::unique_ptr<Catalog> CommandContext::LoadCatalog() const {
  const std::string root = Catalog::FindRoot(data_dir);
  Result<std::unique_ptr<Catalog>> c = Catalog::Load(FileSystem::Disk(), root);
  if (!c.ok()) {
    Error(c.status().message());
    return nullptr;
  }
  return std::move(c).value();
}

void CommandContext::Error(const std::string& message) const {
  err << "shindan: エラー / error:\n" << message << "\n";
}

void AddCommonOptions(CLI::App& app, CommandContext& ctx, std::string* lang_text) {
  app.add_option("--lang", *lang_text, "表示言語 / language: ja or en")->check(CLI::IsMember({"ja", "en"}));
  app.add_option("--data-dir", ctx.data_dir, "instruments/ と data/ の場所 / folder holding instruments/ and data/");
}

int ParseArgs(CLI::App& app, CommandContext& ctx, std::vector<std::string> args, const std::string& lang_text) {
  std::reverse(args.begin(), args.end());  // CLI11 consumes a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    ctx.out << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    ctx.err << "shindan " << app.get_name() << ": " << e.what() << "\n"
            << (ctx.lang == Lang::kJa ? "使い方は --help で表示します。" : "Run with --help for usage.") << "\n";
    return kExitBadInput;
  }
  if (!lang_text.empty()) ctx.lang = *ParseLang(lang_text);
  return -1;
}

namespace {

void PrintUsage(std::ostream& out) {
  out << "shindan — 中小企業の情報セキュリティ自社診断と調査 / information-security self-diagnosis and surveys for SMEs\n\n"
      << "使い方 / usage: shindan [--lang ja|en] [--data-dir DIR] COMMAND [options]\n\n"
      << "コマンド / commands:\n";
  for (const Command& c : Commands()) {
    std::string name = c.name;
    out << "  " << name << std::string(name.size() < 13 ? 13 - name.size() : 1, ' ') << c.summary_ja << " / "
        << c.summary_en << "\n";
  }
  out << "\n各コマンドの詳細 / details: shindan COMMAND --help\n";
}

}  // namespace

int RunCli(std::vector<std::string> args, CommandContext& ctx) {
  // Options before the command apply to it: shindan --lang en score …
  size_t i = 0;
  std::vector<std::string> forwarded;
  while (i < args.size() && args[i].rfind("--", 0) == 0) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      PrintUsage(ctx.out);
      return kExitOk;
    }
    if (a == "--version") {
      ctx.out << "shindan " << SHINDAN_VERSION << "\n";
      return kExitOk;
    }
    if ((a == "--lang" || a == "--data-dir") && i + 1 < args.size()) {
      forwarded.push_back(a);
      forwarded.push_back(args[i + 1]);
      i += 2;
      continue;
    }
    if (a.rfind("--lang=", 0) == 0 || a.rfind("--data-dir=", 0) == 0) {
      forwarded.push_back(a);
      ++i;
      continue;
    }
    break;
  }
  if (i >= args.size()) {
    PrintUsage(ctx.out);
    return kExitBadInput;
  }
  const std::string name = args[i];
  if (name == "help") {
    PrintUsage(ctx.out);
    return kExitOk;
  }
  for (const Command& c : Commands()) {
    if (name == c.name) {
      std::vector<std::string> rest(forwarded);
      rest.insert(rest.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      return c.run(ctx, rest);
    }
  }
  ctx.err << "shindan: 不明なコマンド / unknown command '" << name << "'\n\n";
  PrintUsage(ctx.err);
  return kExitBadInput;
}

}  // namespace shindan
