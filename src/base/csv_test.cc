#include "base/csv.h"

#include <gtest/gtest.h>

namespace shindan {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view text, Status* status = nullptr) {
  CsvReader r(text);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> f;
  while (r.Next(&f)) rows.push_back(f);
  if (status) *status = r.status();
  return rows;
}

TEST(CsvReader, QuotedFieldsCommasQuotesAndNewlines) {
  auto rows = ReadAll("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,x\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"multi\nline", "", "x"}));
}

TEST(CsvReader, ReportsTheLineOfEachRecord) {
  CsvReader r("h1,h2\n\"a\nb\",c\n\nd,e\n");
  std::vector<std::string> f;
  ASSERT_TRUE(r.Next(&f));
  EXPECT_EQ(r.line(), 1);
  ASSERT_TRUE(r.Next(&f));
  EXPECT_EQ(r.line(), 2);
  ASSERT_TRUE(r.Next(&f));
  EXPECT_EQ(r.line(), 5);
  EXPECT_EQ(f, (std::vector<std::string>{"d", "e"}));
}

TEST(CsvReader, UnclosedQuoteIsAnErrorNamingTheLine) {
  Status s;
  ReadAll("a,b\nc,\"open\n", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "line 2: a quoted field is not closed — expected a closing \"");
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
  Status s;
  ReadAll("\"a\"b,c\n", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "line 1, field 1: text after a closing quote — expected , or the end of the line");
}

TEST(CsvField, NeutralisesFormulasWhenAsked) {
  EXPECT_EQ(CsvField("=1+2", true), "'=1+2");
  EXPECT_EQ(CsvField("+81", true), "'+81");
  EXPECT_EQ(CsvField("-3", true), "'-3");
  EXPECT_EQ(CsvField("@SUM(A1)", true), "'@SUM(A1)");
  EXPECT_EQ(CsvField("=1+2", false), "=1+2");
  EXPECT_EQ(CsvField("a,b", true), "\"a,b\"");
  EXPECT_EQ(CsvLine({"x", "y\"z"}, false), "x,\"y\"\"z\"\r\n");
}

}  // namespace
}  // namespace shindan
