#include "web/draft_writer.h"

#include <algorithm>
#include <vector>

namespace shindan::web {

Status DraftWriter::Save(int64_t invitation_id, const std::map<std::string, std::string>& values) {
  Waiter self;
  self.write = {invitation_id, values};
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&self);
  self.cv.wait(lock, [&] { return self.done || queue_.front() == &self; });
  if (self.done) return self.status;  // a commit before ours took our save along

  // This caller leads: it commits everything queued now, itself first.
  const size_t n = std::min(queue_.size(), kMaxGroup);
  std::vector<Waiter*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  lock.unlock();
  std::vector<DraftWrite> writes;
  writes.reserve(group.size());
  for (const Waiter* w : group) writes.push_back(w->write);
  // Rows locked in one order by every group, on every server: two servers' groups that touch the
  // same invitations then wait for each other instead of deadlocking. Stable, so that two saves of
  // one invitation keep their order (the later wins).
  std::stable_sort(writes.begin(), writes.end(),
                   [](const DraftWrite& a, const DraftWrite& b) { return a.invitation_id < b.invitation_id; });
  const Status status = commit_(writes);
  lock.lock();
  ++commits_;
  saves_ += group.size();
  for (Waiter* w : group) {
    queue_.pop_front();
    w->status = status;
    w->done = true;
    if (w != &self) w->cv.notify_one();
  }
  // The next in line leads the next group.
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  return status;
}

size_t DraftWriter::saves() const {
  std::lock_guard<std::mutex> lock(mu_);
  return saves_;
}

size_t DraftWriter::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

size_t DraftWriter::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace shindan::web
