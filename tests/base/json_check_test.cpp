#include "base/json_check.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace nb {
namespace {

using Json = nlohmann::json;

std::string All(const std::vector<Diagnostic>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.ToString() + "\n";
  return out;
}

TEST(JsonCheckTest, PointersEscapeTildeAndSlash) {
  EXPECT_EQ(JsonPointerToken("a/b~c"), "a~1b~0c");
  EXPECT_EQ(JsonPointerToken("~1"), "~01");  // "~" first, so "~1" stays readable
  EXPECT_EQ(JsonPointerTo("/items", 3), "/items/3");
  EXPECT_EQ(JsonPointerTo("", "a/b"), "/a~1b");
}

TEST(JsonCheckTest, TypeNamesAreTheSameWordsEverywhere) {
  EXPECT_STREQ(JsonTypeName(Json("x")), "a string");
  EXPECT_STREQ(JsonTypeName(Json(1)), "a number");
  EXPECT_STREQ(JsonTypeName(Json(1.5)), "a number");
  EXPECT_STREQ(JsonTypeName(Json(true)), "true/false");
  EXPECT_STREQ(JsonTypeName(Json::array()), "a list");
  EXPECT_STREQ(JsonTypeName(Json::object()), "an object");
  EXPECT_STREQ(JsonTypeName(Json()), "null");
}

TEST(JsonCheckTest, UnknownFieldsHaveAHintAndAnEscapedPointer) {
  std::vector<Diagnostic> errors;
  JsonChecker check(&errors);
  Json object = {{"titel", 1}, {"x-note", 2}, {"a/b", 3}, {"title", 4}};
  check.KnownFields(object, "/items/0", {"title", "summary"});
  ASSERT_EQ(errors.size(), 2u) << All(errors);
  EXPECT_EQ(errors[0].where, "/items/0/a~1b");
  EXPECT_EQ(errors[0].message,
            "unknown field \"a/b\" Known fields here: title, summary (fields starting with "
            "\"x-\" are ignored)");
  EXPECT_EQ(errors[1].where, "/items/0/titel");
  EXPECT_EQ(errors[1].message,
            "unknown field \"titel\"; did you mean \"title\"? Known fields here: title, summary "
            "(fields starting with \"x-\" are ignored)");
  EXPECT_EQ(check.count(), 2u);
}

TEST(JsonCheckTest, TypedReadsReportWhatWasExpectedAndFound) {
  std::vector<Diagnostic> errors;
  JsonChecker check(&errors);
  std::string s = "kept";
  bool b = false;
  long long n = 7;
  EXPECT_FALSE(check.ReadString(Json(3), "/s", &s));
  EXPECT_FALSE(check.ReadBool(Json("yes"), "/b", &b));
  EXPECT_FALSE(check.ReadInt(Json(1.5), "/n", 1, 10, &n));
  EXPECT_FALSE(check.ReadInt(Json(11), "/n", 1, 10, &n));
  EXPECT_FALSE(check.ReadInt(Json("3"), "/n", 1, 10, &n));
  EXPECT_FALSE(check.IsObject(Json::array(), "/o"));
  EXPECT_EQ(s, "kept");
  EXPECT_EQ(n, 7);
  EXPECT_EQ(All(errors),
            "/s: expected a string, found a number\n"
            "/b: expected true or false, found a string\n"
            "/n: expected a whole number from 1 to 10, found 1.5\n"
            "/n: expected a whole number from 1 to 10, found 11\n"
            "/n: expected a whole number from 1 to 10, found a string\n"
            "/o: expected an object, found a list\n");
  EXPECT_TRUE(check.ReadInt(Json(10), "/n", 1, 10, &n));
  EXPECT_EQ(n, 10);
  std::vector<std::string> list;
  errors.clear();
  EXPECT_FALSE(check.ReadStringList(Json::array({"a", 2, "c"}), "/l", &list));
  EXPECT_EQ(All(errors), "/l/1: expected a string, found a number\n");
  EXPECT_EQ(list, (std::vector<std::string>{"a", "c"}));
}

TEST(JsonCheckTest, WeekdaysInEitherSpelling) {
  std::vector<Diagnostic> errors;
  JsonChecker check(&errors);
  WeekdayMask mask = 0;
  EXPECT_TRUE(check.ReadWeekdays(Json::array({1, "Fri", "sun"}), "/w", &mask));
  EXPECT_EQ(mask, WeekdayBit(0) | WeekdayBit(4) | WeekdayBit(6));
  EXPECT_FALSE(check.ReadWeekdays(Json::array({0, "friday"}), "/w", &mask));
  EXPECT_FALSE(check.ReadWeekdays(Json::array(), "/e", &mask));
  EXPECT_FALSE(check.ReadWeekdays(Json("mon"), "/s", &mask));
  ASSERT_EQ(errors.size(), 4u) << All(errors);
  EXPECT_EQ(errors[0].ToString(),
            "/w/0: bad weekday 0: expected a list of ISO weekday numbers 1 (Monday) to 7 "
            "(Sunday) or names \"mon\" to \"sun\"");
  EXPECT_EQ(errors[1].where, "/w/1");
  EXPECT_EQ(errors[2].where, "/e");
  EXPECT_NE(errors[2].message.find("at least one day"), std::string::npos);
  EXPECT_NE(errors[3].message.find("found a string"), std::string::npos);
  EXPECT_EQ(mask, WeekdayBit(0) | WeekdayBit(4) | WeekdayBit(6));  // unchanged by failures
}

TEST(JsonCheckTest, KeepsUpToTheLimitAndCountsTheRest) {
  std::vector<Diagnostic> errors;
  JsonChecker check(&errors, 2);
  for (int i = 0; i < 5; ++i) check.Error("/" + std::to_string(i), "bad");
  EXPECT_EQ(check.count(), 5u);
  check.AddCountOfUnreported("p.json");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[2].ToString(), "p.json: ... and 3 more errors");
}

