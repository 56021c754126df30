// The streaming importer.
//
// Design. The file is in memory (mapped by ImportFile). The calling thread reads the header and
// turns it into a Plan: one PlanColumn per header column, which knows its kind (company id, profile
// field, instrument item), its item, and a table of the exact spellings (codes, labels, aliases) the
// AnswerParser would accept, with their canonical value. The rest of the file is cut into chunks
// of about options.chunk_bytes that end at a record boundary: for CSV, the first line feed after
// the target at which the number of quotes since the chunk start is even (a line feed inside a
// quoted field does not end a record; in Shift_JIS neither '"' nor '\n' can be the second byte of
// a double-byte character, so the same cut works on the raw bytes); for JSON lines, any line feed.
//
// Worker threads claim chunks in order, convert them to UTF-8 if needed, split them into records
// and validate each record with their own RowValidator (own parsers and memo tables, no locks),
// writing CompanyRecords into the chunk's reusable result. The calling thread consumes the results
// strictly in chunk order: it turns chunk-relative line numbers into file lines, checks that each
// company_id appears once, keeps the first problems, and hands valid records to the sink. At most
// kRing chunks are in flight, so memory is bounded whatever the size of the file.
//
// Per cell, the fast path is an exact comparison with the precomputed spellings (a few bytes, no
// allocation); only what is not spelled exactly as in the instrument (full-width, extra spaces,
// other case) goes through NormalizeInput and AnswerParser, and a successful result is memoised per
// column so that a file that always writes ｙｅｓ pays the normalisation once.
#include "exchange/import.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <unordered_map>
#include <unicode/utf8.h>

#include "base/json_reader.h"
#include "exchange/response.h"
#include "instrument/codec.h"
#include "profile/classification.h"
#include "profile/company.h"

namespace shindan {

Result<ImportFormat> ParseImportFormat(std::string_view name) {
  std::string n = AsciiLower(name);
  if (n == "csv") return ImportFormat::kCsv;
  if (n == "jsonl" || n == "json" || n == "ndjson") return ImportFormat::kJsonLines;
  return Status::InvalidInput("format '" + std::string(name) + "' — expected csv or jsonl");
}

namespace {

constexpr size_t kRing = 8;           // chunks in flight
constexpr size_t kMemoLimit = 4096;   // memoised spellings per column and thread

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string Quoted(std::string_view s) { return Echo(s); }

// A spreadsheet export may have neutralised a formula with a leading ' (shindan export does);
// the value people meant is without it.
inline std::string_view StripNeutraliser(std::string_view raw) {
  if (raw.size() >= 2 && raw[0] == '\'') {
    char c = raw[1];
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') raw.remove_prefix(1);
  }
  return raw;
}

// "byte 7 of the line is not valid Shift_JIS — expected …" from ToUtf8's "byte 7: not valid Shift_JIS"
// for one line.
std::string BadShiftJis(const Status& status) {
  const std::string& m = status.message();
  std::string at;
  if (m.rfind("byte ", 0) == 0) {
    for (size_t i = 5; i < m.size() && m[i] >= '0' && m[i] <= '9'; ++i) at.push_back(m[i]);
  }
  return (at.empty() ? "the line" : "byte " + at + " of the line") +
         " is not valid Shift_JIS — expected Shift_JIS / CP932 text (or --encoding utf-8)";
}

// Guesses the encoding from the first non-ASCII characters: Shift_JIS text is almost never valid
// UTF-8 for long, so 64 valid multi-byte characters (or 64 invalid bytes) settle it without reading
// a large file twice. (An invalid byte in a file taken as UTF-8 is then reported as a bad cell.)
Encoding GuessEncoding(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(bytes.size(), INT32_MAX));
  int32_t i = 0;
  int seen = 0, bad = 0;
  while (i < n && seen < 64) {
    if (p[i] < 0x80) {
      ++i;
      while (i + 8 <= n) {  // skip ASCII eight bytes at a time
        uint64_t x;
        std::memcpy(&x, p + i, 8);
        if (x & 0x8080808080808080ULL) break;
        i += 8;
      }
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      if (++bad >= 64) break;
      continue;
    }
    ++seen;
  }
  // As DetectEncoding: mostly UTF-8 is UTF-8, and a bad byte is a bad cell named by its row and
  // column, not a reason to read the valid text as Shift_JIS.
  return seen > bad ? Encoding::kUtf8 : Encoding::kShiftJis;
}

// ---------------------------------------------------------------------------------------------
// The plan: what each column is, built once from the header.

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

enum class ColumnKind { kCompanyId, kProfile, kAnswer };

// An exact spelling, stored inline so that scanning a column's spellings touches one cache line
// or two, not a heap block per string.
struct Spelling {
  static constexpr size_t kMax = 30;
  uint8_t size = 0;        // 1…kMax
  char text[kMax] = {};
  uint8_t canonical = 0;   // index in PlanColumn::canonicals
  int option = 0;          // choice: index in OptionsFor(item)
  std::string_view view() const { return {text, size}; }
};

struct PlanColumn {
  std::string name;       // as problems name it: the header name, or the JSON path
  ColumnKind kind = ColumnKind::kCompanyId;
  int instrument = -1;    // kAnswer: index in Plan::instruments
  size_t item = 0;        // index of the item in its instrument (the profile for kProfile)
  const Item* def = nullptr;
  std::vector<Spelling> exact;            // choice, boolean: the spellings compared first
  std::vector<std::string> canonicals;    // what AnswerParser returns for each exact spelling
  std::vector<std::string> option_codes;  // choice: OptionsFor(item) codes, by index
};

struct PlanInstrument {
  const Instrument* ins = nullptr;
  bool primary = false;
  std::vector<int> column_of_item;  // -1 when the file has no column for the item
};

struct Plan {
  const Catalog* catalog = nullptr;
  std::string file;
  std::vector<PlanColumn> columns;
  int company_column = -1;
  std::vector<PlanInstrument> instruments;  // primary first
  std::vector<int> profile_column_of_item;
  bool has_profile = false;
  std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>> prefectures;  // spelling → code
  // JSON lines: key → column ("company_id", "profile.employees", "answers.sc01").
  std::unordered_map<std::string, int> json_keys;
};

const std::vector<std::string>& BooleanSpellings() {
  static const std::vector<std::string> k = {"yes", "no", "はい", "いいえ", "true", "false", "1", "0",
                                             "Yes", "No", "YES", "NO", "y", "n", "TRUE", "FALSE",
                                             "True", "False", "有", "無", "あり", "なし"};
  return k;
}

// The scored instruments that can have columns, primary first (as WideColumns orders them).
std::vector<const Instrument*> ScoredInstruments(const Catalog& catalog, const Instrument& primary) {
  std::vector<const Instrument*> out = {&primary};
  for (const Instrument& ins : catalog.instruments()) {
    if (ins.id != primary.id && ins.scoring.method != Scoring::Method::kNone) out.push_back(&ins);
  }
  return out;
}

void AddSpelling(PlanColumn* col, const std::string& text, int option, const std::string& canonical) {
  if (text.empty() || text.size() > Spelling::kMax || col->canonicals.size() >= 255) return;
  for (const Spelling& s : col->exact) {
    if (s.view() == text) return;
  }
  Spelling s;
  s.size = static_cast<uint8_t>(text.size());
  std::memcpy(s.text, text.data(), text.size());
  s.option = option;
  auto at = std::find(col->canonicals.begin(), col->canonicals.end(), canonical);
  if (at == col->canonicals.end()) at = col->canonicals.insert(col->canonicals.end(), canonical);
  s.canonical = static_cast<uint8_t>(at - col->canonicals.begin());
  col->exact.push_back(s);
}

// Fills the exact-spelling tables of a column; every spelling is checked with the parser, so the
// fast path can never accept what the parser would refuse or map it differently.
void PrepareColumn(const AnswerParser& parser, const Instrument& ins, PlanColumn* col) {
  const Item& item = *col->def;
  if (item.type == ItemType::kChoice) {
    std::vector<const AnswerOption*> options = ins.OptionsFor(item);
    for (const AnswerOption* o : options) col->option_codes.push_back(o->code);
    auto add = [&](const std::string& text) {
      Result<std::string> r = parser.Parse(item, text);
      if (!r.ok()) return;
      auto at = std::find(col->option_codes.begin(), col->option_codes.end(), *r);
      if (at != col->option_codes.end()) AddSpelling(col, text, static_cast<int>(at - col->option_codes.begin()), *r);
    };
    // Codes first (what shindan writes), then the sheet's Japanese labels, then the rest.
    for (const AnswerOption* o : options) add(o->code);
    for (const AnswerOption* o : options) add(o->label.ja);
    for (const AnswerOption* o : options) add(o->label.en);
    for (const AnswerOption* o : options) {
      for (const std::string& a : o->aliases) add(a);
    }
  } else if (item.type == ItemType::kBoolean) {
    for (const std::string& text : BooleanSpellings()) {
      Result<std::string> r = parser.Parse(item, text);
      if (r.ok()) AddSpelling(col, text, *r == "yes" ? 0 : 1, *r);
    }
  }
}

// The owner of an item column: the profile first, then the primary, then other scored instruments.
struct Owner {
  ColumnKind kind;
  int instrument = -1;
  size_t item = 0;
};

std::optional<Owner> FindOwner(const Plan& plan, const Catalog& catalog, const std::string& name) {
  if (name == "company_id") return Owner{ColumnKind::kCompanyId};
  const auto& pitems = catalog.profile().items;
  for (size_t i = 0; i < pitems.size(); ++i) {
    if (pitems[i].id == name) return Owner{ColumnKind::kProfile, -1, i};
  }
  for (size_t k = 0; k < plan.instruments.size(); ++k) {
    const auto& items = plan.instruments[k].ins->items;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].id == name) return Owner{ColumnKind::kAnswer, static_cast<int>(k), i};
    }
  }
  return std::nullopt;
}

