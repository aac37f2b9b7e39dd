#include "playlist/playlist.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

namespace nb::playlist {
namespace {

using Json = nlohmann::json;

Json ValidJson() {
  return Json::parse(R"({
    "version": 1, "title": "天津教育", "generated_at": "2025-12-01T08:00:00Z",
    "defaults": {"duration_s": 15, "transition": {"kind": "crossfade", "ms": 600}},
    "items": [
      {"id": "a", "title": "甲", "summary": "s", "body": "b", "date": "2025-12-01", "enabled": true},
      {"id": "b", "title": "乙", "date": "2025-11-28", "duration_s": 7.5,
       "schedule": {"from": "2025-12-01", "until": "2025-12-31T18:30", "weekdays": [1, "fri", 6],
                    "hours": "07:30-18:00"}}
    ]})");
}

std::vector<Diagnostic> Errors(const std::string& text) {
  std::vector<Diagnostic> errors;
  auto p = ParsePlaylist(text, "p.json", &errors);
  EXPECT_FALSE(p.has_value());
  return errors;
}

// The one error for a valid playlist changed by `edit`.
Diagnostic OneError(const std::function<void(Json&)>& edit) {
  Json j = ValidJson();
  edit(j);
  auto errors = Errors(j.dump());
  if (errors.size() != 1) {
    std::string all;
    for (const auto& e : errors) all += e.ToString() + "\n";
    ADD_FAILURE() << "expected one error, got " << errors.size() << ":\n" << all;
  }
  return errors.empty() ? Diagnostic{} : errors[0];
}

TEST(Playlist, ParsesAValidPlaylist) {
  std::vector<Diagnostic> errors;
  auto p = ParsePlaylist(ValidJson().dump(), "p.json", &errors);
  ASSERT_TRUE(p.has_value()) << (errors.empty() ? "" : errors[0].ToString());
  EXPECT_EQ(p->title, "天津教育");
  EXPECT_EQ(p->default_duration_s, 15.0);
  EXPECT_EQ(p->transition.kind, TransitionKind::kCrossfade);
  EXPECT_EQ(p->transition.ms, 600);
  ASSERT_EQ(p->items.size(), 2u);
  EXPECT_TRUE(p->items[1].enabled);  // default
  EXPECT_EQ(p->DurationOf(p->items[0]), 15.0);
  EXPECT_EQ(p->DurationOf(p->items[1]), 7.5);
  const Schedule& s = *p->items[1].schedule;
  EXPECT_EQ(*s.from, (LocalDateTime{2025, 12, 1, 0, 0, 0}));
  EXPECT_EQ(*s.until, (LocalDateTime{2025, 12, 31, 18, 30, 0}));
  EXPECT_EQ(s.weekdays, 0b0110001);  // Monday, Friday, Saturday
  EXPECT_EQ(*s.hours, std::make_pair(7 * 60 + 30, 18 * 60));
  EXPECT_FALSE(p->items[0].schedule.has_value());
}

TEST(Playlist, UntilADateMeansTheEndOfThatDay) {
  Json j = ValidJson();
  j["items"][1]["schedule"] = {{"until", "2025-12-31"}, {"hours", "22:00-06:00"}};
  std::vector<Diagnostic> errors;
  auto p = ParsePlaylist(j.dump(), "p.json", &errors);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p->items[1].schedule->until, (LocalDateTime{2025, 12, 31, 23, 59, 59}));
  EXPECT_EQ(*p->items[1].schedule->hours, std::make_pair(22 * 60, 6 * 60));
}

TEST(Playlist, CanonicalJsonRoundTrips) {
  std::vector<Diagnostic> errors;
  auto p = ParsePlaylist(ValidJson().dump(), "p.json", &errors);
  ASSERT_TRUE(p);
  p->items[0].enabled = false;
  p->transition = {TransitionKind::kCut, 0};
  std::string text = ToJson(*p);
  EXPECT_TRUE(text.ends_with("}\n"));
  EXPECT_NE(text.find("\"天津教育\""), std::string::npos);  // UTF-8, not \u escapes
  auto again = ParsePlaylist(text, "p.json", &errors);
  ASSERT_TRUE(again) << (errors.empty() ? "" : errors[0].ToString());
  EXPECT_EQ(*again, *p);
  EXPECT_EQ(ToJson(*again), text);
}