TEST(JsonCheckTest, ParseJsonSyntaxErrorsCommentsAndRepeatedKeys) {
  std::vector<Diagnostic> errors;
  Json doc;
  EXPECT_FALSE(ParseJson("{\n  \"天\": 1 2}", "f.json", {}, &doc, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "f.json:2:9");  // after the 1, where the comma goes; characters
  EXPECT_EQ(errors[0].message.rfind("JSON syntax error", 0), 0u) << errors[0].message;

  errors.clear();
  std::string commented = "// note\n{\"a\": 1 /* one */}";
  EXPECT_FALSE(ParseJson(commented, "f.json", {}, &doc, &errors));
  EXPECT_TRUE(ParseJson(commented, "f.json", {.allow_comments = true}, &doc, &errors));
  EXPECT_EQ(doc["a"], 1);

  errors.clear();
  std::string repeated = R"({"items": [{"a/b": 1, "a/b": 2}]})";
  EXPECT_TRUE(ParseJson(repeated, "f.json", {}, &doc, &errors));  // nlohmann keeps the last
  EXPECT_FALSE(ParseJson(repeated, "f.json", {.reject_duplicate_keys = true}, &doc, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "/items/0/a~1b");
  EXPECT_NE(errors[0].message.find("the key \"a/b\" appears twice"), std::string::npos);

  // A number no double holds is an error at its place, not an exception.
  errors.clear();
  EXPECT_FALSE(ParseJson("{\n  \"a\": 1E400}", "f.json", {}, &doc, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "f.json:2:8");
  EXPECT_NE(errors[0].message.find("the number 1E400 is too large"), std::string::npos)
      << errors[0].message;
}

TEST(JsonCheckTest, JoinDiagnosticsForAStatus) {
  EXPECT_EQ(JoinDiagnostics("t.json", {{"/a", "x"}, {"/b", "y"}}), "t.json: /a: x; /b: y");
}

}  // namespace
}  // namespace nb
