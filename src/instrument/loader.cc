#include "instrument/loader.h"

#include <nlohmann/json.hpp>

#include <set>

#include "base/json_reader.h"

namespace shindan {

namespace {

bool IsId(const std::string& s, bool allow_dash) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
    if (!ok) return false;
  }
  return true;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::optional<ItemType> ParseItemType(const std::string& s) {
  static const std::pair<const char*, ItemType> kTypes[] = {
      {"choice", ItemType::kChoice}, {"multi", ItemType::kMulti},   {"integer", ItemType::kInteger},
      {"boolean", ItemType::kBoolean}, {"text", ItemType::kText}, {"labels", ItemType::kLabels},
      {"prefecture", ItemType::kPrefecture}};
  for (const auto& [name, type] : kTypes) {
    if (s == name) return type;
  }
  return std::nullopt;
}

AnswerOption ReadOption(JsonCursor c) {
  c.CheckKeys({"code", "label", "aliases", "points"});
  AnswerOption o;
  o.code = c.String("code");
  if (c.ok() && !IsId(o.code, false)) c.Child("code").Fail("'" + o.code + "' — expected lowercase letters, digits and _");
  o.label = c.Text("label");
  if (c.Has("aliases")) o.aliases = c.StringList("aliases");
  o.points = c.OptInt("points");
  return o;
}

// Reads a list of {"id", <text key>} objects into `out`, checking ids are unique.
template <typename T>
void ReadIdTexts(JsonCursor parent, const std::string& key, const std::string& text_key, LocalText T::*text,
                 std::vector<T>* out) {
  if (!parent.Has(key)) return;
  JsonCursor list = parent.Child(key);
  if (!list.IsArray()) {
    list.Fail("expected a list");
    return;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < list.Size() && list.ok(); ++i) {
    JsonCursor c = list.At(i);
    c.CheckKeys({"id", text_key});
    T t;
    t.id = c.String("id");
    t.*text = c.Text(text_key);
    if (c.ok() && !seen.insert(t.id).second) c.Child("id").Fail("duplicate id '" + t.id + "'");
    out->push_back(std::move(t));
  }
}

Item ReadItem(JsonCursor c, const Instrument& ins) {
  c.CheckKeys({"id", "number", "section", "type", "answers", "text", "example", "objective", "instruction",
               "notes", "applies_if", "required", "help", "min", "max", "unit", "tags", "tag_labels",
               "suggestions"});
  Item item;
  item.id = c.String("id");
  if (c.ok() && !IsId(item.id, false)) c.Child("id").Fail("'" + item.id + "' — expected lowercase letters, digits and _");
  item.number = c.OptString("number").value_or("");
  item.section = c.OptString("section").value_or("");
  if (!item.section.empty() && c.ok() && !ins.FindSection(item.section)) {
    std::vector<std::string> ids;
    for (const auto& s : ins.sections) ids.push_back(s.id);
    c.Child("section").Fail("unknown section '" + item.section + "' — expected one of: " + Join(ids));
  }
  std::string type = c.String("type");
  if (!c.ok()) return item;
  auto parsed = ParseItemType(type);
  if (!parsed) {
    c.Child("type").Fail("unknown type '" + type + "' — expected one of: choice, multi, integer, boolean, text, labels, prefecture");
    return item;
  }
  item.type = *parsed;
  const bool has_options = item.type == ItemType::kChoice || item.type == ItemType::kMulti;
  if (has_options) {
    item.answer_set = c.String("answers");
    if (c.ok() && !ins.answer_sets.count(item.answer_set)) {
      std::vector<std::string> names;
      for (const auto& [name, unused] : ins.answer_sets) names.push_back(name);
      c.Child("answers").Fail("unknown answer set '" + item.answer_set + "' — expected one of: " + Join(names));
    }
  } else if (c.Has("answers")) {
    c.Child("answers").Fail(std::string(type == "integer" ? "an " : "a ") + type + " item takes no answer set");
  }
  item.text = c.Text("text");
  item.example = c.OptText("example");
  item.objective = c.OptText("objective");
  if (c.ok() && item.example && item.objective) {
    // The sheet's items read 「〇〇などのように、△△」: the whole text must begin with the example
    // and end with the objective, so that the two parts shown side by side say what the item says.
    const std::string& t = item.text.ja;
    const std::string& ex = item.example->ja;
    const std::string& ob = item.objective->ja;
    if (t.rfind(ex, 0) != 0) c.Child("example").Child("ja").Fail("the text does not begin with the example '" + ex + "'");
    else if (t.size() < ob.size() || t.compare(t.size() - ob.size(), ob.size(), ob) != 0 || ex.size() + ob.size() > t.size()) {
      c.Child("objective").Child("ja").Fail("the text does not end with the objective '" + ob + "'");
    } else if (t != ex + "などのように、" + ob) {
      c.Child("text").Child("ja").Fail("expected the example, 「などのように、」 and the objective: '" + ex + "などのように、" + ob + "'");
    }
  }
  item.instruction = c.OptString("instruction").value_or("");
  if (!item.instruction.empty() && c.ok() && !ins.FindInstruction(item.instruction)) {
    c.Child("instruction").Fail("unknown instruction '" + item.instruction + "'");
  }
  if (c.Has("notes")) item.notes = c.StringList("notes");
  for (size_t i = 0; i < item.notes.size() && c.ok(); ++i) {
    if (!ins.FindNote(item.notes[i])) c.Child("notes").At(i).Fail("unknown note '" + item.notes[i] + "'");
  }
  item.applies_if = c.OptString("applies_if").value_or("");
  if (!item.applies_if.empty() && c.ok()) {
    if (!ins.FindCondition(item.applies_if)) c.Child("applies_if").Fail("unknown condition '" + item.applies_if + "'");
    else if (!ins.not_applicable) c.Child("applies_if").Fail("the instrument has no \"not_applicable\" answer for items with a condition");
    else if (item.type != ItemType::kChoice) c.Child("applies_if").Fail("only choice items may have a condition");
  }
  item.required = c.OptBool("required").value_or(true);
  item.help = c.OptText("help");
  item.min = c.OptInt64("min");
  item.max = c.OptInt64("max");
  item.unit = c.OptText("unit");
  if ((item.min || item.max || item.unit) && item.type != ItemType::kInteger && c.ok()) {
    c.Fail("min, max and unit belong to integer items only");
  }
  if (item.min && item.max && *item.min > *item.max && c.ok()) c.Child("max").Fail("max is below min");
  if (c.Has("tags")) item.tags = c.StringList("tags");
  if (c.Has("tag_labels")) {
    JsonCursor labels = c.Child("tag_labels");
    for (const std::string& tag : labels.Keys()) {
      if (tag == "comment") continue;
      item.tag_labels[tag] = labels.Text(tag);
    }
  }
  if (c.Has("suggestions")) item.suggestions = c.StringList("suggestions");
  if ((!item.tags.empty() || !item.tag_labels.empty()) && item.type != ItemType::kText && c.ok()) {
    c.Fail("tags belong to text items only");
  }
  if (!item.suggestions.empty() && item.type != ItemType::kLabels && c.ok()) c.Fail("suggestions belong to labels items only");
  return item;
}

}  // namespace