Status CheckEncodable(const Instrument& ins) {
  for (const Item& item : ins.items) {
    if (item.type != ItemType::kChoice) {
      return Status::Internal(ins.id + ": item " + item.id + " is not a choice item, so the instrument cannot be imported in the wide layout");
    }
    if (ins.OptionsFor(item).size() > 35) return Status::Internal(ins.id + ": item " + item.id + " has more than 35 options");
  }
  return Status::Ok();
}

Result<Plan> NewPlan(const Catalog& catalog, const ImportOptions& options) {
  Plan plan;
  plan.catalog = &catalog;
  plan.file = options.file;
  const Instrument* primary = catalog.Find(options.primary_instrument);
  if (!primary) {
    return Status::NotFound("instrument '" + options.primary_instrument +
                            "' — expected one of the loaded instruments (see `shindan instruments`)");
  }
  for (const Instrument* ins : ScoredInstruments(catalog, *primary)) {
    if (Status s = CheckEncodable(*ins); !s.ok()) return s;
    PlanInstrument pi;
    pi.ins = ins;
    pi.primary = ins == primary;
    pi.column_of_item.assign(ins->items.size(), -1);
    plan.instruments.push_back(std::move(pi));
  }
  plan.profile_column_of_item.assign(catalog.profile().items.size(), -1);
  const AnswerParser& profile_parser = catalog.ParserFor(catalog.profile());
  for (const Prefecture& p : catalog.geography().prefectures()) {
    for (const std::string* s : {&p.code, &p.name, &p.short_name, &p.romaji}) {
      if (s->empty() || plan.prefectures.count(*s)) continue;
      for (const Item& item : catalog.profile().items) {
        if (item.type != ItemType::kPrefecture) continue;
        Result<std::string> r = profile_parser.Parse(item, *s);
        if (r.ok()) plan.prefectures[*s] = *r;
        break;
      }
    }
  }
  return plan;
}

// Adds a column for `name` (already normalised); false when no field or item has that name.
bool AddColumn(Plan* plan, const std::string& name, const std::string& shown) {
  const Catalog& catalog = *plan->catalog;
  std::optional<Owner> owner = FindOwner(*plan, catalog, name);
  if (!owner) return false;
  PlanColumn col;
  col.name = shown;
  col.kind = owner->kind;
  col.instrument = owner->instrument;
  col.item = owner->item;
  const int index = static_cast<int>(plan->columns.size());
  if (owner->kind == ColumnKind::kCompanyId) {
    plan->company_column = index;
  } else if (owner->kind == ColumnKind::kProfile) {
    col.def = &catalog.profile().items[owner->item];
    PrepareColumn(catalog.ParserFor(catalog.profile()), catalog.profile(), &col);
    plan->profile_column_of_item[owner->item] = index;
    plan->has_profile = true;
  } else {
    PlanInstrument& pi = plan->instruments[static_cast<size_t>(owner->instrument)];
    col.def = &pi.ins->items[owner->item];
    PrepareColumn(catalog.ParserFor(*pi.ins), *pi.ins, &col);
    pi.column_of_item[owner->item] = index;
  }
  plan->columns.push_back(std::move(col));
  return true;
}

std::string HeaderName(std::string_view cell) { return AsciiLower(NormalizeInput(StripNeutraliser(cell))); }

// Checks that the header names every item of the primary instrument and, for another instrument,
// all of its items or none. Appends problems.
void CheckCoverage(const Plan& plan, long long header_line, std::vector<std::string>* problems) {
  for (const PlanInstrument& pi : plan.instruments) {
    std::vector<std::string> missing;
    size_t present = 0;
    for (size_t i = 0; i < pi.ins->items.size(); ++i) {
      if (pi.column_of_item[i] >= 0) ++present;
      else if (pi.ins->items[i].required) missing.push_back(pi.ins->items[i].id);
    }
    if (missing.empty() || (!pi.primary && present == 0)) continue;
    std::string list;
    for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
    problems->push_back(plan.file + ":" + std::to_string(header_line) + ": " + (missing.size() == 1 ? "column " : "columns ") + list +
                        (missing.size() == 1 ? " is" : " are") + " missing — expected every item of " + pi.ins->id +
                        " (" + pi.ins->items.front().id + "…" + pi.ins->items.back().id + ")" +
                        (pi.primary ? "" : " when any of them is present"));
  }
}

// ---------------------------------------------------------------------------------------------
// Validating one row.

struct Problem {
  long long line = 0;       // chunk-relative until the consumer makes it a file line
  int column = -1;          // a plan column, or -1 (then `place`, which may be empty, names it)
  std::string place;
  std::string message;
};

// Problems of one chunk: the first `cap` are kept, the rest only counted.
struct ChunkProblems {
  size_t cap = 100;
  std::vector<Problem> kept;
  long long dropped = 0;
  void Add(long long line, int column, std::string place, std::string message) {
    if (kept.size() < cap) kept.push_back({line, column, std::move(place), std::move(message)});
    else ++dropped;
  }
};

struct Memoed {
  std::string canonical;
  int option = -1;
};
using Memo = std::unordered_map<std::string, Memoed, TransparentHash, std::equal_to<>>;

// ASCII white space at both ends, for the common case without any in one comparison.
inline std::string_view Trim(std::string_view s) {
  if (s.empty() || (static_cast<unsigned char>(s.front()) > ' ' && static_cast<unsigned char>(s.back()) > ' ')) return s;
  return TrimAscii(s);
}

