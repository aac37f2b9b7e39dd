#include "base/civil_time.h"

#include <gtest/gtest.h>

namespace nb {
namespace {

TEST(CivilTimeTest, WeekdaysAreIsoOrderedWithMondayAtBitZero) {
  EXPECT_EQ(WeekdayOf(2025, 12, 1), 0);   // Monday
  EXPECT_EQ(WeekdayOf(2026, 11, 28), 5);  // Saturday
  EXPECT_EQ(WeekdayOf(2025, 12, 7), 6);   // Sunday
  EXPECT_EQ(WeekdayFromTm(0), 6);         // tm_wday counts from Sunday
  EXPECT_EQ(WeekdayFromTm(1), 0);
  EXPECT_EQ(WeekdayBit(0), 1u);
  EXPECT_EQ(WeekdayBit(6), 64u);
  EXPECT_STREQ(WeekdayName(0), "mon");
  EXPECT_STREQ(WeekdayName(6), "sun");
}

TEST(CivilTimeTest, WeekdaySpellings) {
  EXPECT_EQ(WeekdayFromName("mon"), 0);
  EXPECT_EQ(WeekdayFromName("Fri"), 4);
  EXPECT_EQ(WeekdayFromName("SUN"), 6);
  EXPECT_FALSE(WeekdayFromName("monday"));
  EXPECT_FALSE(WeekdayFromName("mo"));
  EXPECT_FALSE(WeekdayFromName(""));
  EXPECT_EQ(WeekdayFromIsoNumber(1), 0);
  EXPECT_EQ(WeekdayFromIsoNumber(7), 6);
  EXPECT_FALSE(WeekdayFromIsoNumber(0));
  EXPECT_FALSE(WeekdayFromIsoNumber(8));
}

TEST(CivilTimeTest, ClockTimes) {
  std::string why;
  EXPECT_EQ(ParseClockTime("00:00", false, &why), 0);
  EXPECT_EQ(ParseClockTime("07:30", false, &why), 450);
  EXPECT_EQ(ParseClockTime("23:59", false, &why), 1439);
  EXPECT_EQ(ParseClockTime("24:00", true, &why), 1440);
  EXPECT_FALSE(ParseClockTime("24:00", false, &why));
  EXPECT_EQ(why, "hour 24 does not exist: hours are 00-23 (24:00 only as the end)");
  EXPECT_FALSE(ParseClockTime("24:01", true, &why));
  EXPECT_FALSE(ParseClockTime("08:60", false, &why));
  EXPECT_EQ(why, "minute 60 does not exist: minutes are 00-59");
  for (const char* bad : {"7:30", "07.30", "0730", "07:3x", "7pm", ""}) {
    EXPECT_FALSE(ParseClockTime(bad, true, &why)) << bad;
    EXPECT_EQ(why, "") << bad;  // not HH:MM at all: the caller says what it expects
  }
  EXPECT_EQ(FormatClockTime(450), "07:30");
  EXPECT_EQ(FormatClockTime(0), "00:00");
  EXPECT_EQ(FormatClockTime(1440), "24:00");
}

TEST(CivilTimeTest, SpanWithinOneDayIsHalfOpen) {
  DailySpan lunch{WeekdayBit(0), 12 * 60, 13 * 60};
  EXPECT_FALSE(SpanCovers(lunch, 0, 12 * 60 - 1));
  EXPECT_TRUE(SpanCovers(lunch, 0, 12 * 60));
  EXPECT_TRUE(SpanCovers(lunch, 0, 13 * 60 - 1));
  EXPECT_FALSE(SpanCovers(lunch, 0, 13 * 60));
  EXPECT_FALSE(SpanCovers(lunch, 1, 12 * 60 + 30));
  DailySpan to_midnight{WeekdayBit(4), 18 * 60, kMinutesPerDay};
  EXPECT_TRUE(SpanCovers(to_midnight, 4, 1439));
  EXPECT_FALSE(SpanCovers(to_midnight, 5, 0));
  DailySpan every_day;  // the default: every day, all day
  for (int day = 0; day < 7; ++day) {
    EXPECT_TRUE(SpanCovers(every_day, day, 0));
    EXPECT_TRUE(SpanCovers(every_day, day, 1439));
  }
}

TEST(CivilTimeTest, SpanPastMidnightBelongsToTheDayItStartsOn) {
  DailySpan friday_night{WeekdayBit(4), 22 * 60, 6 * 60};
  EXPECT_FALSE(SpanCovers(friday_night, 4, 3 * 60));  // Friday 03:00
  EXPECT_TRUE(SpanCovers(friday_night, 4, 22 * 60));
  EXPECT_TRUE(SpanCovers(friday_night, 4, 1439));     // Friday 23:59
  EXPECT_TRUE(SpanCovers(friday_night, 5, 0));        // Saturday 00:00
  EXPECT_TRUE(SpanCovers(friday_night, 5, 3 * 60));   // Saturday 03:00
  EXPECT_FALSE(SpanCovers(friday_night, 5, 6 * 60));  // the end minute is out
  DailySpan sunday_night{WeekdayBit(6), 23 * 60, 60};
  EXPECT_TRUE(SpanCovers(sunday_night, 0, 30));                   // Monday 00:30
  EXPECT_FALSE(SpanCovers(sunday_night, 6, 30));                  // Sunday 00:30
  DailySpan whole_day_from_eight{WeekdayBit(0), 8 * 60, 8 * 60};  // 24 hours
  EXPECT_TRUE(SpanCovers(whole_day_from_eight, 0, 8 * 60));
  EXPECT_TRUE(SpanCovers(whole_day_from_eight, 1, 8 * 60 - 1));
  EXPECT_FALSE(SpanCovers(whole_day_from_eight, 1, 8 * 60));
  EXPECT_FALSE(SpanCovers(whole_day_from_eight, 0, 8 * 60 - 1));
}

}  // namespace
}  // namespace nb
