// The shared --db and --survey options: every command that takes them describes them with the one
// text of db_options.cc (issue 9: five hand-written copies had drifted apart).
#include "cli/db_options.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "cli/command.h"
#include "cli/test_command.h"

namespace shindan {
namespace {

// The description of `option` in a command's --help ("  --db TEXT   description"), or "".
std::string Describe(const std::string& help, const std::string& option) {
  std::istringstream in(help);
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find_first_not_of(' ');
    if (at == std::string::npos || line.compare(at, option.size() + 1, option + " ") != 0) continue;
    const size_t gap = line.find("  ", at);
    if (gap == std::string::npos) return "";
    return line.substr(line.find_first_not_of(' ', gap));
  }
  return "";
}

TEST(SharedOptions, EveryCommandDescribesDbAndSurveyWithOneText) {
  std::map<std::string, std::set<std::string>> db, survey;  // description → commands
  for (const Command& c : Commands()) {
    test::Ran r = test::Call(c.run, {"--help"});
    ASSERT_EQ(r.code, 0) << c.name;
    if (std::string d = Describe(r.out, "--db"); !d.empty()) db[d].insert(c.name);
    if (std::string d = Describe(r.out, "--survey"); !d.empty()) survey[d].insert(c.name);
  }
  ASSERT_EQ(db.size(), 1u) << "--db is described in more than one way";
  EXPECT_EQ(db.begin()->first,
            "データベース: ファイル名、sqlite:PATH、postgresql://… (既定 ./shindan.db) / database: a file, sqlite:PATH or "
            "postgresql://… (default ./shindan.db)");
  for (const char* name : {"import", "export", "notes", "report", "estimate", "db", "backup", "restore"}) {
    EXPECT_TRUE(db.begin()->second.count(name)) << name << " lacks --db";
  }
  // One text; it names the default where the command has one (estimate has none: --survey
  // chooses the stored survey instead of --data).
  std::map<std::string, std::set<std::string>> expected = {
      {"調査名（既定 default）/ the survey's name (default \"default\")", {"export", "import", "notes", "report"}},
      {"調査名 / the survey's name", {"estimate"}}};
  for (auto& [text, commands] : survey) {
    ASSERT_TRUE(expected.count(text)) << "--survey described as: " << text;
    for (const std::string& c : expected[text]) EXPECT_TRUE(commands.count(c)) << c << " lacks --survey";
  }
  EXPECT_EQ(survey.size(), 2u);
}

}  // namespace
}  // namespace shindan
