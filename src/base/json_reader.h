// Reading data files written in JSON with errors that name the file and the JSON path.
//
// nlohmann::json stays out of this header so that most files do not parse it; callers that need
// the DOM include <nlohmann/json.hpp> themselves (it is precompiled).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "base/text.h"

namespace shindan {

// Why a text is not acceptable JSON: where (line and column, counted from 1, columns in characters;
// or, for a key given twice, the JSON path of its object) and what ("syntax error …", "number
// overflow parsing '1e400'", "duplicate key \"id\" — expected each key once").
struct JsonSyntaxError {
  size_t line = 0;
  size_t column = 0;
  std::string path;  // set for a duplicate key ("" = the top-level object)
  bool duplicate_key = false;
  std::string what;
};

// Parses JSON strictly and without exceptions: besides syntax errors, a number beyond the range of
// a double (1e400) and an object with the same key twice are refused (nlohmann::json would throw
// on the first and silently keep the last of the second). Returns nullopt and fills *doc on success.
std::optional<JsonSyntaxError> ParseJsonStrict(std::string_view text, nlohmann::json* doc);

// Parses JSON text (strictly, as above). Errors name `file`, the line and the column, or the JSON
// path of a duplicate key: "FILE: items[3]: duplicate key \"id\" — expected each key once".
Result<nlohmann::json> ParseJson(std::string_view text, const std::string& file);

class ProblemList;

// A cursor into a parsed JSON document that remembers its path ("items[3].text.ja").
// The first error is kept; later calls become no-ops returning defaults, so a loader can read a
// whole object and check ok() once (RE2's ok()/error() style).
//
// Given a ProblemList, the cursor (and every cursor derived from it) also adds every error to it,
// not only the first, so that a reader can go on after a bad field and report all the problems of
// a file in one run; ok() and error() still speak of the first. Such a reader must not skip its
// checks on !ok(), and must not check again what a failed read already reported.
class JsonCursor {
 public:
  JsonCursor(const nlohmann::json& node, std::string file, std::string path = "");
  // REQUIRES: `problems` outlives the cursor and every cursor derived from it.
  JsonCursor(const nlohmann::json& node, std::string file, ProblemList* problems);

  const std::string& path() const { return path_; }
  bool ok() const { return error_->ok(); }
  const Status& error() const { return *error_; }
  // Records an error at this path: "FILE: PATH: message".
  void Fail(const std::string& message);

  bool Has(const std::string& key) const;
  bool IsArray() const;
  bool IsObject() const;
  JsonCursor Child(const std::string& key) const;
  JsonCursor At(size_t index) const;
  size_t Size() const;
  std::vector<std::string> Keys() const;

  // Required values; a missing or mistyped value records an error naming what was expected.
  std::string String(const std::string& key);
  int Int(const std::string& key);
  bool Bool(const std::string& key);
  LocalText Text(const std::string& key);
  std::vector<std::string> StringList(const std::string& key);

  // Optional values.
  std::optional<std::string> OptString(const std::string& key);
  std::optional<int> OptInt(const std::string& key);
  std::optional<long long> OptInt64(const std::string& key);
  std::optional<bool> OptBool(const std::string& key);
  std::optional<LocalText> OptText(const std::string& key);

  // Fails unless every key of this object is in `known` (or is "comment").
  void CheckKeys(const std::vector<std::string>& known);

  const nlohmann::json& node() const { return *node_; }

 private:
  JsonCursor(const nlohmann::json* node, std::string file, std::string path, std::shared_ptr<Status> error,
             ProblemList* problems);
  std::string ChildPath(const std::string& key) const;
  const nlohmann::json* Field(const std::string& key, const char* expected);

  const nlohmann::json* node_;
  std::string file_;
  std::string path_;
  std::shared_ptr<Status> error_;
  ProblemList* problems_;  // every error, when given; not owned
};

}  // namespace shindan
