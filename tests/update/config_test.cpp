#include "update/config.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "playlist/playlist.h"

namespace nb::update {
namespace {

std::string AllErrors(const std::vector<playlist::Diagnostic>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.ToString() + "\n";
  return out;
}

TEST(ConfigTest, ShippedDefaultConfigParsesToTheDefaults) {
  PosixFileSystem fs;
  std::vector<playlist::Diagnostic> errors;
  auto config = LoadConfigFile(fs, NB_SOURCE_DIR "/deploy/config.json", &errors);
  ASSERT_TRUE(config) << AllErrors(errors);
  Config defaults;
  EXPECT_EQ(config->state_dir, defaults.state_dir);
  EXPECT_EQ(config->usb.watch.roots, defaults.usb.watch.roots);
  EXPECT_TRUE(config->usb.enabled);
  EXPECT_EQ(config->pull.interval, std::chrono::seconds(300));
  EXPECT_TRUE(config->pull.url.empty());
  EXPECT_FALSE(config->api.enabled);
  EXPECT_EQ(config->api.listen, "127.0.0.1:8080");
  EXPECT_TRUE(config->trusted_keys.empty());
  EXPECT_EQ(config->notices, NoticePolicy::kAll);
}

// "notices": which update notices the lobby sees (issue #21).
TEST(ConfigTest, NoticesChoosesWhichUpdateNoticesTheScreenShows) {
  for (auto [text, want] :
       {std::pair{"all", NoticePolicy::kAll}, std::pair{"success", NoticePolicy::kSuccess},
        std::pair{"none", NoticePolicy::kNone}}) {
    std::vector<playlist::Diagnostic> errors;
    auto config = ParseConfig(std::string(R"({"notices": ")") + text + "\"}", "c.json", &errors);
    ASSERT_TRUE(config) << AllErrors(errors);
    EXPECT_EQ(config->notices, want) << text;
  }
  std::vector<playlist::Diagnostic> errors;
  EXPECT_FALSE(ParseConfig(R"({"notices": "sucess"})", "c.json", &errors));
  ASSERT_EQ(errors.size(), 1u) << AllErrors(errors);
  EXPECT_EQ(errors[0].ToString(),
            "c.json: /notices: expected one of \"all\", \"success\", \"none\", found "
            "\"sucess\"; did you mean \"success\"?");
  errors.clear();
  EXPECT_FALSE(ParseConfig(R"({"notices": false})", "c.json", &errors));
  ASSERT_EQ(errors.size(), 1u) << AllErrors(errors);
  EXPECT_EQ(errors[0].ToString(),
            "c.json: /notices: expected one of \"all\", \"success\", \"none\", found "
            "true/false");
  errors.clear();
  EXPECT_FALSE(ParseConfig(R"({"notice": "none"})", "c.json", &errors));
  ASSERT_EQ(errors.size(), 1u) << AllErrors(errors);
  EXPECT_NE(errors[0].message.find("did you mean \"notices\"?"), std::string::npos)
      << AllErrors(errors);
}

TEST(ConfigTest, ReadsEverySetting) {
  std::vector<playlist::Diagnostic> errors;
  auto config = ParseConfig(R"({
    "playlist": "/srv/p.json", "state_dir": "/tmp/s", "theme": "/etc/t.json",
    "usb": {"enabled": false, "roots": ["/media/pi"]},
    "pull": {"url": "https://cdn.example.edu/screens/lobby.json", "interval_s": 60,
             "connect_timeout_s": 5, "timeout_s": 30},
    "api": {"enabled": true, "listen": "0.0.0.0:9000", "token_file": "/etc/tok"},
    "trusted_keys": ["RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"],
    "x-note": "ignored"
  })",
                            "c.json", &errors);
  ASSERT_TRUE(config) << AllErrors(errors);
  EXPECT_EQ(config->playlist, "/srv/p.json");
  EXPECT_EQ(config->state_dir, "/tmp/s");
  EXPECT_FALSE(config->usb.enabled);
  EXPECT_EQ(config->usb.watch.roots, std::vector<std::string>{"/media/pi"});
  EXPECT_EQ(config->pull.url, "https://cdn.example.edu/screens/lobby.json");
  EXPECT_EQ(config->pull.interval, std::chrono::seconds(60));
  EXPECT_EQ(config->pull.connect_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config->pull.timeout, std::chrono::seconds(30));
  EXPECT_TRUE(config->api.enabled);
  EXPECT_EQ(config->api.token_file, "/etc/tok");
  ASSERT_EQ(config->trusted_keys.size(), 1u);
}

TEST(ConfigTest, UnknownFieldIsAnErrorWithAHint) {
  std::vector<playlist::Diagnostic> errors;
  auto config = ParseConfig(R"({"pull": {"url": "http://x/p.json", "intervall_s": 60},
                                "trusted_key": []})",
                            "config.json", &errors);
  ASSERT_FALSE(config);
  ASSERT_EQ(errors.size(), 2u) << AllErrors(errors);
  EXPECT_EQ(errors[0].where, "config.json: /trusted_key");
  EXPECT_NE(errors[0].message.find("did you mean \"trusted_keys\"?"), std::string::npos);
  EXPECT_EQ(errors[1].where, "config.json: /pull/intervall_s");
  EXPECT_NE(errors[1].message.find("did you mean \"interval_s\"?"), std::string::npos);
}

