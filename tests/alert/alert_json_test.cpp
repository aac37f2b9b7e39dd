#include "alert/alert_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "alert/cap.h"
#include "base/time_format.h"

namespace nb::alert {
namespace {

using namespace std::chrono;
using Json = nlohmann::json;

AlertMessage Parse(const std::string& text) {
  std::string error;
  std::optional<AlertMessage> message = ParseAlertJson(text, &error);
  EXPECT_TRUE(message.has_value()) << error;
  return message.value_or(AlertMessage{});
}

std::string Error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(ParseAlertJson(text, &error).has_value()) << text;
  EXPECT_FALSE(error.empty());
  return error;
}

WallTime At(const char* iso) { return ParseTimestamp(iso).value(); }

constexpr const char* kRain = R"({
  "id": "rain-1208", "severity": "critical", "title": "今日停课",
  "text": "受暴雨影响，全市中小学今日停课。\n请学生留在家中，注意安全。",
  "issued": "2026-12-08T07:00:00+08:00", "expires": "2026-12-08T18:00:00+08:00",
  "source": "区教育局"})";

TEST(AlertJson, ReadsEveryField) {
  AlertMessage m = Parse(kRain);
  ASSERT_EQ(m.upserts.size(), 1u);
  EXPECT_FALSE(m.whole_set);
  EXPECT_TRUE(m.cancels.empty());
  const Alert& a = m.upserts[0];
  EXPECT_EQ(a.id, "rain-1208");
  EXPECT_EQ(a.severity, Severity::kCritical);
  EXPECT_EQ(a.status, AlertStatus::kActual);
  EXPECT_EQ(a.title, "今日停课");
  EXPECT_EQ(a.text, "受暴雨影响，全市中小学今日停课。\n请学生留在家中，注意安全。");
  EXPECT_EQ(a.source, "区教育局");
  EXPECT_EQ(a.issued, At("2026-12-07T23:00:00Z"));
  EXPECT_EQ(a.expires, At("2026-12-08T10:00:00Z"));
  EXPECT_FALSE(a.duration);
  EXPECT_TRUE(a.replaces.empty());
}

TEST(AlertJson, MinimalAlertWithDurationStatusAndReplaces) {
  AlertMessage m = Parse(
      R"({"id": "drill", "severity": "info", "title": "10:00 消防演练", "for": "1h30m",
          "status": "exercise", "replaces": ["drill-old"], "x-note": "free"})");
  ASSERT_EQ(m.upserts.size(), 1u);
  const Alert& a = m.upserts[0];
  EXPECT_EQ(a.severity, Severity::kInfo);
  EXPECT_EQ(a.status, AlertStatus::kExercise);
  EXPECT_EQ(a.duration, seconds(5400));
  EXPECT_EQ(a.replaces, std::vector<std::string>{"drill-old"});
  EXPECT_EQ(a.text, "");
  EXPECT_FALSE(a.issued);
  EXPECT_EQ(Parse(R"({"id": "t", "severity": "warning", "title": "x", "status": "test"})")
                .upserts[0]
                .status,
            AlertStatus::kTest);
}

TEST(AlertJson, CleansText) {
  const Alert a = Parse(R"({"id": "a", "severity": "warning",
      "title": "  两行\n标题\t ", "text": "\r\n 第一段 \r\n\r\n\t第二段\n", "source": " 校办 "})")
                      .upserts[0];
  EXPECT_EQ(a.title, "两行 标题");
  EXPECT_EQ(a.text, "第一段\n第二段");
  EXPECT_EQ(a.source, "校办");
}

TEST(AlertJson, Cancels) {
  AlertMessage one = Parse(R"({"cancel": "rain-1208"})");
  EXPECT_EQ(one.cancels, std::vector<std::string>{"rain-1208"});
  EXPECT_TRUE(one.upserts.empty());
  AlertMessage two = Parse(R"({"cancel": ["a", "b"]})");
  EXPECT_EQ(two.cancels, (std::vector<std::string>{"a", "b"}));
  EXPECT_NE(Error(R"({"cancel": []})").find("/cancel:"), std::string::npos);
  EXPECT_NE(Error(R"({"cancel": ["a", 3]})").find("/cancel/1:"), std::string::npos);
  EXPECT_NE(Error(R"({"cancel": "a", "id": "b"})").find("unknown field \"id\""), std::string::npos);
}

