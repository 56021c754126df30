#include "report/markdown.h"

namespace shindan {

namespace {

// Text from the survey (labels, interview notes) as Markdown shows it literally, as the HTML
// report escapes it: a Markdown viewer renders raw HTML and links, so `<script>`, `<img onerror>`
// or `[x](javascript:…)` in a note would run or link. The markup characters of HTML become
// entities, those of Markdown are backslash-escaped, and control characters are dropped.
std::string Text(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|':
        out += '\\';
        out += c;
        break;
      case '\n': case '\r': case '\t': out += ' '; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
    }
  }
  return out;
}

// Both languages, `lang` first; one when they are the same.
std::string Title(const LocalText& t, Lang lang) {
  const std::string first = Text(t.in(lang));
  const std::string second = Text(t.in(lang == Lang::kJa ? Lang::kEn : Lang::kJa));
  if (second.empty() || second == first) return first;
  return first + " / " + second;
}

// A table cell's text: as Text(), which also keeps a '|' or a line break from ending the cell.
std::string Escape(const std::string& s) { return Text(s); }

}  // namespace

std::string RenderMarkdown(const ReportDocument& doc, Lang lang) {
  std::string md;
  auto line = [&](const std::string& s) { md += s + "\n"; };
  line("# " + Title(doc.title, lang) + (doc.survey.empty() ? "" : " — " + Escape(doc.survey)));
  if (!doc.generated.empty()) {
    line("");
    line(std::string(lang == Lang::kJa ? "作成: " : "Made: ") + doc.generated);
  }
  if (doc.min_cell > 0) {
    line("");
    line(lang == Lang::kJa ? "回答数が " + std::to_string(doc.min_cell) + " 未満の数値は「–」で伏せています。"
                           : "Figures drawn from fewer than " + std::to_string(doc.min_cell) + " respondents are shown as \"–\".");
  }
  for (const ReportSection& section : doc.sections) {
    line("");
    line("## " + Title(section.title, lang));
    if (!section.facts.empty()) line("");
    for (const ReportFact& f : section.facts) {
      std::string value = FormatCell(f.value, lang);
      if (f.share.kind != TableCell::Kind::kEmpty) value += " (" + FormatCell(f.share, lang) + ")";
      line("- " + Text(f.label.in(lang)) + ": " + Text(value));
    }
    for (const ReportTable& t : section.tables) {
      line("");
      line("### " + Title(t.title, lang));
      line("");
      std::string head = "|", rule = "|";
      for (size_t c = 0; c < t.columns.size(); ++c) {
        head += " " + Escape(t.columns[c].in(lang)) + " |";
        bool numeric = !t.rows.empty() && c < t.rows.front().size() && t.rows.front()[c].kind != TableCell::Kind::kText;
        rule += numeric ? " ---: |" : " --- |";
      }
      line(head);
      line(rule);
      for (const auto& row : t.rows) {
        std::string r = "|";
        for (const TableCell& cell : row) r += " " + Escape(FormatCell(cell, lang)) + " |";
        line(r);
      }
      if (!t.note.in(lang).empty()) {
        line("");
        line(Text(t.note.in(lang)));
      }
    }
  }
  return md;
}

}  // namespace shindan