// Validates rows against a plan; one per thread (it owns its memo tables and buffers).
class RowValidator {
 public:
  explicit RowValidator(const Plan& plan) : plan_(plan), catalog_(*plan.catalog) {
    profile_parser_ = &catalog_.ParserFor(catalog_.profile());
    for (const PlanInstrument& pi : plan.instruments) {
      parsers_.push_back(&catalog_.ParserFor(*pi.ins));
      codes_.emplace_back(pi.ins->items.size(), kNoAnswer);
    }
    answered_.assign(plan.instruments.size(), 0);
    memo_.resize(plan.columns.size());
    buffers_.resize(plan.columns.size());
    canonical_.resize(plan.columns.size());
    for (const Item& item : catalog_.profile().items) fields_.push_back(ProfileFieldOf(item.id));
    empty_profile_ = catalog_.classification().Classify(CompanyProfile(), catalog_.geography());
  }

  // `cells[i]` is the raw text of plan column i ("" when blank). Fills *record (unless null: then
  // the row is only checked) and returns true when the row is valid; otherwise adds its problems
  // (at `line`) and returns false.
  // `company_id` receives the normalised id (empty when blank).
  bool Validate(const std::vector<std::string_view>& cells, long long line, CompanyRecord* record,
                std::string* company_id, ChunkProblems* problems) {
    bool ok = true;
    company_id->clear();
    for (std::string& c : codes_) std::fill(c.begin(), c.end(), kNoAnswer);
    std::fill(answered_.begin(), answered_.end(), 0);
    bool any_profile = false;
    const size_t n = plan_.columns.size();
    for (size_t i = 0; i < n; ++i) {
      const PlanColumn& col = plan_.columns[i];
      std::string_view raw = StripNeutraliser(cells[i]);
      std::string_view t = Trim(raw);
      if (t.empty()) {
        if (col.kind == ColumnKind::kProfile) canonical_[i] = std::string_view();
        continue;
      }
      if (col.kind == ColumnKind::kCompanyId) {
        if (IsAscii(t)) {
          company_id->assign(t);
        } else if (!IsValidUtf8(t)) {
          problems->Add(line, static_cast<int>(i), "", Quoted(t) + " — expected the company's id as UTF-8 text");
          ok = false;
        } else {
          *company_id = NormalizeInput(t);
        }
        continue;
      }
      int option = -1;
      std::string_view canonical;
      bool blank = false;
      if (!Cell(i, col, raw, t, &canonical, &option, &blank, &error_)) {
        problems->Add(line, static_cast<int>(i), "", std::move(error_));
        ok = false;
        if (col.kind == ColumnKind::kProfile) canonical_[i] = std::string_view();
        continue;
      }
      if (col.kind == ColumnKind::kProfile) {
        canonical_[i] = blank ? std::string_view() : canonical;
        if (blank) continue;
        if (canonical.find(kValueSeparator) != std::string_view::npos) {
          problems->Add(line, static_cast<int>(i), "", Quoted(t) + " — expected text without the control character U+001F");
          ok = false;
          canonical_[i] = std::string_view();
          continue;
        }
        any_profile = true;
      } else if (!blank) {
        codes_[static_cast<size_t>(col.instrument)][col.item] = StoredOption(static_cast<size_t>(option));
        ++answered_[static_cast<size_t>(col.instrument)];
      }
    }
    if (plan_.company_column >= 0 && company_id->empty() &&
        BlankAfterNormalising(cells[static_cast<size_t>(plan_.company_column)])) {
      problems->Add(line, plan_.company_column, "", "missing — expected the company's id in the survey");
      ok = false;
    }
    // Required answers: every item of the primary instrument; of another instrument only when the
    // row answers any of it (the org checklist is asked of companies scoring 70 or more).
    for (size_t k = 0; k < plan_.instruments.size(); ++k) {
      const PlanInstrument& pi = plan_.instruments[k];
      if (!pi.primary && answered_[k] == 0) continue;
      if (answered_[k] == pi.ins->items.size()) continue;
      for (size_t j = 0; j < pi.ins->items.size(); ++j) {
        const Item& item = pi.ins->items[j];
        if (!item.required || codes_[k][j] != kNoAnswer) continue;
        const int column = pi.column_of_item[j];
        if (column < 0) continue;  // reported once for the header
        if (!BlankAfterNormalising(cells[static_cast<size_t>(column)])) continue;  // a bad value, reported above
        problems->Add(line, column, "", "missing — expected " + parsers_[k]->DescribeOptions(item));
        ok = false;
      }
    }
    if (!ok) return false;
    if (!record) return true;  // checking only

    record->company_key.assign(*company_id);
    record->profile_version.assign(catalog_.profile().version);
    record->profile.clear();
    record->recorded_at.clear();
    const Classification* c = &empty_profile_;
    if (any_profile) {
      // AnswerCodec::EncodeValues's form: the values in item order, joined by U+001F.
      ClearProfile(&profile_);
      const size_t items = catalog_.profile().items.size();
      size_t size = items - 1;
      for (size_t j = 0; j < items; ++j) {
        const int column = plan_.profile_column_of_item[j];
        if (column >= 0) size += canonical_[static_cast<size_t>(column)].size();
      }
      record->profile.resize(size);
      char* out = record->profile.data();
      for (size_t j = 0; j < items; ++j) {
        if (j) *out++ = kValueSeparator;
        const int column = plan_.profile_column_of_item[j];
        if (column < 0) continue;
        std::string_view v = canonical_[static_cast<size_t>(column)];
        if (v.empty()) continue;
        std::memcpy(out, v.data(), v.size());
        out += v.size();
        SetProfileField(&profile_, fields_[j], v);
      }
      classification_ = catalog_.classification().Classify(profile_, catalog_.geography());
      c = &classification_;
    }
    record->size_type.assign(c->size_type);
    record->industry.assign(c->industry);
    record->region.assign(c->region);
    // The responses, reusing the strings of earlier rows (a row without the org checklist parks
    // its second response in spare_ for the next row that has one).
    size_t count = 0;
    for (size_t k = 0; k < plan_.instruments.size(); ++k) {
      if (!plan_.instruments[k].primary && answered_[k] == 0) continue;
      if (record->responses.size() <= count) {
        if (spare_.empty()) {
          record->responses.emplace_back();
        } else {
          record->responses.push_back(std::move(spare_.back()));
          spare_.pop_back();
        }
      }
      CompanyRecord::InstrumentAnswers& a = record->responses[count++];
      a.instrument_id.assign(plan_.instruments[k].ins->id);
      a.instrument_version.assign(plan_.instruments[k].ins->version);
      a.answers.assign(codes_[k]);
    }
    while (record->responses.size() > count) {
      spare_.push_back(std::move(record->responses.back()));
      record->responses.pop_back();
    }
    return true;
  }

 private:
  static bool BlankAfterNormalising(std::string_view cell) {
    std::string_view t = TrimAscii(StripNeutraliser(cell));
    if (t.empty()) return true;
    return !IsAscii(t) && NormalizeInput(t).empty();
  }