TEST(AlertJson, Feed) {
  AlertMessage feed = Parse(R"({"alerts": [
      {"id": "a", "severity": "info", "title": "甲"},
      {"id": "b", "severity": "critical", "title": "乙", "for": "2h"}]})");
  EXPECT_TRUE(feed.whole_set);
  ASSERT_EQ(feed.upserts.size(), 2u);
  EXPECT_EQ(feed.upserts[1].id, "b");
  AlertMessage empty = Parse(R"({"alerts": []})");
  EXPECT_TRUE(empty.whole_set);
  EXPECT_TRUE(empty.upserts.empty());
}

TEST(AlertJson, FeedErrorsPointIntoTheList) {
  std::string e = Error(R"({"alerts": [
      {"id": "a", "severity": "info", "title": "甲"},
      {"id": "b", "severity": "severe", "title": "乙"}]})");
  EXPECT_NE(e.find("/alerts/1/severity: expected one of \"info\", \"warning\", \"critical\""),
            std::string::npos)
      << e;
  e = Error(R"({"alerts": [{"id": "a", "severity": "info", "title": "甲"},
                            {"id": "a", "severity": "info", "title": "乙"}]})");
  EXPECT_NE(e.find("/alerts/1/id: the id \"a\" appears twice"), std::string::npos) << e;
  EXPECT_NE(Error(R"({"alerts": {}})").find("/alerts: expected a list"), std::string::npos);
  EXPECT_NE(Error(R"({"alerts": [3]})").find("/alerts/0:"), std::string::npos);
}

TEST(AlertJson, EachFieldsErrorNamesItsPointer) {
  struct Case {
    const char* json;
    const char* expected;
  } cases[] = {
      {R"({"severity": "info", "title": "x"})", "/: \"id\" is missing"},
      {R"({"id": "a", "title": "x"})", "/: \"severity\" is missing"},
      {R"({"id": "a", "severity": "info"})", "/: \"title\" is missing"},
      {R"({"id": "", "severity": "info", "title": "x"})", "/id: the id \"\" cannot be used"},
      {R"({"id": 7, "severity": "info", "title": "x"})", "/id: expected a string, found a number"},
      {R"({"id": "a", "severity": "Critical", "title": "x"})",
       "/severity: expected one of \"info\", \"warning\", \"critical\", found \"Critical\"; did "
       "you mean \"critical\"?"},
      {R"({"id": "a", "severity": "info", "title": " "})", "/title: is empty"},
      {R"({"id": "a", "severity": "info", "title": "x\u0007"})",
       "/title: cannot be shown: it holds the control character U+0007"},
      {R"({"id": "a", "severity": "info", "title": "x", "status": "drill"})", "/status: expected"},
      {R"({"id": "a", "severity": "info", "title": "x", "issued": "2026-12-08 07:00"})",
       "/issued: \"2026-12-08 07:00\" is not a time"},
      {R"({"id": "a", "severity": "info", "title": "x", "expires": "2026-12-08T07:00:00"})",
       "/expires: \"2026-12-08T07:00:00\" is not a time: it has no time zone"},
      {R"({"id": "a", "severity": "info", "title": "x", "for": "2 hours"})",
       "/for: \"2 hours\" is not a duration"},
      {R"({"id": "a", "severity": "info", "title": "x", "for": "0s"})", "/for: \"0s\" is not"},
      {R"({"id": "a", "severity": "info", "title": "x", "replaces": "b"})",
       "/replaces: expected a list of ids"},
      {R"({"id": "a", "severity": "info", "title": "x", "titel": "y"})",
       "/titel: unknown field \"titel\""},
      {R"([1, 2])", "/: expected an object"},
  };
  for (const Case& c : cases) {
    std::string e = Error(c.json);
    EXPECT_NE(e.find(c.expected), std::string::npos) << c.json << "\n" << e;
  }
}

TEST(AlertJson, ExpiresWithForOrBeforeIssuedIsAnError) {
  std::string e = Error(R"({"id": "a", "severity": "info", "title": "x",
      "expires": "2026-12-08T18:00:00+08:00", "for": "2h"})");
  EXPECT_NE(e.find("/for: an alert has \"expires\" or \"for\", not both"), std::string::npos) << e;
  e = Error(R"({"id": "a", "severity": "info", "title": "x",
      "issued": "2026-12-08T18:00:00+08:00", "expires": "2026-12-08T07:00:00+08:00"})");
  EXPECT_NE(e.find("/expires: \"2026-12-08T07:00:00+08:00\" is before \"issued\""),
            std::string::npos)
      << e;
}

