// shindan take [-o FILE] [--instrument ID]: the 5-minute questionnaire in the terminal.
//
// It reads one answer per line, so the same code serves a person at a terminal and a script
// piping answers in (which is how it is tested). A bad answer is explained and asked again.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <istream>
#include <ostream>

#include "base/file.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/result_text.h"
#include "diagnosis/diagnosis.h"

namespace shindan {

namespace {

// Asks the questions of one instrument and keeps the raw answers.
class Interview {
 public:
  Interview(CommandContext& ctx, const Catalog& catalog) : ctx_(ctx), catalog_(catalog) {}

  // Returns false when the input ended before a required answer.
  bool Ask(const Instrument& ins, std::map<std::string, std::string>* answers) {
    const AnswerParser& parser = catalog_.ParserFor(ins);
    std::string last_instruction;
    int index = 0;
    for (const Item& item : ins.items) {
      ++index;
      if (!item.instruction.empty() && item.instruction != last_instruction) {
        last_instruction = item.instruction;
        ctx_.out << "\n" << ins.FindInstruction(item.instruction)->text.in(lang()) << "\n";
      }
      std::optional<std::string> value = AskItem(ins, item, parser, index);
      if (!value) {
        if (!item.required) continue;
        ended_at_ = item.id;
        return false;
      }
      if (!value->empty()) (*answers)[item.id] = *value;
    }
    return true;
  }

  const std::string& ended_at() const { return ended_at_; }

 private:
  Lang lang() const { return ctx_.lang; }

  // Returns the canonical answer, "" for a skipped optional item, nullopt at the end of input.
  std::optional<std::string> AskItem(const Instrument& ins, const Item& item, const AnswerParser& parser, int index) {
    const std::vector<const AnswerOption*> options = ins.OptionsFor(item);
    ctx_.out << "\n[" << index << "/" << ins.items.size() << "] ";
    if (const Section* s = ins.FindSection(item.section)) ctx_.out << s->label.in(lang());
    if (!item.number.empty()) ctx_.out << " No." << item.number;
    ctx_.out << "\n  " << item.text.in(lang()) << "\n";
    if (item.objective && item.example) {
      ctx_.out << "    " << T(lang(), "目的", "Objective") << ": " << item.objective->in(lang()) << "\n"
               << "    " << T(lang(), "実施例", "Example") << ": " << item.example->in(lang()) << "\n";
    }
    for (const std::string& note_id : item.notes) {
      if (const Note* n = ins.FindNote(note_id)) ctx_.out << "    " << n->id << " " << n->text.in(lang()) << "\n";
    }
    if (item.help) ctx_.out << "    " << item.help->in(lang()) << "\n";
    if (item.type == ItemType::kChoice || item.type == ItemType::kMulti) {
      for (size_t i = 0; i < options.size(); ++i) {
        ctx_.out << "    " << i + 1 << ") " << options[i]->label.in(lang());
        if (ins.not_applicable && options[i]->code == ins.not_applicable->code && !item.applies_if.empty()) {
          if (const Condition* c = ins.FindCondition(item.applies_if)) {
            ctx_.out << T(lang(), "（次の問いが「いいえ」の場合: ", " (when the answer to this is no: ") << c->question.in(lang()) << T(lang(), "）", ")");
          }
        }
        ctx_.out << "\n";
      }
      if (item.type == ItemType::kMulti) ctx_.out << "    " << T(lang(), "複数選択は 1,2 のように区切ってください", "Separate several answers like 1,2") << "\n";
    } else if (item.type == ItemType::kBoolean) {
      ctx_.out << "    1) " << T(lang(), "はい", "yes") << "  2) " << T(lang(), "いいえ", "no") << "\n";
    }
    while (true) {
      ctx_.out << (item.required ? "> " : T(lang(), "> (Enterで省略) ", "> (Enter to skip) ")) << std::flush;
      std::string line;
      if (!std::getline(ctx_.in, line)) {
        ctx_.out << "\n";
        return std::nullopt;
      }
      if (!ctx_.interactive) ctx_.out << line << "\n";  // echo piped answers so the transcript reads well
      std::string raw = NormalizeInput(line);
      if (raw.empty()) {
        if (!item.required) return std::string();
        ctx_.out << "  " << T(lang(), "回答してください。", "Please answer.") << "\n";
        continue;
      }
      raw = NumbersToOptions(item, options, raw);
      Result<std::string> value = parser.Parse(item, raw);
      if (value.ok()) return *value;
      ctx_.out << "  " << T(lang(), "入力を確認してください: ", "Please check: ") << value.status().message() << "\n";
    }
  }

