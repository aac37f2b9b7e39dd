#include "alert/alert_set.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/manual_clock.h"

namespace nb::alert {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using Kind = AlertEvent::Kind;

Alert MakeAlert(std::string id, Severity severity = Severity::kWarning) {
  Alert a;
  a.id = std::move(id);
  a.severity = severity;
  a.title = "标题 " + a.id;
  return a;
}

AlertMessage Upsert(Alert a) {
  AlertMessage m;
  m.upserts.push_back(std::move(a));
  return m;
}

class AlertSetTest : public ::testing::Test {
 protected:
  void SetUp() override { PinTimeZone("Asia/Shanghai"); }

  // The one event of applying `a` from the API.
  AlertEvent ApplyOne(const Alert& a, const std::string& origin = "api") {
    std::vector<AlertEvent> events = set_.Apply(Upsert(a), origin);
    EXPECT_EQ(events.size(), 1u);
    return events.empty() ? AlertEvent{Kind::kUnknown, "", "", ""} : events.front();
  }
  // How long the held alert `id` has left on the monotonic clock.
  seconds Remaining(const std::string& id) {
    for (const ActiveAlert& a : set_.Snapshot()->alerts) {
      if (a.alert.id == id) return duration_cast<seconds>(a.ends_monotonic - clock_.MonotonicNow());
    }
    ADD_FAILURE() << id << " is not held";
    return seconds(-1);
  }
  std::vector<std::string> Ids() {
    std::vector<std::string> ids;
    for (const ActiveAlert& a : set_.Snapshot()->alerts) ids.push_back(a.alert.id);
    return ids;
  }

  ManualClock clock_;
  AlertPolicy policy_;  // 2 h default, 24 h at most, 5 min tolerance
  AlertSet set_{clock_, policy_};
  WallTime now_ = clock_.WallNow();
};

TEST_F(AlertSetTest, DefaultDurationWhenNoTimeIsGiven) {
  AlertEvent e = ApplyOne(MakeAlert("a"));
  EXPECT_EQ(e.kind, Kind::kReceived);
  EXPECT_EQ(e.id, "a");
  EXPECT_EQ(e.origin, "api");
  EXPECT_EQ(Remaining("a"), 2h);
  EXPECT_EQ(set_.Snapshot()->alerts[0].ends, now_ + 2h);
  EXPECT_EQ(set_.Snapshot()->alerts[0].received, now_);
  EXPECT_EQ(set_.Snapshot()->alerts[0].origin, "api");
}

TEST_F(AlertSetTest, DurationFromForCountsFromReceiptOrIssued) {
  Alert a = MakeAlert("for");
  a.duration = 30min;
  ApplyOne(a);
  EXPECT_EQ(Remaining("for"), 30min);
  Alert b = MakeAlert("for-issued");
  b.duration = 30min;
  b.issued = now_ - 10min;
  ApplyOne(b);
  EXPECT_EQ(Remaining("for-issued"), 20min);
}

TEST_F(AlertSetTest, DurationIsCappedAtTheMaximum) {
  Alert a = MakeAlert("long");
  a.duration = hours(24 * 30);
  ApplyOne(a);
  EXPECT_EQ(Remaining("long"), 24h);
  Alert b = MakeAlert("far");
  b.expires = now_ + hours(24 * 365);
  ApplyOne(b);
  EXPECT_EQ(Remaining("far"), 24h);
}

TEST_F(AlertSetTest, IssuedInThePastWithExpiresAhead) {
  Alert a = MakeAlert("a");
  a.issued = now_ - 3h;
  a.expires = now_ + 1h;
  ApplyOne(a);
  EXPECT_EQ(Remaining("a"), 1h);
  Alert b = MakeAlert("b");  // issued 1 h ago, default duration: 1 h left
  b.issued = now_ - 1h;
  ApplyOne(b);
  EXPECT_EQ(Remaining("b"), 1h);
}

TEST_F(AlertSetTest, IssuedWithinToleranceAheadIsTakenAsSent) {
  Alert a = MakeAlert("a");
  a.issued = now_ + 4min;
  a.expires = now_ + 4min + 1h;
  ApplyOne(a);
  EXPECT_EQ(Remaining("a"), 1h + 4min);
}

TEST_F(AlertSetTest, IssuedBeyondToleranceAheadHoldsItsDurationFromNow) {
  // The sender's clock (or a Pi's without a battery) is a day off.
  Alert a = MakeAlert("a");
  a.issued = now_ + 26h;
  a.expires = now_ + 26h + 3h;
  AlertEvent e = ApplyOne(a);
  EXPECT_EQ(e.kind, Kind::kReceived);
  EXPECT_NE(e.detail.find("ahead of this screen's clock"), std::string::npos) << e.detail;
  EXPECT_EQ(Remaining("a"), 3h);
  Alert b = MakeAlert("b");
  b.issued = now_ + 10min;
  ApplyOne(b);
  EXPECT_EQ(Remaining("b"), 2h);
}

TEST_F(AlertSetTest, AlreadyEndedIsRefused) {
  Alert a = MakeAlert("old");
  a.issued = now_ - 5h;
  a.expires = now_ - 1h;
  AlertEvent e = ApplyOne(a);
  EXPECT_EQ(e.kind, Kind::kExpired);
  EXPECT_NE(e.detail.find("ended before it arrived"), std::string::npos) << e.detail;
  EXPECT_TRUE(set_.empty());
  EXPECT_EQ(set_.generation(), 0u);
  Alert b = MakeAlert("stale");  // issued 3 h ago with the 2 h default
  b.issued = now_ - 3h;
  EXPECT_EQ(ApplyOne(b).kind, Kind::kExpired);
  // An update that has already ended ends the alert held under its id.
  ApplyOne(MakeAlert("held"));
  Alert c = MakeAlert("held");
  c.expires = now_ - 1min;
  EXPECT_EQ(ApplyOne(c).kind, Kind::kExpired);
  EXPECT_TRUE(set_.empty());
}

TEST_F(AlertSetTest, ExpiresOnTheMonotonicClock) {
  ApplyOne(MakeAlert("a"));  // 2 h
  EXPECT_EQ(set_.NextExpiry(), clock_.MonotonicNow() + 2h);
  clock_.Advance(2h - 1s);
  EXPECT_TRUE(set_.ExpireDue().empty());
  clock_.Advance(1s);
  std::vector<AlertEvent> events = set_.ExpireDue();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kExpired);
  EXPECT_EQ(events[0].origin, "api");
  EXPECT_TRUE(set_.empty());
  EXPECT_FALSE(set_.NextExpiry());
}

