#include "console/sessions.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "base/manual_clock.h"

namespace nb::console {
namespace {

using std::chrono::seconds;

bool IsLowerHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(SessionTableTest, IdsAreDistinct256BitHexAndUnrelatedToTheCsrfToken) {
  ManualClock clock;
  SessionTable table(clock, seconds(600), 1000);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    Session s = table.Create("admin", Role::kApprover);
    EXPECT_TRUE(IsLowerHex64(s.id)) << s.id;
    EXPECT_TRUE(IsLowerHex64(s.csrf)) << s.csrf;
    EXPECT_TRUE(seen.insert(s.id).second);
    EXPECT_TRUE(seen.insert(s.csrf).second);
  }
  EXPECT_EQ(table.size(), 100u);
}

TEST(SessionTableTest, FindReturnsTheSessionAndRefreshesIt) {
  ManualClock clock;
  SessionTable table(clock, seconds(600));
  Session created = table.Create("alice", Role::kEditor);
  clock.Advance(seconds(500));
  std::optional<Session> found = table.Find(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user, "alice");
  EXPECT_EQ(found->role, Role::kEditor);
  EXPECT_EQ(found->csrf, created.csrf);
  EXPECT_EQ(found->last_used, clock.MonotonicNow());
  // Used at 500 s: still there at 1000 s, past the first idle timeout.
  clock.Advance(seconds(500));
  EXPECT_TRUE(table.Find(created.id));
  EXPECT_FALSE(table.Find(""));
  EXPECT_FALSE(table.Find(created.csrf));
  std::string wrong = created.id;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_FALSE(table.Find(wrong));
}

TEST(SessionTableTest, SessionIdleLongerThanTheTimeoutIsGone) {
  ManualClock clock;
  SessionTable table(clock, seconds(600));
  Session a = table.Create("alice", Role::kEditor);
  clock.Advance(seconds(600));
  EXPECT_TRUE(table.Find(a.id));  // exactly the timeout: still alive
  clock.Advance(seconds(601));
  EXPECT_FALSE(table.Find(a.id));
  EXPECT_EQ(table.size(), 0u);  // forgotten, not only hidden
}

TEST(SessionTableTest, RemoveIsLogoutAndRemoveUserEndsAllOfAUsersSessions) {
  ManualClock clock;
  SessionTable table(clock, seconds(600));
  Session a1 = table.Create("alice", Role::kEditor);
  Session a2 = table.Create("alice", Role::kEditor);
  Session b = table.Create("bob", Role::kApprover);
  table.Remove(a1.id);
  EXPECT_FALSE(table.Find(a1.id));
  EXPECT_TRUE(table.Find(a2.id));
  table.Remove("no such id");
  EXPECT_EQ(table.size(), 2u);
  table.Create("alice", Role::kEditor);
  table.RemoveUser("alice");
  EXPECT_FALSE(table.Find(a2.id));
  EXPECT_TRUE(table.Find(b.id));
  EXPECT_EQ(table.size(), 1u);
}

TEST(SessionTableTest, BeyondMaxSessionsTheLeastRecentlyUsedGoes) {
  ManualClock clock;
  SessionTable table(clock, seconds(600), 3);
  Session s1 = table.Create("u1", Role::kEditor);
  clock.Advance(seconds(1));
  Session s2 = table.Create("u2", Role::kEditor);
  clock.Advance(seconds(1));
  Session s3 = table.Create("u3", Role::kEditor);
  clock.Advance(seconds(1));
  ASSERT_TRUE(table.Find(s1.id));  // s1 used now: s2 is the one unused longest
  Session s4 = table.Create("u4", Role::kEditor);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_FALSE(table.Find(s2.id));
  EXPECT_TRUE(table.Find(s1.id));
  EXPECT_TRUE(table.Find(s3.id));
  EXPECT_TRUE(table.Find(s4.id));
}

TEST(SessionTableTest, ThreadsCreateFindAndRemoveAtOnce) {
  ManualClock clock;
  SessionTable table(clock, seconds(600), 16);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&table, &clock, t] {
      for (int i = 0; i < 200; ++i) {
        Session s = table.Create("u" + std::to_string(t), Role::kEditor);
        table.Find(s.id);
        if (i % 3 == 0) table.Remove(s.id);
        if (i % 50 == 0) table.RemoveUser("u" + std::to_string((t + 1) % 4));
        if (t == 0) clock.Advance(seconds(1));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(table.size(), 16u);
}

TEST(LoginLimiterTest, FiveFailuresThenAWaitThatShrinksWithTheClock) {
  ManualClock clock;
  LoginLimiter limiter(clock, 5, seconds(60));
  for (int i = 0; i < 4; ++i) {
    limiter.RecordFailure("10.0.0.7");
    clock.Advance(seconds(1));
  }
  EXPECT_EQ(limiter.RetryAfter("10.0.0.7"), seconds(0));
  limiter.RecordFailure("10.0.0.7");  // the fifth, at 4 s; the first was at 0 s
  EXPECT_EQ(limiter.RetryAfter("10.0.0.7"), seconds(56));
  EXPECT_EQ(limiter.RetryAfter("10.0.0.8"), seconds(0));  // another address may try
  clock.Advance(seconds(30));
  EXPECT_EQ(limiter.RetryAfter("10.0.0.7"), seconds(26));
  clock.Advance(seconds(26));  // the first failure leaves the window
  EXPECT_EQ(limiter.RetryAfter("10.0.0.7"), seconds(0));
  limiter.RecordFailure("10.0.0.7");  // four in the window again, plus this one
  EXPECT_GT(limiter.RetryAfter("10.0.0.7"), seconds(0));
}

TEST(LoginLimiterTest, SuccessForgetsTheAddress) {
  ManualClock clock;
  LoginLimiter limiter(clock, 5, seconds(60));
  for (int i = 0; i < 5; ++i) limiter.RecordFailure("10.0.0.7");
  ASSERT_GT(limiter.RetryAfter("10.0.0.7"), seconds(0));
  limiter.RecordSuccess("10.0.0.7");
  EXPECT_EQ(limiter.RetryAfter("10.0.0.7"), seconds(0));
  for (int i = 0; i < 4; ++i) limiter.RecordFailure("10.0.0.7");
  EXPECT_EQ(limiter.RetryAfter("10.0.0.7"), seconds(0));
}

}  // namespace
}  // namespace nb::console
