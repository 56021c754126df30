#include "stats/frame.h"

#include <map>
#include <memory>

#include "base/csv.h"
#include "base/problems.h"
#include "base/text.h"

namespace shindan {

namespace {


bool IsTotalLabel(std::string_view s) {
  const std::string k = MatchKey(s);
  return k == "total" || k == "合計" || k == "計";
}

// A whole number ≥ 0: plain digits (455230) or grouped by thousands (455,230). NFKC first, so
// full-width digits and commas are accepted as well.
std::optional<int64_t> ParseCount(std::string_view raw) {
  const std::string s = NormalizeInput(raw);
  if (s.empty()) return std::nullopt;
  const bool grouped = s.find(',') != std::string::npos;
  int64_t value = 0;
  int digits_in_group = 0;
  bool first_group = true;
  for (char c : s) {
    if (c == ',') {
      if (!grouped || digits_in_group == 0 || (first_group && digits_in_group > 3) ||
          (!first_group && digits_in_group != 3)) {
        return std::nullopt;
      }
      first_group = false;
      digits_in_group = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (int64_t{1} << 53) / 10) return std::nullopt;  // far beyond any count of companies
    value = value * 10 + (c - '0');
    ++digits_in_group;
  }
  if (grouped && (digits_in_group != 3 || (first_group))) return std::nullopt;
  return value;
}

std::string LineRef(const std::string& source, int line, std::string_view column) {
  return source + ":" + std::to_string(line) + ":" + std::string(column);
}

}  // namespace

std::string GroupThousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[static_cast<size_t>(i)];
  }
  return value < 0 ? "-" + out : out;
}

std::optional<int64_t> Frame::Count(std::string_view industry, std::string_view column) const {
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c] != column) continue;
    for (const FrameRow& r : rows) {
      if (r.industry == industry) return r.counts[c];
    }
  }
  return std::nullopt;
}

IndustryLookup IndustryLookupFor(const Instrument& profile) {
  // Built once: every accepted spelling → code.
  auto spellings = std::make_shared<std::map<std::string, std::string>>();
  auto it = profile.answer_sets.find("industry");
  if (it != profile.answer_sets.end()) {
    for (const AnswerOption& o : it->second) {
      (*spellings)[MatchKey(o.code)] = o.code;
      (*spellings)[MatchKey(o.label.ja)] = o.code;
      (*spellings)[MatchKey(o.label.en)] = o.code;
      for (const std::string& a : o.aliases) (*spellings)[MatchKey(a)] = o.code;
    }
  }
  return [spellings](std::string_view label) -> std::optional<std::string> {
    auto f = spellings->find(MatchKey(label));
    if (f == spellings->end()) return std::nullopt;
    return f->second;
  };
}

