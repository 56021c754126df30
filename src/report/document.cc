#include "report/document.h"

#include <charconv>
#include <cmath>

namespace shindan {
namespace {

// Fixed-point with `decimals` digits. std::to_chars rather than printf, so the output never
// depends on the process locale (a decimal comma would break every table).
std::string Fixed(double v, int decimals) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "–";
  std::string s(buf, end);
  // A tiny negative rounds to "-0.00"; nobody should read a sign on a zero.
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

}  // namespace

std::string FormatCell(const TableCell& cell, Lang lang) {
  using Kind = TableCell::Kind;
  if (cell.is_number() && !std::isfinite(cell.number)) return "–";
  switch (cell.kind) {
    case Kind::kEmpty:
      return "";
    case Kind::kText:
      return cell.label.in(lang);
    case Kind::kCount:
      return Fixed(std::round(cell.number), 0);
    case Kind::kShare:
      return Fixed(cell.number * 100.0, 1) + "%";
    case Kind::kMean:
      return Fixed(cell.number, 2);
    case Kind::kScore:
      return Fixed(cell.number, 1);
    case Kind::kStatistic:
      return Fixed(cell.number, 3);
    case Kind::kPValue:
      return cell.number < 0.001 ? "<0.001" : Fixed(cell.number, 3);
    case Kind::kSuppressed:
      return "–";
  }
  return "";
}

}  // namespace shindan