TEST(AlertJson, SyntaxErrorsInPlainWordsWithLineAndColumn) {
  std::string e = Error("{\"id\": \"a\"，\n \"severity\": \"info\"}");
  EXPECT_EQ(e.rfind("line 1, column ", 0), 0u) << e;
  EXPECT_NE(e.find("full-width comma"), std::string::npos) << e;
  e = Error(R"({"id": "a", "id": "b", "severity": "info", "title": "x"})");
  EXPECT_NE(e.find("appears twice"), std::string::npos) << e;
  EXPECT_NE(Error("").find("JSON syntax error"), std::string::npos);
}

TEST(AlertJson, RefusesADocumentTooLarge) {
  std::string big = R"({"id": "a", "severity": "info", "title": "x", "text": ")" +
                    std::string(kMaxAlertDocumentBytes, 'a') + "\"}";
  EXPECT_NE(Error(big).find("at most"), std::string::npos);
}

TEST(AlertJson, Durations) {
  EXPECT_EQ(ParseDuration("90s"), seconds(90));
  EXPECT_EQ(ParseDuration("30m"), seconds(1800));
  EXPECT_EQ(ParseDuration("2h"), seconds(7200));
  EXPECT_EQ(ParseDuration("1h30m"), seconds(5400));
  EXPECT_EQ(ParseDuration("1d"), seconds(86400));
  EXPECT_EQ(ParseDuration("1d2h3m4s"), seconds(93784));
  for (const char* bad : {"", "0s", "2", "h", "2x", "30m1h", "1h1h", "-1h", "1.5h", " 2h", "2H",
                          "999999999999h", "400d"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
  for (long long s : {1LL, 59LL, 60LL, 3600LL, 5400LL, 86400LL, 93784LL, 90061LL}) {
    EXPECT_EQ(ParseDuration(FormatDuration(seconds(s))), seconds(s)) << s;
  }
  EXPECT_EQ(FormatDuration(seconds(5400)), "1h30m");
}

TEST(AlertJson, RoundTripsThroughAlertToJson) {
  std::vector<Alert> alerts = Parse(kRain).upserts;
  alerts.push_back(Parse(R"({"id": "d", "severity": "info", "title": "演练", "for": "45m",
                            "status": "test", "replaces": ["c", "b"]})")
                       .upserts[0]);
  alerts.push_back(
      Parse(R"({"id": "w", "severity": "warning", "title": "\"引号\" / 斜杠"})").upserts[0]);
  for (const Alert& a : alerts) {
    std::string json = AlertToJson(a);
    AlertMessage again = Parse(json);
    ASSERT_EQ(again.upserts.size(), 1u) << json;
    EXPECT_EQ(again.upserts[0], a) << json;
  }
  Json written = Json::parse(AlertToJson(alerts[0]));
  EXPECT_EQ(written["issued"], "2026-12-07T23:00:00Z");
  EXPECT_FALSE(written.contains("status"));
}

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(NB_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << relative;
  return s.str();
}

TEST(AlertJson, TheExampleFilesParse) {
  std::string error;
  auto alert = ParseAlertDocument(ReadSourceFile("playlists/alerts/example-alert.json"),
                                  "example-alert.json", &error);
  ASSERT_TRUE(alert) << error;
  ASSERT_EQ(alert->upserts.size(), 1u);
  EXPECT_EQ(alert->upserts[0].severity, Severity::kCritical);
  auto feed = ParseAlertDocument(ReadSourceFile("playlists/alerts/example-feed.json"),
                                 "application/json", &error);
  ASSERT_TRUE(feed) << error;
  EXPECT_TRUE(feed->whole_set);
  EXPECT_GE(feed->upserts.size(), 2u);
  auto cap = ParseAlertDocument(ReadSourceFile("playlists/alerts/example-cap.xml"),
                                "example-cap.xml", &error);
  ASSERT_TRUE(cap) << error;
  ASSERT_EQ(cap->upserts.size(), 1u);
}

// The schema lists the same fields the parser knows: an editor checking a
// file against it agrees with the screen.
TEST(AlertJson, TheSchemaNamesTheFieldsTheParserReads) {
  Json schema = Json::parse(ReadSourceFile("playlists/alert.schema.json"));
  std::vector<std::string> fields;
  for (const auto& [name, value] : schema["$defs"]["alert"]["properties"].items())
    fields.push_back(name);
  std::vector<std::string> expected = {"expires",  "for",    "id",     "issued", "replaces",
                                       "severity", "source", "status", "text",   "title"};
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, expected);
  Json example = Json::parse(ReadSourceFile("playlists/alerts/example-alert.json"));
  EXPECT_TRUE(example.is_object());
}

}  // namespace
}  // namespace nb::alert
