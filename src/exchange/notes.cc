#include "exchange/notes.h"

#include <algorithm>

#include "base/csv.h"
#include "base/problems.h"
#include "base/text.h"

namespace shindan {

namespace {

// The hearing item `value` names: its id (q1), number (Q1), the number without its letter (1) or
// its title; nullptr when none. `value` is NFKC-normalised already (Ｑ１ → Q1).
const Item* FindTopic(const Instrument& hearing, const std::string& value) {
  const std::string key = AsciiLower(value);
  for (const Item& item : hearing.items) {
    const std::string number = AsciiLower(item.number);
    if (key == item.id || key == number || "q" + key == number || "q" + key == item.id || value == item.text.ja ||
        value == item.text.en) {
      return &item;
    }
  }
  return nullptr;
}

std::string TopicChoices(const Instrument& hearing) {
  return "a hearing topic: " + hearing.items.front().id + "…" + hearing.items.back().id + " (or its number or title)";
}

}  // namespace

Result<std::vector<InterviewNote>> ParseInterviewNotes(std::string_view bytes, const std::string& file, const Instrument& hearing,
                                                       std::vector<int>* lines) {
  if (hearing.items.empty()) return Status::InvalidInput(hearing.id + " has no items");
  Result<std::string> text = ToUtf8(bytes, DetectEncoding(bytes));
  if (!text.ok()) return text.status().WithContext(file);
  std::string_view body = *text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);

  ProblemList problems;
  auto problem = [&](int line, const std::string& column, const std::string& what) {
    problems.Add(file + ":" + std::to_string(line) + ":" + column + ": " + what);
  };

  CsvReader reader(body);
  std::vector<std::string> fields;
  if (!reader.Next(&fields)) {
    return Status::InvalidInput(file + ": " + (reader.status().ok() ? std::string("empty file") : reader.status().message()) +
                                " — expected a header company_id,topic,tags,note[,interviewer]");
  }
  const char* const kColumns[] = {"company_id", "topic", "tags", "note", "interviewer"};
  int column[5] = {-1, -1, -1, -1, -1};
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name = NormalizeInput(fields[i]);
    auto it = std::find(std::begin(kColumns), std::end(kColumns), name);
    if (it == std::end(kColumns)) {
      problem(1, name, "unknown column — expected company_id, topic, tags, note or interviewer");
    } else if (column[it - std::begin(kColumns)] >= 0) {
      problem(1, name, "a second column of this name — expected each column once");
    } else {
      column[it - std::begin(kColumns)] = static_cast<int>(i);
    }
  }
  for (int c = 0; c < 4; ++c) {
    if (column[c] < 0) problem(1, kColumns[c], "missing column — expected company_id,topic,tags,note[,interviewer]");
  }
  std::vector<InterviewNote> notes;
  // With a good header every row is read, to report every problem; notes are kept while there is none.
  const bool header_ok = problems.empty();
  while (header_ok && reader.Next(&fields)) {
    const int line = reader.line();
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    auto cell = [&](int c) {
      return column[c] >= 0 && static_cast<size_t>(column[c]) < fields.size() ? NormalizeInput(fields[column[c]]) : std::string();
    };
    InterviewNote n;
    n.company_key = cell(0);
    if (n.company_key.empty()) problem(line, "company_id", "'' — expected the company_id of a company in the survey");
    const std::string topic = cell(1);
    if (const Item* item = FindTopic(hearing, topic)) {
      n.topic = item->id;
    } else {
      problem(line, "topic", Echo(topic) + " — expected " + TopicChoices(hearing));
    }
    for (const std::string& tag : SplitList(cell(2), {";"})) {
      if (!tag.empty()) n.tags.push_back(tag);
    }
    // The comment is kept as written (not NFKC-normalised: 全角 punctuation is part of the text).
    n.note = column[3] >= 0 && static_cast<size_t>(column[3]) < fields.size() ? std::string(TrimAscii(fields[column[3]])) : std::string();
    if (n.note.empty()) problem(line, "note", "'' — expected the comment");
    n.interviewer = cell(4);
    if (problems.empty()) {
      notes.push_back(std::move(n));
      if (lines) lines->push_back(line);
    }
  }
  if (!reader.status().ok()) problem(reader.line(), "-", reader.status().message());
  if (!problems.empty()) return problems.ToStatus();
  return notes;
}

}  // namespace shindan