Result<Frame> ParseFrame(std::string_view text, const std::string& source, const IndustryLookup& lookup) {
  Frame frame;
  frame.source = source;
  CsvReader reader(text);
  std::vector<std::string> fields;
  bool have_header = false;
  bool have_total = false;
  while (reader.Next(&fields)) {
    const int line = reader.line();
    if (!fields.empty() && NormalizeInput(fields[0]).rfind('#', 0) == 0) continue;  // a comment
    if (!have_header) {
      // industry, <size types…>, total
      if (fields.size() < 3 || MatchKey(fields.front()) != "industry" || !IsTotalLabel(fields.back())) {
        return Status::InvalidInput(LineRef(source, line, "1") +
                                    ": the header must be industry, the size types, then total "
                                    "(e.g. industry,A,B,C,total)");
      }
      for (size_t c = 1; c + 1 < fields.size(); ++c) {
        std::string name = NormalizeInput(fields[c]);
        if (name.empty()) {
          return Status::InvalidInput(LineRef(source, line, std::to_string(c + 1)) +
                                      ": a size-type column has no name");
        }
        for (const std::string& seen : frame.columns) {
          if (seen == name) {
            return Status::InvalidInput(LineRef(source, line, name) + ": column '" + name + "' appears twice");
          }
        }
        frame.columns.push_back(std::move(name));
      }
      have_header = true;
      continue;
    }
    const std::string where_row = source + ":" + std::to_string(line);
    if (have_total) {
      return Status::InvalidInput(where_row + ": a row after the total row — the total row (" + frame.total_label +
                                  ") must be the last");
    }
    const size_t expected = frame.columns.size() + 2;
    if (fields.size() != expected) {
      return Status::InvalidInput(where_row + ": " + std::to_string(fields.size()) + " fields, expected " +
                                  std::to_string(expected) + " as in the header");
    }
    const std::string label = NormalizeInput(fields[0]);
    std::vector<int64_t> counts;
    auto column_name = [&](size_t c) { return c < frame.columns.size() ? frame.columns[c] : std::string("total"); };
    for (size_t c = 0; c <= frame.columns.size(); ++c) {
      std::optional<int64_t> v = ParseCount(fields[c + 1]);
      if (!v) {
        return Status::InvalidInput(LineRef(source, line, column_name(c)) + ": " + Echo(fields[c + 1]) +
                                    " — expected a count of companies (a whole number such as 455230 or 455,230)");
      }
      counts.push_back(*v);
    }
    const int64_t total = counts.back();
    counts.pop_back();
    if (IsTotalLabel(label)) {
      frame.total_label = label;
      frame.total_line = line;
      frame.column_totals = std::move(counts);
      frame.grand_total = total;
      have_total = true;
      continue;
    }
    std::optional<std::string> code = lookup ? lookup(label) : std::optional<std::string>();
    if (!code) {
      return Status::InvalidInput(LineRef(source, line, "industry") + ": " + Echo(label) +
                                  " is not an industry — expected a code (mfg, dist, svc, …) or a label the "
                                  "profile instrument accepts");
    }
    for (const FrameRow& r : frame.rows) {
      if (r.industry == *code) {
        return Status::InvalidInput(LineRef(source, line, "industry") + ": " + Echo(label) + " is the industry " + *code +
                                    ", which line " + std::to_string(r.line) + " ('" + r.label + "') already gave");
      }
    }
    frame.rows.push_back(FrameRow{*code, label, line, std::move(counts), total});
  }
  if (!reader.status().ok()) return reader.status().WithContext(source);
  if (!have_header) return Status::InvalidInput(source + ": empty — expected a header industry,A,B,C,total");
  if (frame.rows.empty()) return Status::InvalidInput(source + ": no industry rows");
  if (!have_total) {
    return Status::InvalidInput(source +
                                ": no total row — the last row must be total (or 合計) with the column totals");
  }

  // Every total against its cells; every disagreement is reported.
  ProblemList problems;
  int64_t sum_of_row_totals = 0;
  for (const FrameRow& r : frame.rows) {
    int64_t sum = 0;
    for (int64_t v : r.counts) sum += v;
    sum_of_row_totals += r.total;
    if (sum != r.total) {
      problems.Add(LineRef(source, r.line, "total") + ": " + r.label + " total is " + GroupThousands(r.total) +
                         " but its cells add up to " + GroupThousands(sum));
    }
  }
  int64_t sum_of_column_totals = 0;
  for (size_t c = 0; c < frame.columns.size(); ++c) {
    int64_t sum = 0;
    for (const FrameRow& r : frame.rows) sum += r.counts[c];
    sum_of_column_totals += frame.column_totals[c];
    if (sum != frame.column_totals[c]) {
      problems.Add(LineRef(source, frame.total_line, frame.columns[c]) + ": " + frame.total_label + " " +
                         frame.columns[c] + " is " + GroupThousands(frame.column_totals[c]) +
                         " but its column adds up to " + GroupThousands(sum));
    }
  }
  if (sum_of_row_totals != frame.grand_total) {
    problems.Add(LineRef(source, frame.total_line, "total") + ": " + frame.total_label + " total is " +
                       GroupThousands(frame.grand_total) + " but the row totals add up to " +
                       GroupThousands(sum_of_row_totals));
  }
  if (sum_of_column_totals != frame.grand_total) {
    problems.Add(LineRef(source, frame.total_line, "total") + ": " + frame.total_label + " total is " +
                       GroupThousands(frame.grand_total) + " but the column totals add up to " +
                       GroupThousands(sum_of_column_totals));
  }
  if (!problems.empty()) return problems.ToStatus();
  return frame;
}

}  // namespace shindan
