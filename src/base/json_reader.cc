#include "base/json_reader.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace shindan {

Result<nlohmann::json> ParseJson(const std::string& text, const std::string& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Translate the byte offset into line:column, which is what an editor shows.
    size_t line = 1, column = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    std::string what = e.what();
    // nlohmann's message ends with the useful part after the last ": ".
    size_t cut = what.rfind(": ");
    std::string detail = cut == std::string::npos ? what : what.substr(cut + 2);
    return Status::InvalidInput(file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                ": not valid JSON — " + detail);
  }
}

JsonCursor::JsonCursor(const nlohmann::json& node, std::string file, std::string path)
    : JsonCursor(&node, std::move(file), std::move(path), std::make_shared<Status>()) {}

JsonCursor::JsonCursor(const nlohmann::json* node, std::string file, std::string path, std::shared_ptr<Status> error)
    : node_(node), file_(std::move(file)), path_(std::move(path)), error_(std::move(error)) {}

void JsonCursor::Fail(const std::string& message) {
  if (!error_->ok()) return;
  *error_ = Status::InvalidInput(file_ + ": " + (path_.empty() ? "(top level)" : path_) + ": " + message);
}

std::string JsonCursor::ChildPath(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

bool JsonCursor::Has(const std::string& key) const { return node_->is_object() && node_->contains(key); }
bool JsonCursor::IsArray() const { return node_->is_array(); }
bool JsonCursor::IsObject() const { return node_->is_object(); }

JsonCursor JsonCursor::Child(const std::string& key) const {
  static const nlohmann::json kNull;
  const nlohmann::json* child = Has(key) ? &(*node_)[key] : &kNull;
  return JsonCursor(child, file_, ChildPath(key), error_);
}

JsonCursor JsonCursor::At(size_t index) const {
  static const nlohmann::json kNull;
  const nlohmann::json* child = node_->is_array() && index < node_->size() ? &(*node_)[index] : &kNull;
  return JsonCursor(child, file_, path_ + "[" + std::to_string(index) + "]", error_);
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
      return out;
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
      return;
    }
  }
}

}  // namespace shindan
