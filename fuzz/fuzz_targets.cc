#include "fuzz/fuzz_targets.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/csv.h"
#include "base/file.h"
#include "base/json_reader.h"
#include "base/problems.h"
#include "base/text.h"
#include "catalog/catalog.h"
#include "exchange/import.h"
#include "exchange/notes.h"
#include "exchange/response.h"
#include "instrument/loader.h"
#include "stats/allocation.h"
#include "stats/estimate.h"
#include "stats/frame.h"
#include "web/http.h"
#include "web/routes.h"

namespace shindan::fuzz {

namespace {

std::string Bytes(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size < kMaxInput ? size : kMaxInput);
}

// Loaded once: the real instruments and reference data, so inputs exercise real validation.
const Catalog& TheCatalog() {
  static std::unique_ptr<Catalog> catalog = [] {
    Result<std::unique_ptr<Catalog>> c = Catalog::Load(FileSystem::Disk(), Catalog::FindRoot(""));
    if (!c.ok()) __builtin_trap();
    return std::move(c).value();
  }();
  return *catalog;
}

void Check(const Status& s) {
  if (!s.ok() && s.message().empty()) __builtin_trap();  // an error must say something
}

// A message is for people: it must not echo a huge input whole. Each line stays short enough
// (the echoed value is cut at kEchoLimit characters; the rest of a line is the place and what
// was expected).
void CheckShort(const Status& s) {
  Check(s);
  size_t line = 0;
  for (char c : s.message()) {
    line = c == '\n' ? 0 : line + 1;
    if (line > 4096) __builtin_trap();
  }
}

}  // namespace

void FuzzCsv(const uint8_t* data, size_t size) {
  std::string text = Bytes(data, size);
  CsvReader reader(text);
  std::vector<std::string> fields;
  size_t rows = 0;
  while (reader.Next(&fields)) {
    if (++rows > text.size() + 1) __builtin_trap();  // every record consumes input
    std::string line = CsvLine(fields, true);
    CsvReader again(line);
    std::vector<std::string> back;
    // What the writer writes, the reader reads back (modulo formula neutralisation).
    if (!again.Next(&back) || back.size() != fields.size()) {
      if (!(fields.size() == 1 && fields[0].empty())) __builtin_trap();
    }
  }
  Check(reader.status());
}

void FuzzInstrument(const uint8_t* data, size_t size) {
  Result<Instrument> ins = ParseInstrument(Bytes(data, size), "fuzz.json");
  if (!ins.ok()) Check(ins.status());
}

void FuzzSheet(const uint8_t* data, size_t size) {
  const Catalog& catalog = TheCatalog();
  MemoryFileSystem fs;
  fs.files["sheet"] = Bytes(data, size);
  Result<RawResponse> raw = ReadSheet(fs, "sheet", catalog, "self-check-2009");
  if (!raw.ok()) return Check(raw.status());
  Result<Response> r = ValidateResponse(catalog, *raw, {"self-check-2009", true});
  if (!r.ok()) Check(r.status());
}

void FuzzNotes(const uint8_t* data, size_t size) {
  const Instrument* hearing = TheCatalog().Find(kHearingInstrument);
  Result<std::vector<InterviewNote>> notes = ParseInterviewNotes(Bytes(data, size), "notes.csv", *hearing);
  if (!notes.ok()) return Check(notes.status());
  for (const InterviewNote& n : *notes) {
    if (n.company_key.empty() || n.topic.empty() || n.note.empty()) std::abort();  // a parsed note is complete
  }
}

void FuzzAnswers(const uint8_t* data, size_t size) {
  const Catalog& catalog = TheCatalog();
  std::string value = Bytes(data, size);
  if (TrimAscii(value).empty()) return;
  for (const Instrument* ins : {&catalog.profile(), catalog.Find("self-check-2009")}) {
    AnswerParser parser = catalog.ParserFor(*ins);
    for (const Item& item : ins->items) {
      Result<std::string> v = parser.Parse(item, value);
      if (!v.ok()) Check(v.status());
    }
  }
}

void FuzzEncoding(const uint8_t* data, size_t size) {
  std::string bytes = Bytes(data, size);
  for (Encoding e : {Encoding::kUtf8, Encoding::kShiftJis}) {
    Result<std::string> u = ToUtf8(bytes, e);
    if (!u.ok()) {
      Check(u.status());
      continue;
    }
    if (!IsValidUtf8(*u)) __builtin_trap();
    (void)NormalizeInput(*u);
    (void)DisplayWidth(*u);
    Result<std::string> back = FromUtf8(*u, Encoding::kShiftJis);
    if (!back.ok()) Check(back.status());
  }
}

