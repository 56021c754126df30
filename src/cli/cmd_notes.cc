// shindan notes [--db URL] [--survey NAME] FILE
// Interview notes (exchange/notes.h), all or nothing.
#include <CLI/CLI.hpp>

#include <map>
#include <ostream>

#include "base/file.h"
#include "base/problems.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/db_options.h"
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
  AddDbOption(app, &db);
  AddSurveyOption(app, &survey);
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
  std::vector<int> lines;
  Result<std::vector<InterviewNote>> notes = ParseInterviewNotes(*bytes, file, *hearing, &lines);
  if (!notes.ok()) {
    ctx.Error(notes.status().message() + "\n取り込みを中止しました。データベースは変更していません / nothing was imported; the database is unchanged");
    return kExitBadInput;
  }
  int exit_code = kExitOk;
  std::optional<StoredSurvey> opened = OpenStoredSurvey(ctx, db, survey, &exit_code);
  if (!opened) return exit_code;
  // A company the survey does not have is named by FILE:LINE, as every other bad cell.
  ProblemList unknown;
  std::map<std::string, bool> known;
  for (size_t i = 0; i < notes->size(); ++i) {
    const std::string& key = (*notes)[i].company_key;
    auto it = known.find(key);
    if (it == known.end()) {
      Result<std::vector<CompanyRecord>> history = opened->store->History(opened->id, key);
      if (!history.ok()) {
        ctx.Error(history.status().message());
        return ExitCodeFor(history.status());
      }
      it = known.emplace(key, !history->empty()).first;
    }
    if (!it->second) {
      unknown.Add(file + ":" + std::to_string(lines[i]) + ":company_id: " + Echo(key) + " — expected the company_id of a company in survey " +
                  survey);
    }
  }
  if (!unknown.empty()) {
    ctx.Error(unknown.Render() + "\n取り込みを中止しました。データベースは変更していません / nothing was imported; the database is unchanged");
    return kExitBadInput;
  }
  if (Status s = opened->store->AddInterviewNotes(opened->id, *notes); !s.ok()) {
    ctx.Error(s.message() + "\n取り込みを中止しました。データベースは変更していません / nothing was imported; the database is unchanged");
    return ExitCodeFor(s);
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
