#include "base/problems.h"

namespace shindan {

void ProblemList::Add(std::string problem) {
  if (kept_.size() < cap_) kept_.push_back(std::move(problem));
  ++count_;
}

std::string MoreProblems(long long n) {
  return "… 他 " + std::to_string(n) + " 件の問題 / and " + std::to_string(n) + (n == 1 ? " more problem" : " more problems");
}

std::string ProblemList::Render() const {
  std::string out;
  for (const std::string& p : kept_) out += (out.empty() ? "" : "\n") + p;
  const long long more = count_ - static_cast<long long>(kept_.size());
  if (more > 0) out += (out.empty() ? "" : "\n") + MoreProblems(more);
  return out;
}

Status ProblemList::ToStatus() const { return empty() ? Status::Ok() : Status::InvalidInput(Render()); }

std::string Echo(std::string_view value) {
  // Count characters, not bytes, and never cut a UTF-8 sequence in two.
  size_t chars = 0, i = 0;
  while (i < value.size() && chars < kEchoLimit) {
    const auto c = static_cast<unsigned char>(value[i]);
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + n > value.size()) n = 1;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(value[i + k]) & 0xC0) != 0x80) {
        n = 1;
        break;
      }
    }
    i += n;
    ++chars;
  }
  if (i >= value.size()) return "'" + std::string(value) + "'";
  const std::string size = std::to_string(value.size());
  return "'" + std::string(value.substr(0, i)) + "'…(" + size + " バイト、以下省略 / " + size + " bytes, cut)";
}

}  // namespace shindan