void FuzzImport(const uint8_t* data, size_t size) {
  const Catalog& catalog = TheCatalog();
  const std::string bytes = Bytes(data, size);
  // The same file on the calling thread and on two threads with tiny chunks must give the same
  // report: the chunk boundaries (quotes, line feeds, Shift_JIS) must not change what is read.
  ImportOptions one;
  one.file = "fuzz.csv";
  one.threads = 0;
  one.max_problems = 20;
  ImportOptions many = one;
  many.threads = 2;
  many.chunk_bytes = 61;
  long long records_one = 0, records_many = 0;
  Result<ImportReport> a = ImportText(catalog, bytes, one, [&](const CompanyRecord& r) {
    if (r.company_key.empty()) __builtin_trap();  // a record handed over has its company
    ++records_one;
    return Status::Ok();
  });
  Result<ImportReport> b = ImportText(catalog, bytes, many, [&](const CompanyRecord&) {
    ++records_many;
    return Status::Ok();
  });
  if (a.ok() != b.ok()) __builtin_trap();
  if (!a.ok()) return CheckShort(a.status());
  if (a->problems.count() != b->problems.count() || a->rows != b->rows || records_one != records_many ||
      a->problems.kept() != b->problems.kept()) {
    if (std::getenv("SHINDAN_FUZZ_DEBUG")) {
      std::fprintf(stderr, "INPUT<<%s>>\nONE rows %lld records %lld\n%s\nMANY rows %lld records %lld\n%s\n", bytes.c_str(),
                   a->rows, records_one, a->problems.Render().c_str(), b->rows, records_many, b->problems.Render().c_str());
    }
    __builtin_trap();
  }
  // Rows before the first problem may have been handed over (the caller rolls back); a file with
  // problems lists at least one.
  if (!a->ok() && a->problems.kept().empty()) __builtin_trap();
  CheckShort(a->problems.ToStatus());
}

void FuzzFrame(const uint8_t* data, size_t size) {
  static const IndustryLookup lookup = IndustryLookupFor(TheCatalog().profile());
  Result<Frame> frame = ParseFrame(Bytes(data, size), "frame.csv", lookup);
  if (!frame.ok()) return CheckShort(frame.status());
  // A frame that reads allocates: proportional over its cells, as `shindan design` does.
  std::vector<int64_t> population;
  for (const FrameRow& r : frame->rows) {
    for (int64_t c : r.counts) {
      if (c < 0) __builtin_trap();  // counts are whole numbers ≥ 0
      if (c > 0) population.push_back(c);
    }
  }
  if (population.empty()) return;
  for (int64_t n : {int64_t{1}, int64_t{100}, int64_t{2000}}) {
    Result<std::vector<int64_t>> a = Allocate(AllocationMethod::kProportional, population, {}, n, 2);
    if (!a.ok()) {
      Check(a.status());
      continue;
    }
    int64_t sum = 0;
    for (size_t i = 0; i < a->size(); ++i) {
      if ((*a)[i] < 0 || (*a)[i] > population[i]) __builtin_trap();
      sum += (*a)[i];
    }
    if (sum != n) __builtin_trap();
  }
}

void FuzzDesign(const uint8_t* data, size_t size) {
  Result<SampleDesign> design = ParseSampleDesign(Bytes(data, size), "design.json");
  if (!design.ok()) return CheckShort(design.status());
  // What is written is read back the same.
  Result<SampleDesign> again = ParseSampleDesign(SampleDesignJson(*design), "again.json");
  if (!again.ok() || again->cells.size() != design->cells.size() || again->TotalTarget() != design->TotalTarget()) {
    __builtin_trap();
  }
}

void FuzzDataTable(const uint8_t* data, size_t size) {
  Result<DataTable> table = ReadDataTable(Bytes(data, size), "data.csv");
  if (!table.ok()) return CheckShort(table.status());
  if (table->header.empty()) return;
  for (const auto& row : table->rows) {
    if (row.size() != table->header.size()) __builtin_trap();
  }
  // A few designs over the table's own columns: the first as strata, the second as weights or
  // fpc, the last as the variable, by itself and by the first column.
  const std::vector<std::string>& h = table->header;
  std::vector<DesignSpec> specs(3);
  specs[1].strata = h.front();
  if (h.size() > 2) {
    specs[2].strata = h[0];
    specs[2].weights = h[1];
  }
  for (const DesignSpec& spec : specs) {
    Result<Design> design = Design::Build(*table, spec);
    if (!design.ok()) {
      CheckShort(design.status());
      continue;
    }
    for (int kind = 0; kind < 4; ++kind) {
      EstimateSpec e;
      e.var = h.back();
      if (kind == 1) e.total = true;
      if (kind == 2 && !table->rows.empty()) e.prop = table->rows.front().back();
      if (kind == 3) e.by = h.front();
      Result<std::vector<Estimate>> r = EstimateAll(*table, *design, e);
      if (!r.ok()) CheckShort(r.status());
    }
  }
}

void FuzzJson(const uint8_t* data, size_t size) {
  const std::string text = Bytes(data, size);
  nlohmann::json doc;
  std::optional<JsonSyntaxError> error = ParseJsonStrict(text, &doc);
  if (error) {
    if (error->what.empty()) __builtin_trap();
    return;
  }
  // A document that parses is written and read back the same (its numbers are finite).
  nlohmann::json back;
  if (ParseJsonStrict(doc.dump(), &back) || back != doc) __builtin_trap();
}

void FuzzForm(const uint8_t* data, size_t size) {
  const std::string bytes = Bytes(data, size);
  const std::multimap<std::string, std::string> form = web::ParseFormUrlEncoded(bytes);
  if (form.size() > 1000) __builtin_trap();
  for (const auto& [k, v] : form) {
    if (k.empty()) __builtin_trap();
  }
  // The same bytes as a path: matching a route never fails, and never names a token in the log.
  std::map<std::string, std::string> params;
  bool known = false;
  (void)web::MatchRoute("GET", "/" + bytes, &params, &known);
  const std::string route = web::RouteTemplate("POST", "/r/" + bytes);
  bool listed = route == "-";
  for (const web::Route& r : web::Routes()) listed = listed || route == r.pattern;
  if (!listed) __builtin_trap();
  (void)web::PercentDecode(bytes, true);
}

}  // namespace shindan::fuzz
