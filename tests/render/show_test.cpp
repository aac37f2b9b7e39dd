#include "render/show.h"

#include <gtest/gtest.h>

#include "render_test_support.h"

namespace nb::render {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const playlist::Playlist> Make(int n, int transition_ms = 600) {
  auto p = std::make_shared<playlist::Playlist>();
  p->title = "天津教育";
  p->default_duration_s = 10;
  p->transition.ms = transition_ms;
  for (int i = 0; i < n; ++i) {
    playlist::Item item;
    item.id = "item-" + std::to_string(i);
    item.title = "标题" + std::to_string(i);
    p->items.push_back(item);
  }
  return p;
}

TEST(ShowTest, PlaysEachItemForItsDurationWithCrossfade) {
  ManualClock clock;
  auto p = std::const_pointer_cast<playlist::Playlist>(Make(3));
  p->items[1].duration_s = 4;
  Show show(clock, p);
  EXPECT_EQ(show.current().index, 0);
  EXPECT_FALSE(show.transitioning());
  clock.Advance(9999ms);
  show.Tick();
  EXPECT_EQ(show.current().index, 0);
  clock.Advance(1ms);
  EXPECT_TRUE(show.Tick());
  EXPECT_EQ(show.current().index, 1);
  ASSERT_TRUE(show.transitioning());
  EXPECT_EQ(show.outgoing()->index, 0);
  clock.Advance(300ms);
  show.Tick();
  EXPECT_NEAR(show.mix(), 0.5f, 0.01f);
  clock.Advance(300ms);
  show.Tick();
  EXPECT_FALSE(show.transitioning());
  clock.Advance(3400ms);  // item 1 lasts 4 s from the start of its crossfade
  show.Tick();
  EXPECT_EQ(show.current().index, 2);
  EXPECT_EQ(show.slide_changes(), 2);
}

TEST(ShowTest, CutHasNoTransition) {
  ManualClock clock;
  auto p = std::const_pointer_cast<playlist::Playlist>(Make(2));
  p->transition.kind = playlist::TransitionKind::kCut;
  Show show(clock, p);
  show.Next();
  EXPECT_EQ(show.current().index, 1);
  EXPECT_FALSE(show.transitioning());
}

TEST(ShowTest, KeysNextPreviousPause) {
  ManualClock clock;
  Show show(clock, Make(3));
  show.Previous();
  EXPECT_EQ(show.current().index, 2);
  show.Next();
  EXPECT_EQ(show.current().index, 0);
  show.TogglePause();
  clock.Advance(60s);
  show.Tick();
  EXPECT_EQ(show.current().index, 0);
  EXPECT_EQ(show.NextDeadline(), TimePoint::max());
  show.TogglePause();
  clock.Advance(9s);  // the paused minute does not count
  show.Tick();
  EXPECT_EQ(show.current().index, 0);
  clock.Advance(1s);
  show.Tick();
  EXPECT_EQ(show.current().index, 1);
}

TEST(ShowTest, IdleWhenNothingScheduledThenPicksUpAtNextCheck) {
  ManualClock clock;  // Monday 2025-12-01 09:00
  auto p = std::const_pointer_cast<playlist::Playlist>(Make(2));
  playlist::Schedule afternoon;
  afternoon.hours = std::make_pair(14 * 60, 18 * 60);
  p->items[0].schedule = afternoon;
  p->items[1].enabled = false;
  Show show(clock, p);
  EXPECT_TRUE(show.current().idle());
  EXPECT_LE(show.NextDeadline(), clock.MonotonicNow() + 5s);
  clock.Advance(5h);
  show.Tick();
  EXPECT_EQ(show.current().index, 0);
  EXPECT_TRUE(show.transitioning()) << "idle to slide crossfades too";
}

TEST(ShowTest, ScheduleIsReevaluatedAtEachBoundary) {
  ManualClock clock;
  clock.SetWall(std::chrono::sys_days(std::chrono::year(2025) / 12 / 1) + 11h + 59min + 50s);
  auto p = std::const_pointer_cast<playlist::Playlist>(Make(3));
  playlist::Schedule morning;
  morning.hours = std::make_pair(8 * 60, 12 * 60);
  p->items[1].schedule = morning;
  Show show(clock, p);
  EXPECT_EQ(show.playing().size(), 3u);
  clock.Advance(10s);  // 12:00: item 1's morning is over
  show.Tick();
  EXPECT_EQ(show.current().index, 2);
  EXPECT_EQ(show.current().count, 2);
}

TEST(ShowTest, NoticeExpires) {
  ManualClock clock;
  Show show(clock, Make(1), {.slide_seconds = std::nullopt, .notice_seconds = 10});
  show.Notice("坏文件", NoticeKind::kRefused);
  EXPECT_EQ(show.notice(), "坏文件");
  EXPECT_EQ(show.notice_kind(), NoticeKind::kRefused);
  EXPECT_EQ(show.NextDeadline(), clock.MonotonicNow() + 10s);
  clock.Advance(10s);
  EXPECT_TRUE(show.Tick());
  EXPECT_TRUE(show.notice().empty());
}

}  // namespace
}  // namespace nb::render
