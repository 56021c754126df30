#include "web/bad_tokens.h"

#include <algorithm>
#include <ctime>
#include <optional>

namespace shindan::web {

namespace {

// "2026-12-02T15:39:29Z" (FormatTimestamp) as a time point; nullopt when it is not that shape.
std::optional<std::chrono::system_clock::time_point> ParseUtc(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

int64_t BadTokenWait(const BadTokenRecord& record, std::chrono::system_clock::time_point now, int64_t free_tokens) {
  if (record.failures < free_tokens) return 0;
  const std::optional<std::chrono::system_clock::time_point> last = ParseUtc(record.last_at);
  if (!last) return 0;
  const int64_t doublings = record.failures - free_tokens;
  const int64_t wait = doublings >= 10 ? kMaxBadTokenWait.count()
                                       : std::min<int64_t>(int64_t{1} << doublings, kMaxBadTokenWait.count());
  // `last_at` has whole seconds, so `elapsed` can be up to a second more than what really passed
  // (a bad token at 12:00:00.9 is stored as 12:00:00): the wait ends only once it is exceeded,
  // never sooner than it says.
  const int64_t elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - *last).count();
  return elapsed > wait ? 0 : std::max<int64_t>(wait - std::max<int64_t>(elapsed, 0), 1);
}

}  // namespace shindan::web
