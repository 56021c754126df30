// shindan report [--db URL] [--survey NAME | --input FILE] --format html|md|csv|xlsx|json [-o PATH]
//                [--lang ja|en] [--min-cell K] [--detect POINTS] [--frame FILE]
//                [--design FILE [--invited FILE]] [--timings]
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <ostream>

#include "analytics/aggregate.h"
#include "base/file.h"
#include "base/problems.h"
#include "catalog/catalog.h"
#include "cli/command.h"
#include "cli/db_options.h"
#include "cli/read_text.h"
#include "cli/stored_survey.h"
#include "report/html.h"
#include "report/markdown.h"
#include "report/report.h"
#include "analytics/column_copy.h"
#include "analytics/survey_source.h"
#include "report/tabular.h"
#include "stats/allocation.h"
#include "stats/estimate.h"
#include "stats/frame.h"

namespace shindan {

namespace {

// Wall-clock phases, printed to standard error with --timings as `timing: PHASE SECONDS` (the
// benchmarks read them).
class PhaseTimer {
 public:
  PhaseTimer(std::ostream& err, bool on) : err_(err), on_(on), start_(Clock::now()) {}
  void Done(const char* phase) {
    Clock::time_point now = Clock::now();
    if (on_) err_ << "timing: " << phase << " " << std::chrono::duration<double>(now - start_).count() << "\n";
    start_ = now;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  bool on_;
  Clock::time_point start_;
};

// Writes `bytes` to `output`, or to standard output when it is empty.
int Emit(CommandContext& ctx, const std::string& output, const std::string& bytes) {
  if (output.empty()) {
    ctx.out << bytes;
    return kExitOk;
  }
  if (Status s = FileSystem::Disk().WriteFile(output, bytes); !s.ok()) {
    ctx.Error(s.message());
    return kExitFailure;
  }
  return kExitOk;
}

// One CSV file per table in the folder `output` (made if missing).
int EmitCsvFolder(CommandContext& ctx, const std::string& output, const std::vector<OutputFile>& files) {
  std::error_code ec;
  std::filesystem::create_directories(output, ec);
  if (ec || !std::filesystem::is_directory(output)) {
    ctx.Error("-o " + output + ": cannot make the folder (" + ec.message() + ") — expected a folder for the CSV files");
    return kExitFailure;
  }
  for (const OutputFile& f : files) {
    if (Status s = FileSystem::Disk().WriteFile((std::filesystem::path(output) / f.name).string(), f.bytes); !s.ok()) {
      ctx.Error(s.message());
      return kExitFailure;
    }
  }
  return kExitOk;
}

// Companies invited per design cell: the rows of a CSV with a `cell` column (the output of
// `shindan sample`, or the list actually sent), each naming a cell of `design`. `text` is the file
// as UTF-8; `file` names it in messages.
Result<std::map<std::string, int64_t>> CountInvited(const std::string& text, const std::string& file, const SampleDesign& design) {
  Result<DataTable> table = ReadDataTable(text, file);
  if (!table.ok()) return table.status();
  Result<size_t> column = table->Column("cell");
  if (!column.ok()) return column.status();
  std::map<std::string, int64_t> counts;
  for (const DesignCell& cell : design.cells) counts[cell.label] = 0;
  for (size_t r = 0; r < table->rows.size(); ++r) {
    auto it = counts.find(table->rows[r][*column]);
    if (it == counts.end()) {
      return Status::InvalidInput(table->Where(r, *column) + ": " + Echo(table->rows[r][*column]) + " — expected a cell of " +
                                  design.id + (design.cells.empty() ? "" : " (" + design.cells.front().label + ", …)"));
    }
    ++it->second;
  }
  return counts;
}

}  // namespace

int RunReport(CommandContext& ctx, std::vector<std::string> args) {
  CLI::App app("調査の集計表（本文の表4〜10と付録A）を作ります / Makes the survey report (the seed's tables 4–10 and 付録A).",
               "report");
  std::string input, output, lang, format, db = kDefaultStoreUrl, survey = "default";
  int min_cell = 0;
  double detect = 0;
  std::string frame_file, design_file, invited_file;
  bool timings = false;
  AddDbOption(app, &db);
  AddSurveyOption(app, &survey);
  app.add_option("--input", input,
                 "データベースの代わりに回答ファイル（取込形式の CSV または JSON Lines）を集計 / report on a file in the import "
                 "layout instead of the database");
  app.add_option("--format", format, "出力形式 / output format: html, md, csv, xlsx or json")
      ->required()
      ->check(CLI::IsMember({"html", "md", "csv", "xlsx", "json"}));
  app.add_option("-o,--output", output,
                 "出力先（csv はフォルダ、xlsx は必須、他は省略時に標準出力）/ output path (a folder for csv; required for xlsx; "
                 "else standard output when omitted)");
  app.add_option("--min-cell", min_cell, "回答数が K 未満の数値を伏せる / suppress figures drawn from fewer than K respondents")
      ->check(CLI::NonNegativeNumber);
  CLI::Option* detect_option = app.add_option("--detect", detect,
                 "2群の平均点の差 POINTS 点を検出するのに要る社数を示す / companies needed to detect a difference of POINTS in "
                 "mean totals between two groups")
      ->check(CLI::PositiveNumber);
  app.add_option("--frame", frame_file,
                 "母集団の企業数（表1の形の CSV）で重み付けた推計を加える（--survey では省くと調査に付けた枠）/ add "
                 "population estimates weighted by a frame (a CSV laid out as the seed's 表1; with --survey, by default the "
                 "survey's attached frame, shindan frame attach)");
  app.add_option("--design", design_file,
                 "抽出設計（shindan design の形）のセル別に回収状況を加える / add quota tracking per cell of a sample design");
  app.add_option("--invited", invited_file,
                 "依頼した企業の一覧（cell 列のある CSV、shindan sample の出力など）/ the companies invited: a CSV with a cell "
                 "column, such as the output of shindan sample");
  app.add_flag("--timings", timings, "処理時間を標準エラーに出力 / print the time of each phase to standard error");
  AddCommonOptions(app, ctx, &lang);
  if (int code = ParseArgs(app, ctx, args, lang); code >= 0) return code;
  if ((format == "csv" || format == "xlsx") && output.empty()) {
    ctx.Error("--format " + format + " needs -o PATH — expected " +
              (format == "csv" ? std::string("a folder for the CSV files") : std::string("the .xlsx file to write")));
    return kExitBadInput;
  }

  PhaseTimer timer(ctx.err, timings);
  std::unique_ptr<Catalog> catalog = ctx.LoadCatalog();
  if (!catalog) return kExitFailure;
  if (!invited_file.empty() && design_file.empty()) {
    ctx.Error("--invited " + invited_file + " — expected it with --design FILE (the design whose cells it counts)");
    return kExitBadInput;
  }
  std::optional<SampleDesign> design;
  std::map<std::string, int64_t> invited;
  if (!design_file.empty()) {
    int exit_code = kExitOk;
    design = ReadParsed(ctx, design_file, &exit_code,
                        [&](const std::string& contents) { return ParseSampleDesign(contents, design_file); });
    if (!design) return exit_code;
    if (!invited_file.empty()) {
      std::optional<std::map<std::string, int64_t>> counted =
          ReadParsed(ctx, invited_file, &exit_code,
                     [&](const std::string& contents) { return CountInvited(contents, invited_file, *design); });
      if (!counted) return exit_code;
      invited = std::move(counted).value();
    }
  }
  std::optional<StoredSurvey> stored;
  if (input.empty()) {
    int exit_code = kExitOk;
    stored = OpenStoredSurvey(ctx, db, survey, &exit_code);
    if (!stored) return exit_code;
  }
  // --frame FILE, else a stored survey's own frame (`shindan frame attach`), else none.
  int frame_exit = kExitOk;
  std::optional<Frame> frame = FrameOfSurvey(ctx, *catalog, stored ? &*stored : nullptr, frame_file, &frame_exit);
  if (frame_exit != kExitOk) return frame_exit;
  ImportOptions import;
  import.file = input;
  Result<std::unique_ptr<Snapshot>> snapshot =
      stored ? SnapshotForReport(*catalog, *stored->store, [&] { return Store::Open(db); }, stored->id) : SnapshotFromFile(*catalog, input, import);
  std::vector<InterviewNote> notes;
  if (stored && snapshot.ok()) {
    Result<std::vector<InterviewNote>> listed = stored->store->ListInterviewNotes(stored->id);
    if (!listed.ok()) {
      ctx.Error(listed.status().message());
      return ExitCodeFor(listed.status());
    }
    notes = std::move(listed).value();
  }
  const std::string title = stored ? survey : std::filesystem::path(input).filename().string();
  if (!snapshot.ok()) {
    ctx.Error(snapshot.status().message());
    return ExitCodeFor(snapshot.status());
  }
  timer.Done("load");
  AggregateState state = Aggregate(**snapshot, 2);
  timer.Done("aggregate");

  ReportOptions options;
  options.min_cell = min_cell;
  options.survey = title;
  if (detect_option->count()) options.detect_points = detect;
  if (frame) options.frame = &*frame;
  if (stored) options.notes = &notes;
  if (design) options.design = &*design;
  if (!invited_file.empty()) options.invited = &invited;
  int code = kExitOk;
  if (format == "json") {
    std::string doc = ReportJson(*catalog, **snapshot, state, options) + "\n";
    timer.Done("render");
    code = Emit(ctx, output, doc);
  } else {
    options.generated = FormatTimestamp(std::chrono::system_clock::now());
    ReportDocument doc = BuildReportDocument(*catalog, **snapshot, state, options);
    if (format == "md") {
      std::string md = RenderMarkdown(doc, ctx.lang);
      timer.Done("render");
      code = Emit(ctx, output, md);
    } else if (format == "html") {
      std::string html = RenderHtml(doc, ctx.lang);
      timer.Done("render");
      code = Emit(ctx, output, html);
    } else if (format == "csv") {
      std::vector<OutputFile> files = RenderCsv(doc, ctx.lang);
      timer.Done("render");
      code = EmitCsvFolder(ctx, output, files);
    } else {
      if (Status s = WriteXlsx(doc, ctx.lang, output); !s.ok()) {
        ctx.Error(s.message());
        return ExitCodeFor(s);
      }
      timer.Done("render");
    }
  }
  timer.Done("write");
  return code;
}

}  // namespace shindan
