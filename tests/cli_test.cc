// End-to-end tests of the real `shindan` binary on real files, as data (tests/cli_cases*.json):
// each case gives the arguments, optional standard input, the exit code, and what standard output
// and standard error must contain (or, for --json, a subset of the JSON printed); "stderr" is the
// exact standard error, for messages that are contracts. A case may also be a list of "steps" run
// in one folder, with "same_files" compared byte for byte at the end. A key the runner does not
// know fails the case, naming it: a typo must not turn an assertion into nothing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>


namespace {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

// Runs the binary from the repository root, so fixture paths are relative to it.
RunResult RunShindan(const std::vector<std::string>& args, const std::string& input) {
  const std::string dir = ::testing::TempDir();
  const std::string tag = std::to_string(getpid());
  const std::string in_path = dir + "/shindan_in_" + tag, out_path = dir + "/shindan_out_" + tag,
                    err_path = dir + "/shindan_err_" + tag;
  std::ofstream(in_path, std::ios::binary) << input;
  std::string cmd = "cd " + ShellQuote(SHINDAN_SOURCE_ROOT) + " && " + ShellQuote(SHINDAN_BINARY);
  for (const auto& a : args) cmd += " " + ShellQuote(a);
  cmd += " <" + ShellQuote(in_path) + " >" + ShellQuote(out_path) + " 2>" + ShellQuote(err_path);
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(out_path);
  r.err = ReadAll(err_path);
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  return r;
}

// Every key of `expected` must be in `actual` with an equal value (recursively for objects).
void ExpectSubset(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& path) {
  if (expected.is_object() && actual.is_object()) {
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      ASSERT_TRUE(actual.contains(it.key())) << path << "." << it.key() << " missing in output";
      ExpectSubset(it.value(), actual[it.key()], path + "." + it.key());
    }
    return;
  }
  if (expected.is_array() && actual.is_array()) {
    ASSERT_EQ(expected.size(), actual.size()) << path << ": list lengths differ; actual " << actual.dump();
    for (size_t i = 0; i < expected.size(); ++i) ExpectSubset(expected[i], actual[i], path + "[" + std::to_string(i) + "]");
    return;
  }
  if (expected.is_number() && actual.is_number()) {
    EXPECT_NEAR(expected.get<double>(), actual.get<double>(), 1e-9) << path;
    return;
  }
  EXPECT_EQ(expected, actual) << path;
}

struct Case {
  std::string name;
  nlohmann::json spec;
  std::vector<std::string> problems;  // unknown keys, reported as failures of the case
};

// The keys of one invocation, of a case, and of a step's "file".
const std::set<std::string> kStepKeys = {"args",   "stdin",           "stdin_lines", "exit",         "stdout_contains",
                                         "stdout_lacks", "stderr_contains", "stderr", "stderr_empty", "json",
                                         "file",   "absent",          "comment"};
const std::set<std::string> kCaseKeys = {"name", "steps", "same_files", "comment"};
const std::set<std::string> kFileKeys = {"path", "contains", "lacks", "json"};

std::string KeyList(const std::set<std::string>& keys) {
  std::string s;
  for (const std::string& k : keys) s += (s.empty() ? "" : ", ") + k;
  return s;
}

// Every key of `spec` the runner does not know, as "case NAME[, step N]: unknown key 'K' — expected
// one of: …".
std::vector<std::string> UnknownKeys(const nlohmann::json& spec, const std::string& name) {
  std::vector<std::string> problems;
  auto check = [&](const nlohmann::json& object, const std::set<std::string>& allowed, const std::string& where) {
    if (!object.is_object()) {
      problems.push_back(where + ": expected an object, got " + object.dump());
      return;
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (!allowed.count(it.key())) {
        problems.push_back(where + ": unknown key '" + it.key() + "' — expected one of: " + KeyList(allowed));
      }
    }
  };
  auto check_step = [&](const nlohmann::json& step, const std::set<std::string>& allowed, const std::string& where) {
    check(step, allowed, where);
    if (step.is_object() && step.contains("file")) check(step["file"], kFileKeys, where + ", file");
  };
  const std::string where = "case '" + name + "'";
  if (spec.is_object() && spec.contains("steps")) {
    check(spec, kCaseKeys, where);
    int n = 0;
    for (const auto& step : spec["steps"]) check_step(step, kStepKeys, where + ", step " + std::to_string(++n));
  } else {
    std::set<std::string> allowed = kStepKeys;
    allowed.insert(kCaseKeys.begin(), kCaseKeys.end());
    allowed.erase("steps");
    check_step(spec, allowed, where);
  }
  return problems;
}

