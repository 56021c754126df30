// The strict JSON reader: no exception escapes, a number beyond double range and a key given twice
// are errors naming the place.
#include "base/json_reader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/problems.h"

namespace shindan {
namespace {

// Regression: 1e400 made nlohmann::json throw out_of_range, which nothing caught: score, import,
// report --input, instruments --validate and design aborted, and every command when it was in an
// instrument file.
TEST(ParseJson, ANumberBeyondDoubleRangeIsAnErrorNotACrash) {
  Result<nlohmann::json> r = ParseJson("{\n  \"employees\": 1e400\n}", "sheet.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(r.status().message(),
            "sheet.json:2:16: not valid JSON — number overflow parsing '1e400' — expected a number within the range of "
            "a double (±1.8e308)");
  EXPECT_FALSE(ParseJson("[-1e400]", "a.json").ok());
  EXPECT_TRUE(ParseJson("[1e300]", "a.json").ok());
}

// Regression: a key given twice was accepted silently (the last one won).
TEST(ParseJson, ADuplicateKeyIsRefusedNamingTheKeyAndThePath) {
  Result<nlohmann::json> r = ParseJson(R"({"answers": {"sc01": "yes", "sc02": "no", "sc01": "no"}})", "sheet.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "sheet.json: answers: duplicate key \"sc01\" — expected each key once");
  r = ParseJson(R"({"items": [{"id": "a"}, {"id": "b", "text": {"ja": "x"}, "id": "c"}]})", "ins.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "ins.json: items[1]: duplicate key \"id\" — expected each key once");
  r = ParseJson(R"({"a": 1, "a": 1})", "top.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "top.json: (top level): duplicate key \"a\" — expected each key once");
  // The same key in different objects is fine.
  EXPECT_TRUE(ParseJson(R"({"a": {"id": 1}, "b": {"id": 2}, "c": [{"id": 3}, {"id": 4}]})", "ok.json").ok());
}

TEST(ParseJson, SyntaxErrorsKeepTheirLineAndColumn) {
  Result<nlohmann::json> r = ParseJson("{\n  \"a\": tru\n}", "bad.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("bad.json:2:", 0), 0u) << r.status().message();
  EXPECT_NE(r.status().message().find("not valid JSON"), std::string::npos);
}

TEST(JsonCursor, AnIntegerBeyondIntIsNamedNotWrapped) {
  Result<nlohmann::json> doc = ParseJson(R"({"n": 4294967297, "m": 18446744073709551615})", "f.json");
  ASSERT_TRUE(doc.ok());
  JsonCursor c(*doc, "f.json");
  EXPECT_EQ(c.Int("n"), 0);
  EXPECT_EQ(c.error().message(), "f.json: n: 4294967297 — expected an integer between -2147483648 and 2147483647");
  JsonCursor d(*doc, "f.json");
  EXPECT_FALSE(d.OptInt64("m").has_value());
  EXPECT_EQ(d.error().message(), "f.json: m: 18446744073709551615 — expected an integer up to 9223372036854775807");
}

TEST(JsonCursor, KeepsTheFirstErrorOnly) {
  const nlohmann::json doc = nlohmann::json::parse(R"({"a": 1, "b": [1, "x", 2], "z": 0})");
  JsonCursor root(doc, "f.json");
  root.CheckKeys({"a", "b"});
  root.String("a");
  EXPECT_EQ(root.error().message(), "f.json: z: unknown key — expected one of: a, b");
}

// A reader that reports every problem of a file in one run gives the cursor a ProblemList.
TEST(JsonCursor, WithAProblemListEveryErrorIsListed) {
  const nlohmann::json doc = nlohmann::json::parse(R"({"a": 1, "b": [1, "x", 2], "y": 0, "z": 0})");
  ProblemList problems;
  JsonCursor root(doc, "f.json", &problems);
  root.CheckKeys({"a", "b"});
  root.String("a");
  root.StringList("b");
  root.Child("nested").Int("n");
  EXPECT_FALSE(root.ok());
  EXPECT_EQ(root.error().message(), "f.json: y: unknown key — expected one of: a, b") << "the first";
  EXPECT_EQ(problems.count(), 6);
  EXPECT_EQ(problems.Render(),
            "f.json: y: unknown key — expected one of: a, b\n"
            "f.json: z: unknown key — expected one of: a, b\n"
            "f.json: a: expected a string, found number\n"
            "f.json: b[0]: expected a string, found number\n"
            "f.json: b[2]: expected a string, found number\n"
            "f.json: nested: expected an object with \"n\"");
}

}  // namespace
}  // namespace shindan
