#include "web/draft_writer.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace shindan::web {

Status DraftWriter::Save(int64_t invitation_id, const std::map<std::string, std::string>& values) {
  auto self = std::make_shared<Waiter>();
  self->write = {invitation_id, values};
  bool lead = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(self);
    lead = queue_.size() == 1;  // nobody committing: lead at once
  }
  if (!lead) {
    std::unique_lock<std::mutex> lock(self->mu);
    self->cv.wait(lock, [&] { return self->done || self->lead; });
    if (self->done) return self->status;  // a commit before ours took our save along
  }

  // This caller leads: it commits everything queued now, itself first.
  std::vector<std::shared_ptr<Waiter>> group;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const size_t n = std::min(queue_.size(), kMaxGroup);
    group.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  std::vector<DraftWrite> writes;
  writes.reserve(group.size());
  for (const auto& w : group) writes.push_back(w->write);
  // Rows locked in one order by every group, on every server: two servers' groups that touch the
  // same invitations then wait for each other instead of deadlocking. Stable, so that two saves of
  // one invitation keep their order (the later wins).
  std::stable_sort(writes.begin(), writes.end(),
                   [](const DraftWrite& a, const DraftWrite& b) { return a.invitation_id < b.invitation_id; });
  const Status status = commit_(writes);
  std::shared_ptr<Waiter> next;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++commits_;
    saves_ += group.size();
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(group.size()));
    if (!queue_.empty()) next = queue_.front();
  }
  // The next in line leads the next group; then the saves of this one learn how it went.
  if (next) Wake(*next, [](Waiter& w) { w.lead = true; });
  for (const auto& w : group) {
    if (w == self) continue;
    Wake(*w, [&](Waiter& x) {
      x.status = status;
      x.done = true;
    });
  }
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