  // One non-blank cell. Returns false with *error set when the value is bad; sets *blank when the
  // value is only (full-width) white space.
  bool Cell(size_t i, const PlanColumn& col, std::string_view raw, std::string_view t, std::string_view* canonical,
            int* option, bool* blank, std::string* error) {
    const Item& item = *col.def;
    // 1. Exact spellings: codes and labels as the instrument writes them.
    for (const Spelling& s : col.exact) {
      if (s.size != t.size() || s.text[0] != t[0]) continue;
      size_t k = 1;  // cells are short: a loop beats a call to memcmp
      while (k < t.size() && s.text[k] == t[k]) ++k;
      if (k == t.size()) {
        *canonical = col.canonicals[s.canonical];
        *option = s.option;
        return true;
      }
    }
    if (item.type == ItemType::kInteger && t.size() <= 18 && t.front() >= '0' && t.front() <= '9') {
      long long v = 0;
      auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec == std::errc() && end == t.data() + t.size() && (!item.min || v >= *item.min) &&
          (!item.max || v <= *item.max)) {
        if (t.size() == 1 || t.front() != '0') {
          *canonical = t;  // already canonical: the view lives as long as the row
        } else {
          std::string& buf = buffers_[i];
          buf.resize(20);
          auto [p, unused] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
          buf.resize(static_cast<size_t>(p - buf.data()));
          *canonical = buf;
        }
        return true;
      }
    }
    if (item.type == ItemType::kText && IsAscii(t)) {
      *canonical = t;
      return true;
    }
    if (item.type == ItemType::kPrefecture) {
      if (auto it = plan_.prefectures.find(t); it != plan_.prefectures.end()) {
        *canonical = it->second;
        return true;
      }
    }
    // 2. What this thread normalised before.
    Memo& memo = memo_[i];
    if (auto it = memo.find(t); it != memo.end()) {
      *canonical = it->second.canonical;
      *option = it->second.option;
      return true;
    }
    // 3. The parser, after NFKC.
    if (!IsAscii(t) && IsValidUtf8(t) && NormalizeInput(t).empty()) {
      *blank = true;
      return true;
    }
    const AnswerParser& parser =
        col.kind == ColumnKind::kProfile ? *profile_parser_ : *parsers_[static_cast<size_t>(col.instrument)];
    Result<std::string> r = parser.Parse(item, raw);
    if (!r.ok()) {
      *error = r.status().message();
      return false;
    }
    int opt = -1;
    if (item.type == ItemType::kChoice) {
      auto at = std::find(col.option_codes.begin(), col.option_codes.end(), *r);
      if (at == col.option_codes.end()) {
        *error = Quoted(t) + " — expected " + parser.DescribeOptions(item);
        return false;
      }
      opt = static_cast<int>(at - col.option_codes.begin());
    }
    *option = opt;
    if (memo.size() < kMemoLimit) {
      auto [it, unused] = memo.emplace(std::string(t), Memoed{std::move(*r), opt});
      *canonical = it->second.canonical;
      return true;
    }
    buffers_[i] = std::move(*r);
    *canonical = buffers_[i];
    return true;
  }

  const Plan& plan_;
  const Catalog& catalog_;
  const AnswerParser* profile_parser_;       // the catalog's parsers: Parse() is const
  std::vector<const AnswerParser*> parsers_;  // per plan instrument
  std::vector<std::string> codes_;            // per plan instrument: the encoded answers
  std::vector<size_t> answered_;              // per plan instrument: answers in this row
  std::vector<Memo> memo_;                    // per column
  std::vector<std::string> buffers_;          // per column: a canonical value made here
  std::vector<std::string_view> canonical_;   // per column: this row's canonical profile value
  std::vector<ProfileField> fields_;          // per profile item
  CompanyProfile profile_;                    // reused row to row
  Classification classification_, empty_profile_;
  std::vector<CompanyRecord::InstrumentAnswers> spare_;
  std::string error_;
};

// ---------------------------------------------------------------------------------------------
// Splitting CSV text into records.

long long CountLineBreaks(std::string_view s) {
  long long n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) ++n;
  }
  return n;
}