TEST(PlaylistErrors, SyntaxErrorIsFileLineColumn) {
  auto errors = Errors("{\n  \"version\": 1,\n  \"title\": \"天津\" \"x\"\n}\n");
  ASSERT_EQ(errors.size(), 1u);
  // Line 3, character 16: after "天津", where the comma goes (bytes would say 20).
  EXPECT_EQ(errors[0].where, "p.json:3:16");
  EXPECT_NE(errors[0].message.find("syntax error"), std::string::npos) << errors[0].message;
  errors = Errors("{\"version\": 1,\n\"items\": [1,]}");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "p.json:2:12");  // the comma to remove
  errors = Errors("");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "p.json:1:1");
  // An unclosed string swallows the rest of the file; the message points at
  // its start and quotes none of it, so the status and the log stay short.
  errors = Errors("{\"title\": \"" + std::string(5000, 'x') + "END");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "p.json:1:11");
  EXPECT_EQ(errors[0].message,
            "JSON syntax error: a text in quotes is never closed: add the closing \"");
}

TEST(PlaylistErrors, BadDate) {
  Diagnostic d = OneError([](Json& j) { j["items"][0]["date"] = "2025-13-40"; });
  EXPECT_EQ(d.where, "/items/0/date");
  EXPECT_EQ(d.message, "bad date \"2025-13-40\": there is no month 13");
  d = OneError([](Json& j) { j["items"][1]["schedule"]["from"] = "2025-02-30"; });
  EXPECT_EQ(d.where, "/items/1/schedule/from");
  EXPECT_NE(d.message.find("day 30 does not exist in 2025-02"), std::string::npos);
  d = OneError([](Json& j) { j["items"][1]["schedule"]["until"] = "next week"; });
  EXPECT_EQ(d.where, "/items/1/schedule/until");
  EXPECT_NE(d.message.find("expected a date YYYY-MM-DD or a date-time YYYY-MM-DDTHH:MM"),
            std::string::npos);
}

TEST(PlaylistErrors, FromAfterUntil) {
  Diagnostic d = OneError([](Json& j) {
    j["items"][1]["schedule"]["from"] = "2026-01-01";
    j["items"][1]["schedule"]["until"] = "2025-12-31";
  });
  EXPECT_EQ(d.where, "/items/1/schedule/from");
  EXPECT_EQ(d.message,
            "\"from\" (2026-01-01) is after \"until\" (2025-12-31): expected from <= until");
  // The same day is fine: from its start to its end.
  Json j = ValidJson();
  j["items"][1]["schedule"] = {{"from", "2025-12-31"}, {"until", "2025-12-31"}};
  std::vector<Diagnostic> errors;
  EXPECT_TRUE(ParsePlaylist(j.dump(), "p.json", &errors));
}

TEST(PlaylistErrors, ZeroOrNegativeDuration) {
  for (double bad : {0.0, -5.0}) {
    Diagnostic d = OneError([&](Json& j) { j["items"][1]["duration_s"] = bad; });
    EXPECT_EQ(d.where, "/items/1/duration_s");
    EXPECT_NE(d.message.find("expected a number of seconds greater than 0"), std::string::npos);
  }
  Diagnostic d = OneError([](Json& j) { j["defaults"]["duration_s"] = 0; });
  EXPECT_EQ(d.where, "/defaults/duration_s");
}

TEST(PlaylistErrors, DuplicateId) {
  Diagnostic d = OneError([](Json& j) { j["items"][1]["id"] = "a"; });
  EXPECT_EQ(d.where, "/items/1/id");
  EXPECT_EQ(d.message, "duplicate id \"a\" (also /items/0/id): expected every id to be unique");
}

TEST(PlaylistErrors, DuplicateKeyNamesItsPointer) {
  // The second "duration_s" of item 1 would silently win over the first.
  std::string text = ValidJson().dump();
  std::string marker = "\"duration_s\":7.5";
  auto at = text.find(marker);
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "\"duration_s\":30,");
  auto errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "/items/1/duration_s");
  EXPECT_NE(errors[0].message.find("appears twice"), std::string::npos);
  // The same key in two different objects is fine.
  std::vector<Diagnostic> none;
  EXPECT_TRUE(ParsePlaylist(ValidJson().dump(), "p.json", &none).has_value());
}

TEST(PlaylistErrors, EmptyTitle) {
  Diagnostic d = OneError([](Json& j) { j["items"][0]["title"] = "  "; });
  EXPECT_EQ(d.where, "/items/0/title");
  EXPECT_NE(d.message.find("empty title"), std::string::npos);
}

TEST(PlaylistErrors, HoursOutOfRange) {
  Diagnostic d = OneError([](Json& j) { j["items"][1]["schedule"]["hours"] = "07:30-25:00"; });
  EXPECT_EQ(d.where, "/items/1/schedule/hours");
  EXPECT_NE(d.message.find("bad hours \"07:30-25:00\": hour 25 does not exist"), std::string::npos)
      << d.message;
  d = OneError([](Json& j) { j["items"][1]["schedule"]["hours"] = "7:30 to 18:00"; });
  EXPECT_NE(d.message.find("expected \"HH:MM-HH:MM\""), std::string::npos) << d.message;
  d = OneError([](Json& j) { j["items"][1]["schedule"]["hours"] = "08:61-09:00"; });
  EXPECT_NE(d.message.find("minute 61 does not exist"), std::string::npos) << d.message;
}

