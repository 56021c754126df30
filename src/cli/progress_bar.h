// A progress bar for long work on a terminal (import, demo): `\rLABEL [#####-----] 50%`, redrawn
// only when the percentage changes, and cleared when the bar is destroyed so that what follows
// starts on a clean line. Callers make one only when standard error is a terminal.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>

namespace shindan {

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, std::string label) : out_(out), label_(std::move(label)) {}
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() {
    if (percent_ >= 0) out_ << "\r" << std::string(60, ' ') << "\r" << std::flush;
  }

  void Update(uint64_t done, uint64_t total) {
    const int percent = total ? static_cast<int>(done * 100 / total) : 100;
    if (percent == percent_) return;
    percent_ = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    out_ << "\r" << label_ << " [" << std::string(filled, '#') << std::string(kWidth - filled, '-') << "] " << percent
         << "%" << std::flush;
  }

 private:
  std::ostream& out_;
  std::string label_;
  int percent_ = -1;
};

}  // namespace shindan