// SWAR: a word with c in every byte, and the high bit set in each zero byte of x (exact for the
// lowest zero byte, which is all the scan needs; little-endian).
constexpr uint64_t Broadcast(char c) { return 0x0101010101010101ULL * static_cast<unsigned char>(c); }
constexpr uint64_t ZeroBytes(uint64_t x) { return (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL; }

// The bytes that end an unquoted field.
constexpr auto kEndsField = [] {
  std::array<bool, 256> t{};
  t[','] = t['\n'] = t['\r'] = true;
  return t;
}();

// The end of an unquoted field starting at p: the next ',', '\n' or '\r', or n. Eight bytes at a
// time while there are eight (fields are short: usually one step).
inline size_t UnquotedFieldEnd(const char* d, size_t p, size_t n) {
  static_assert(std::endian::native == std::endian::little);
  while (p + 8 <= n) {
    uint64_t x;
    std::memcpy(&x, d + p, 8);
    const uint64_t m = ZeroBytes(x ^ Broadcast(',')) | ZeroBytes(x ^ Broadcast('\n')) | ZeroBytes(x ^ Broadcast('\r'));
    if (m) return p + static_cast<size_t>(std::countr_zero(m)) / 8;
    p += 8;
  }
  while (p < n && !kEndsField[static_cast<unsigned char>(d[p])]) ++p;
  return p;
}

// Reads one record starting at *pos (after blank lines, which it skips). Fields are views into
// `text` or, when they held doubled quotes, into `scratch`. *lines counts line breaks passed.
// Returns 1 for a record, 0 at the end of the text, -1 on a malformed record (*error says why,
// *error_line is the line of the fault relative to the start).
int NextRecord(std::string_view text, size_t* pos, long long* lines, long long* record_line,
               std::vector<std::string_view>* fields, std::deque<std::string>* scratch, std::string* error,
               long long* error_line) {
  fields->clear();
  const size_t n = text.size();
  const char* d = text.data();
  size_t p = *pos;
  while (p < n && (d[p] == '\n' || d[p] == '\r')) {
    if (d[p] == '\n' || p + 1 >= n || d[p + 1] != '\n') ++*lines;
    ++p;
  }
  if (p >= n) {
    *pos = p;
    return 0;
  }
  *record_line = *lines;
  size_t scratch_used = 0;
  while (true) {
    std::string_view value;
    if (d[p] == '"') {
      const long long open_line = *lines;
      size_t start = ++p;
      bool doubled = false;
      size_t end;
      while (true) {
        const void* q = p < n ? std::memchr(d + p, '"', n - p) : nullptr;
        if (!q) {
          *error = "a quoted field is not closed — expected a closing \"";
          *error_line = open_line;
          return -1;
        }
        size_t at = static_cast<size_t>(static_cast<const char*>(q) - d);
        *lines += CountLineBreaks(std::string_view(d + p, at - p));
        if (at + 1 < n && d[at + 1] == '"') {
          doubled = true;
          p = at + 2;
          continue;
        }
        end = at;
        p = at + 1;
        break;
      }
      value = std::string_view(d + start, end - start);
      if (doubled) {
        if (scratch->size() <= scratch_used) scratch->emplace_back();
        std::string& s = (*scratch)[scratch_used++];
        s.clear();
        for (size_t k = 0; k < value.size(); ++k) {
          s.push_back(value[k]);
          if (value[k] == '"') ++k;  // "" → "
        }
        value = s;
      }
      if (p < n && d[p] != ',' && d[p] != '\n' && d[p] != '\r') {
        *error = "field " + std::to_string(fields->size() + 1) + ": text after a closing quote — expected , or the end of the line";
        *error_line = *lines;
        return -1;
      }
    } else {
      size_t start = p;
      p = UnquotedFieldEnd(d, p, n);
      value = std::string_view(d + start, p - start);
    }
    fields->push_back(value);
    if (p >= n) break;
    if (d[p] == ',') {
      ++p;
      if (p >= n) {  // a trailing comma at the end of the text: one more, empty, field
        fields->push_back(std::string_view());
        break;
      }
      continue;
    }
    if (d[p] == '\r') ++p;
    if (p < n && d[p] == '\n') ++p;
    ++*lines;
    break;
  }
  *pos = p;
  return 1;
}

// The end of the chunk that starts at `start` (a record boundary) and should end near `target`:
// just after the first line end at or after `target` that is outside quotes (CSV), or after any
// line end (JSON lines). `eol` is '\n', or '\r' for a file with only carriage returns (old Excel
// for Mac).
//
// Quotes are followed exactly as NextRecord reads them, so that every cut is a record boundary:
// outside a quoted field a quote only opens one at the start of a field (after a comma or a line
// end; elsewhere it is data, as in 5" floppy), and inside one, "" is a quote and " closes it. The
// walk jumps from quote to quote with memchr, so a file without quotes costs one memchr per chunk.
size_t FindBoundary(std::string_view data, size_t start, size_t target, bool csv, char eol) {
  const size_t n = data.size();
  if (target >= n) return n;
  const char* d = data.data();
  auto find = [&](char c, size_t from, size_t to) -> size_t {  // `to` when absent
    if (from >= to) return to;
    const void* at = std::memchr(d + from, c, to - from);
    return at ? static_cast<size_t>(static_cast<const char*>(at) - d) : to;
  };
  if (!csv) {
    const size_t nl = find(eol, target, n);
    return nl == n ? n : nl + 1;
  }
  size_t p = start;
  bool inside = false;
  while (true) {
    if (inside) {
      const size_t q = find('"', p, n);
      if (q == n) return n;  // never closed: the parser reports it
      if (q + 1 < n && d[q + 1] == '"') {
        p = q + 2;
        continue;
      }
      inside = false;
      p = q + 1;
      continue;
    }
    size_t q;
    if (p < target) {
      q = find('"', p, target);
      if (q == target) {
        p = target;
        continue;
      }
    } else {
      const size_t nl = find(eol, p, n);
      q = find('"', p, nl);
      if (q == nl) return nl == n ? n : nl + 1;
    }
    const char before = q == start ? ',' : d[q - 1];
    if (before == ',' || before == '\n' || before == '\r') inside = true;
    p = q + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Chunks.

// The company ids of a file, to find duplicates: an open-addressing table of 8-byte slots (32 bits
// of the hash and the entry) over ids copied into blocks that never move. A million ids make a
// 16 MB table that is looked up at random, so it lives in transparent huge pages where the kernel
// allows: with 4 KB pages nearly every lookup would also miss the TLB.
class IdSet {
 public:
  IdSet() = default;
  IdSet(const IdSet&) = delete;
  IdSet& operator=(const IdSet&) = delete;
  ~IdSet() { Free(slots_, capacity_); }

  void Reserve(size_t n) {
    if (n * 2 > capacity_) Rehash(std::bit_ceil(std::max<size_t>(n * 2, 1024)));
    entries_.reserve(n);
  }

  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

  // Brings the slot of hash h into the cache ahead of FindOrAdd.
  void Prefetch(uint64_t h) const {
    if (capacity_) __builtin_prefetch(&slots_[h & (capacity_ - 1)]);
  }

  // The line of an earlier equal id, or -1 after adding this one. REQUIRES: h == Hash(id).
  long long FindOrAdd(std::string_view id, uint64_t h, long long line) {
    if ((entries_.size() + 1) * 2 > capacity_) Rehash(std::max<size_t>(capacity_ * 2, 1024));
    const size_t mask = capacity_ - 1;
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.entry == 0) {
        slot.tag = tag;
        slot.entry = static_cast<uint32_t>(entries_.size() + 1);
        entries_.push_back({Store(id), line, h});
        return -1;
      }
      if (slot.tag == tag) {
        const Entry& e = entries_[slot.entry - 1];
        if (e.id == id) return e.line;
      }
    }
  }

 private:
  struct Slot {
    uint32_t tag;    // the hash's high 32 bits
    uint32_t entry;  // 1 + index in entries_; 0: empty
  };
  struct Entry {
    std::string_view id;
    long long line;
    uint64_t hash;
  };

  static Slot* Allocate(size_t n) {
    const size_t bytes = n * sizeof(Slot);
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);  // zeroed
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, bytes, MADV_HUGEPAGE);  // a hint: ignored where huge pages are off
    return static_cast<Slot*>(p);
  }
  static void Free(Slot* p, size_t n) {
    if (p) munmap(p, n * sizeof(Slot));
  }

  void Rehash(size_t capacity) {
    Slot* slots = Allocate(capacity);
    const size_t mask = capacity - 1;
    for (size_t k = 0; k < entries_.size(); ++k) {
      size_t i = entries_[k].hash & mask;
      while (slots[i].entry != 0) i = (i + 1) & mask;
      slots[i] = {static_cast<uint32_t>(entries_[k].hash >> 32), static_cast<uint32_t>(k + 1)};
    }
    Free(slots_, capacity_);
    slots_ = slots;
    capacity_ = capacity;
  }

  std::string_view Store(std::string_view s) {
    if (blocks_.empty() || blocks_.back().size() + s.size() > blocks_.back().capacity()) {
      blocks_.emplace_back();
      blocks_.back().reserve(std::max<size_t>(1 << 20, s.size()));
    }
    std::string& b = blocks_.back();
    const size_t at = b.size();
    b.append(s);
    return std::string_view(b.data() + at, s.size());
  }

  Slot* slots_ = nullptr;
  size_t capacity_ = 0;  // a power of two, or 0
  std::vector<Entry> entries_;
  std::deque<std::string> blocks_;
};

struct RowOut {
  long long line = 0;  // chunk-relative
  std::string company_id;
  uint64_t id_hash = 0;  // IdSet::Hash(company_id), computed by the worker
  int record = -1;      // index in ChunkResult::records, or -1 when the row is not valid
  size_t problems_begin = 0, problems_end = 0;
  long long dropped_problems = 0;
};

struct ChunkResult {
  size_t begin = 0, end = 0;  // bytes of the (BOM-less) input
  long long line_breaks = 0;
  bool fatal = false;         // the chunk ends in a problem that stops the import
  std::string converted;      // the chunk in UTF-8 when the file is Shift_JIS
  std::vector<CompanyRecord> records;
  size_t record_count = 0;
  std::vector<RowOut> rows;
  size_t row_count = 0;
  ChunkProblems problems;

  void Reset(size_t cap) {
    line_breaks = 0;
    fatal = false;
    record_count = 0;
    row_count = 0;
    problems.cap = cap;
    problems.kept.clear();
    problems.dropped = 0;
  }
  RowOut& NewRow(long long line) {
    if (rows.size() <= row_count) rows.emplace_back();
    RowOut& r = rows[row_count++];
    r.line = line;
    r.company_id.clear();
    r.record = -1;
    r.problems_begin = r.problems_end = problems.kept.size();
    r.dropped_problems = problems.dropped;
    return r;
  }
  void EndRow(RowOut& r) {
    if (!r.company_id.empty()) r.id_hash = IdSet::Hash(r.company_id);
    r.problems_end = problems.kept.size();
    r.dropped_problems = problems.dropped - r.dropped_problems;
  }
  CompanyRecord* NextRecord() {
    if (records.size() <= record_count) records.emplace_back();
    return &records[record_count];
  }
};

// Everything a worker needs to parse chunks.
class ChunkParser {
 public:
  // `records`: false to check the rows without making CompanyRecords (nobody will store them).
  ChunkParser(const Plan& plan, Encoding encoding, ImportFormat format, bool records)
      : plan_(plan), validator_(plan), encoding_(encoding), format_(format), records_(records) {}

  void Parse(std::string_view raw, ChunkResult* out) {
    std::string_view text = raw;
    if (encoding_ == Encoding::kShiftJis) {
      Result<std::string> u = ToUtf8(raw, Encoding::kShiftJis);
      if (!u.ok()) {
        ReportBadShiftJis(raw, out);
        return;
      }
      out->converted = std::move(u).value();
      text = out->converted;
    }
    // The parsers count every line break they pass, so that the next chunk's lines follow on.
    out->line_breaks = format_ == ImportFormat::kJsonLines ? ParseJsonLines(text, out) : ParseCsv(text, out);
  }

