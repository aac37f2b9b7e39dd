#include "app/screen_power.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <thread>

#include "base/manual_clock.h"

namespace nb::app {
namespace {

using update::OffPeriod;
using namespace std::chrono_literals;

// Weekday bits in base/civil_time.h's order: Monday at bit 0.
constexpr unsigned kMon = 1, kTue = 2, kFri = 16, kSat = 32, kSun = 64;
constexpr unsigned kWeekdays = 0x1f;  // Mon..Fri

// A broken-down local time on 2026-11-23 (a Monday) + day_offset.
std::tm At(int day_offset, int hour, int minute) {
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 10;
  tm.tm_mday = 23 + day_offset;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_isdst = -1;
  std::time_t t = std::mktime(&tm);  // normalises the day and fills tm_wday
  std::tm out{};
  localtime_r(&t, &out);
  return out;
}

std::chrono::system_clock::time_point WallAt(int day_offset, int hour, int minute, int sec = 0) {
  std::tm tm = At(day_offset, hour, minute);
  tm.tm_sec = sec;
  return std::chrono::system_clock::from_time_t(std::mktime(&tm));
}

// Nights on school days and whole weekends.
std::vector<OffPeriod> NightsAndWeekends() {
  return {{kWeekdays, 19 * 60, 7 * 60}, {kSat | kSun, 0, 0}};
}
// deploy/config.json's example: every night, and Saturday and Sunday all day.
std::vector<OffPeriod> EveryNightAndWeekends() {
  return {{0x7f, 19 * 60, 7 * 60}, {kSat | kSun, 0, 1440}};
}

TEST(InOffHoursTest, DaytimePeriodWithinOneDay) {
  std::vector<OffPeriod> lunch{{kMon, 12 * 60, 13 * 60 + 30}};
  EXPECT_FALSE(InOffHours(lunch, At(0, 11, 59)));
  EXPECT_TRUE(InOffHours(lunch, At(0, 12, 0)));
  EXPECT_TRUE(InOffHours(lunch, At(0, 13, 29)));
  EXPECT_FALSE(InOffHours(lunch, At(0, 13, 30)));  // `to` is the first minute on again
  EXPECT_FALSE(InOffHours(lunch, At(1, 12, 30)));  // Tuesday is not listed
}

TEST(InOffHoursTest, OvernightPeriodEndsNextMorning) {
  auto p = NightsAndWeekends();
  EXPECT_FALSE(InOffHours(p, At(0, 18, 59)));  // Monday evening
  EXPECT_TRUE(InOffHours(p, At(0, 19, 0)));
  EXPECT_TRUE(InOffHours(p, At(0, 23, 59)));
  EXPECT_TRUE(InOffHours(p, At(1, 0, 0)));  // Tuesday night, from Monday's period
  EXPECT_TRUE(InOffHours(p, At(1, 6, 59)));
  EXPECT_FALSE(InOffHours(p, At(1, 7, 0)));
  EXPECT_FALSE(InOffHours(p, At(1, 12, 0)));
}

TEST(InOffHoursTest, FridayNightRunsIntoTheWeekendAndSundayNightIsOnMondayMorning) {
  auto p = NightsAndWeekends();
  EXPECT_TRUE(InOffHours(p, At(4, 19, 30)));  // Friday evening
  EXPECT_TRUE(InOffHours(p, At(5, 6, 0)));    // Saturday early: Friday's night
  EXPECT_TRUE(InOffHours(p, At(5, 12, 0)));   // Saturday: whole day
  EXPECT_TRUE(InOffHours(p, At(6, 23, 59)));  // Sunday: whole day
  // Monday before 07:00: Sunday's whole-day period ended at midnight, and no
  // Sunday night period is listed, so the screen is on at 00:00 Monday.
  EXPECT_FALSE(InOffHours(p, At(7, 0, 0)));
  // With a Sunday night period, Monday morning stays off until 07:00.
  p.push_back({kSun, 19 * 60, 7 * 60});
  EXPECT_TRUE(InOffHours(p, At(7, 6, 59)));
  EXPECT_FALSE(InOffHours(p, At(7, 7, 0)));
}

TEST(InOffHoursTest, DocumentedExampleIsOffFromFridayEveningToMondayMorning) {
  auto p = EveryNightAndWeekends();
  EXPECT_FALSE(InOffHours(p, At(4, 18, 59)));  // Friday
  for (int day = 4; day <= 7; ++day) {
    for (int hour = 0; hour < 24; ++hour) {
      bool weekend = (day == 4 && hour >= 19) || day == 5 || day == 6 || (day == 7 && hour < 7);
      bool night = hour >= 19 || hour < 7;
      EXPECT_EQ(InOffHours(p, At(day, hour, 30)), weekend || night) << day << " " << hour;
    }
  }
  EXPECT_FALSE(InOffHours(p, At(7, 7, 0)));  // Monday 07:00: on
}

TEST(InOffHoursTest, WholeDayAndEndOfDay) {
  std::vector<OffPeriod> to_midnight{{kFri, 18 * 60, 1440}};
  EXPECT_TRUE(InOffHours(to_midnight, At(4, 23, 59)));
  EXPECT_FALSE(InOffHours(to_midnight, At(5, 0, 0)));  // "24:00" ends that day
  EXPECT_FALSE(InOffHours({}, At(0, 3, 0)));
}

// The midnight edges, with the rule playlist schedules share
// (base/civil_time.h): an overnight period belongs to the day it starts on.
TEST(InOffHoursTest, FridayNightPeriodCoversSaturdayMorningNotFridayMorning) {
  std::vector<OffPeriod> friday_night{{kFri, 22 * 60, 6 * 60}};
  EXPECT_FALSE(InOffHours(friday_night, At(4, 3, 0)));  // Friday 03:00: Thursday's night
  EXPECT_FALSE(InOffHours(friday_night, At(4, 21, 59)));
  EXPECT_TRUE(InOffHours(friday_night, At(4, 22, 0)));
  EXPECT_TRUE(InOffHours(friday_night, At(4, 23, 59)));
  EXPECT_TRUE(InOffHours(friday_night, At(5, 0, 0)));  // Saturday 00:00
  EXPECT_TRUE(InOffHours(friday_night, At(5, 3, 0)));
  EXPECT_TRUE(InOffHours(friday_night, At(5, 5, 59)));
  EXPECT_FALSE(InOffHours(friday_night, At(5, 6, 0)));   // `to` is the first minute on
  EXPECT_FALSE(InOffHours(friday_night, At(5, 22, 0)));  // Saturday is not listed
}

TEST(InOffHoursTest, SundayNightWrapsToMonday) {
  std::vector<OffPeriod> sunday_night{{kSun, 23 * 60, 1 * 60}};
  EXPECT_TRUE(InOffHours(sunday_night, At(6, 23, 59)));  // Sunday
  EXPECT_TRUE(InOffHours(sunday_night, At(7, 0, 0)));    // Monday
  EXPECT_TRUE(InOffHours(sunday_night, At(7, 0, 59)));
  EXPECT_FALSE(InOffHours(sunday_night, At(7, 1, 0)));
  EXPECT_FALSE(InOffHours(sunday_night, At(0, 23, 30)));  // Monday evening
  std::vector<OffPeriod> tuesday_all_day{{kTue, 0, 0}};   // from == to: 24 hours
  EXPECT_FALSE(InOffHours(tuesday_all_day, At(0, 23, 59)));
  EXPECT_TRUE(InOffHours(tuesday_all_day, At(1, 0, 0)));
  EXPECT_TRUE(InOffHours(tuesday_all_day, At(1, 23, 59)));
  EXPECT_FALSE(InOffHours(tuesday_all_day, At(2, 0, 0)));
}

class RecordingRunner final : public CommandRunner {
 public:
  explicit RecordingRunner(std::vector<std::vector<std::string>>* runs) : runs_(runs) {}
  void Run(const std::vector<std::string>& argv) override { runs_->push_back(argv); }

