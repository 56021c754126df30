// End-to-end tests of the real `shindan` binary on real files, as data (tests/cli_cases.json):
// each case gives the arguments, optional standard input, the exit code, and what standard output
// and standard error must contain (or, for --json, a subset of the JSON printed). A case may also
// be a list of "steps" run in one folder, with "same_files" compared byte for byte at the end.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
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
};

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
    for (const auto& c : all) cases.push_back({c.at("name").get<std::string>(), c});
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
    EXPECT_EQ(r.err, c["stderr"].get<std::string>());
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

INSTANTIATE_TEST_SUITE_P(Cases, Cli, ::testing::ValuesIn(LoadCases()), [](const auto& info) {
  std::string n;
  for (char ch : info.param.name) n += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return n;
});

}  // namespace