std::vector<Case> LoadCases() {
  // Every tests/cli_cases*.json, in name order.
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(SHINDAN_SOURCE_ROOT) + "/tests")) {
    const std::string name = e.path().filename().string();
    if (name.rfind("cli_cases", 0) == 0 && e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> cases;
  for (const auto& f : files) {
    std::ifstream in(f);
    nlohmann::json all = nlohmann::json::parse(in);
    for (const auto& c : all) {
      const std::string name = c.at("name").get<std::string>();
      cases.push_back({name, c, UnknownKeys(c, name)});
    }
  }
  return cases;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class Cli : public ::testing::TestWithParam<Case> {};

// Runs one invocation described by `c` (args, stdin / stdin_lines, and the expectations) in the
// case's folder `tmp`.
void RunStep(const nlohmann::json& c, const std::string& tmp, const std::string& label) {
  SCOPED_TRACE(label);
  auto expand = [&](std::string s) {
    for (size_t at; (at = s.find("{tmp}")) != std::string::npos;) s.replace(at, 5, tmp);
    return s;
  };
  std::string input;
  if (c.contains("stdin")) input = c["stdin"].get<std::string>();
  if (c.contains("stdin_lines")) {
    for (const auto& line : c["stdin_lines"]) input += line.get<std::string>() + "\n";
  }
  std::vector<std::string> args;
  for (const auto& a : c.at("args")) args.push_back(expand(a.get<std::string>()));
  RunResult r = RunShindan(args, input);
  EXPECT_EQ(r.exit_code, c.value("exit", 0)) << "stdout:\n" << r.out << "\nstderr:\n" << r.err;
  for (const auto& s : c.value("stdout_contains", nlohmann::json::array())) {
    EXPECT_NE(r.out.find(expand(s.get<std::string>())), std::string::npos) << "stdout lacks: " << s << "\nstdout:\n" << r.out;
  }
  for (const auto& s : c.value("stdout_lacks", nlohmann::json::array())) {
    EXPECT_EQ(r.out.find(s.get<std::string>()), std::string::npos) << "stdout has: " << s;
  }
  for (const auto& s : c.value("stderr_contains", nlohmann::json::array())) {
    EXPECT_NE(r.err.find(expand(s.get<std::string>())), std::string::npos) << "stderr lacks: " << s << "\nstderr:\n" << r.err;
  }
  if (c.contains("stderr")) {
    EXPECT_EQ(r.err, expand(c["stderr"].get<std::string>())) << "standard error differs from the contract";
  }
  if (c.value("stderr_empty", false)) {
    EXPECT_EQ(r.err, "");
  }
  if (c.contains("json")) {
    nlohmann::json actual = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(actual.is_discarded()) << "stdout is not JSON:\n" << r.out;
    ExpectSubset(c["json"], actual, "");
  }
  if (c.contains("file")) {
    const auto& f = c["file"];
    const std::string path = expand(f.at("path").get<std::string>());
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    std::string text = ReadAll(path);
    for (const auto& s : f.value("contains", nlohmann::json::array())) {
      EXPECT_NE(text.find(s.get<std::string>()), std::string::npos) << path << " lacks: " << s;
    }
    for (const auto& s : f.value("lacks", nlohmann::json::array())) {
      EXPECT_EQ(text.find(s.get<std::string>()), std::string::npos) << path << " has: " << s;
    }
    if (f.contains("json")) ExpectSubset(f["json"], nlohmann::json::parse(text), path);
    std::filesystem::remove(path);
  }
  for (const auto& p : c.value("absent", nlohmann::json::array())) {
    EXPECT_FALSE(std::filesystem::exists(expand(p.get<std::string>()))) << p << " exists";
  }
}

// A case is one invocation, or "steps": several run in order in the same folder (import, then
// export, …). "same_files": pairs of files that must be byte-identical after the last step.
TEST_P(Cli, Behaves) {
  for (const std::string& problem : GetParam().problems) ADD_FAILURE() << problem;
  if (!GetParam().problems.empty()) return;
  const nlohmann::json& c = GetParam().spec;
  // "{tmp}" in arguments and file paths is a fresh folder for this case.
  std::string safe;
  for (char ch : GetParam().name) safe += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  const std::string tmp = ::testing::TempDir() + "shindan_cli_" + std::to_string(getpid()) + "_" + safe;
  std::filesystem::remove_all(tmp);
  std::filesystem::create_directories(tmp);
  if (c.contains("steps")) {
    int n = 0;
    for (const auto& step : c["steps"]) RunStep(step, tmp, "step " + std::to_string(++n));
  } else {
    RunStep(c, tmp, "run");
  }
  for (const auto& pair : c.value("same_files", nlohmann::json::array())) {
    std::string a = pair.at(0).get<std::string>(), b = pair.at(1).get<std::string>();
    for (std::string* s : {&a, &b}) {
      for (size_t at; (at = s->find("{tmp}")) != std::string::npos;) s->replace(at, 5, tmp);
    }
    ASSERT_TRUE(std::filesystem::exists(a)) << a;
    ASSERT_TRUE(std::filesystem::exists(b)) << b;
    EXPECT_TRUE(ReadAll(a) == ReadAll(b)) << a << " and " << b << " differ";
  }
  std::filesystem::remove_all(tmp);
}

// A typo in a key fails the case and names the case, the step and the key.
TEST(CliCaseRunner, RejectsUnknownKeysNamingCaseAndKey) {
  const auto one = nlohmann::json::parse(R"({"name": "x", "args": ["instruments"], "stdout_contain": ["a"]})");
  std::vector<std::string> p = UnknownKeys(one, "x");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("case 'x': unknown key 'stdout_contain' — expected one of: ", 0), 0u) << p[0];
  const auto steps = nlohmann::json::parse(
      R"({"name": "y", "steps": [{"args": []}, {"args": [], "exitt": 2, "file": {"path": "p", "contain": []}}], "args": []})");
  p = UnknownKeys(steps, "y");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].rfind("case 'y': unknown key 'args'", 0), 0u) << p[0];
  EXPECT_EQ(p[1].rfind("case 'y', step 2: unknown key 'exitt'", 0), 0u) << p[1];
  EXPECT_EQ(p[2].rfind("case 'y', step 2, file: unknown key 'contain'", 0), 0u) << p[2];
}

