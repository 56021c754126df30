// shindan instruments [--validate PATH]
#include <CLI/CLI.hpp>

#include <ostream>

#include "base/file.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "instrument/loader.h"

namespace shindan {

int RunInstruments(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app("診断票を一覧表示し、ファイルを検証します / Lists the instruments, or validates instrument files.",
               "instruments");
  std::string validate, lang;
  app.add_option("--validate", validate, "検証するファイルまたはフォルダ / instrument file or folder to validate");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  const FileSystem& fs = FileSystem::Disk();
  if (!validate.empty()) {
    std::vector<std::string> files;
    if (fs.IsDirectory(validate)) {
      Result<std::vector<std::string>> listed = fs.ListFiles(validate, ".json");
      if (!listed.ok()) {
        ctx.Error(listed.status().message());
        return kExitFailure;
      }
      files = *listed;
    } else {
      files.push_back(validate);
    }
    int bad = 0;
    bool unreadable = false;  // a file that cannot be read is exit 1, as everywhere
    for (const std::string& f : files) {
      Result<Instrument> ins = LoadInstrument(fs, f);
      if (ins.ok()) {
        ctx.out << "OK  " << f << "  (" << ins->id << " " << ins->version << ", " << ins->items.size() << " items)\n";
      } else {
        ++bad;
        unreadable = unreadable || ins.status().code() == Status::Code::kIoError;
        ctx.err << "NG  " << ins.status().message() << "\n";
      }
    }
    if (files.empty()) {
      ctx.Error(validate + ": no *.json files");
      return kExitBadInput;
    }
    if (unreadable) return kExitFailure;
    return bad ? kExitBadInput : kExitOk;
  }

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  const bool ja = ctx.lang == Lang::kJa;
  ctx.out << (ja ? "ID / 版 / 項目数 / 採点 / 名称\n" : "id / version / items / scoring / title\n");
  for (const Instrument& ins : catalog->instruments()) {
    std::string scoring = "-";
    if (ins.scoring.method == Scoring::Method::kPoints) {
      scoring = std::to_string(ins.scoring.max) + (ja ? "点満点・合格" : " points, pass ") + std::to_string(ins.scoring.pass_mark);
    } else if (ins.scoring.method == Scoring::Method::kCount) {
      scoring = ja ? "実施数" : "count";
    }
    ctx.out << ins.id << "  " << ins.version << "  " << ins.items.size() << "  " << scoring << "  "
            << ins.title.in(ctx.lang) << "\n";
  }
  return kExitOk;
}

}  // namespace shindan