 private:
  // The records before the bad line are read as usual (up to the last record boundary before it:
  // an even number of quotes for CSV, any line feed for JSON lines), so that the problems and rows
  // are the same however the file is cut into chunks (found by the FuzzImport target: one chunk
  // reported only the bad line, small chunks also the bad rows before it).
  void ReportBadShiftJis(std::string_view raw, ChunkResult* out) {
    long long line = 0;
    size_t start = 0, cut = 0, quotes = 0;
    while (start < raw.size()) {
      size_t nl = raw.find('\n', start);
      size_t end = nl == std::string_view::npos ? raw.size() : nl + 1;
      Result<std::string> u = ToUtf8(raw.substr(start, end - start), Encoding::kShiftJis);
      if (!u.ok()) {
        if (cut > 0) {
          Result<std::string> before = ToUtf8(raw.substr(0, cut), Encoding::kShiftJis);
          if (before.ok()) {
            out->converted = std::move(before).value();
            if (format_ == ImportFormat::kJsonLines) ParseJsonLines(out->converted, out);
            else ParseCsv(out->converted, out);
            if (out->fatal) return;  // an earlier problem already stops the import there
          }
        }
        RowOut& row = out->NewRow(line);
        out->problems.Add(line, -1, "", BadShiftJis(u.status()));
        out->EndRow(row);
        break;
      }
      // In Shift_JIS neither '"' nor '\n' is ever the second byte of a character.
      for (size_t i = start; i < end; ++i) quotes += raw[i] == '"';
      // Lines as the chunk parsers count them: in CSV a lone carriage return ends a line too, so
      // that the bad line has the same number however the file is cut (found by FuzzImport).
      line += format_ == ImportFormat::kJsonLines ? 1 : CountLineBreaks(raw.substr(start, end - start));
      start = end;
      if (format_ == ImportFormat::kJsonLines || quotes % 2 == 0) cut = start;
    }
    out->fatal = true;
  }

  // Returns the line breaks in `text`.
  long long ParseCsv(std::string_view text, ChunkResult* out) {
    size_t pos = 0;
    long long lines = 0, record_line = 0;
    std::string error;
    long long error_line = 0;
    while (true) {
      int r = NextRecord(text, &pos, &lines, &record_line, &fields_, &scratch_, &error, &error_line);
      if (r == 0) break;
      if (r < 0) {
        RowOut& row = out->NewRow(error_line);
        out->problems.Add(error_line, -1, "", error);
        out->EndRow(row);
        out->fatal = true;
        return lines;
      }
      RowOut& row = out->NewRow(record_line);
      if (fields_.size() != plan_.columns.size()) {
        out->problems.Add(record_line, -1, "",
                          std::to_string(fields_.size()) + (fields_.size() == 1 ? " field" : " fields") + " — expected " +
                              std::to_string(plan_.columns.size()) + ", as in the header");
        if (plan_.company_column >= 0 && static_cast<size_t>(plan_.company_column) < fields_.size()) {
          row.company_id = NormalizeInput(fields_[static_cast<size_t>(plan_.company_column)]);
        }
        out->EndRow(row);
        continue;
      }
      ValidateRow(record_line, out, &row);
      out->EndRow(row);
    }
    return lines;
  }

  void ValidateRow(long long line, ChunkResult* out, RowOut* row) {
    CompanyRecord* record = records_ ? out->NextRecord() : nullptr;
    if (validator_.Validate(fields_, line, record, &row->company_id, &out->problems)) {
      row->record = static_cast<int>(out->record_count++);
    }
  }

  // One JSON object per line: {"company_id": …, "profile": {…}, "answers": {…}}.
  long long ParseJsonLines(std::string_view text, ChunkResult* out) {
    long long line = 0;
    size_t start = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      size_t end = nl == std::string_view::npos ? text.size() : nl;
      std::string_view body = TrimAscii(text.substr(start, end - start));
      if (!body.empty()) {
        RowOut& row = out->NewRow(line);
        bool key_problems = false;
        if (ReadJsonLine(body, line, out, &key_problems)) {
          ValidateRow(line, out, &row);
          if (key_problems && row.record >= 0) {  // valid values, but unknown keys beside them
            row.record = -1;
            --out->record_count;
          }
        }
        out->EndRow(row);
      }
      if (nl == std::string_view::npos) break;
      line += 1;
      start = end + 1;
    }
    return line;
  }

  // Fills fields_ (one per plan column) from a JSON line. False when the line is not a JSON object;
  // problems with single keys set *key_problems and leave the other values to be validated.
  bool ReadJsonLine(std::string_view body, long long line, ChunkResult* out, bool* key_problems) {
    nlohmann::json doc;
    if (std::optional<JsonSyntaxError> error = ParseJsonStrict(body, &doc)) {
      if (error->duplicate_key) {
        out->problems.Add(line, -1, error->path, error->what);
      } else {
        out->problems.Add(line, -1, "", "not valid JSON (column " + std::to_string(error->column) + ": " + error->what +
                                            ") — expected one object per line");
      }
      return false;
    }
    if (!doc.is_object()) {
      out->problems.Add(line, -1, "", "expected a JSON object {\"company_id\": …, \"profile\": {…}, \"answers\": {…}}");
      return false;
    }
    fields_.assign(plan_.columns.size(), std::string_view());
    size_t used = 0;
    bool& bad = *key_problems;
    auto put = [&](const std::string& key, const nlohmann::json& v, const std::string& path) {
      auto it = plan_.json_keys.find(key);
      if (it == plan_.json_keys.end()) {
        out->problems.Add(line, -1, path,
                          key.rfind("profile.", 0) == 0
                              ? "unknown profile field — expected one of the fields of instruments/profile.json"
                              : "unknown item — expected an item of " + plan_.instruments.front().ins->id + " (" +
                                    plan_.instruments.front().ins->items.front().id + "…" +
                                    plan_.instruments.front().ins->items.back().id + ") or of another scored instrument");
        bad = true;
        return;
      }
      if (scratch_.size() <= used) scratch_.emplace_back();
      std::string& s = scratch_[used++];
      s.clear();
      if (v.is_string()) {
        s = v.get<std::string>();
      } else if (v.is_number_integer()) {
        s = v.dump();  // as written: the answer parser checks the range
      } else if (v.is_boolean()) {
        s = v.get<bool>() ? "yes" : "no";
      } else if (v.is_array()) {
        for (const auto& e : v) {
          if (!e.is_string()) {
            out->problems.Add(line, -1, path, "expected a list of strings");
            bad = true;
            return;
          }
          s += (s.empty() ? "" : ";") + e.get<std::string>();
        }
      } else if (v.is_null()) {
        return;
      } else {
        out->problems.Add(line, -1, path,
                          v.is_number() ? v.dump() + " — expected a string, a whole number, true/false or a list"
                                        : std::string("expected a string, a whole number, true/false or a list, found ") + v.type_name());
        bad = true;
        return;
      }
      fields_[static_cast<size_t>(it->second)] = s;
    };
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const std::string& key = it.key();
      if (key == "company_id") {
        put("company_id", it.value(), "company_id");
      } else if (key == "instrument") {
        if (!it.value().is_string() || it.value().get<std::string>() != plan_.instruments.front().ins->id) {
          out->problems.Add(line, -1, "instrument",
                            "expected \"" + plan_.instruments.front().ins->id + "\" (the instrument imported)");
          bad = true;
        }
      } else if (key == "profile" || key == "answers") {
        if (!it.value().is_object()) {
          out->problems.Add(line, -1, key, "expected an object of field → value");
          bad = true;
          continue;
        }
        for (auto f = it.value().begin(); f != it.value().end(); ++f) {
          put(key + "." + f.key(), f.value(), key + "." + f.key());
        }
      } else {
        out->problems.Add(line, -1, key, "unknown key — expected company_id, profile or answers");
        bad = true;
      }
    }
    return true;
  }

  const Plan& plan_;
  RowValidator validator_;
  Encoding encoding_;
  ImportFormat format_;
  bool records_;
  std::vector<std::string_view> fields_;
  std::deque<std::string> scratch_;
};

