#include "playlist/schedule.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "base/manual_clock.h"

namespace nb::playlist {
namespace {

using std::chrono::sys_days;

LocalDateTime At(int y, int mo, int d, int h = 0, int mi = 0) { return {y, mo, d, h, mi, 0}; }

Item MakeItem(std::string id, std::optional<Schedule> schedule = std::nullopt) {
  Item item;
  item.id = std::move(id);
  item.title = "t";
  item.schedule = schedule;
  return item;
}

TEST(ScheduleTest, WeekdayOfKnownDates) {
  EXPECT_EQ(WeekdayOf(2026, 11, 28), 5);  // Saturday
  EXPECT_EQ(WeekdayOf(2025, 12, 1), 0);   // Monday
  EXPECT_EQ(WeekdayOf(2024, 2, 29), 3);   // Thursday
}

TEST(ScheduleTest, DateRangeIsInclusive) {
  Schedule s;
  s.from = At(2025, 12, 1);
  s.until = At(2025, 12, 7, 23, 59);
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 11, 30, 23, 59)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 1, 0, 0)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 7, 23, 59)));
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 8, 0, 0)));
}

TEST(ScheduleTest, WeekdayMask) {
  Schedule s;
  s.weekdays = 0x1F;                                    // Monday to Friday
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 5, 9)));   // Friday
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 6, 9)));  // Saturday
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 7, 9)));  // Sunday
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 8, 9)));   // Monday
}

TEST(ScheduleTest, HoursAreHalfOpen) {
  Schedule s;
  s.hours = std::make_pair(8 * 60, 17 * 60 + 30);
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 1, 7, 59)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 1, 8, 0)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 1, 17, 29)));
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 1, 17, 30)));
}

TEST(ScheduleTest, HoursSpanningMidnight) {
  Schedule s;
  s.hours = std::make_pair(22 * 60, 6 * 60);
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 1, 23, 0)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 1, 5, 59)));
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 1, 6, 0)));
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 1, 12, 0)));
}

// The midnight edges, with the rule the screen's off hours share
// (base/civil_time.h): a span past midnight belongs to the day it starts on.
TEST(ScheduleTest, FridayNightSpanPlaysOnSaturdayMorningNotFridayMorning) {
  Schedule s;
  s.weekdays = 1u << 4;  // Friday
  s.hours = std::make_pair(22 * 60, 6 * 60);
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 5, 3, 0)));  // Friday 03:00: Thursday's night
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 5, 21, 59)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 5, 22, 0)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 5, 23, 59)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 6, 0, 0)));  // Saturday 00:00
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 6, 3, 0)));
  EXPECT_TRUE(ScheduleCovers(s, At(2025, 12, 6, 5, 59)));
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 6, 6, 0)));   // the end minute is not in it
  EXPECT_FALSE(ScheduleCovers(s, At(2025, 12, 6, 23, 0)));  // Saturday is not listed
}

TEST(ScheduleTest, SundayNightWrapsToMondayAndEndOfDay) {
  Schedule sunday_night;
  sunday_night.weekdays = 1u << 6;  // Sunday
  sunday_night.hours = std::make_pair(23 * 60, 60);
  EXPECT_TRUE(ScheduleCovers(sunday_night, At(2025, 12, 7, 23, 59)));  // Sunday
  EXPECT_TRUE(ScheduleCovers(sunday_night, At(2025, 12, 8, 0, 0)));    // Monday
  EXPECT_FALSE(ScheduleCovers(sunday_night, At(2025, 12, 8, 1, 0)));
  EXPECT_FALSE(ScheduleCovers(sunday_night, At(2025, 12, 7, 0, 30)));  // Sunday morning

  Schedule evening;  // "18:00-24:00" ends at midnight
  evening.weekdays = 1u << 4;
  evening.hours = std::make_pair(18 * 60, 24 * 60);
  EXPECT_TRUE(ScheduleCovers(evening, At(2025, 12, 5, 23, 59)));
  EXPECT_FALSE(ScheduleCovers(evening, At(2025, 12, 6, 0, 0)));
}

TEST(ScheduleTest, DisabledItemsNeverPlayEvenWithUnsetClock) {
  Item item = MakeItem("a");
  item.enabled = false;
  EXPECT_FALSE(ItemPlaysAt(item, At(2025, 12, 1, 9)));
  EXPECT_FALSE(ItemPlaysAt(item, At(1970, 1, 1, 0)));
}

TEST(ScheduleTest, UnsetClockIgnoresSchedules) {
  Schedule s;
  s.from = At(2025, 12, 1);
  s.weekdays = 0x01;
  s.hours = std::make_pair(8 * 60, 9 * 60);
  Item item = MakeItem("a", s);
  EXPECT_TRUE(ItemPlaysAt(item, At(1970, 1, 1, 0)));
  EXPECT_TRUE(ItemPlaysAt(item, At(2023, 12, 31, 23)));
  EXPECT_FALSE(ItemPlaysAt(item, At(2024, 1, 1, 12)));  // a set clock applies the schedule
}

TEST(ScheduleTest, KeepsPlaylistOrderWithInjectedClock) {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  Playlist p;
  Schedule mornings;
  mornings.hours = std::make_pair(7 * 60, 12 * 60);
  Schedule december;
  december.from = At(2025, 12, 1);
  december.until = At(2025, 12, 31, 23, 59);
  Schedule weekend;
  weekend.weekdays = 0x60;
  p.items = {MakeItem("always"), MakeItem("mornings", mornings), MakeItem("december", december),
             MakeItem("weekend", weekend)};

  ManualClock clock;
  // Monday 2025-12-01 09:00 UTC.
  clock.SetWall(sys_days(std::chrono::year(2025) / 12 / 1) + std::chrono::hours(9));
  EXPECT_EQ(ItemsPlayingNow(p, clock), (std::vector<std::size_t>{0, 1, 2}));
  // Saturday 2026-11-28 14:38: only the unscheduled and weekend items.
  clock.SetWall(sys_days(std::chrono::year(2026) / 11 / 28) + std::chrono::hours(14) +
                std::chrono::minutes(38));
  EXPECT_EQ(ItemsPlayingNow(p, clock), (std::vector<std::size_t>{0, 3}));
  // The epoch: the clock is unset, everything plays.
  clock.SetWall(std::chrono::system_clock::time_point{});
  EXPECT_EQ(ItemsPlayingNow(p, clock), (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(ScheduleTest, ToLocalDateTimeUsesTimeZone) {
  ::setenv("TZ", "Asia/Shanghai", 1);
  ::tzset();
  auto t = sys_days(std::chrono::year(2025) / 12 / 1) + std::chrono::hours(20);
  LocalDateTime local = ToLocalDateTime(t);
  if (local.hour == 20) GTEST_SKIP() << "no tzdata for Asia/Shanghai";
  EXPECT_EQ(local, (LocalDateTime{2025, 12, 2, 4, 0, 0}));
  ::setenv("TZ", "UTC", 1);
  ::tzset();
}

}  // namespace
}  // namespace nb::playlist
