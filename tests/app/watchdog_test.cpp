#include "app/watchdog.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/manual_clock.h"

namespace nb::app {
namespace {

using namespace std::chrono_literals;

TEST(WatchdogTest, PingsAtHalfTheIntervalAndSaysWhenTheNextIsDue) {
  ManualClock clock;
  std::vector<std::string> sent;
  Watchdog dog(clock, 30s, [&](const std::string& m) { sent.push_back(m); });
  EXPECT_EQ(dog.UntilNextPing(), 0ms);  // never pinged: due now
  dog.Ping();
  ASSERT_EQ(sent, (std::vector<std::string>{"WATCHDOG=1"}));
  EXPECT_EQ(dog.UntilNextPing(), 15000ms);

  clock.Advance(14999ms);
  dog.Ping();
  EXPECT_EQ(sent.size(), 1u);  // rounds in between send nothing
  EXPECT_EQ(dog.UntilNextPing(), 1ms);

  clock.Advance(1ms);
  dog.Ping();
  EXPECT_EQ(sent.size(), 2u);
  EXPECT_EQ(dog.UntilNextPing(), 15000ms);

  clock.Advance(40s);  // a stall: the next round pings at once (systemd decides)
  EXPECT_EQ(dog.UntilNextPing(), 0ms);
}

TEST(WatchdogTest, ReadyOnceAndNoPingsWithoutAnInterval) {
  ManualClock clock;
  std::vector<std::string> sent;
  Watchdog dog(clock, 0us, [&](const std::string& m) { sent.push_back(m); });
  dog.Ping();
  dog.Ready();
  dog.Ready();
  dog.Stopping();
  EXPECT_EQ(sent, (std::vector<std::string>{"READY=1", "STOPPING=1"}));
  EXPECT_EQ(dog.UntilNextPing(), 60000ms);  // the loop's longest sleep anyway
}

TEST(WatchdogTest, ReadsTheIntervalSystemdSets) {
  ManualClock clock;
  ::unsetenv("WATCHDOG_PID");
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  EXPECT_EQ(Watchdog::FromSystemd(clock)->interval(), 4s);
  ::unsetenv("WATCHDOG_USEC");
  EXPECT_EQ(Watchdog::FromSystemd(clock)->interval(), 0us);
}

}  // namespace
}  // namespace nb::app
