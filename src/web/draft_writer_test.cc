// The group commit: saves that arrive while a commit runs go together into the next one, each is
// committed exactly once and in the order it came, and each learns its commit's status.
#include "web/draft_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace shindan::web {
namespace {

TEST(DraftWriterTest, SavesWaitingDuringACommitGoTogetherIntoTheNext) {
  std::mutex seen_mu;
  std::vector<std::vector<int64_t>> groups;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  DraftWriter writer([&](std::span<const DraftWrite> writes) {
    std::vector<int64_t> ids;
    for (const DraftWrite& w : writes) ids.push_back(w.invitation_id);
    std::lock_guard<std::mutex> lock(seen_mu);
    if (groups.empty()) released.wait();  // the first commit is slow: the others queue behind it
    groups.push_back(ids);
    return Status::Ok();
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  threads.emplace_back([&] { ok += writer.Save(0, {{"a.sc01", "yes"}}).ok(); });
  while (writer.queued() < 1) std::this_thread::yield();
  for (int64_t i = 1; i < 16; ++i) threads.emplace_back([&, i] { ok += writer.Save(i, {{"a.sc01", "no"}}).ok(); });
  while (writer.queued() < 16) std::this_thread::yield();  // the leader and 15 waiting behind it
  release.set_value();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 16);
  ASSERT_EQ(groups.size(), 2u) << "one commit for the first save, one for the 15 that waited";
  EXPECT_EQ(groups[0], std::vector<int64_t>{0});
  EXPECT_EQ(groups[1].size(), 15u);
  std::vector<int64_t> all = groups[1];
  std::sort(all.begin(), all.end());
  for (int64_t i = 0; i < 15; ++i) EXPECT_EQ(all[static_cast<size_t>(i)], i + 1) << "each save once";
  EXPECT_EQ(writer.saves(), 16u);
  EXPECT_EQ(writer.commits(), 2u);
}

TEST(DraftWriterTest, EverySaveOfAFailedCommitLearnsItFailed) {
  DraftWriter writer([](std::span<const DraftWrite>) { return Status::Internal("disk full"); });
  Status s = writer.Save(7, {{"a.sc01", "yes"}});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "disk full");
  EXPECT_TRUE(writer.Save(8, {}).message() == "disk full") << "the writer goes on after a failure";
}

}  // namespace
}  // namespace shindan::web
