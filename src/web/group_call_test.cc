// Calls that arrive together go together: the calls waiting while a group runs go into the next,
// each is handled exactly once, in the order it came, and learns its own answer.
#include "web/group_call.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"

namespace shindan::web {
namespace {

TEST(GroupCallTest, CallsWaitingDuringAGroupGoTogetherIntoTheNextEachWithItsOwnAnswer) {
  std::mutex seen_mu;
  std::vector<std::vector<int>> groups;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  GroupCall<int, std::string> call(
      [&](std::span<const int> ins) {
        std::lock_guard<std::mutex> lock(seen_mu);
        if (groups.empty()) released.wait();  // the first group is slow: the others queue behind it
        groups.emplace_back(ins.begin(), ins.end());
        std::vector<std::string> outs;
        for (int in : ins) outs.push_back("answer " + std::to_string(in));
        return outs;
      },
      512);
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  threads.emplace_back([&] { right += call.Call(0) == "answer 0"; });
  while (call.queued() < 1) std::this_thread::yield();
  for (int i = 1; i < 16; ++i) threads.emplace_back([&, i] { right += call.Call(i) == "answer " + std::to_string(i); });
  while (call.queued() < 16) std::this_thread::yield();  // the leader and 15 waiting behind it
  release.set_value();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(right.load(), 16) << "each call gets the answer to its own input";
  ASSERT_EQ(groups.size(), 2u) << "one group for the first call, one for the 15 that waited";
  EXPECT_EQ(groups[0], std::vector<int>{0});
  EXPECT_EQ(groups[1].size(), 15u);
  std::vector<int> all = groups[1];
  std::sort(all.begin(), all.end());
  for (int i = 0; i < 15; ++i) EXPECT_EQ(all[static_cast<size_t>(i)], i + 1) << "each call once";
  EXPECT_EQ(call.calls(), 16u);
  EXPECT_EQ(call.groups(), 2u);
}

TEST(GroupCallTest, AGroupIsAtMostTheLargestSizeTheRestGoesNext) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<size_t> sizes;
  GroupCall<int, int> call(
      [&](std::span<const int> ins) {
        if (sizes.empty()) released.wait();
        sizes.push_back(ins.size());
        return std::vector<int>(ins.begin(), ins.end());
      },
      4);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { call.Call(0); });
  while (call.queued() < 1) std::this_thread::yield();
  for (int i = 1; i <= 10; ++i) threads.emplace_back([&, i] { EXPECT_EQ(call.Call(i), i); });
  while (call.queued() < 11) std::this_thread::yield();
  release.set_value();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 4, 4, 2}));
}

TEST(GroupCallTest, EveryCallOfAFailedGroupLearnsItFailed) {
  GroupCall<int, Status> call(
      [](std::span<const int> ins) { return std::vector<Status>(ins.size(), Status::Internal("disk full")); }, 512);
  Status s = call.Call(7);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "disk full");
  EXPECT_EQ(call.Call(8).message(), "disk full") << "it goes on after a failure";
}

TEST(GroupCallTest, WhenTheRunThrowsEveryCallOfItsGroupThrowsAndTheNextGroupRuns) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> runs{0};
  GroupCall<int, int> call(
      [&](std::span<const int> ins) -> std::vector<int> {
        if (runs++ == 0) {
          released.wait();
          return std::vector<int>(ins.begin(), ins.end());
        }
        if (runs == 2) throw std::runtime_error("connection lost");
        return std::vector<int>(ins.begin(), ins.end());
      },
      512);
  std::vector<std::thread> threads;
  std::atomic<int> thrown{0};
  threads.emplace_back([&] { EXPECT_EQ(call.Call(0), 0); });
  while (call.queued() < 1) std::this_thread::yield();
  for (int i = 1; i <= 3; ++i) {
    threads.emplace_back([&, i] {
      try {
        call.Call(i);
      } catch (const std::runtime_error& e) {
        if (std::string(e.what()) == "connection lost") ++thrown;
      }
    });
  }
  while (call.queued() < 4) std::this_thread::yield();
  release.set_value();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(thrown.load(), 3) << "the three calls of the second group";
  EXPECT_EQ(call.Call(9), 9) << "the queue goes on";
  EXPECT_EQ(call.queued(), 0u);
}

}  // namespace
}  // namespace shindan::web
