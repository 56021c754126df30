#include "base/key_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shindan {
namespace {

// Numbers in the order keys were first added, the same number for a key seen again, and the keys
// intact across the table's growth (which moves slots without reading keys).
TEST(KeyIndexTest, NumbersKeysInOrderAndFindsThemAgainAcrossGrowth) {
  KeyIndex index;
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("company-" + std::to_string(i * 7919 % 5003));
  for (size_t i = 0; i < keys.size(); ++i) {
    bool added = false;
    EXPECT_EQ(index.FindOrAdd(keys[i], &added), i);
    EXPECT_TRUE(added) << keys[i];
  }
  EXPECT_EQ(index.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    bool added = true;
    EXPECT_EQ(index.FindOrAdd(keys[i], &added), i);
    EXPECT_FALSE(added) << keys[i];
    EXPECT_EQ(index.Key(static_cast<uint32_t>(i)), keys[i]);
  }
}

TEST(KeyIndexTest, EmptyAndPrefixKeysAreDistinct) {
  KeyIndex index;
  bool added = false;
  EXPECT_EQ(index.FindOrAdd("", &added), 0u);
  EXPECT_TRUE(added);
  EXPECT_EQ(index.FindOrAdd("a", &added), 1u);
  EXPECT_EQ(index.FindOrAdd("ab", &added), 2u);
  EXPECT_EQ(index.FindOrAdd("", &added), 0u);
  EXPECT_FALSE(added);
  EXPECT_EQ(index.Key(0), "");
  EXPECT_EQ(index.Key(1), "a");
  EXPECT_EQ(index.Key(2), "ab");
}

}  // namespace
}  // namespace shindan
