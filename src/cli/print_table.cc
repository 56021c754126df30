#include "cli/print_table.h"

#include <algorithm>
#include <ostream>

#include "base/text.h"

namespace shindan {

namespace {

// Pads `s` on the left (right-aligns) or right to `width` terminal columns.
std::string Pad(const std::string& s, int width, bool right_align) {
  const int w = DisplayWidth(s);
  if (w >= width) return s;
  const std::string fill(static_cast<size_t>(width - w), ' ');
  return right_align ? fill + s : s + fill;
}

}  // namespace

// Prints rows as columns: the first left-aligned, the others right-aligned.
void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<int> width;
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], DisplayWidth(r[c]));
    }
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      if (c) line += "  ";
      line += Pad(r[c], width[c], c > 0);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

}  // namespace shindan
