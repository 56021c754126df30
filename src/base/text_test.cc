#include "base/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shindan {
namespace {

// --- NormalizeInput: what people type becomes what the parsers compare ---------------------------

struct NormalizeCase {
  const char* name;
  std::string input;
  std::string expected;
};

TEST(NormalizeInput, TableOfWhatPeopleType) {
  const NormalizeCase cases[] = {
      {"full-width digits", "１２３", "123"},
      {"full-width letters", "ＹＥＳ", "YES"},
      {"ideographic spaces trimmed", "\u3000東京\u3000", "東京"},
      {"ASCII spaces and tabs trimmed", " \t実施している\t ", "実施している"},
      {"half-width katakana with dakuten", "ｶﾞ", "ガ"},
      {"half-width katakana word", "ﾊﾟｽﾜｰﾄﾞ", "パスワード"},
      {"full-width semicolon", "基幹系；情報系", "基幹系;情報系"},
      {"inner spaces kept", "　I P A　", "I P A"},
      {"plain ASCII unchanged", "yes", "yes"},
      {"empty stays empty", "", ""},
      {"blank becomes empty", "\u3000 \u3000", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(NormalizeInput(c.input), c.expected) << c.name;
  }
}

TEST(AsciiLower, LowersOnlyAscii) {
  EXPECT_EQ(AsciiLower("Tokyo-TO"), "tokyo-to");
  EXPECT_EQ(AsciiLower("Ｔōkyō"), "Ｔōkyō");
}

// --- SplitList -------------------------------------------------------------------------------------

TEST(SplitList, SplitsOnAnySeparatorTrimsAndDropsEmptyParts) {
  EXPECT_EQ(SplitList("a; b ;;c", {";"}), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitList("Pマーク、ISMS;ＩＳＯ", {";", "、"}), (std::vector<std::string>{"Pマーク", "ISMS", "ＩＳＯ"}));
  EXPECT_EQ(SplitList(" ; ;", {";"}), (std::vector<std::string>{}));
  EXPECT_EQ(SplitList("one", {";"}), (std::vector<std::string>{"one"}));
  EXPECT_EQ(SplitList("a::b", {"::", ":"}), (std::vector<std::string>{"a", "b"}));
}

// --- Encodings -------------------------------------------------------------------------------------

TEST(ParseEncoding, AcceptsTheNamesPeopleUse) {
  for (const char* name : {"utf-8", "UTF-8", "utf8"}) {
    Result<Encoding> e = ParseEncoding(name);
    ASSERT_TRUE(e.ok()) << name;
    EXPECT_EQ(*e, Encoding::kUtf8) << name;
  }
  for (const char* name : {"shift_jis", "Shift_JIS", "shift-jis", "SJIS", "cp932", "Windows-31J"}) {
    Result<Encoding> e = ParseEncoding(name);
    ASSERT_TRUE(e.ok()) << name;
    EXPECT_EQ(*e, Encoding::kShiftJis) << name;
  }
}

TEST(ParseEncoding, UnknownNameIsAnErrorNamingIt) {
  Result<Encoding> e = ParseEncoding("EUC-JP");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "encoding 'EUC-JP' — expected utf-8 or shift_jis");
}

// 実施している in CP932, as Excel on Japanese Windows saves it.
const std::string kJisshiSjis = "\x8E\xC0\x8E\x7B\x82\xB5\x82\xC4\x82\xA2\x82\xE9";

TEST(ShiftJis, DecodesRealCp932Bytes) {
  Result<std::string> u = ToUtf8(kJisshiSjis, Encoding::kShiftJis);
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(*u, "実施している");
}

TEST(ShiftJis, EncodesToRealCp932Bytes) {
  Result<std::string> s = FromUtf8("実施している", Encoding::kShiftJis);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*s, kJisshiSjis);
}

struct RoundTripCase {
  const char* name;
  std::string utf8;
  std::string cp932;
};

TEST(ShiftJis, RoundTripsIncludingCp932Extensions) {
  const RoundTripCase cases[] = {
      {"ASCII", "sc01,yes\r\n", "sc01,yes\r\n"},
      {"kanji and kana", "実施している", kJisshiSjis},
      {"NEC special: circled digit", "①", "\x87\x40"},
      {"NEC special: parenthesised kabushiki", "㈱ノークリサーチ",
       "\x87\x8A\x83\x6D\x81\x5B\x83\x4E\x83\x8A\x83\x54\x81\x5B\x83\x60"},
      {"wave dash as Excel writes it (U+FF5E)", "上記1～24", "\x8F\xE3\x8B\x4C\x31\x81\x60\x32\x34"},
      {"half-width katakana", "ｶﾞ", "\xB6\xDE"},
  };
  for (const auto& c : cases) {
    Result<std::string> encoded = FromUtf8(c.utf8, Encoding::kShiftJis);
    ASSERT_TRUE(encoded.ok()) << c.name << ": " << encoded.status().message();
    EXPECT_EQ(*encoded, c.cp932) << c.name;
    Result<std::string> decoded = ToUtf8(c.cp932, Encoding::kShiftJis);
    ASSERT_TRUE(decoded.ok()) << c.name << ": " << decoded.status().message();
    EXPECT_EQ(*decoded, c.utf8) << c.name;
  }
}

TEST(ShiftJis, CharacterShiftJisLacksIsNamed) {
  Result<std::string> s = FromUtf8("実施😀しています", Encoding::kShiftJis);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "character '😀' cannot be written in Shift_JIS");
}

struct BadBytesCase {
  const char* name;
  std::string bytes;
  std::string error;
};

