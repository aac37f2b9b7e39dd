#include "base/time_format.h"

#include <gtest/gtest.h>

namespace nb {
namespace {

using namespace std::chrono;

TEST(ParseTimestamp, ReadsOffsetsAndZ) {
  const system_clock::time_point utc_midnight = sys_days(year(2026) / 12 / 8);
  EXPECT_EQ(ParseTimestamp("2026-12-08T08:00:00+08:00"), utc_midnight);
  EXPECT_EQ(ParseTimestamp("2026-12-08T08:00:00+0800"), utc_midnight);
  EXPECT_EQ(ParseTimestamp("2026-12-08T00:00:00Z"), utc_midnight);
  EXPECT_EQ(ParseTimestamp("2026-12-07T19:00:00-05:00"), utc_midnight);
  EXPECT_EQ(ParseTimestamp("2026-12-08T00:00Z"), utc_midnight);
  EXPECT_EQ(ParseTimestamp("2026-12-08T00:00:00.750Z"), utc_midnight);
}

TEST(ParseTimestamp, RoundTripsUtcTimestamp) {
  system_clock::time_point t = sys_days(year(2025) / 2 / 28) + hours(23) + minutes(59) + seconds(7);
  EXPECT_EQ(ParseTimestamp(UtcTimestamp(t)), t);
  EXPECT_EQ(ParseTimestamp(LocalTimestamp(t)), t);
}

TEST(ParseTimestamp, SaysWhatIsWrong) {
  std::string why;
  EXPECT_FALSE(ParseTimestamp("2026-12-08T08:00:00", &why));
  EXPECT_NE(why.find("no time zone"), std::string::npos) << why;
  EXPECT_FALSE(ParseTimestamp("2026-13-08T08:00:00Z", &why));
  EXPECT_NE(why.find("month 13"), std::string::npos) << why;
  EXPECT_FALSE(ParseTimestamp("2026-02-30T08:00:00Z", &why));
  EXPECT_NE(why.find("day 30"), std::string::npos) << why;
  EXPECT_FALSE(ParseTimestamp("2026-12-08T24:00:00Z", &why));
  EXPECT_FALSE(ParseTimestamp("9999-12-08T08:00:00Z", &why));
  EXPECT_NE(why.find("year 9999"), std::string::npos) << why;
  EXPECT_FALSE(ParseTimestamp("2026-12-08T08:00:00+8", &why));
  EXPECT_FALSE(ParseTimestamp("2026-12-08T08:00:00 +08:00", &why));
  EXPECT_FALSE(ParseTimestamp("2026-12-08", &why));
  EXPECT_FALSE(ParseTimestamp("", &why));
  EXPECT_FALSE(ParseTimestamp("2026-12-08T08:00:00Zjunk"));
}

}  // namespace
}  // namespace nb