 private:
  std::vector<std::vector<std::string>>* runs_;
};

update::DisplayConfig CecConfig() {
  update::DisplayConfig c;
  c.off_hours = NightsAndWeekends();
  c.off_command = {"cec-ctl", "--to", "0", "--standby"};
  c.on_command = {"cec-ctl", "--to", "0", "--image-view-on"};
  return c;
}

TEST(ScreenPowerTest, RunsTheCommandForTheStateAtStartThenOneAtEachEdge) {
  ManualClock clock(WallAt(0, 18, 58, 30));  // Monday 18:58:30
  std::vector<std::vector<std::string>> runs;
  ScreenPower power(clock, CecConfig(), std::make_unique<RecordingRunner>(&runs));

  EXPECT_FALSE(power.Update());
  ASSERT_EQ(runs.size(), 1u);  // on at start: wake the TV
  EXPECT_EQ(runs[0].back(), "--image-view-on");
  EXPECT_EQ(power.UntilNextCheck(), 30s);  // to 18:59:00

  clock.SetWall(WallAt(0, 18, 59, 59));
  EXPECT_FALSE(power.Update());
  EXPECT_EQ(runs.size(), 1u);  // no change, no command

  clock.SetWall(WallAt(0, 19, 0, 0));
  EXPECT_TRUE(power.Update());
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1], (std::vector<std::string>{"cec-ctl", "--to", "0", "--standby"}));
  EXPECT_EQ(power.UntilNextCheck(), 60s);

  clock.SetWall(WallAt(1, 3, 0, 0));  // all night: still off, nothing run
  EXPECT_TRUE(power.Update());
  EXPECT_EQ(runs.size(), 2u);

  clock.SetWall(WallAt(1, 7, 0, 1));
  EXPECT_FALSE(power.Update());
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[2].back(), "--image-view-on");
}

TEST(ScreenPowerTest, StartingAtNightPutsTheTvInStandby) {
  ManualClock clock(WallAt(5, 10, 0));  // Saturday morning
  std::vector<std::vector<std::string>> runs;
  ScreenPower power(clock, CecConfig(), std::make_unique<RecordingRunner>(&runs));
  EXPECT_TRUE(power.Update());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].back(), "--standby");
}

TEST(ScreenPowerTest, ClockSetBackIsNoticed) {
  ManualClock clock(WallAt(0, 20, 0));
  std::vector<std::vector<std::string>> runs;
  ScreenPower power(clock, CecConfig(), std::make_unique<RecordingRunner>(&runs));
  EXPECT_TRUE(power.Update());
  clock.SetWall(WallAt(0, 12, 0));  // NTP corrected a wrong clock
  EXPECT_FALSE(power.Update());
  EXPECT_EQ(runs.size(), 2u);
}

TEST(SpawnCommandRunnerTest, RunsArgvWithoutAShell) {
  std::string dir = ::testing::TempDir() + "screen_power_spawn";
  // One argument with a ';' in it: a shell would touch "off" and run echo.
  std::string marker = dir + "/off; echo injected";
  ASSERT_EQ(std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "'").c_str()), 0);
  {
    SpawnCommandRunner runner;
    runner.Run({"touch", marker});
    for (int i = 0; i < 200 && !std::ifstream(marker); ++i) {
      std::this_thread::sleep_for(10ms);
      runner.Reap();
    }
  }
  EXPECT_TRUE(std::ifstream(marker).good()) << marker;
  EXPECT_FALSE(std::ifstream(dir + "/off").good());
}

}  // namespace
}  // namespace nb::app
