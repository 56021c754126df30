#include "fuzz/fuzz_targets.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "base/csv.h"
#include "base/file.h"
#include "base/text.h"
#include "catalog/catalog.h"
#include "exchange/notes.h"
#include "exchange/response.h"
#include "instrument/loader.h"
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