TEST(CliCaseRunner, AcceptsEveryKeyItDocuments) {
  const auto one = nlohmann::json::parse(
      R"({"name": "x", "comment": "c", "args": [], "stdin": "", "stdin_lines": [], "exit": 0, "stdout_contains": [],
          "stdout_lacks": [], "stderr_contains": [], "stderr": "", "stderr_empty": true, "json": {},
          "file": {"path": "p", "contains": [], "lacks": [], "json": {}}, "absent": [], "same_files": []})");
  EXPECT_TRUE(UnknownKeys(one, "x").empty());
}

// The exit-code row "1: a failure of the program or of its data" (Status::Internal), which needs a
// broken data folder and so is no case file: the demo generator needs the org checklist. Regression
// (issue 9): `demo` mapped every status but kIoError to 2, so this was a "usage error".
TEST(ExitCodes, AFailureOfTheDataIsOneNotAUsageError) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(::testing::TempDir()) / ("shindan_exit_internal_" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  for (const char* dir : {"instruments", "data"}) {
    fs::copy(fs::path(SHINDAN_SOURCE_ROOT) / dir, root / dir, fs::copy_options::recursive);
  }
  ASSERT_TRUE(fs::remove(root / "instruments" / "org-checklist-2009.json"));
  RunResult r = RunShindan({"--data-dir", root.string(), "demo", "-o", (root / "demo.csv").string()}, "");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("demo: the catalog needs the instruments self-check-2009 and org-checklist-2009"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(root / "demo.csv"));
  fs::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Cases, Cli, ::testing::ValuesIn(LoadCases()), [](const auto& info) {
  std::string n;
  for (char ch : info.param.name) n += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return n;
});

}  // namespace