TEST(ConfigTest, WrongTypesAndValuesNameThePointerAndWhatWasExpected) {
  std::vector<playlist::Diagnostic> errors;
  auto config = ParseConfig(R"({"usb": {"enabled": "yes", "roots": ["media", 3]},
                                "pull": {"url": "ftp://x", "interval_s": 1},
                                "api": {"listen": "localhost"},
                                "trusted_keys": ["untrusted comment: minisign public key"]})",
                            "c.json", &errors);
  ASSERT_FALSE(config);
  std::string all = AllErrors(errors);
  EXPECT_NE(all.find("/usb/enabled: expected true or false, found a string"), std::string::npos)
      << all;
  EXPECT_NE(all.find("/usb/roots/1: expected a string, found a number"), std::string::npos) << all;
  EXPECT_NE(all.find("/usb/roots/0: expected an absolute folder"), std::string::npos) << all;
  EXPECT_NE(all.find("/pull/url: expected an http:// or https://"), std::string::npos) << all;
  EXPECT_NE(all.find("/pull/interval_s: expected a whole number from 10"), std::string::npos)
      << all;
  EXPECT_NE(all.find("/api/listen: expected host:port"), std::string::npos) << all;
  EXPECT_NE(all.find("/trusted_keys/0: expected a minisign public key"), std::string::npos) << all;
}

TEST(ConfigTest, SyntaxErrorHasLineAndColumn) {
  std::vector<playlist::Diagnostic> errors;
  ASSERT_FALSE(ParseConfig("{\n  \"usb\": {\"enabled\": true,}\n}", "c.json", &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where.rfind("c.json:2:", 0), 0u) << errors[0].ToString();
}

TEST(ConfigTest, ReadsScreenPowerHoursAndCommands) {
  std::vector<playlist::Diagnostic> errors;
  auto config = ParseConfig(R"({"display": {
    "off_hours": [{"from": "19:00", "to": "07:00"},
                  {"weekdays": ["sat", "Sun"], "from": "00:00", "to": "24:00"}],
    "off_command": ["cec-ctl", "--to", "0", "--standby"],
    "on_command": ["cec-ctl", "--to", "0", "--image-view-on"]}})",
                            "c.json", &errors);
  ASSERT_TRUE(config) << AllErrors(errors);
  const auto& hours = config->display.off_hours;
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].weekdays, 0x7fu);  // no weekdays: every day
  EXPECT_EQ(hours[0].from_min, 19 * 60);
  EXPECT_EQ(hours[0].to_min, 7 * 60);
  EXPECT_EQ(hours[1].weekdays, (1u << 5) | (1u << 6));  // Saturday, Sunday (Monday is bit 0)
  EXPECT_EQ(hours[1].to_min, 1440);
  EXPECT_EQ(config->display.off_command,
            (std::vector<std::string>{"cec-ctl", "--to", "0", "--standby"}));
  EXPECT_EQ(config->display.on_command.back(), "--image-view-on");
}

// The off hours read weekdays as playlists do (base/civil_time.h): ISO
// numbers or names in any case, Monday at bit 0, and a night belongs to the
// day it starts on.
TEST(ConfigTest, OffHoursWeekdaysAreSpelledAsInPlaylists) {
  std::vector<playlist::Diagnostic> errors;
  auto config = ParseConfig(R"({"display": {"off_hours": [
    {"weekdays": [5, "SAT", "sun"], "from": "22:00", "to": "06:00"}]}})",
                            "c.json", &errors);
  ASSERT_TRUE(config) << AllErrors(errors);
  const OffPeriod& friday_night = config->display.off_hours.at(0);
  EXPECT_EQ(friday_night.weekdays, (1u << 4) | (1u << 5) | (1u << 6));
  EXPECT_TRUE(SpanCovers(friday_night, WeekdayOf(2026, 11, 28), 3 * 60));   // Saturday 03:00
  EXPECT_FALSE(SpanCovers(friday_night, WeekdayOf(2026, 11, 27), 3 * 60));  // Friday 03:00
  EXPECT_TRUE(SpanCovers(friday_night, WeekdayOf(2026, 11, 30), 5 * 60));   // Monday 05:00
  EXPECT_FALSE(SpanCovers(friday_night, WeekdayOf(2026, 11, 30), 6 * 60));  // Monday 06:00
  EXPECT_FALSE(ParseConfig(R"({"display": {"off_hours": [
    {"weekdays": [0, 8, "monday"], "from": "22:00", "to": "06:00"}]}})",
                           "c.json", &errors));
  std::string all = AllErrors(errors);
  for (const char* where : {"/weekdays/0:", "/weekdays/1:", "/weekdays/2:"})
    EXPECT_NE(all.find(where), std::string::npos) << where << "\n" << all;
}

