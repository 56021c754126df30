// shindan notes [--db URL] [--survey NAME] FILE
// Interview notes (exchange/notes.h), all or nothing.
#include <CLI/CLI.hpp>

#include <ostream>

#include "base/file.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/stored_survey.h"
#include "exchange/notes.h"

namespace shindan {

int RunNotes(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "ヒアリングのコメント（company_id,topic,tags,note の CSV）を調査に取り込みます / Imports interview notes (a CSV of "
      "company_id,topic,tags,note) into a survey.",
      "notes");
  std::string file, lang, db = kDefaultStoreUrl, survey = "default";
  app.add_option("FILE", file, "コメントの CSV / the notes CSV")->required();
  app.add_option("--db", db, "データベース（既定 ./shindan.db、sqlite:PATH、postgresql://…）/ database URL (default ./shindan.db)");
  app.add_option("--survey", survey, "調査名（既定 default）/ survey (default \"default\")");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  const Instrument* hearing = catalog->Find(kHearingInstrument);
  if (!hearing) {
    ctx.Error(std::string("the catalog has no instrument ") + kHearingInstrument);
    return kExitFailure;
  }
  Result<std::string> bytes = FileSystem::Disk().ReadFile(file);
  if (!bytes.ok()) {
    ctx.Error(bytes.status().message());
    return kExitFailure;
  }
  Result<std::vector<InterviewNote>> notes = ParseInterviewNotes(*bytes, file, *hearing);
  if (!notes.ok()) {
    ctx.Error(notes.status().message() + "\n取り込みを中止しました。データベースは変更していません / nothing was imported; the database is unchanged");
    return kExitBadInput;
  }
  int exit_code = kExitOk;
  std::optional<StoredSurvey> opened = OpenStoredSurvey(ctx, db, survey, &exit_code);
  if (!opened) return exit_code;
  if (Status s = opened->store->AddInterviewNotes(opened->id, *notes); !s.ok()) {
    ctx.Error(s.message() + "\n取り込みを中止しました。データベースは変更していません / nothing was imported; the database is unchanged");
    return s.code() == Status::Code::kNotFound ? kExitBadInput : ExitCodeFor(s);
  }
  AuditEntry audit;
  audit.actor = "cli";
  audit.action = "notes";
  audit.subject = "survey:" + survey;
  audit.detail = file + ": " + std::to_string(notes->size()) + " notes";
  if (Status s = opened->store->Audit(audit); !s.ok()) {
    ctx.Error(s.message());
    return ExitCodeFor(s);
  }
  ctx.out << "調査「" << survey << "」にヒアリングのコメント " << notes->size() << " 件を取り込みました / imported "
          << notes->size() << " interview notes into survey " << survey << "\n";
  return kExitOk;
}

}  // namespace shindan