TEST_F(AlertSetTest, WallClockJumpingForwardDoesNotDropIt) {
  ApplyOne(MakeAlert("a"));
  clock_.SetWall(now_ + years(50));  // NTP fixing a clock that was wrong
  EXPECT_TRUE(set_.ExpireDue().empty());
  EXPECT_FALSE(set_.empty());
  clock_.SetMonotonic(clock_.MonotonicNow() + 2h);
  EXPECT_EQ(set_.ExpireDue().size(), 1u);
}

TEST_F(AlertSetTest, WallClockSetBackwardsDoesNotKeepItUp) {
  ApplyOne(MakeAlert("a"));
  clock_.SetWall(now_ - years(10));
  clock_.Advance(2h);
  EXPECT_EQ(set_.ExpireDue().size(), 1u);
  EXPECT_TRUE(set_.empty());
}

TEST_F(AlertSetTest, SameIdReplacesInPlace) {
  ApplyOne(MakeAlert("a"));
  ApplyOne(MakeAlert("b"));
  std::uint64_t generation = set_.generation();
  Alert a2 = MakeAlert("a");
  a2.title = "更新";
  a2.duration = 10min;
  AlertEvent e = ApplyOne(a2, "usb");
  EXPECT_EQ(e.kind, Kind::kReplaced);
  EXPECT_EQ(set_.generation(), generation + 1);
  auto snapshot = set_.Snapshot();
  ASSERT_EQ(snapshot->alerts.size(), 2u);
  // Its place is kept: b, received later, still comes first.
  EXPECT_EQ(snapshot->alerts[0].alert.id, "b");
  EXPECT_EQ(snapshot->alerts[1].alert.title, "更新");
  EXPECT_EQ(snapshot->alerts[1].origin, "usb");
  EXPECT_EQ(Remaining("a"), 10min);
}