// Issue #21: [6, 7] is Saturday and Sunday in a playlist's schedule, so it
// is in the off hours too (one checker, base/json_check's ReadWeekdays); a
// bad day is one error at that day, nothing more about the period.
TEST(ConfigTest, OffHoursTakeThePlaylistsWeekdaysWithOneErrorPerBadDay) {
  std::vector<playlist::Diagnostic> errors;
  auto config = ParseConfig(R"({"display": {"off_hours": [
    {"weekdays": [6, 7], "from": "00:00", "to": "24:00"}]}})",
                            "c.json", &errors);
  ASSERT_TRUE(config) << AllErrors(errors);
  auto playlist = playlist::ParsePlaylist(R"({"version": 1, "title": "t", "items": [
    {"id": "a", "title": "x", "schedule": {"weekdays": [6, 7]}}]})",
                                          "p.json", &errors);
  ASSERT_TRUE(playlist) << AllErrors(errors);
  EXPECT_EQ(config->display.off_hours.at(0).weekdays,
            static_cast<unsigned>(playlist->items.at(0).schedule->weekdays));
  EXPECT_EQ(config->display.off_hours.at(0).weekdays, (1u << 5) | (1u << 6));

  errors.clear();
  EXPECT_FALSE(ParseConfig(R"({"display": {"off_hours": [
    {"weekdays": [6, 8], "from": "00:00", "to": "24:00"}]}})",
                           "c.json", &errors));
  ASSERT_EQ(errors.size(), 1u) << AllErrors(errors);
  EXPECT_EQ(errors[0].ToString(),
            "c.json: /display/off_hours/0/weekdays/1: bad weekday 8: expected a list of ISO "
            "weekday numbers 1 (Monday) to 7 (Sunday) or names \"mon\" to \"sun\"");
}

// Issue #21: config.json's syntax errors count columns in characters, as
// the playlist's do (a Chinese comment or path must not shift them).
TEST(ConfigTest, SyntaxErrorColumnsCountCharacters) {
  std::vector<playlist::Diagnostic> errors;
  EXPECT_FALSE(
      ParseConfig("{\n  // 播放列表的位置\n  \"playlist\": \"/srv/播放列表.json\"\n"
                  "  \"theme\": \"default\"\n}\n",
                  "c.json", &errors));
  ASSERT_EQ(errors.size(), 1u);
  // Line 3 is 30 characters (38 bytes): the comma goes after the 30th.
  EXPECT_EQ(errors[0].ToString(),
            "c.json:3:31: JSON syntax error: a comma , is missing at the end of line 3 (before "
            "the next entry on line 4)");
}

TEST(ConfigTest, ShippedScreenPowerExampleParses) {
  PosixFileSystem fs;
  std::vector<playlist::Diagnostic> errors;
  auto config = LoadConfigFile(fs, NB_SOURCE_DIR "/deploy/examples/screen-power.json", &errors);
  ASSERT_TRUE(config) << AllErrors(errors);
  EXPECT_EQ(config->display.off_hours.size(), 2u);
  EXPECT_EQ(config->display.off_command.front(), "cec-ctl");
  EXPECT_TRUE(
      LoadConfigFile(fs, NB_SOURCE_DIR "/deploy/config.json", &errors)->display.off_hours.empty());
}

TEST(ConfigTest, BadScreenPowerEntriesNameTheirPlace) {
  std::vector<playlist::Diagnostic> errors;
  EXPECT_FALSE(ParseConfig(R"({"display": {
    "off_hours": [{"weekdays": ["mon", "fri day"], "from": "7pm", "to": "24:00"},
                  {"from": "24:00"},
                  {"weekdays": [], "from": "08:00", "to": "09:60", "form": "x"}],
    "off_command": "cec-ctl --to 0 --standby",
    "on_comand": []}})",
                           "c.json", &errors));
  std::string all = AllErrors(errors);
  for (const char* expected : {
           "/display/off_hours/0/weekdays/1: bad weekday \"fri day\": expected a list of ISO "
           "weekday",
           "/display/off_hours/0/from: expected a time of day HH:MM (00:00 to 23:59), found "
           "\"7pm\"",
           "/display/off_hours/1/from: expected a time of day",
           "/display/off_hours/1/to: missing \"to\"",
           "/display/off_hours/2/weekdays: expected at least one day",
           "/display/off_hours/2/to: expected a time of day HH:MM (00:00 to 24:00)",
           "/display/off_hours/2/form: unknown field",
           "/display/off_command: expected a list of strings, found a string",
           "/display/on_comand: unknown field \"on_comand\"; did you mean \"on_command\"?",
       }) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
  }
  EXPECT_EQ(all.find("/display/off_hours/0/to"), std::string::npos) << all;  // "24:00" is fine
}

TEST(ConfigTest, ListenAddressForms) {
  std::string host;
  int port = 0;
  ASSERT_TRUE(SplitListenAddress("127.0.0.1:8080", &host, &port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8080);
  ASSERT_TRUE(SplitListenAddress("[::1]:80", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_FALSE(SplitListenAddress("127.0.0.1:99999", &host, &port));
  EXPECT_FALSE(SplitListenAddress(":80", &host, &port));
}

}  // namespace
}  // namespace nb::update