// ---------------------------------------------------------------------------------------------
// The whole import.

class Importer {
 public:
  Importer(const Catalog& catalog, const ImportOptions& options, const RecordSink& sink,
           std::function<void(size_t, size_t)> release)
      : catalog_(catalog), options_(options), sink_(sink), release_(std::move(release)) {
    report_.problems = shindan::ProblemList(options_.max_problems);
  }

  Result<ImportReport> Run(std::string_view bytes) {
    total_bytes_ = bytes.size();
    size_t bom = 0;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bom = 3;
    report_.encoding = options_.encoding ? *options_.encoding : (bom ? Encoding::kUtf8 : GuessEncoding(bytes));
    if (report_.encoding != Encoding::kUtf8) bom = 0;
    offset_ = bom;
    data_ = bytes.substr(bom);
    eol_ = data_.find('\n') != std::string_view::npos ? '\n' : '\r';
    report_.format = options_.format;
    if (report_.format == ImportFormat::kAuto) {
      std::string_view t = TrimAscii(data_);
      report_.format = !t.empty() && t.front() == '{' ? ImportFormat::kJsonLines : ImportFormat::kCsv;
    }
    csv_ = report_.format == ImportFormat::kCsv;
    Result<Plan> plan = NewPlan(catalog_, options_);
    if (!plan.ok()) return plan.status();
    plan_ = std::move(plan).value();

    if (csv_) {
      if (!ReadHeader()) return report_;
    } else {
      for (const std::string& name : WideColumns(catalog_, options_.primary_instrument)) {
        std::string key = name == "company_id"                  ? name
                          : catalog_.profile().FindItem(name) ? "profile." + name
                                                              : "answers." + name;
        if (AddColumn(&plan_, name, key)) plan_.json_keys[key] = static_cast<int>(plan_.columns.size()) - 1;
      }
    }
    if (Status s = ProcessChunks(); !s.ok()) return s;
    if (options_.progress) options_.progress(total_bytes_, total_bytes_);
    return report_;
  }

 private:
  struct Slot {
    bool ready = false;
    long long chunk = -1;
    ChunkResult result;
  };

  void AddProblem(std::string text) {
    report_.problems.Add(std::move(text));
  }

  size_t SkipBlankLines(size_t p) const {
    while (p < data_.size() && (data_[p] == '\n' || data_[p] == '\r')) ++p;
    return p;
  }

  std::string At(long long line) const { return options_.file + ":" + std::to_string(line); }

