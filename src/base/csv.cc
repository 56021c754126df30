#include "base/csv.h"

namespace shindan {

bool CsvReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  if (!status_.ok()) return false;
  // Skip blank lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;

  std::string field;
  while (true) {
    field.clear();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      // Quoted field.
      const int open_line = line_;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) {
          status_ = Status::InvalidInput("line " + std::to_string(open_line) +
                                         ": a quoted field is not closed — expected a closing \"");
          return false;
        }
        char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n') ++line_;
        field.push_back(c);
        ++pos_;
      }
      // After the closing quote only a separator or the end of the record may follow.
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
        status_ = Status::InvalidInput("line " + std::to_string(line_) + ", field " +
                                       std::to_string(fields->size() + 1) +
                                       ": text after a closing quote — expected , or the end of the line");
        return false;
      }
    } else {
      size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
      field.assign(text_.substr(start, pos_ - start));
    }
    fields->push_back(std::move(field));
    field = std::string();
    if (pos_ >= text_.size()) return true;
    char c = text_[pos_];
    if (c == ',') {
      ++pos_;
      continue;
    }
    // End of record: CRLF, LF or a lone CR.
    if (c == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
    }
    ++line_;
    return true;
  }
}

std::string CsvField(std::string_view value, bool neutralise_formulas) {
  std::string v(value);
  if (neutralise_formulas && !v.empty()) {
    char c = v[0];
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') v.insert(v.begin(), '\'');
  }
  bool needs_quotes = v.find_first_of(",\"\r\n") != std::string::npos;
  if (!needs_quotes) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields, bool neutralise_formulas) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line.push_back(',');
    line += CsvField(fields[i], neutralise_formulas);
  }
  line += "\r\n";
  return line;
}

}  // namespace shindan
