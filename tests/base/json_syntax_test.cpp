// ParseJson's syntax errors (base/json_syntax.h): plain words at the place a
// person has to edit, columns in characters.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/json_check.h"

namespace nb {
namespace {

Diagnostic SyntaxError(const std::string& text, bool comments = false) {
  std::vector<Diagnostic> errors;
  nlohmann::json doc;
  EXPECT_FALSE(ParseJson(text, "f.json", {.allow_comments = comments}, &doc, &errors)) << text;
  EXPECT_EQ(errors.size(), 1u) << text;
  return errors.empty() ? Diagnostic{} : errors[0];
}

bool IsWholeUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

struct Case {
  std::string text;
  std::string where;
  std::string message;  // the whole message, or a part of it
  bool comments = false;
};

void ExpectErrors(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    Diagnostic d = SyntaxError(c.text, c.comments);
    EXPECT_EQ(d.where, c.where) << c.text;
    if (c.message.rfind("JSON syntax error: ", 0) == 0)
      EXPECT_EQ(d.message, c.message) << c.text;
    else
      EXPECT_NE(d.message.find(c.message), std::string::npos) << c.text << "\n" << d.message;
  }
}

// A playlist-sized file whose line 31 lacks its comma: the place is the end
// of line 31 (nlohmann stops at the next key, on line 32).
TEST(JsonSyntaxTest, MissingCommaIsAtTheEndOfItsLine) {
  std::string text = "{\n";
  for (int i = 2; i <= 30; ++i) text += "  \"k" + std::to_string(i) + "\": " + "1,\n";
  text += "  \"title\": \"天津教育\"\n";  // line 31
  text += "  \"summary\": \"x\"\n}\n";
  ExpectErrors({
      {text, "f.json:31:18",  // after "天津教育", counted in characters
       "JSON syntax error: a comma , is missing at the end of line 31 (before the next entry on "
       "line 32)"},
      {"[1 2]", "f.json:1:3",
       "JSON syntax error: a comma , is missing before \"2\" (JSON needs , between two entries)"},
      {"{\"items\": [{\"id\": \"a\"}\n  {\"id\": \"b\"}]}", "f.json:1:23", "end of line 1"},
      // A comment after the entry (config.json allows them) changes nothing.
      {"{\n  \"a\": 1  // the first\n  \"b\": 2\n}", "f.json:2:9", "at the end of line 2", true},
      // Curly quotes inside a text are the text's own.
      {"{\"title\": \"“讲好”故事\" \"b\": 1}", "f.json:1:19", "a comma , is missing before"},
  });
}

TEST(JsonSyntaxTest, CommaAfterTheLastEntryIsThatComma) {
  ExpectErrors({
      {"{\n  \"version\": 1,\n}\n", "f.json:2:15",
       "JSON syntax error: a comma after the last entry: JSON allows no , right before } (remove "
       "this comma)"},
      {"[1, 2,]", "f.json:1:6", "right before ]"},
  });
}

TEST(JsonSyntaxTest, ChineseInputMethodCharactersAreNamed) {
  const std::string curly_end =
      "JSON syntax error: a curly quote ” (typed with a Chinese input method) where JSON needs a "
      "straight quote \" to end the text";
  ExpectErrors({
      {"{\"标题\": \"天津\"，\"b\": 1}", "f.json:1:12",
       "JSON syntax error: a full-width comma ， (typed with a Chinese input method) where JSON "
       "needs ,"},
      {"{“title”: \"x\"}", "f.json:1:2",
       "JSON syntax error: a curly quote “ (typed with a Chinese input method) where JSON needs a "
       "straight quote \""},
      {"{\"title\"： \"x\"}", "f.json:1:9", "a full-width colon ："},
      // A text opened with " and closed with ” runs on: the ” is the mistake,
      // whether the text then ends at the line's end or at the next ".
      {"{\"title\": \"天津”,\n  \"b\": 1}", "f.json:1:14", curly_end},
      {"{\"title\": \"天津”, \"b\": 1}", "f.json:1:14", curly_end},
  });
}

TEST(JsonSyntaxTest, OtherMistakesInWords) {
  ExpectErrors({
      {"{\"a\" 1}", "f.json:1:5", "JSON syntax error: a colon : is missing after the name \"a\""},
      {"{title: 1}", "f.json:1:2", "write \"title\" instead of title"},
      {"{\"a\": True}", "f.json:1:7", "\"True\" is not a JSON value"},
      {"{\"a\": \"x\n\"}", "f.json:1:7", "not closed on its line"},
      {"{\"a\": [1, 2]\n", "f.json:1:13", "the file ends before the JSON is complete"},
      {" \n", "f.json:1:1", "JSON syntax error: the file is empty: expected JSON such as { ... }"},
      {"{'a': 1}", "f.json:1:2", "not '"},
  });
}

// Bytes that are not UTF-8 (a file saved as GBK) are named, never copied
// into the message; no message ends in half a character.
TEST(JsonSyntaxTest, MessagesAreWholeUtf8) {
  Diagnostic d = SyntaxError("{\"a\": \xCC\xEC}");
  EXPECT_EQ(d.where, "f.json:1:7");
  EXPECT_EQ(d.message,
            "JSON syntax error: the file is not UTF-8 text (found the byte <0xCC>): save it "
            "again choosing the encoding UTF-8");
  d = SyntaxError("{\"a\": \"\xCC\xEC\"}");
  EXPECT_NE(d.message.find("<0xCC>"), std::string::npos) << d.message << d.where;
  for (const char* text :
       {"{\"a\": 1，}", "[“天”]", "{\"a\": 天津}",
        "{\"天津教育天津教育天津教育天津教育天津教育天津教育\" 1}",
        "[\"天津\" "
        "天津天津天津天津天津天津天津天津天津天津天津天津天津天津天津天津天津天津天津天津天津]",
        "{\"a\": 1}天"}) {
    d = SyntaxError(text);
    EXPECT_TRUE(IsWholeUtf8(d.message)) << d.message;
    EXPECT_LT(d.message.size(), 300u) << d.message;
  }
}

}  // namespace
}  // namespace nb
