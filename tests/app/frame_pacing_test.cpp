// Frame pacing (issue 16): presents that return at once (the dummy driver,
// the software renderer) are paced to the display's refresh; presents that
// wait for the display are not paced again. The loop runs on a fake clock:
// drawing takes no time on it, and a "vsync" present is a jump of the clock
// to the next refresh.
#include <gtest/gtest.h>

#include <memory>

#include "app/frame_loop.h"
#include "app/frame_pacer.h"
#include "app/play_updates.h"
#include "base/manual_clock.h"
#include "render/render_test_support.h"

namespace nb::app {
namespace {

using namespace std::chrono_literals;
using render::testing::Canvas;
using TimePoint = FramePacer::TimePoint;

constexpr auto kPeriod = std::chrono::duration_cast<FramePacer::Duration>(16667us);

TEST(FramePacerTest, KnownNotToWaitFramesComeOnePeriodApart) {
  FramePacer pacer(FramePacer::Mode::kPace, kPeriod);
  TimePoint now{1h};
  TimePoint first = pacer.Due(now);
  EXPECT_EQ(first, now) << "the first frame at once";
  pacer.Presented(now);
  EXPECT_EQ(pacer.Due(now + 1ms), now + kPeriod);
  pacer.Presented(now + kPeriod);
  // A frame a little late keeps the cadence; one a period late starts it again.
  EXPECT_EQ(pacer.Due(now + kPeriod + 20ms), now + kPeriod + 20ms);
  EXPECT_EQ(pacer.Due(now + 10s), now + 10s);
  EXPECT_EQ(pacer.Due(now + 10s), now + 10s + kPeriod);
}

TEST(FramePacerTest, InstantPresentsAreMeasuredThenPaced) {
  FramePacer pacer(FramePacer::Mode::kMeasure, kPeriod);
  TimePoint now{1h};
  for (int i = 0; i <= FramePacer::kSamples && pacer.measuring(); ++i) {
    EXPECT_EQ(pacer.Due(now), now) << "unpaced while measuring";
    now += 2ms;
    pacer.Presented(now);
  }
  EXPECT_TRUE(pacer.pacing());
  EXPECT_EQ(pacer.measured(), 2ms);
  pacer.Due(now);
  EXPECT_EQ(pacer.Due(now), now + kPeriod);
}

TEST(FramePacerTest, PresentsAtTheRefreshAreTrusted) {
  FramePacer pacer(FramePacer::Mode::kMeasure, kPeriod);
  TimePoint now{1h};
  for (int i = 0; i <= FramePacer::kSamples; ++i) {
    pacer.Due(now);
    now += kPeriod;  // the present waited for the refresh
    pacer.Presented(now);
  }
  EXPECT_FALSE(pacer.measuring());
  EXPECT_FALSE(pacer.pacing());
  EXPECT_EQ(pacer.Due(now), now);
  EXPECT_EQ(pacer.Due(now), now) << "the vsync paces, not the pacer";
}

TEST(FramePacerTest, IntervalsBrokenByAWaitAreNoSamples) {
  FramePacer pacer(FramePacer::Mode::kMeasure, kPeriod);
  TimePoint now{1h};
  // Still frames (no Due) between long waits: nothing is learnt from them.
  for (int i = 0; i < 3 * FramePacer::kSamples; ++i) {
    now += 1ms;
    pacer.Presented(now);
  }
  EXPECT_TRUE(pacer.measuring());
}

TEST(FramePacerTest, RefreshPeriodFallsBackTo60Hz) {
  EXPECT_EQ(RefreshPeriod(0), RefreshPeriod(60));
  EXPECT_EQ(RefreshPeriod(50), std::chrono::duration_cast<FramePacer::Duration>(20ms));
}

// Time for the RealTimeWaiter: the test's ManualClock; a sleep moves it.
class FakePaceClock final : public PaceClock {
 public:
  explicit FakePaceClock(ManualClock& clock) : clock_(clock) {}
  TimePoint Now() override { return clock_.MonotonicNow(); }
  void SleepUntil(TimePoint until) override {
    ++sleeps;
    if (until > clock_.MonotonicNow()) clock_.Advance(until - clock_.MonotonicNow());
  }
  int sleeps = 0;

