// The shipped instruments quote the 2009 IPA report verbatim (docs/instruments.md). These tests hold
// every Japanese text of the quoted instruments against tests/fixtures/seed-2009.txt, allowing only
// the editorial normalisation the documentation lists:
//   - footnote markers <sup>…</sup> are removed together with the spaces around them
//     (「Windows Update <sup>*1</sup> を行う」 → 「Windows Updateを行う」, Q12's 「ベンチマーク<sup>7</sup>の」);
//   - checklist item 3-5, split over a page break in the seed, is joined.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "instrument/loader.h"

#if __has_include("test_paths.h")
#include "test_paths.h"
#include "catalog/test_catalog.h"
#endif

namespace shindan {
namespace {

// Removes every <sup>…</sup> with the ASCII spaces directly before and after it.
std::string RemoveFootnoteMarkers(std::string text) {
  size_t pos = 0;
  while ((pos = text.find("<sup>", pos)) != std::string::npos) {
    size_t end = text.find("</sup>", pos);
    if (end == std::string::npos) break;
    end += 6;
    size_t begin = pos;
    while (begin > 0 && text[begin - 1] == ' ') --begin;
    while (end < text.size() && text[end] == ' ') ++end;
    text.erase(begin, end - begin);
    pos = begin;
  }
  return text;
}

// The one page break inside a quoted text: checklist item 3-5 (「…盗難、紛失などに備え」 / 「て、適切な…」).
const char kPageBreakIn3_5[] = "備え\t<input type=\"checkbox\"/>\n\n\tて、";

const std::string& NormalisedSeed() {
  static const std::string seed = [] {
    Result<std::string> raw = FileSystem::Disk().ReadFile(SHINDAN_SOURCE_ROOT "/tests/fixtures/seed-2009.txt");
    EXPECT_TRUE(raw.ok()) << raw.status().message();
    std::string text = raw.ok() ? RemoveFootnoteMarkers(*raw) : "";
    size_t at = text.find(kPageBreakIn3_5);
    EXPECT_NE(at, std::string::npos) << "the page break in checklist item 3-5 moved";
    if (at != std::string::npos) text.replace(at, sizeof kPageBreakIn3_5 - 1, "備えて、");
    return text;
  }();
  return seed;
}


void ExpectInSeed(const std::string& ja, const std::string& where) {
  EXPECT_FALSE(ja.empty()) << where;
  EXPECT_NE(NormalisedSeed().find(ja), std::string::npos) << where << ": not in the seed: " << ja;
}

TEST(SeedNormalisation, RemovesFootnoteMarkersWithTheirSpaces) {
  EXPECT_EQ(RemoveFootnoteMarkers("Windows Update <sup>*1</sup> を行う"), "Windows Updateを行う");
  EXPECT_EQ(RemoveFootnoteMarkers("ベンチマーク<sup>7</sup>の認知等"), "ベンチマークの認知等");
  EXPECT_EQ(RemoveFootnoteMarkers("Bcc <sup>*4</sup> 機能と ソフト <sup>*2</sup> を"), "Bcc機能と ソフトを");
  EXPECT_EQ(RemoveFootnoteMarkers("no markers"), "no markers");
}

TEST(SeedNormalisation, OnlyThoseEditsAreNeeded) {
  // Without the normalisation, the footnoted items and 3-5 are not found: the edits are really needed.
  Result<std::string> raw = FileSystem::Disk().ReadFile(SHINDAN_SOURCE_ROOT "/tests/fixtures/seed-2009.txt");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find(test::SourceInstrument("self-check-2009").FindItem("sc08")->text.ja), std::string::npos);
  EXPECT_EQ(raw->find(test::SourceInstrument("org-checklist-2009").FindItem("oc3_5")->text.ja), std::string::npos);
  EXPECT_EQ(raw->find(test::SourceInstrument("hearing-2009").FindItem("q12")->text.ja), std::string::npos);
}

TEST(SeedText, SelfCheckTextsAreVerbatim) {
  const Instrument& sc = test::SourceInstrument("self-check-2009");
  ASSERT_EQ(sc.items.size(), 25u);
  for (const Item& item : sc.items) ExpectInSeed(item.text.ja, item.id);
  for (const Instruction& i : sc.instructions) ExpectInSeed(i.text.ja, "instruction " + i.id);
  // Note *2 keeps the seed's 「Wriwy」.
  for (const Note& n : sc.notes) ExpectInSeed(n.text.ja, "note " + n.id);
  ExpectInSeed(sc.title.ja, "title");
}

TEST(SeedText, SelfCheckItemsAreExampleNadonoyouniObjective) {
  const Instrument& sc = test::SourceInstrument("self-check-2009");
  for (const Item& item : sc.items) {
    ASSERT_TRUE(item.example && item.objective) << item.id;
    EXPECT_EQ(item.text.ja, item.example->ja + "などのように、" + item.objective->ja) << item.id;
    // The phrase occurs exactly once.
    const std::string& t = item.text.ja;
    size_t first = t.find("などのように、");
    EXPECT_EQ(t.find("などのように、", first + 1), std::string::npos) << item.id;
  }
}

TEST(SeedText, SelfCheckAnswerLabelsAreTheSheetsColumns) {
  const Instrument& sc = test::SourceInstrument("self-check-2009");
  for (const Item& item : sc.items) {
    std::vector<std::string> labels;
    for (const AnswerOption& o : sc.answer_sets.at(item.answer_set)) labels.push_back(o.label.ja);
    if (std::stoi(item.number) <= 20) {
      EXPECT_EQ(labels, (std::vector<std::string>{"実施している", "一部実施している", "実施していない", "わからない"}))
          << item.id;
    } else {
      EXPECT_EQ(labels, (std::vector<std::string>{"実施している", "実施していない"})) << item.id;
    }
    for (const std::string& label : labels) ExpectInSeed(label, item.id + " answer");
  }
}

TEST(SeedText, OrgChecklistTextsAndSectionLabelsAreVerbatim) {
  const Instrument& oc = test::SourceInstrument("org-checklist-2009");
  ASSERT_EQ(oc.items.size(), 22u);
  for (const Item& item : oc.items) {
    ExpectInSeed(item.number + "\t" + item.text.ja, item.id);  // as the seed's row: number, tab, text
  }
  for (const Section& s : oc.sections) ExpectInSeed(s.number + ". " + s.label.ja, "section " + s.id);
}

TEST(SeedText, HearingTextsAreVerbatim) {
  const Instrument& h = test::SourceInstrument("hearing-2009");
  ASSERT_EQ(h.items.size(), 12u);
  for (const Item& item : h.items) {
    // The seed lists each question as 「- Qn) text」, the space after 「Qn)」 sometimes missing.
    const std::string& seed = NormalisedSeed();
    bool found = false;
    for (const char* space : {"", " "}) {
      found = found || seed.find("- " + item.number + ")" + space + item.text.ja + "\n") != std::string::npos;
    }
    EXPECT_TRUE(found) << item.id << ": " << item.text.ja;
  }
  for (const Section& s : h.sections) ExpectInSeed("(" + s.number + ")" + s.label.ja, "section " + s.id);
  for (const Note& n : h.notes) ExpectInSeed(n.text.ja, "note " + n.id);
}

TEST(SeedText, ReportFeedbackTextsAreVerbatim) {
  const Instrument& r = test::SourceInstrument("report-feedback");
  for (const Item& item : r.items) ExpectInSeed(item.text.ja, item.id);
  for (const Instruction& i : r.instructions) ExpectInSeed(i.text.ja, "instruction " + i.id);
  for (const AnswerOption& o : r.answer_sets.at("satisfaction")) ExpectInSeed(o.label.ja, "option " + o.code);
  ExpectInSeed(r.FindSection("contact")->label.ja, "section contact");
}

}  // namespace
}  // namespace shindan