  // Reads the header into the plan. A row of labels above it (as `shindan export --format xlsx`
  // writes, saved as CSV by Excel) is recognised and skipped: the header is then the second row.
  // Returns false after adding problems when the header is not usable.
  bool ReadHeader() {
    const size_t p1 = SkipBlankLines(0);
    const size_t b1 = FindBoundary(data_, p1, p1, true, eol_);
    const size_t p2 = SkipBlankLines(b1);
    const size_t b2 = FindBoundary(data_, p2, p2, true, eol_);
    std::string_view text = data_.substr(0, b2);
    std::string converted;
    if (report_.encoding == Encoding::kShiftJis) {
      Result<std::string> u = ToUtf8(text, Encoding::kShiftJis);
      if (!u.ok()) u = ToUtf8(data_.substr(0, b1), Encoding::kShiftJis);  // a bad line 2 is the chunks' to report
      if (!u.ok()) {
        AddProblem(At(CountLineBreaks(data_.substr(0, p1)) + 1) + ": " + BadShiftJis(u.status()));
        return false;
      }
      converted = std::move(u).value();
      text = converted;
    }
    size_t pos = 0;
    long long lines = 0, line1 = 0, line2 = 0, error_line = 0;
    std::vector<std::string_view> first, second;
    std::deque<std::string> scratch1, scratch2;
    std::string error;
    int r1 = NextRecord(text, &pos, &lines, &line1, &first, &scratch1, &error, &error_line);
    if (r1 == 0) {
      AddProblem(options_.file + ": empty — expected a header row (company_id, profile fields, item ids; see docs/import.md)");
      return false;
    }
    if (r1 < 0) {
      AddProblem(At(1 + error_line) + ": " + error);
      return false;
    }
    int r2 = NextRecord(text, &pos, &lines, &line2, &second, &scratch2, &error, &error_line);

    auto all_known = [&](const std::vector<std::string_view>& cells) {
      bool has_id = false;
      for (std::string_view c : cells) {
        std::string name = HeaderName(c);
        if (name == "company_id") has_id = true;
        if (!FindOwner(plan_, catalog_, name)) return false;
      }
      return has_id;
    };
    const std::vector<std::string_view>* header = &first;
    long long header_line = 1 + line1;
    size_t consumed = b1;
    if (r2 > 0 && !all_known(first) && all_known(second)) {
      header = &second;
      header_line = 1 + line2;
      consumed = b2;
    }

    std::vector<std::string> problems;
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < header->size(); ++i) {
      std::string name = HeaderName((*header)[i]);
      const std::string place = At(header_line) + ":" + (name.empty() ? std::to_string(i + 1) : name);
      if (name.empty()) {
        problems.push_back(place + ": blank column name — expected company_id, a profile field or an item id");
        continue;
      }
      if (auto [it, inserted] = seen.emplace(name, i); !inserted) {
        problems.push_back(place + ": duplicate column — also column " + std::to_string(it->second + 1));
        continue;
      }
      if (!AddColumn(&plan_, name, name)) {
        problems.push_back(place + ": unknown column — expected company_id, a profile field or an item id (see docs/import.md)");
      }
    }
    if (problems.empty() && plan_.company_column < 0) {
      problems.push_back(At(header_line) + ": no company_id column — expected company_id, the company's id in the survey");
    }
    if (problems.empty()) CheckCoverage(plan_, header_line, &problems);
    for (std::string& p : problems) AddProblem(std::move(p));
    if (!problems.empty()) return false;
    header_lines_ = CountLineBreaks(data_.substr(0, consumed));
    next_start_ = consumed;
    return true;
  }

  Status ProcessChunks() {
    ring_.resize(kRing);
    const int threads = std::max(0, options_.threads);
    if (threads == 0) {
      ChunkParser parser(plan_, report_.encoding, report_.format, static_cast<bool>(sink_));
      for (long long k = 0;; ++k) {
        Slot& slot = ring_[static_cast<size_t>(k) % kRing];
        if (!Claim(k, &slot)) break;
        parser.Parse(data_.substr(slot.result.begin, slot.result.end - slot.result.begin), &slot.result);
        if (Status s = Consume(slot.result); !s.ok()) return s;
        if (halt_) break;
      }
      return Status::Ok();
    }
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back([this] { Work(); });
    Status status;
    for (long long k = 0;; ++k) {
      Slot& slot = ring_[static_cast<size_t>(k) % kRing];
      {
        std::unique_lock lock(mu_);
        ready_cv_.wait(lock, [&] { return (slot.ready && slot.chunk == k) || (total_chunks_ >= 0 && k >= total_chunks_); });
        if (!(slot.ready && slot.chunk == k)) break;
      }
      status = Consume(slot.result);
      {
        std::lock_guard lock(mu_);
        slot.ready = false;
        consumed_ = k + 1;
        if (!status.ok() || halt_) stop_ = true;
      }
      free_cv_.notify_all();
      if (!status.ok() || halt_) break;
    }
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    free_cv_.notify_all();
    for (std::thread& w : workers) w.join();
    return status;
  }

  // Gives chunk k its bytes; chunks are claimed in order. False when the input is exhausted.
  // REQUIRES: mu_ held (or no worker threads).
  bool Claim(long long k, Slot* slot) {
    if (next_start_ >= data_.size() || stop_) {
      if (total_chunks_ < 0) total_chunks_ = k;
      return false;
    }
    const size_t begin = next_start_;
    // JSON lines end at '\n' only (a CR-only file is a CSV thing): cutting one at a '\r' split a line
    // in two chunks that both counted it as the same line (found by FuzzImport).
    const size_t end =
        FindBoundary(data_, begin, begin + std::max<size_t>(1, options_.chunk_bytes), csv_, csv_ ? eol_ : '\n');
    next_start_ = end;
    slot->chunk = k;
    slot->result.Reset(options_.max_problems);
    slot->result.begin = begin;
    slot->result.end = end;
    return true;
  }

  void Work() {
    ChunkParser parser(plan_, report_.encoding, report_.format, static_cast<bool>(sink_));
    while (true) {
      Slot* slot;
      {
        std::unique_lock lock(mu_);
        free_cv_.wait(lock, [&] { return stop_ || next_chunk_ - consumed_ < static_cast<long long>(kRing); });
        const long long k = next_chunk_;
        slot = &ring_[static_cast<size_t>(k) % kRing];
        if (!Claim(k, slot)) {
          lock.unlock();
          ready_cv_.notify_all();
          return;
        }
        ++next_chunk_;
      }
      parser.Parse(data_.substr(slot->result.begin, slot->result.end - slot->result.begin), &slot->result);
      {
        std::lock_guard lock(mu_);
        slot->ready = true;
      }
      ready_cv_.notify_all();
    }
  }

  // On the calling thread, in chunk order: file lines, duplicate ids, problems, the sink.
  Status Consume(ChunkResult& chunk) {
    const long long base = header_lines_ + lines_before_ + 1;  // the file line of the chunk's start
    const std::string& id_column = plan_.columns[static_cast<size_t>(plan_.company_column)].name;
    if (!reserved_ && chunk.row_count > 0 && chunk.end > chunk.begin) {
      const double rows = static_cast<double>(chunk.row_count) * static_cast<double>(data_.size()) /
                          static_cast<double>(chunk.end - chunk.begin);
      seen_.Reserve(static_cast<size_t>(rows * 1.05) + 16);
      reserved_ = true;
    }
    // The id table is far larger than the cache: ask for the slot of the row kAhead rows on while
    // this one is looked up, so that the memory round trips overlap.
    constexpr size_t kAhead = 2;
    auto prefetch = [&](size_t r) {
      if (r < chunk.row_count && !chunk.rows[r].company_id.empty()) seen_.Prefetch(chunk.rows[r].id_hash);
    };
    for (size_t r = 0; r < kAhead; ++r) prefetch(r);
    for (size_t r = 0; r < chunk.row_count; ++r) {
      prefetch(r + kAhead);
      const RowOut& row = chunk.rows[r];
      const long long line = base + row.line;
      ++report_.rows;
      bool duplicate = false;
      if (!row.company_id.empty()) {
        const long long earlier = seen_.FindOrAdd(row.company_id, row.id_hash, line);
        if (earlier >= 0) {
          AddProblem(At(line) + ":" + id_column + ": " + Quoted(row.company_id) + " — the same company as on line " +
                     std::to_string(earlier) + "; expected each company once in a file");
          duplicate = true;
        }
      }
      for (size_t i = row.problems_begin; i < row.problems_end; ++i) {
        const Problem& p = chunk.problems.kept[i];
        std::string place = At(base + p.line);
        if (p.column >= 0) place += ":" + plan_.columns[static_cast<size_t>(p.column)].name;
        else if (!p.place.empty()) place += ":" + p.place;
        AddProblem(place + ": " + p.message);
      }
      report_.problems.CountDropped(row.dropped_problems);
      if (row.record >= 0 && !duplicate && report_.problems.empty()) {
        if (sink_) {
          if (Status s = sink_(chunk.records[static_cast<size_t>(row.record)]); !s.ok()) return s;
        }
        ++report_.records;
      }
    }
    lines_before_ += chunk.line_breaks;
    if (chunk.fatal) halt_ = true;
    if (release_) release_(offset_ + chunk.begin, offset_ + chunk.end);
    if (options_.progress) options_.progress(offset_ + chunk.end, total_bytes_);
    return Status::Ok();
  }

  const Catalog& catalog_;
  const ImportOptions& options_;
  const RecordSink& sink_;
  std::function<void(size_t, size_t)> release_;
  ImportReport report_;
  Plan plan_;
  std::string_view data_;  // the input without its BOM
  size_t offset_ = 0;      // bytes before data_ (the BOM)
  size_t total_bytes_ = 0;
  char eol_ = '\n';
  bool csv_ = true;
  long long header_lines_ = 0;  // line breaks up to the end of the header
  long long lines_before_ = 0;  // line breaks in the chunks consumed so far
  bool halt_ = false;           // a chunk ended in a problem that stops the import
  IdSet seen_;  // company id → line
  bool reserved_ = false;

  // Shared with the workers, under mu_.
  std::mutex mu_;
  std::condition_variable ready_cv_, free_cv_;
  std::vector<Slot> ring_;
  size_t next_start_ = 0;
  long long next_chunk_ = 0;
  long long consumed_ = 0;
  long long total_chunks_ = -1;
  bool stop_ = false;
};

// A read-only mapping of a whole file.
class MappedFile {
 public:
  ~MappedFile() {
    if (data_ && size_) munmap(data_, size_);
  }
  Status Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IoError(path + ": cannot open (" + std::strerror(errno) + ")");
    struct stat st;
    if (fstat(fd, &st) != 0) {
      const int e = errno;
      ::close(fd);
      return Status::IoError(path + ": cannot read (" + std::strerror(e) + ")");
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      return Status::IoError(path + (S_ISDIR(st.st_mode) ? ": cannot read (Is a directory) — expected a file"
                                                          : ": cannot read — expected a regular file, not a pipe or device"));
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        const int e = errno;
        ::close(fd);
        size_ = 0;
        return Status::IoError(path + ": cannot map (" + std::strerror(e) + ")");
      }
      data_ = p;
      madvise(data_, size_, MADV_SEQUENTIAL);
    }
    ::close(fd);
    return Status::Ok();
  }
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }
  // Drops the pages wholly inside [begin, end) from this process (they stay in the page cache).
  void Release(size_t begin, size_t end) {
    static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t from = (begin + page - 1) / page * page;
    const size_t to = end / page * page;
    if (to > from) madvise(static_cast<char*>(data_) + from, to - from, MADV_DONTNEED);
  }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace

Result<ImportReport> ImportText(const Catalog& catalog, std::string_view bytes, const ImportOptions& options,
                                const RecordSink& sink) {
  Importer importer(catalog, options, sink, nullptr);
  return importer.Run(bytes);
}

Result<ImportReport> ImportFile(const Catalog& catalog, const std::string& path, ImportOptions options,
                                const RecordSink& sink) {
  if (options.file.empty()) options.file = path;
  MappedFile file;
  if (Status s = file.Open(path); !s.ok()) return s;
  Importer importer(catalog, options, sink, [&file](size_t begin, size_t end) { file.Release(begin, end); });
  return importer.Run(file.bytes());
}

}  // namespace shindan