  // "2" → the second option's code; "1,3" → two codes for multi items.
  static std::string NumbersToOptions(const Item& item, const std::vector<const AnswerOption*>& options,
                                      const std::string& raw) {
    if (item.type == ItemType::kBoolean) {
      if (raw == "1") return "yes";
      if (raw == "2") return "no";
      return raw;
    }
    if (item.type != ItemType::kChoice && item.type != ItemType::kMulti) return raw;
    std::string out;
    for (const std::string& part : SplitList(raw, {",", ";", "、", " "})) {
      bool digits = !part.empty() && part.size() < 4 && std::all_of(part.begin(), part.end(), ::isdigit);
      size_t n = digits ? std::stoul(part) : 0;
      std::string code = (n >= 1 && n <= options.size()) ? options[n - 1]->code : part;
      out += (out.empty() ? "" : ";") + code;
    }
    return out;
  }

  CommandContext& ctx_;
  const Catalog& catalog_;
  std::string ended_at_;
};

}  // namespace

int RunTake(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app("端末で自社診断に回答し、結果と対策を表示します / Answer the self-check in the terminal and get the result and advice.",
               "take");
  std::string output, lang, instrument = "self-check-2009";
  app.add_option("-o,--output", output, "回答を JSON シートとして保存 / save the answers as a JSON sheet (for score and import)");
  app.add_option("--instrument", instrument, "回答する診断票 / instrument to answer (default self-check-2009)");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;

  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  const Instrument* ins = catalog->Find(instrument);
  if (!ins || ins->scoring.method != Scoring::Method::kPoints) {
    ctx.Error("--instrument '" + instrument + "' — expected an instrument scored by points, e.g. self-check-2009");
    return kExitBadInput;
  }
  const Lang l = ctx.lang;
  ctx.out << "══ " << ins->title.in(l) << " ══\n"
          << T(l, "経営者または管理者の方がご記入ください。番号、または回答の言葉で答えてください。",
               "For the owner or a manager. Answer with the number or the words of an answer.")
          << "\n\n── " << catalog->profile().title.in(l) << " ──\n";

  Interview interview(ctx, *catalog);
  RawResponse raw;
  raw.file = T(l, "入力", "input");
  auto ended = [&] {
    ctx.Error(std::string("入力が途中で終わりました（") + interview.ended_at() + " の回答待ち） / input ended while waiting for " +
              interview.ended_at());
    return kExitBadInput;
  };
  if (!interview.Ask(catalog->profile(), &raw.profile)) return ended();
  ctx.out << "\n── " << ins->title.in(l) << " ──\n";
  if (!interview.Ask(*ins, &raw.answers)) return ended();

  Result<Response> response = ValidateResponse(*catalog, raw, {instrument, false});
  if (!response.ok()) {
    ctx.Error(response.status().message());
    return kExitBadInput;
  }
  std::unique_ptr<Diagnosis> d = Diagnose(*catalog, *response, instrument);

  // The organisational checklist is the next step for a company at 70 or more (seed 図1).
  const Instrument* org = catalog->Find("org-checklist-2009");
  if (d->score.passed && org) {
    ctx.out << "\n" << T(l, "合格ラインに達しました。続けて「", "You reached the pass mark. Answer the \"")
            << org->title.in(l) << T(l, "」に回答しますか？ (はい/いいえ)", "\" too? (yes/no)") << "\n> " << std::flush;
    std::string line;
    if (std::getline(ctx.in, line)) {
      if (!ctx.interactive) ctx.out << line << "\n";
      if (ParseBoolean(NormalizeInput(line)).value_or(false)) {
        if (!interview.Ask(*org, &raw.answers)) return ended();
        response = ValidateResponse(*catalog, raw, {instrument, false});
        if (!response.ok()) {
          ctx.Error(response.status().message());
          return kExitBadInput;
        }
        d = Diagnose(*catalog, *response, instrument);
      }
    }
  }

  PrintDiagnosis(ctx.out, l, *catalog, *d);
  if (!output.empty()) {
    nlohmann::json sheet = {{"instrument", instrument}, {"profile", response->profile}};
    nlohmann::json answers = nlohmann::json::object();
    for (const auto& [id, a] : response->answers) {
      for (const auto& [item, code] : a) answers[item] = code;
    }
    sheet["answers"] = answers;
    Status s = FileSystem::Disk().WriteFile(output, sheet.dump(2) + "\n");
    if (!s.ok()) {
      ctx.Error(s.message());
      return kExitFailure;
    }
    ctx.out << T(l, "回答を保存しました: ", "Answers saved to ") << output << "\n";
  }
  return kExitOk;
}

}  // namespace shindan