TEST_F(AlertSetTest, UpdateReplacesTheIdsItNames) {
  ApplyOne(MakeAlert("cap-001", Severity::kCritical));
  ApplyOne(MakeAlert("other"));
  Alert update = MakeAlert("cap-002", Severity::kCritical);
  update.replaces = {"cap-001", "never-seen"};
  std::vector<AlertEvent> events = set_.Apply(Upsert(update), "api");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kReplaced);
  EXPECT_EQ(events[0].id, "cap-001");
  EXPECT_EQ(events[1].kind, Kind::kReceived);
  EXPECT_EQ(events[1].id, "cap-002");
  EXPECT_EQ(Ids(), (std::vector<std::string>{"cap-002", "other"}));
}

TEST_F(AlertSetTest, CancelAndUnknownCancel) {
  ApplyOne(MakeAlert("a"));
  std::uint64_t generation = set_.generation();
  std::vector<AlertEvent> events = set_.Cancel("nope", "api");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kUnknown);
  EXPECT_EQ(set_.generation(), generation);
  events = set_.Cancel("a", "console");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kCancelled);
  EXPECT_EQ(events[0].origin, "console");
  EXPECT_TRUE(set_.empty());
  EXPECT_EQ(set_.generation(), generation + 1);
  AlertMessage cancel;
  cancel.cancels = {"x"};
  EXPECT_EQ(set_.Apply(cancel, "usb").at(0).kind, Kind::kUnknown);
}

TEST_F(AlertSetTest, ReplaceOriginCancelsWhatTheFeedNoLongerLists) {
  AlertMessage feed;
  feed.whole_set = true;
  feed.upserts = {MakeAlert("f1"), MakeAlert("f2")};
  EXPECT_EQ(set_.ReplaceOrigin(feed, "feed").size(), 2u);
  ApplyOne(MakeAlert("api-1"));
  clock_.Advance(10min);
  // f1 unchanged keeps its window; f2 gone; f3 new; the API's untouched.
  feed.upserts = {MakeAlert("f1"), MakeAlert("f3")};
  std::vector<AlertEvent> events = set_.ReplaceOrigin(feed, "feed");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kReceived);
  EXPECT_EQ(events[0].id, "f3");
  EXPECT_EQ(events[1].kind, Kind::kCancelled);
  EXPECT_EQ(events[1].id, "f2");
  EXPECT_EQ(Remaining("f1"), 2h - 10min);
  EXPECT_EQ(Ids(), (std::vector<std::string>{"f3", "api-1", "f1"}));
  // The same set again changes nothing; an empty one cancels the feed's all.
  std::uint64_t generation = set_.generation();
  EXPECT_TRUE(set_.ReplaceOrigin(feed, "feed").empty());
  EXPECT_EQ(set_.generation(), generation);
  feed.upserts.clear();
  EXPECT_EQ(set_.ReplaceOrigin(feed, "feed").size(), 2u);
  EXPECT_EQ(Ids(), std::vector<std::string>{"api-1"});
}

TEST_F(AlertSetTest, OrderIsMostSevereThenMostRecent) {
  ApplyOne(MakeAlert("info", Severity::kInfo));
  ApplyOne(MakeAlert("crit-1", Severity::kCritical));
  ApplyOne(MakeAlert("warn", Severity::kWarning));
  ApplyOne(MakeAlert("crit-2", Severity::kCritical));
  EXPECT_EQ(Ids(), (std::vector<std::string>{"crit-2", "crit-1", "warn", "info"}));
}

TEST_F(AlertSetTest, GenerationBumpsOnEveryChange) {
  EXPECT_EQ(set_.generation(), 0u);
  auto before = set_.Snapshot();
  ApplyOne(MakeAlert("a"));
  EXPECT_EQ(set_.generation(), 1u);
  EXPECT_EQ(before->generation, 0u);  // snapshots already taken stay as they were
  EXPECT_TRUE(before->alerts.empty());
  ApplyOne(MakeAlert("a"));
  EXPECT_EQ(set_.generation(), 2u);
  set_.Cancel("a", "api");
  EXPECT_EQ(set_.generation(), 3u);
  set_.ExpireDue();
  EXPECT_EQ(set_.generation(), 3u);
}

