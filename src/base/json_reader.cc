#include "base/json_reader.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "base/problems.h"

namespace shindan {

namespace {

// Feeds nlohmann's DOM builder and checks what it does not: every key of an object once. The JSON
// path of each open object or array is kept (key or element index), so that a duplicate key is
// named where it is. Errors of the parser (syntax, number overflow) arrive in parse_error with the
// byte position instead of as exceptions.
class StrictSax {
 public:
  explicit StrictSax(nlohmann::json* root) : dom_(*root, /*allow_exceptions=*/false) {}

  bool null() { return Done(dom_.null()); }
  bool boolean(bool v) { return Done(dom_.boolean(v)); }
  bool number_integer(nlohmann::json::number_integer_t v) { return Done(dom_.number_integer(v)); }
  bool number_unsigned(nlohmann::json::number_unsigned_t v) { return Done(dom_.number_unsigned(v)); }
  bool number_float(nlohmann::json::number_float_t v, const std::string& s) { return Done(dom_.number_float(v, s)); }
  bool string(std::string& v) { return Done(dom_.string(v)); }
  bool binary(nlohmann::json::binary_t& v) { return Done(dom_.binary(v)); }
  bool start_object(std::size_t n) {
    frames_.push_back({true, {}, {}, 0});
    return dom_.start_object(n);
  }
  bool key(std::string& k) {
    Frame& f = frames_.back();
    if (!f.keys.insert(k).second) {
      error_.duplicate_key = true;
      error_.path = Path();
      error_.what = "duplicate key \"" + k + "\" — expected each key once";
      return false;
    }
    f.key = k;
    return dom_.key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return Done(dom_.end_object());
  }
  bool start_array(std::size_t n) {
    frames_.push_back({false, {}, {}, 0});
    return dom_.start_array(n);
  }
  bool end_array() {
    frames_.pop_back();
    return Done(dom_.end_array());
  }
  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& e) {
    byte_ = position;
    // A number out of range is named where it starts, not where the parser stopped.
    if (e.id == 406 && position >= last_token.size()) byte_ = position - last_token.size() + 1;
    std::string what = e.what();
    if (e.id >= 100 && e.id < 200) {
      // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error …; last
      // read: 'x'": the useful part is after the last ": " (the place is computed by the caller).
      const size_t cut = what.rfind(": ");
      if (cut != std::string::npos) what = what.substr(cut + 2);
    } else if (const size_t cut = what.find("] "); cut != std::string::npos) {
      what = what.substr(cut + 2);  // "number overflow parsing '1e400'"
    }
    if (e.id == 406) what += " — expected a number within the range of a double (±1.8e308)";
    error_.what = std::move(what);
    return false;
  }

  const JsonSyntaxError& error() const { return error_; }
  size_t byte() const { return byte_; }

 private:
  struct Frame {
    bool object;
    std::unordered_set<std::string> keys;
    std::string key;  // the key being read (objects)
    size_t index;     // elements completed so far (arrays)
  };

  bool Done(bool ok) {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return ok;
  }
  std::string Path() const {
    std::string path;
    for (size_t i = 0; i + 1 < frames_.size(); ++i) {
      if (frames_[i].object) path += (path.empty() ? "" : ".") + frames_[i].key;
      else path += "[" + std::to_string(frames_[i].index) + "]";
    }
    return path;
  }

  nlohmann::detail::json_sax_dom_parser<nlohmann::json> dom_;
  std::vector<Frame> frames_;
  JsonSyntaxError error_;
  size_t byte_ = 0;
};

}  // namespace

std::optional<JsonSyntaxError> ParseJsonStrict(std::string_view text, nlohmann::json* doc) {
  nlohmann::json root;
  StrictSax sax(&root);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const std::exception& e) {  // not expected (errors go to parse_error); never let one out
    JsonSyntaxError error;
    error.line = error.column = 1;
    error.what = e.what();
    return error;
  }
  if (ok) {
    *doc = std::move(root);
    return std::nullopt;
  }
  JsonSyntaxError error = sax.error();
  if (!error.duplicate_key) {
    // Translate the byte offset into line:column, which is what an editor shows.
    size_t line = 1, column = 1;
    for (size_t i = 0; i + 1 < sax.byte() && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    error.line = line;
    error.column = column;
  }
  return error;
}

Result<nlohmann::json> ParseJson(std::string_view text, const std::string& file) {
  nlohmann::json doc;
  std::optional<JsonSyntaxError> error = ParseJsonStrict(text, &doc);
  if (!error) return doc;
  if (error->duplicate_key) {
    return Status::InvalidInput(file + ": " + (error->path.empty() ? "(top level)" : error->path) + ": " + error->what);
  }
  return Status::InvalidInput(file + ":" + std::to_string(error->line) + ":" + std::to_string(error->column) +
                              ": not valid JSON — " + error->what);
}

JsonCursor::JsonCursor(const nlohmann::json& node, std::string file, std::string path)
    : JsonCursor(&node, std::move(file), std::move(path), std::make_shared<Status>(), nullptr) {}

JsonCursor::JsonCursor(const nlohmann::json& node, std::string file, ProblemList* problems)
    : JsonCursor(&node, std::move(file), "", std::make_shared<Status>(), problems) {}

JsonCursor::JsonCursor(const nlohmann::json* node, std::string file, std::string path, std::shared_ptr<Status> error,
                       ProblemList* problems)
    : node_(node), file_(std::move(file)), path_(std::move(path)), error_(std::move(error)), problems_(problems) {}