Result<Instrument> ParseInstrument(const std::string& json_text, const std::string& file) {
  Result<nlohmann::json> doc = ParseJson(json_text, file);
  if (!doc.ok()) return doc.status();
  JsonCursor root(*doc, file);
  if (!root.IsObject()) return Status::InvalidInput(file + ": expected a JSON object at the top level");
  root.CheckKeys({"format", "id", "version", "title", "source", "instructions", "answer_sets", "not_applicable",
                  "conditions", "notes", "sections", "items", "scoring"});
  Instrument ins;
  std::string format = root.String("format");
  if (root.ok() && format != "shindan-instrument/1") {
    root.Child("format").Fail("'" + format + "' — expected \"shindan-instrument/1\"");
  }
  ins.id = root.String("id");
  if (root.ok() && !IsId(ins.id, true)) root.Child("id").Fail("'" + ins.id + "' — expected lowercase letters, digits and -");
  ins.version = root.String("version");
  ins.title = root.Text("title");
  ins.source = root.OptString("source").value_or("");
  ReadIdTexts(root, "instructions", "text", &Instruction::text, &ins.instructions);
  ReadIdTexts(root, "conditions", "question", &Condition::question, &ins.conditions);
  ReadIdTexts(root, "notes", "text", &Note::text, &ins.notes);

  if (root.Has("answer_sets")) {
    JsonCursor sets = root.Child("answer_sets");
    for (const std::string& name : sets.Keys()) {
      if (name == "comment") continue;
      JsonCursor list = sets.Child(name);
      if (!list.IsArray() || list.Size() == 0) {
        list.Fail("expected a non-empty list of answer options");
        break;
      }
      std::set<std::string> codes;
      std::vector<AnswerOption> options;
      for (size_t i = 0; i < list.Size() && root.ok(); ++i) {
        AnswerOption o = ReadOption(list.At(i));
        if (root.ok() && !codes.insert(o.code).second) list.At(i).Child("code").Fail("duplicate code '" + o.code + "'");
        options.push_back(std::move(o));
      }
      ins.answer_sets[name] = std::move(options);
    }
  }
  if (root.Has("not_applicable")) ins.not_applicable = ReadOption(root.Child("not_applicable"));

  if (root.Has("sections")) {
    JsonCursor list = root.Child("sections");
    std::set<std::string> seen;
    for (size_t i = 0; i < list.Size() && root.ok(); ++i) {
      JsonCursor c = list.At(i);
      c.CheckKeys({"id", "number", "label"});
      Section s;
      s.id = c.String("id");
      s.number = c.OptString("number").value_or("");
      s.label = c.Text("label");
      if (root.ok() && !seen.insert(s.id).second) c.Child("id").Fail("duplicate section id '" + s.id + "'");
      ins.sections.push_back(std::move(s));
    }
  }

  if (root.ok()) {
    JsonCursor scoring = root.Child("scoring");
    if (root.Has("scoring")) {
      scoring.CheckKeys({"method", "max", "pass_mark", "code"});
      std::string method = scoring.String("method");
      if (method == "points") {
        ins.scoring.method = Scoring::Method::kPoints;
        ins.scoring.max = scoring.Int("max");
        ins.scoring.pass_mark = scoring.Int("pass_mark");
      } else if (method == "count") {
        ins.scoring.method = Scoring::Method::kCount;
        ins.scoring.count_code = scoring.String("code");
      } else if (root.ok()) {
        scoring.Child("method").Fail("'" + method + "' — expected points or count");
      }
    }
  }

  JsonCursor items = root.Child("items");
  if (root.ok() && (!items.IsArray() || items.Size() == 0)) items.Fail("expected a non-empty list of items");
  std::set<std::string> item_ids;
  for (size_t i = 0; i < items.Size() && root.ok(); ++i) {
    Item item = ReadItem(items.At(i), ins);
    if (root.ok() && !item_ids.insert(item.id).second) items.At(i).Child("id").Fail("duplicate item id '" + item.id + "'");
    ins.items.push_back(std::move(item));
  }
  if (!root.ok()) return root.error();

  // Cross-checks that need the whole instrument.
  bool any_condition = false;
  std::set<std::string> used_sets;
  for (const Item& item : ins.items) {
    if (!item.applies_if.empty()) any_condition = true;
    if (!item.answer_set.empty()) used_sets.insert(item.answer_set);
  }
  if (ins.not_applicable && !any_condition) {
    root.Child("not_applicable").Fail("no item has \"applies_if\", so no item can be answered not applicable");
  }
  const bool points = ins.scoring.method == Scoring::Method::kPoints;
  for (const auto& [name, options] : ins.answer_sets) {
    for (size_t i = 0; i < options.size() && root.ok(); ++i) {
      if (points && used_sets.count(name) && !options[i].points) {
        root.Child("answer_sets").Child(name).At(i).Child("points").Fail("missing — expected points, as the instrument is scored by points");
      }
      if (!points && options[i].points) {
        root.Child("answer_sets").Child(name).At(i).Child("points").Fail("points given, but the instrument is not scored by points");
      }
    }
  }
  if (points && ins.not_applicable && !ins.not_applicable->points && root.ok()) {
    root.Child("not_applicable").Child("points").Fail("missing — expected the points a not-applicable answer counts in the original total");
  }
  if (points && root.ok()) {
    int best_total = 0;
    for (const Item& item : ins.items) {
      if (item.type == ItemType::kChoice) best_total += ins.BestPoints(item);
    }
    if (best_total != ins.scoring.max) {
      root.Child("scoring").Child("max").Fail(std::to_string(ins.scoring.max) + " — the items' best answers add up to " +
                                              std::to_string(best_total));
    } else if (ins.scoring.pass_mark > ins.scoring.max) {
      root.Child("scoring").Child("pass_mark").Fail("above max");
    }
  }
  if (ins.scoring.method == Scoring::Method::kCount && root.ok()) {
    bool found = false;
    for (const auto& [name, options] : ins.answer_sets) {
      for (const auto& o : options) found = found || o.code == ins.scoring.count_code;
    }
    if (!found) root.Child("scoring").Child("code").Fail("'" + ins.scoring.count_code + "' is not an answer code of this instrument");
  }
  if (!root.ok()) return root.error();
  return ins;
}

Result<Instrument> LoadInstrument(const FileSystem& fs, const std::string& path) {
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseInstrument(*text, path);
}

Result<std::vector<Instrument>> LoadInstrumentDir(const FileSystem& fs, const std::string& dir) {
  Result<std::vector<std::string>> files = fs.ListFiles(dir, ".json");
  if (!files.ok()) return files.status();
  if (files->empty()) return Status::NotFound(dir + ": no instrument files (*.json)");
  std::vector<Instrument> out;
  std::set<std::string> ids;
  for (const std::string& path : *files) {
    Result<Instrument> ins = LoadInstrument(fs, path);
    if (!ins.ok()) return ins.status();
    if (!ids.insert(ins->id).second) return Status::InvalidInput(path + ": id: duplicate instrument id '" + ins->id + "'");
    out.push_back(std::move(ins).value());
  }
  return out;
}

}  // namespace shindan
