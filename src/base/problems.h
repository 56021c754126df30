// The problems found in one input, and how a message quotes a value from it.
//
// Every reader of people's files (import, score's answer sheets, notes, frames, designs, data
// tables) reports what is wrong as a list of problems, one a line, each naming the place, the value
// and what was expected. The list keeps the first `cap` and counts the rest, so that a file with a
// million bad rows gives a readable message, and renders the same way everywhere:
//
//   survey.csv:12:sc05: 'maybe' — expected 実施している (yes), …
//   … 他 20 件の問題 / and 20 more problems
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace shindan {

class ProblemList {
 public:
  static constexpr size_t kDefaultCap = 100;
  explicit ProblemList(size_t cap = kDefaultCap) : cap_(cap) {}

  // Adds a problem: kept while fewer than `cap` are, always counted.
  void Add(std::string problem);
  // Counts problems that were found (and dropped) elsewhere, e.g. by a worker thread.
  void CountDropped(long long n) { count_ += n; }

  bool empty() const { return count_ == 0; }
  long long count() const { return count_; }
  const std::vector<std::string>& kept() const { return kept_; }

  // The kept problems, one a line, then "… 他 N 件の問題 / and N more problems" when some were
  // not kept. No final line break.
  std::string Render() const;
  // Ok when empty, else InvalidInput(Render()).
  Status ToStatus() const;

 private:
  size_t cap_;
  std::vector<std::string> kept_;
  long long count_ = 0;
};

// The line that ends a capped list: "… 他 N 件の問題 / and N more problems" (N > 0).
std::string MoreProblems(long long n);

// A value from the input as a message quotes it: 'value'. A value longer than kEchoLimit characters
// is cut there, saying so, so that a 10 MB cell does not flood the terminal:
//   'aaaa…aaaa'…(10485760 バイト、以下省略 / 10485760 bytes, cut)
constexpr size_t kEchoLimit = 80;
std::string Echo(std::string_view value);

}  // namespace shindan