TEST(PlaylistErrors, TooManyItems) {
  Json j = ValidJson();
  Json items = Json::array();
  for (std::size_t i = 0; i <= kMaxItems; ++i)
    items.push_back({{"id", std::to_string(i)}, {"title", "t"}});
  j["items"] = items;
  auto errors = Errors(j.dump());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "/items");
  EXPECT_EQ(errors[0].message, "has 10001 items: a playlist holds at most 10000 items");
  j["items"].erase(j["items"].size() - 1);  // exactly 10,000 is fine
  std::vector<Diagnostic> ok_errors;
  EXPECT_TRUE(ParsePlaylist(j.dump(), "p.json", &ok_errors));
}

TEST(PlaylistErrors, FileOver4MiB) {
  Json j = ValidJson();
  j["items"][0]["body"] = std::string(kMaxFileBytes, 'x');
  std::string text = j.dump();
  auto errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "p.json");
  EXPECT_NE(errors[0].message.find("at most 4 MiB"), std::string::npos);

  auto path =
      std::filesystem::temp_directory_path() / ("nb-big-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << text;
  std::vector<Diagnostic> file_errors;
  EXPECT_FALSE(LoadPlaylistFile(Env::Default().fs(), path.string(), &file_errors));
  ASSERT_EQ(file_errors.size(), 1u);
  EXPECT_EQ(file_errors[0].where, path.string());
  EXPECT_NE(file_errors[0].message.find("larger than the limit of 4194304 bytes"),
            std::string::npos)
      << file_errors[0].message;
  std::filesystem::remove(path);
}

TEST(PlaylistErrors, UnknownFieldHasAHintUnlessItStartsWithX) {
  Diagnostic d = OneError([](Json& j) { j["items"][0]["titel"] = "x"; });
  EXPECT_EQ(d.where, "/items/0/titel");
  EXPECT_NE(d.message.find("unknown field \"titel\"; did you mean \"title\"?"), std::string::npos)
      << d.message;
  d = OneError([](Json& j) { j["items"][1]["schedule"]["weekday"] = {1}; });
  EXPECT_NE(d.message.find("did you mean \"weekdays\"?"), std::string::npos) << d.message;
  d = OneError([](Json& j) { j["colour"] = "red"; });
  EXPECT_EQ(d.where, "/colour");
  EXPECT_EQ(d.message.find("did you mean"), std::string::npos) << d.message;

  Json j = ValidJson();
  j["x-cms-id"] = 42;
  j["items"][0]["x-note"] = "from the CMS";
  std::vector<Diagnostic> errors;
  EXPECT_TRUE(ParsePlaylist(j.dump(), "p.json", &errors));
}

TEST(PlaylistErrors, WrongTypesVersionAndMissingFields) {
  Diagnostic d = OneError([](Json& j) { j["items"][0]["enabled"] = "yes"; });
  EXPECT_EQ(d.where, "/items/0/enabled");
  EXPECT_EQ(d.message, "expected true or false, found a string");
  d = OneError([](Json& j) { j["version"] = 2; });
  EXPECT_EQ(d.where, "/version");
  EXPECT_NE(d.message.find("this player reads version 1"), std::string::npos);
  d = OneError([](Json& j) { j["items"][1]["schedule"]["weekdays"] = {1, 8}; });
  EXPECT_EQ(d.where, "/items/1/schedule/weekdays/1");
  d = OneError([](Json& j) { j["defaults"]["transition"]["kind"] = "wipe"; });
  EXPECT_EQ(d.message, "unknown transition \"wipe\": expected \"crossfade\" or \"cut\"");
  d = OneError([](Json& j) { j["items"][0].erase("id"); });
  EXPECT_EQ(d.where, "/items/0/id");
  auto errors = Errors("[1, 2]");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "");
}

TEST(PlaylistErrors, AllErrorsAreReported) {
  Json j = ValidJson();
  j["items"][0]["title"] = "";
  j["items"][1]["duration_s"] = -1;
  j["items"][1]["schedule"]["hours"] = "25:00-26:00";
  auto errors = Errors(j.dump());
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].where, "/items/0/title");
  EXPECT_EQ(errors[1].where, "/items/1/duration_s");
  EXPECT_EQ(errors[2].where, "/items/1/schedule/hours");
}

}  // namespace
}  // namespace nb::playlist
