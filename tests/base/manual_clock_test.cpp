#include "base/manual_clock.h"

#include <gtest/gtest.h>

#include <ctime>
#include <thread>

namespace nb {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::year;

TEST(ManualClockTest, StartsWhereToldAndStaysThere) {
  ManualClock fixed;
  EXPECT_EQ(fixed.WallNow(), sys_days(year(2025) / 12 / 1) + 9h);
  EXPECT_EQ(fixed.MonotonicNow(), std::chrono::steady_clock::time_point(1h));
  EXPECT_EQ(fixed.WallNow(), fixed.WallNow());

  ManualClock chosen(sys_days(year(2026) / 3 / 2) + 18h, std::chrono::steady_clock::time_point(5s));
  EXPECT_EQ(chosen.WallNow(), sys_days(year(2026) / 3 / 2) + 18h);
  EXPECT_EQ(chosen.MonotonicNow(), std::chrono::steady_clock::time_point(5s));
}

TEST(ManualClockTest, AdvanceMovesBothClocksAndSettingMovesOne) {
  ManualClock clock;
  const auto wall = clock.WallNow();
  const auto mono = clock.MonotonicNow();
  clock.Advance(16667us);
  EXPECT_EQ(clock.WallNow() - wall, 16667us);
  EXPECT_EQ(clock.MonotonicNow() - mono, 16667us);

  clock.SetWall(wall - 8h);  // NTP corrects a wrong clock: time does not run back
  EXPECT_EQ(clock.WallNow(), wall - 8h);
  EXPECT_EQ(clock.MonotonicNow() - mono, 16667us);

  clock.SetMonotonic(mono + 1h);
  EXPECT_EQ(clock.MonotonicNow(), mono + 1h);
  EXPECT_EQ(clock.WallNow(), wall - 8h);
}

// The soak's and the pull tests' use: one thread jumps the clock on while
// others read it. Under TSan this is the test that the clock is race-free.
TEST(ManualClockTest, OneThreadAdvancesWhileAnotherReads) {
  ManualClock clock;
  const auto start = clock.MonotonicNow();
  std::thread advancer([&] {
    for (int i = 0; i < 10000; ++i) clock.Advance(1ms);
  });
  auto last = start;
  for (int i = 0; i < 10000; ++i) {
    auto now = clock.MonotonicNow();
    EXPECT_GE(now, last);
    last = now;
  }
  advancer.join();
  EXPECT_EQ(clock.MonotonicNow() - start, 10s);
  EXPECT_EQ(clock.WallNow(), ManualClock::kDefaultWall + 10s);
}

TEST(ManualClockTest, PinTimeZoneSetsLocalTimeForTheProcess) {
  const std::time_t t = std::chrono::system_clock::to_time_t(ManualClock().WallNow());
  std::tm local{};
  PinTimeZone("Asia/Shanghai");
  localtime_r(&t, &local);
  const int shanghai_hour = local.tm_hour;
  PinTimeZone("UTC");
  localtime_r(&t, &local);
  EXPECT_EQ(local.tm_hour, 9);
  if (shanghai_hour == 9) GTEST_SKIP() << "no tzdata for Asia/Shanghai";
  EXPECT_EQ(shanghai_hour, 17);
}

}  // namespace
}  // namespace nb