TEST(ShiftJis, InvalidBytesAreAnErrorNamingTheOffsetOfTheBadSequence) {
  const BadBytesCase cases[] = {
      {"unassigned two-byte code (row 0x85) after あ", "\x82\xA0\x85\x40", "byte 2 (0x85, line 1, column 3): not valid Shift_JIS"},
      {"unassigned single byte 0xFF after あ", "\x82\xA0\xFF", "byte 2 (0xFF, line 1, column 3): not valid Shift_JIS"},
      {"lead byte followed by a byte that cannot trail", "a\x82\x20z", "byte 1 (0x82, line 1, column 2): not valid Shift_JIS"},
      {"lead byte followed by 0xFF", "\x82\xA0\x81\xFFz", "byte 2 (0x81, line 1, column 3): not valid Shift_JIS"},
      {"0xA0 at the start", "\xA0\x82\xA0", "byte 0 (0xA0, line 1, column 1): not valid Shift_JIS"},
      {"truncated lead byte at the end", "ab\x82", "byte 2 (0x82, line 1, column 3): not valid Shift_JIS"},
  };
  for (const auto& c : cases) {
    Result<std::string> u = ToUtf8(c.bytes, Encoding::kShiftJis);
    ASSERT_FALSE(u.ok()) << c.name;
    EXPECT_EQ(u.status().message(), c.error) << c.name;
  }
}

TEST(Utf8, BomIsDropped) {
  Result<std::string> u = ToUtf8(
      "\xEF\xBB\xBF"
      "東京",
      Encoding::kUtf8);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, "東京");
}

TEST(Utf8, InvalidBytesAreAnErrorNamingTheByteOffset) {
  Result<std::string> u = ToUtf8(
      "ab\xFF"
      "c",
      Encoding::kUtf8);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().message(), "byte 2 (0xFF, line 1, column 3): not valid UTF-8");
}

TEST(Utf8, InvalidByteOffsetCountsTheBom) {
  // The offset is into the bytes as given (what a hex editor shows), BOM included.
  Result<std::string> u = ToUtf8(
      "\xEF\xBB\xBF"
      "ab\xFF",
      Encoding::kUtf8);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().message(), "byte 5 (0xFF, line 1, column 6): not valid UTF-8");
}

TEST(Utf8, TruncatedSequenceIsNamedAtItsFirstByte) {
  // 東 is E6 9D B1; only its first two bytes, after "x".
  Result<std::string> u = ToUtf8("x\xE6\x9D", Encoding::kUtf8);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().message(), "byte 1 (0xE6, line 1, column 2): not valid UTF-8");
}

// Regression: one bad byte on line 11 of a UTF-8 file made the whole file "Shift_JIS" and blamed
// the valid Japanese text of line 2. Mostly-UTF-8 text (or a BOM) stays UTF-8 and the bad byte
// is named by its line and column.
TEST(Utf8, OneBadByteInAUtf8FileIsNamedByLineAndColumn) {
  std::string text = "company_id,memo\n";
  for (int i = 2; i <= 10; ++i) text += "c" + std::to_string(i) + ",東京都の会社\n";
  text += "c11,ab\xFF\n";
  EXPECT_EQ(DetectEncoding(text), Encoding::kUtf8);
  Result<std::string> u = ToUtf8(text, DetectEncoding(text));
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().message(), "byte " + std::to_string(text.size() - 2) + " (0xFF, line 11, column 7): not valid UTF-8");
  // With a BOM, even one bad byte and no other non-ASCII text is UTF-8's problem.
  EXPECT_EQ(DetectEncoding("\xEF\xBB\xBF" "a,b\nc,\x82\xA0\n"), Encoding::kUtf8);
  // Shift_JIS text stays Shift_JIS.
  EXPECT_EQ(DetectEncoding("a,b\nc,\x93\x8C\x8B\x9E\n"), Encoding::kShiftJis);
}

TEST(Utf8, FromUtf8ToUtf8IsTheIdentity) {
  Result<std::string> s = FromUtf8("😀東京", Encoding::kUtf8);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "😀東京");
}

TEST(DetectEncoding, ValidUtf8IsUtf8ElseShiftJis) {
  EXPECT_EQ(DetectEncoding("sc01,yes"), Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding("実施している"), Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding("\xEF\xBB\xBF"
                           "実施"),
            Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding(kJisshiSjis), Encoding::kShiftJis);
  EXPECT_EQ(DetectEncoding("sc01," + kJisshiSjis), Encoding::kShiftJis);
}

TEST(IsValidUtf8, RejectsBrokenAndOverlongSequences) {
  EXPECT_TRUE(IsValidUtf8("東京 abc"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));  // overlong '/'
  EXPECT_FALSE(IsValidUtf8(kJisshiSjis));
}

TEST(ParseLang, JaAndEnOnly) {
  ASSERT_TRUE(ParseLang("ja").ok());
  EXPECT_EQ(*ParseLang("en"), Lang::kEn);
  Result<Lang> bad = ParseLang("jp");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "language 'jp' — expected ja or en");
}

// --- DisplayWidth ----------------------------------------------------------------------------------

TEST(DisplayWidth, WideCharactersCountTwo) {
  EXPECT_EQ(DisplayWidth("東京"), 4);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("ｶﾞ"), 2);      // two half-width katakana
  EXPECT_EQ(DisplayWidth("ＹＥＳ"), 6);  // full-width letters
  EXPECT_EQ(DisplayWidth("実施している (yes)"), 18);
  EXPECT_EQ(DisplayWidth("e\u0301"), 1);  // a combining accent takes no column
}

}  // namespace
}  // namespace shindan
