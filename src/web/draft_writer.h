// Group commit of the respondents' saves (issue 11 §9). Each save is acknowledged only after its
// commit is durable (the web opens SQLite with synchronous=FULL, PostgreSQL with synchronous_commit
// on: OpenOptions::durable_commits), and a durable commit costs a flush to disk whatever it holds;
// so saves that arrive while one commit is flushing wait and go together into the next
// (Store::SaveDrafts). This is the writer queue of LevelDB's DBImpl::Write:
// the first waiting caller commits for everyone queued behind it; no thread of its own.
//
// Only the commit is grouped in this process; the state is in the database as before, so several
// servers on one PostgreSQL each group their own saves.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <span>
#include <string>

#include "base/status.h"
#include "store/store.h"

namespace shindan::web {

class DraftWriter {
 public:
  // `commit` writes a group in one transaction (Store::SaveDrafts on a connection of the pool).
  explicit DraftWriter(std::function<Status(std::span<const DraftWrite>)> commit) : commit_(std::move(commit)) {}

  // Saves one invitation's values; returns once they are committed (with others, perhaps), with
  // the status of that commit.
  Status Save(int64_t invitation_id, const std::map<std::string, std::string>& values);

  // The saves committed and the commits made so far, and the saves waiting now (for tests).
  size_t saves() const;
  size_t commits() const;
  size_t queued() const;

 private:
  struct Waiter {
    DraftWrite write;
    Status status = Status::Ok();
    bool done = false;
    std::condition_variable cv;
  };
  // At most this many saves in one commit, so that one transaction stays short.
  static constexpr size_t kMaxGroup = 512;

  std::function<Status(std::span<const DraftWrite>)> commit_;
  mutable std::mutex mu_;
  std::deque<Waiter*> queue_;  // the front one commits; the others wait for it
  size_t saves_ = 0, commits_ = 0;
};

}  // namespace shindan::web