TEST_F(AlertSetTest, ExercisesRefusedUnlessShown) {
  Alert drill = MakeAlert("drill");
  drill.status = AlertStatus::kExercise;
  AlertEvent e = ApplyOne(drill);
  EXPECT_EQ(e.kind, Kind::kRefused);
  EXPECT_NE(e.detail.find("exercise"), std::string::npos);
  drill.status = AlertStatus::kTest;
  EXPECT_EQ(ApplyOne(drill).kind, Kind::kRefused);
  EXPECT_TRUE(set_.empty());

  AlertPolicy shown;
  shown.show_exercises = true;
  AlertSet set(clock_, shown);
  EXPECT_EQ(set.Apply(Upsert(drill), "api").at(0).kind, Kind::kReceived);
  EXPECT_EQ(set.Snapshot()->alerts.at(0).alert.status, AlertStatus::kTest);
}

TEST_F(AlertSetTest, EventNames) {
  EXPECT_STREQ(AlertEventName(Kind::kReceived), "received");
  EXPECT_STREQ(AlertEventName(Kind::kReplaced), "replaced");
  EXPECT_STREQ(AlertEventName(Kind::kCancelled), "cancelled");
  EXPECT_STREQ(AlertEventName(Kind::kExpired), "expired");
  EXPECT_STREQ(AlertEventName(Kind::kRefused), "refused");
  EXPECT_STREQ(AlertEventName(Kind::kUnknown), "unknown");
}

TEST_F(AlertSetTest, RestoreDropsEndedAndCapsTheRest) {
  Alert a = MakeAlert("a");
  a.duration = 3h;
  ApplyOne(a);
  ApplyOne(MakeAlert("b", Severity::kCritical));  // 2 h
  std::string stored = set_.ToJson();

  ManualClock later(now_ + 150min, ManualClock::kDefaultMonotonic + 5min);  // b ended while off
  AlertSet restored(later, policy_);
  std::string error;
  std::vector<AlertEvent> events = restored.Restore(stored, &error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kExpired);
  EXPECT_EQ(events[0].id, "b");
  EXPECT_EQ(events[0].origin, "stored");
  auto snapshot = restored.Snapshot();
  ASSERT_EQ(snapshot->alerts.size(), 1u);
  EXPECT_EQ(snapshot->alerts[0].alert, a);
  EXPECT_EQ(snapshot->alerts[0].origin, "api");
  EXPECT_EQ(snapshot->alerts[0].ends_monotonic, later.MonotonicNow() + 30min);

  // A clock set back a year while off: capped at the maximum, not a year.
  ManualClock back(now_ - years(1));
  AlertSet capped(back, policy_);
  EXPECT_TRUE(capped.Restore(stored, &error).empty());
  EXPECT_EQ(capped.Snapshot()->alerts.size(), 2u);
  for (const ActiveAlert& held : capped.Snapshot()->alerts)
    EXPECT_EQ(held.ends_monotonic, back.MonotonicNow() + 24h);
}

TEST_F(AlertSetTest, RestoreRefusesWhatItDidNotWrite) {
  for (const char* bad :
       {"", "[]", "{\"version\": 2, \"alerts\": []}", "{\"version\": \"1\", \"alerts\": []}",
        "{\"version\": 1, \"alerts\": [{\"alert\": {}}]}"}) {
    std::string error;
    EXPECT_TRUE(set_.Restore(bad, &error).empty());
    EXPECT_NE(error, "") << bad;
    std::vector<AlertEvent> events = set_.Restore(bad);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Kind::kRefused);
  }
  EXPECT_TRUE(set_.empty());
}

// The network threads apply, the frame thread reads snapshots (the tsan
// preset runs this).
TEST_F(AlertSetTest, ThreadsApplyAndReadAtOnce) {
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::uint64_t last = 0;
    while (!done) {
      auto snapshot = set_.Snapshot();
      EXPECT_GE(snapshot->generation, last);
      last = snapshot->generation;
      for (const ActiveAlert& a : snapshot->alerts) EXPECT_FALSE(a.alert.id.empty());
      set_.ExpireDue();
      set_.NextExpiry();
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 200; ++i) {
        std::string id = "w" + std::to_string(w) + "-" + std::to_string(i % 7);
        set_.Apply(Upsert(MakeAlert(id)), "api");
        if (i % 3 == 0) set_.Cancel(id, "api");
        if (i % 50 == 0) clock_.Advance(1min);
      }
    });
  }
  for (std::thread& t : writers) t.join();
  done = true;
  reader.join();
  EXPECT_GT(set_.generation(), 0u);
}

}  // namespace
}  // namespace nb::alert
