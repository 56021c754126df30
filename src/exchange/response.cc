#include "exchange/response.h"

#include <nlohmann/json.hpp>

#include <set>

#include "base/csv.h"
#include "base/json_reader.h"
#include "base/problems.h"

namespace shindan {

std::string RawResponse::Place(const std::string& section, const std::string& key) const {
  if (row > 0) return file + ":" + std::to_string(row) + ":" + key;
  return file + ": " + section + "." + key;
}

std::vector<std::string> WideColumns(const Catalog& catalog, const std::string& primary_instrument) {
  std::vector<std::string> columns = {"company_id"};
  for (const Item& item : catalog.profile().items) columns.push_back(item.id);
  std::vector<const Instrument*> scored;
  if (const Instrument* p = catalog.Find(primary_instrument)) scored.push_back(p);
  for (const Instrument& ins : catalog.instruments()) {
    if (ins.id != primary_instrument && ins.scoring.method != Scoring::Method::kNone) scored.push_back(&ins);
  }
  for (const Instrument* ins : scored) {
    for (const Item& item : ins->items) columns.push_back(item.id);
  }
  return columns;
}

namespace {

// The instrument an answer key belongs to: the primary first, then any other scored instrument.
const Instrument* OwnerOf(const Catalog& catalog, const std::string& primary, const std::string& item_id) {
  const Instrument* p = catalog.Find(primary);
  if (p && p->FindItem(item_id)) return p;
  for (const Instrument& ins : catalog.instruments()) {
    if (ins.id == primary || ins.scoring.method == Scoring::Method::kNone) continue;
    if (ins.FindItem(item_id)) return &ins;
  }
  return nullptr;
}

}  // namespace

Result<Response> ValidateResponse(const Catalog& catalog, const RawResponse& raw, const ValidateOptions& options) {
  const Instrument* primary = catalog.Find(options.primary_instrument);
  if (!primary) return Status::NotFound("instrument '" + options.primary_instrument + "' — expected one of the loaded instruments (see `shindan instruments`)");
  ProblemList problems;  // capped: a sheet of 200,000 unknown items gives 100 lines and a count
  Response out;
  out.company_id = raw.company_id;

  const AnswerParser& profile_parser = catalog.ParserFor(catalog.profile());
  for (const auto& [key, value] : raw.profile) {
    const Item* item = catalog.profile().FindItem(key);
    if (!item) {
      problems.Add(raw.Place("profile", key) + ": unknown profile field — expected one of the fields of instruments/profile.json");
      continue;
    }
    Result<std::string> v = profile_parser.Parse(*item, value);
    if (!v.ok()) problems.Add(raw.Place("profile", key) + ": " + v.status().message());
    else out.profile[key] = *v;
  }

  for (const auto& [key, value] : raw.answers) {
    const Instrument* ins = OwnerOf(catalog, options.primary_instrument, key);
    if (!ins) {
      problems.Add(raw.Place("answers", key) + ": unknown item " + Echo(key) + " — expected an item of " +
                         primary->id + " (" + primary->items.front().id + "…" + primary->items.back().id + ")");
      continue;
    }
    Result<std::string> v = catalog.ParserFor(*ins).Parse(*ins->FindItem(key), value);
    if (!v.ok()) problems.Add(raw.Place("answers", key) + ": " + v.status().message());
    else out.answers[ins->id][key] = *v;
  }

  // Every item of the primary instrument must be answered; another instrument's items only once
  // it was started (the org checklist is asked of companies scoring 70 or more).
  for (const Instrument& ins : catalog.instruments()) {
    const bool is_primary = ins.id == primary->id;
    if (!is_primary && !out.answers.count(ins.id)) continue;
    if (!is_primary && ins.scoring.method == Scoring::Method::kNone) continue;
    for (const Item& item : ins.items) {
      if (!item.required || raw.answers.count(item.id)) continue;
      if (options.allow_missing) {
        out.missing.push_back(item.id);
        continue;
      }
      problems.Add(raw.Place("answers", item.id) + ": missing — expected " + catalog.ParserFor(ins).DescribeOptions(item) +
                         " (or --allow-missing to score it 0)");
    }
  }
  if (!problems.empty()) return problems.ToStatus();
  return out;
}

Result<std::vector<RawResponse>> ReadWideCsv(const std::string& utf8, const std::string& file, const Catalog& catalog,
                                             const std::string& primary_instrument) {
  CsvReader reader(utf8);
  std::vector<std::string> header;
  if (!reader.Next(&header)) {
    if (!reader.status().ok()) return reader.status().WithContext(file);
    return Status::InvalidInput(file + ": empty — expected a header row (company_id, profile fields, item ids)");
  }
  enum class Kind { kCompanyId, kProfile, kAnswer };
  std::vector<Kind> kinds;
  std::set<std::string> seen;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = AsciiLower(NormalizeInput(header[i]));
    header[i] = name;
    if (!seen.insert(name).second) {
      return Status::InvalidInput(file + ":1:" + std::to_string(i + 1) + ": duplicate column '" + name + "'");
    }
    if (name == "company_id") kinds.push_back(Kind::kCompanyId);
    else if (catalog.profile().FindItem(name)) kinds.push_back(Kind::kProfile);
    else if (OwnerOf(catalog, primary_instrument, name)) kinds.push_back(Kind::kAnswer);
    else {
      return Status::InvalidInput(file + ":1:" + std::to_string(i + 1) + ": unknown column '" + header[i] +
                                  "' — expected company_id, a profile field or an item id (see docs/import.md)");
    }
  }
  std::vector<RawResponse> rows;
  std::vector<std::string> fields;
  while (reader.Next(&fields)) {
    RawResponse r;
    r.file = file;
    r.row = reader.line();
    if (fields.size() != header.size()) {
      return Status::InvalidInput(file + ":" + std::to_string(r.row) + ": " + std::to_string(fields.size()) +
                                  " fields — expected " + std::to_string(header.size()) + ", as in the header");
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (TrimAscii(fields[i]).empty()) continue;
      switch (kinds[i]) {
        case Kind::kCompanyId: r.company_id = std::string(TrimAscii(fields[i])); break;
        case Kind::kProfile: r.profile[header[i]] = fields[i]; break;
        case Kind::kAnswer: r.answers[header[i]] = fields[i]; break;
      }
    }
    rows.push_back(std::move(r));
  }
  if (!reader.status().ok()) return reader.status().WithContext(file);
  return rows;
}

