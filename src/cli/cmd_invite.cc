// shindan invite [--db URL] --survey NAME (--new N | --companies FILE) --base-url URL [-o FILE] [--expires DAYS]
// shindan invite [--db URL] --revoke TOKEN|LINK
// shindan invite [--db URL] --survey NAME --revoke --company KEY
#include <CLI/CLI.hpp>

#include <ostream>

#include "base/file.h"
#include "cli/read_text.h"
#include "cli/stored_survey.h"
#include "cli/command.h"
#include "cli/db_options.h"
#include "stats/estimate.h"
#include "store/password.h"
#include "web/invitations.h"

namespace shindan {

namespace {

// The companies of an invitation list: company_id (required), name and e-mail when there.
Result<std::vector<web::Invitee>> ReadInvitees(const std::string& text, const std::string& file) {
  Result<DataTable> table = ReadDataTable(text, file);
  if (!table.ok()) return table.status();
  Result<size_t> id = table->Column("company_id");
  if (!id.ok()) return id.status();
  auto optional_column = [&](std::initializer_list<const char*> names) -> std::optional<size_t> {
    for (const char* n : names) {
      for (size_t i = 0; i < table->header.size(); ++i) {
        if (table->header[i] == n) return i;
      }
    }
    return std::nullopt;
  };
  const std::optional<size_t> name = optional_column({"name", "company_name", "会社名", "企業名"});
  const std::optional<size_t> email = optional_column({"email", "e-mail", "mail", "メールアドレス"});
  std::vector<web::Invitee> out;
  for (size_t r = 0; r < table->rows.size(); ++r) {
    const std::vector<std::string>& row = table->rows[r];
    if (TrimAscii(row[*id]).empty()) {
      return Status::InvalidInput(table->Where(r, *id) + ": company_id is empty — expected the company's id");
    }
    out.push_back({std::string(TrimAscii(row[*id])), name ? row[*name] : "", email ? row[*email] : ""});
  }
  if (out.empty()) return Status::InvalidInput(file + ": no companies — expected a header and one row per company");
  return out;
}

// The token of `--revoke`: the token itself, or the whole link as the mail-merge file has it.
std::string TokenOfLinkOrToken(const std::string& given) {
  const size_t r = given.rfind("/r/");
  if (r == std::string::npos) return given;
  const std::string rest = given.substr(r + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

}  // namespace

int RunInvite(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app(
      "回答の招待リンクを作る・取り消す / Creates invitation links to answer a survey, or revokes them. The link works "
      "while `shindan serve` runs on the same database.",
      "invite");
  std::string lang, db = kDefaultStoreUrl, survey, companies, base_url, output, revoke, company;
  long long count = 0;
  int expires = web::kDefaultInvitationDays;
  AddDbOption(app, &db);
  AddSurveyOption(app, &survey);
  app.add_option("--new", count, "企業を特定しないリンクを N 件 / N open links (the respondent gives the profile)");
  app.add_option("--companies", companies, "企業リスト CSV（company_id, name, email）/ company list (company_id, name, email)");
  app.add_option("--base-url", base_url, "リンクの先頭（例 https://survey.example.jp）/ the server's address as respondents reach it");
  app.add_option("-o,--output", output, "差し込み印刷用 CSV（UTF-8 BOM 付き）/ mail-merge CSV (UTF-8 with BOM)");
  app.add_option("--expires", expires, "有効日数（既定 90）/ days until the links expire (default 90)");
  app.add_option("--revoke", revoke, "招待を取り消す（TOKEN かリンク、または --company KEY）/ revoke a token or link, or with --company every link of a company")
      ->expected(0, 1);
  app.add_option("--company", company, "--revoke と共に: 企業の company_id / with --revoke: the company's id");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  if (app.count("--revoke")) {
    if (revoke.empty() == company.empty()) {
      ctx.Error("--revoke — expected a token (--revoke TOKEN) or a company (--revoke --company KEY --survey NAME)");
      return kExitBadInput;
    }
    int exit_code = 0;
    if (!company.empty()) {
      if (survey.empty()) {
        ctx.Error("--company — expected --survey NAME too");
        return kExitBadInput;
      }
      std::optional<StoredSurvey> opened = OpenStoredSurvey(ctx, db, survey, &exit_code);
      if (!opened) return exit_code;
      Result<int> n = opened->store->RevokeCompanyInvitations(opened->id, company);
      if (!n.ok()) {
        ctx.Error(n.status().message());
        return ExitCodeFor(n.status());
      }
      opened->store->Audit({0, "", "cli", "revoke", "survey:" + survey, "company " + company});
      ctx.out << "企業 " << company << " の招待 " << *n << " 件を取り消しました / revoked " << *n << " invitation(s) of company "
              << company << "\n";
      return kExitOk;
    }
    Result<std::unique_ptr<Store>> store = Store::Open(db);
    if (!store.ok()) {
      ctx.Error(store.status().message());
      return ExitCodeFor(store.status());
    }
    Result<int> n = (*store)->RevokeInvitation(HashToken(TokenOfLinkOrToken(revoke)));
    if (!n.ok()) {
      ctx.Error(n.status().message());
      return ExitCodeFor(n.status());
    }
    if (*n == 0) {
      ctx.Error("--revoke: no usable invitation has this token — expected a token printed by shindan invite");
      return kExitBadInput;
    }
    (*store)->Audit({0, "", "cli", "revoke", "invitation", "one token"});
    ctx.out << "招待を取り消しました / revoked 1 invitation\n";
    return kExitOk;
  }

  if (survey.empty()) {
    ctx.Error("--survey — expected the survey's name");
    return kExitBadInput;
  }
  if ((count > 0) == !companies.empty()) {
    ctx.Error("expected either --new N (N from 1) or --companies FILE");
    return kExitBadInput;
  }
  if (count < 0 || count > 100000) {
    ctx.Error("--new " + std::to_string(count) + " — expected a number from 1 to 100000");
    return kExitBadInput;
  }
  if (base_url.rfind("http://", 0) != 0 && base_url.rfind("https://", 0) != 0) {
    ctx.Error("--base-url '" + base_url + "' — expected the server's address, e.g. https://survey.example.jp");
    return kExitBadInput;
  }
  if (expires < 1 || expires > 3650) {
    ctx.Error("--expires " + std::to_string(expires) + " — expected a number of days from 1 to 3650");
    return kExitBadInput;
  }
  std::vector<web::Invitee> invitees;
  if (!companies.empty()) {
    int exit_code = 0;
    std::optional<std::vector<web::Invitee>> read = ReadParsed(
        ctx, companies, &exit_code, [&](const std::string& contents) { return ReadInvitees(contents, companies); });
    if (!read) return exit_code;
    invitees = std::move(read).value();
  } else {
    invitees.resize(static_cast<size_t>(count));
  }
  Result<std::unique_ptr<Store>> store = Store::Open(db);
  if (!store.ok()) {
    ctx.Error(store.status().message());
    return ExitCodeFor(store.status());
  }
  Result<int64_t> survey_id = (*store)->EnsureSurvey(survey);
  if (!survey_id.ok()) {
    ctx.Error(survey_id.status().message());
    return ExitCodeFor(survey_id.status());
  }
  Result<std::vector<web::IssuedInvitation>> issued = web::IssueInvitations(**store, *survey_id, invitees, expires, base_url);
  if (!issued.ok()) {
    ctx.Error(issued.status().message());
    return ExitCodeFor(issued.status());
  }
  (*store)->Audit({0, "", "cli", "invite", "survey:" + survey, std::to_string(issued->size()) + " invitation(s)"});
  if (!output.empty()) {
    if (Status s = FileSystem::Disk().WriteFile(output, web::MailMergeCsv(*issued)); !s.ok()) {
      ctx.Error(s.message());
      return kExitFailure;
    }
    ctx.err << issued->size() << " 件の招待を " << output << " に書きました / wrote " << issued->size() << " invitation(s) to "
            << output << "\n";
    return kExitOk;
  }
  for (const web::IssuedInvitation& i : *issued) ctx.out << i.link << "\n";
  return kExitOk;
}

}  // namespace shindan