 private:
  ManualClock& clock_;
};

// Before each present: nothing (presents return at once), or a wait for
// the next refresh of a 60 Hz display.
class PresentObserver final : public FrameObserver {
 public:
  PresentObserver(ManualClock& clock, bool vsync) : clock_(clock), vsync_(vsync) {}
  void Drawn(SDL_Renderer*) override {
    if (!vsync_) return;
    const auto since = clock_.MonotonicNow().time_since_epoch();
    clock_.Advance(kPeriod - since % kPeriod);
  }
  void Presented() override {}

 private:
  ManualClock& clock_;
  bool vsync_;
};

class FramePacingLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(SDL_Init(SDL_INIT_EVENTS), 0) << SDL_GetError();
    theme_.ticker = true;  // the picture moves all the time
    updates_ = PlayUpdates::Create(nullptr, "", "");
    ASSERT_TRUE(updates_);
    auto playlist =
        render::testing::LoadTestPlaylist(NB_SOURCE_DIR "/playlists/tianjin-education.json");
    ASSERT_TRUE(playlist);
    updates_->SetInitial(playlist, "file:test");
    canvas_ = std::make_unique<Canvas>(320, 180, theme_, clock_);
    show_ = std::make_unique<render::Show>(clock_, playlist);
  }
  void TearDown() override {
    canvas_.reset();
    updates_.reset();
    SDL_Quit();
  }
  // Runs the loop for `seconds` of the fake clock; the frames drawn.
  long RunFor(RealTimeWaiter& waiter, PresentObserver& observer, std::chrono::seconds seconds) {
    FrameLoop loop(nullptr, canvas_->renderer(), clock_, *show_, canvas_->presenter(), *updates_,
                   waiter, {});
    loop.set_observer(&observer);
    const auto until = clock_.MonotonicNow() + seconds;
    // A loop that does not pace would spin here for ever: the clock stands.
    for (int rounds = 0; clock_.MonotonicNow() < until; ++rounds) {
      if (rounds > 100000) ADD_FAILURE() << "the clock stood still: frames are not paced";
      if (rounds > 100000 || !loop.Round()) break;
    }
    return loop.frames();
  }

  render::Theme theme_ = render::DefaultTheme();
  ManualClock clock_;
  FakePaceClock pace_clock_{clock_};
  std::unique_ptr<PlayUpdates> updates_;
  std::unique_ptr<Canvas> canvas_;
  std::unique_ptr<render::Show> show_;
};

TEST_F(FramePacingLoopTest, InstantPresentsArePacedTo60Hz) {
  PacingOptions options;
  options.mode = FramePacer::Mode::kPace;
  RealTimeWaiter waiter(options, &pace_clock_);
  PresentObserver instant(clock_, /*vsync=*/false);
  const long frames = RunFor(waiter, instant, 2s);
  EXPECT_NEAR(frames, 120, 2);
  EXPECT_GT(pace_clock_.sleeps, 100);
}

TEST_F(FramePacingLoopTest, MeasuredInstantPresentsArePacedOnceMeasured) {
  RealTimeWaiter waiter({}, &pace_clock_);  // kMeasure: the accelerated renderers
  PresentObserver instant(clock_, /*vsync=*/false);
  const long frames = RunFor(waiter, instant, 2s);
  EXPECT_TRUE(waiter.pacer().pacing());
  // The measured frames came at once, then one per 1/60 s.
  EXPECT_NEAR(frames, FramePacer::kSamples + 1 + 120, 3);
}

TEST_F(FramePacingLoopTest, PresentsThatWaitForTheDisplayAreNotPacedAgain) {
  RealTimeWaiter waiter({}, &pace_clock_);
  PresentObserver vsync(clock_, /*vsync=*/true);
  const long frames = RunFor(waiter, vsync, 2s);
  EXPECT_FALSE(waiter.pacer().measuring());
  EXPECT_FALSE(waiter.pacer().pacing());
  EXPECT_EQ(pace_clock_.sleeps, 0) << "the present waits; the loop does not wait again";
  EXPECT_NEAR(frames, 120, 2);
}

}  // namespace
}  // namespace nb::app