Result<RawResponse> ParseJsonSheet(const std::string& text, const std::string& file, bool answers_required) {
  Result<nlohmann::json> doc = ParseJson(text, file);
  if (!doc.ok()) return doc.status();
  JsonCursor root(*doc, file);
  if (!root.IsObject()) return Status::InvalidInput(file + ": expected a JSON object {\"profile\": {…}, \"answers\": {…}}");
  root.CheckKeys({"company_id", "instrument", "profile", "answers"});
  RawResponse r;
  r.file = file;
  r.company_id = root.OptString("company_id").value_or("");
  for (const char* section : {"profile", "answers"}) {
    if (!root.Has(section)) {
      if (std::string(section) == "answers" && answers_required) root.Child(section).Fail("missing — expected an object of item id → answer");
      continue;
    }
    JsonCursor obj = root.Child(section);
    if (!obj.IsObject()) {
      obj.Fail("expected an object of field → value");
      break;
    }
    auto& target = std::string(section) == "profile" ? r.profile : r.answers;
    for (const std::string& key : obj.Keys()) {
      const nlohmann::json& v = obj.node()[key];
      std::string value;
      if (v.is_string()) value = v.get<std::string>();
      // A whole number as written (18446744073709551615 stays itself; the parser checks the range).
      else if (v.is_number_integer()) value = v.dump();
      else if (v.is_boolean()) value = v.get<bool>() ? "yes" : "no";
      else if (v.is_array()) {
        for (const auto& e : v) {
          if (!e.is_string()) {
            obj.Child(key).Fail("expected a list of strings");
            break;
          }
          value += (value.empty() ? "" : ";") + e.get<std::string>();
        }
      } else if (v.is_null()) {
        continue;
      } else {
        obj.Child(key).Fail((v.is_number() ? v.dump() + " — expected" : std::string("expected")) +
                            " a string, a whole number, true/false or a list" +
                            (v.is_number() ? std::string() : std::string(", found ") + v.type_name()));
        break;
      }
      if (!TrimAscii(value).empty()) target[key] = value;
    }
  }
  if (!root.ok()) return root.error();
  return r;
}

Result<RawResponse> ReadSheet(const FileSystem& fs, const std::string& path, const Catalog& catalog,
                              const std::string& primary_instrument) {
  Result<std::string> bytes = fs.ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  Result<std::string> text = ToUtf8(*bytes, DetectEncoding(*bytes));
  if (!text.ok()) return text.status().WithContext(path);
  std::string_view t = TrimAscii(*text);
  if (!t.empty() && t.front() == '{') return ParseJsonSheet(*text, path);
  Result<std::vector<RawResponse>> rows = ReadWideCsv(*text, path, catalog, primary_instrument);
  if (!rows.ok()) return rows.status();
  if (rows->size() != 1) {
    return Status::InvalidInput(path + ": " + std::to_string(rows->size()) +
                                " data rows — expected exactly one (use `shindan import` for a survey)");
  }
  return std::move(rows->front());
}

}  // namespace shindan