void JsonCursor::Fail(const std::string& message) {
  if (!error_->ok() && !problems_) return;
  std::string problem = file_ + ": " + (path_.empty() ? "(top level)" : path_) + ": " + message;
  if (error_->ok()) *error_ = Status::InvalidInput(problem);
  if (problems_) problems_->Add(std::move(problem));
}

std::string JsonCursor::ChildPath(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

bool JsonCursor::Has(const std::string& key) const { return node_->is_object() && node_->contains(key); }
bool JsonCursor::IsArray() const { return node_->is_array(); }
bool JsonCursor::IsObject() const { return node_->is_object(); }

JsonCursor JsonCursor::Child(const std::string& key) const {
  static const nlohmann::json kNull;
  const nlohmann::json* child = Has(key) ? &(*node_)[key] : &kNull;
  return JsonCursor(child, file_, ChildPath(key), error_, problems_);
}

JsonCursor JsonCursor::At(size_t index) const {
  static const nlohmann::json kNull;
  const nlohmann::json* child = node_->is_array() && index < node_->size() ? &(*node_)[index] : &kNull;
  return JsonCursor(child, file_, path_ + "[" + std::to_string(index) + "]", error_, problems_);
}

size_t JsonCursor::Size() const { return node_->is_array() || node_->is_object() ? node_->size() : 0; }

std::vector<std::string> JsonCursor::Keys() const {
  std::vector<std::string> keys;
  if (node_->is_object()) {
    for (auto it = node_->begin(); it != node_->end(); ++it) keys.push_back(it.key());
  }
  return keys;
}

const nlohmann::json* JsonCursor::Field(const std::string& key, const char* expected) {
  if (!node_->is_object()) {
    Fail(std::string("expected an object with \"") + key + "\"");
    return nullptr;
  }
  if (!node_->contains(key)) {
    Child(key).Fail(std::string("missing — expected ") + expected);
    return nullptr;
  }
  return &(*node_)[key];
}

std::string JsonCursor::String(const std::string& key) {
  const nlohmann::json* v = Field(key, "a string");
  if (!v) return {};
  if (!v->is_string()) {
    Child(key).Fail("expected a string, found " + std::string(v->type_name()));
    return {};
  }
  if (v->get_ref<const std::string&>().empty()) Child(key).Fail("expected a non-empty string");
  return v->get<std::string>();
}

int JsonCursor::Int(const std::string& key) {
  const nlohmann::json* v = Field(key, "an integer");
  if (!v) return 0;
  if (!v->is_number_integer()) {
    Child(key).Fail("expected an integer, found " + std::string(v->type_name()));
    return 0;
  }
  if (v->is_number_unsigned() ? v->get<unsigned long long>() > static_cast<unsigned long long>(std::numeric_limits<int>::max())
                              : v->get<long long>() < std::numeric_limits<int>::min() ||
                                    v->get<long long>() > std::numeric_limits<int>::max()) {
    Child(key).Fail(v->dump() + " — expected an integer between -2147483648 and 2147483647");
    return 0;
  }
  return v->get<int>();
}

bool JsonCursor::Bool(const std::string& key) {
  const nlohmann::json* v = Field(key, "true or false");
  if (!v) return false;
  if (!v->is_boolean()) {
    Child(key).Fail("expected true or false, found " + std::string(v->type_name()));
    return false;
  }
  return v->get<bool>();
}

LocalText JsonCursor::Text(const std::string& key) {
  const nlohmann::json* v = Field(key, "a text {\"ja\": …, \"en\": …}");
  if (!v) return {};
  JsonCursor t = Child(key);
  if (!v->is_object()) {
    t.Fail("expected a text {\"ja\": …, \"en\": …}, found " + std::string(v->type_name()));
    return {};
  }
  t.CheckKeys({"ja", "en"});
  LocalText text;
  text.ja = t.String("ja");
  text.en = t.String("en");
  return text;
}

std::vector<std::string> JsonCursor::StringList(const std::string& key) {
  std::vector<std::string> out;
  const nlohmann::json* v = Field(key, "a list of strings");
  if (!v) return out;
  if (!v->is_array()) {
    Child(key).Fail("expected a list of strings, found " + std::string(v->type_name()));
    return out;
  }
  JsonCursor list = Child(key);
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      list.At(i).Fail("expected a string, found " + std::string((*v)[i].type_name()));
      continue;  // and name the next bad one too (a cursor with a ProblemList lists them all)
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::optional<std::string> JsonCursor::OptString(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return String(key);
}
std::optional<int> JsonCursor::OptInt(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return Int(key);
}
std::optional<long long> JsonCursor::OptInt64(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  const nlohmann::json& v = (*node_)[key];
  if (!v.is_number_integer()) {
    Child(key).Fail("expected an integer, found " + std::string(v.type_name()));
    return std::nullopt;
  }
  if (v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
    Child(key).Fail(v.dump() + " — expected an integer up to 9223372036854775807");
    return std::nullopt;
  }
  return v.get<long long>();
}
std::optional<bool> JsonCursor::OptBool(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return Bool(key);
}
std::optional<LocalText> JsonCursor::OptText(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return Text(key);
}

void JsonCursor::CheckKeys(const std::vector<std::string>& known) {
  if (!node_->is_object()) return;
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    if (it.key() == "comment") continue;
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      Child(it.key()).Fail("unknown key — expected one of: " + list);
    }
  }
}

}  // namespace shindan
