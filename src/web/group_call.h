// Calls that arrive together go to the database together (issue 11 §9). On a busy server most of a
// request's cost is not the database's work but the round trip to it: a wake-up of the thread and
// of the database's backend, and the kernel's loopback between them. So a call that finds another
// one running waits, and the calls queued meanwhile go together into the next — one round trip, one
// statement, for all of them:
//   - the respondents' saves, each acknowledged only after its commit is durable (the web opens
//     SQLite with synchronous=FULL, PostgreSQL with synchronous_commit on), so that many saves share
//     one flush to disk (Store::SaveDrafts);
//   - the reads before each respondent's request: the address's bad tokens, the invitation, its
//     draft (Store::LookupRespondents).
// This is the writer queue of LevelDB's DBImpl::Write: the first caller waiting runs the group for
// everyone queued behind it; no thread of its own. A call never joins a group already sent, so it
// sees every call acknowledged before it began.
//
// Only the calls are grouped in this process; the state is in the database as before, so several
// servers on one PostgreSQL each group their own calls.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace shindan::web {

template <typename In, typename Out>
class GroupCall {
 public:
  // `run` handles one group: one Out for each In, in their order. At most `max_group` calls go in
  // one group, so that one statement stays short.
  using Run = std::function<std::vector<Out>(std::span<const In>)>;
  GroupCall(Run run, size_t max_group) : run_(std::move(run)), max_group_(max_group) {}

  // Returns once `in` has been handled, with others perhaps, with what the run answered for it.
  // When the run throws, every call of its group throws the same exception.
  Out Call(In in) {
    Waiter self{std::move(in)};
    std::unique_lock<std::mutex> lock(mu_);
    queue_.push_back(&self);
    self.cv.wait(lock, [&] { return self.done() || queue_.front() == &self; });
    if (!self.done()) Lead(lock);
    if (self.error) std::rethrow_exception(self.error);
    return std::move(*self.out);
  }

  // The calls handled and the groups run so far, and the calls waiting now (for tests).
  size_t calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  size_t groups() const {
    std::lock_guard<std::mutex> lock(mu_);
    return groups_;
  }
  size_t queued() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queue_.size();
  }

 private:
  struct Waiter {
    In in;
    std::optional<Out> out;
    std::exception_ptr error;
    std::condition_variable cv;
    bool done() const { return out.has_value() || error; }
  };

  // Runs everything queued now, the caller (at the front) first; wakes the calls it answered and
  // the next in line, who leads the next group. REQUIRES: `lock` holds mu_.
  void Lead(std::unique_lock<std::mutex>& lock) {
    const size_t n = std::min(queue_.size(), max_group_);
    std::vector<Waiter*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    std::vector<In> ins;
    ins.reserve(n);
    for (Waiter* w : group) ins.push_back(std::move(w->in));
    std::vector<Out> outs;
    std::exception_ptr error;
    try {
      outs = run_(ins);
      if (outs.size() != n) {
        throw std::logic_error("GroupCall: the run answered " + std::to_string(outs.size()) + " of " +
                               std::to_string(n) + " calls");
      }
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    ++groups_;
    calls_ += n;
    for (size_t i = 0; i < n; ++i) {
      queue_.pop_front();
      if (error) {
        group[i]->error = error;
      } else {
        group[i]->out = std::move(outs[i]);
      }
      if (i > 0) group[i]->cv.notify_one();
    }
    if (!queue_.empty()) queue_.front()->cv.notify_one();
  }

  const Run run_;
  const size_t max_group_;
  mutable std::mutex mu_;
  std::deque<Waiter*> queue_;  // the front one runs the group; the others wait for it
  size_t calls_ = 0, groups_ = 0;
};

}  // namespace shindan::web
