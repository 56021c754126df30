// One problem list, one rendering; values echoed in messages are cut.
#include "base/problems.h"

#include <gtest/gtest.h>

namespace shindan {
namespace {

TEST(ProblemList, KeepsTheFirstAndCountsTheRest) {
  ProblemList list(2);
  EXPECT_TRUE(list.empty());
  EXPECT_TRUE(list.ToStatus().ok());
  for (int i = 1; i <= 5; ++i) list.Add("f.csv:" + std::to_string(i) + ": bad");
  EXPECT_EQ(list.count(), 5);
  EXPECT_EQ(list.Render(), "f.csv:1: bad\nf.csv:2: bad\n… 他 3 件の問題 / and 3 more problems");
  EXPECT_EQ(list.ToStatus().code(), Status::Code::kInvalidInput);
  ProblemList one(1);
  one.Add("a");
  one.Add("b");
  EXPECT_EQ(one.Render(), "a\n… 他 1 件の問題 / and 1 more problem");
}

// Regression: a 10 MB cell was echoed whole in its problem (10–20 MB on stderr).
TEST(Echo, AValueLongerThan80CharactersIsCutSayingSo) {
  EXPECT_EQ(Echo("maybe"), "'maybe'");
  EXPECT_EQ(Echo(std::string(80, 'x')), "'" + std::string(80, 'x') + "'");
  const std::string big(10 * 1024 * 1024, 'x');
  EXPECT_EQ(Echo(big), "'" + std::string(80, 'x') + "'…(10485760 バイト、以下省略 / 10485760 bytes, cut)");
  // Characters, not bytes: 81 kana (243 bytes) are cut after the 80th, never inside one.
  std::string kana;
  for (int i = 0; i < 81; ++i) kana += "あ";
  std::string cut;
  for (int i = 0; i < 80; ++i) cut += "あ";
  EXPECT_EQ(Echo(kana), "'" + cut + "'…(243 バイト、以下省略 / 243 bytes, cut)");
}

}  // namespace
}  // namespace shindan
