// The frame loop that `play` and bench/soak share, driven by a waiter that
// moves a fake clock: updates wait for the slide boundary, the loop sleeps
// until the next deadline when nothing moves, and it stops when told.
#include "app/frame_loop.h"

#include <gtest/gtest.h>

#include <vector>

#include "app/play_updates.h"
#include "base/manual_clock.h"
#include "render/render_test_support.h"

namespace nb::app {
namespace {

using namespace std::chrono_literals;
using render::testing::Canvas;

// Instead of waiting, the clock jumps to where the loop would wake up.
class JumpingWaiter final : public FrameWaiter {
 public:
  explicit JumpingWaiter(ManualClock& clock) : clock_(clock) {}
  bool WaitForEvent(SDL_Event* event, TimePoint until) override {
    waits.push_back(until);
    if (SDL_PollEvent(event)) return true;
    if (until > clock_.MonotonicNow()) clock_.Advance(until - clock_.MonotonicNow());
    return false;
  }
  void PaceFrame() override {
    ++paced;
    clock_.Advance(100ms);
  }
  void Sleep(std::chrono::milliseconds period) override { clock_.Advance(period); }

  std::vector<TimePoint> waits;
  int paced = 0;

 private:
  ManualClock& clock_;
};

class CountingObserver final : public FrameObserver {
 public:
  void Drawn(SDL_Renderer*) override { ++drawn; }
  void Presented() override { ++presented; }
  int drawn = 0, presented = 0;
};

playlist::Playlist ThreeItems(const std::string& prefix) {
  playlist::Playlist p;
  p.title = "天津教育";
  p.generated_at = "2025-12-01T08:00:00+08:00";
  p.default_duration_s = 10;
  for (const char* id : {"1", "2", "3"}) {
    playlist::Item item;
    item.id = prefix + id;
    item.title = "标题 " + item.id;
    item.summary = "摘要。";
    item.date = "2025-12-01";
    p.items.push_back(item);
  }
  return p;
}

class FrameLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(SDL_Init(SDL_INIT_EVENTS), 0) << SDL_GetError();
    theme_.ticker = false;                            // nothing moves between transitions
    updates_ = PlayUpdates::Create(nullptr, "", "");  // no state folder: kept in memory
    ASSERT_TRUE(updates_);
    first_ = std::make_shared<const playlist::Playlist>(ThreeItems("a"));
    updates_->SetInitial(first_, "file:test");
    canvas_ = std::make_unique<Canvas>(480, 270, theme_, clock_);
    show_ = std::make_unique<render::Show>(clock_, first_);
  }
  void TearDown() override {
    canvas_.reset();
    updates_.reset();
    SDL_Quit();
  }
  std::unique_ptr<FrameLoop> MakeLoop(FrameLoopOptions options = {}) {
    auto loop = std::make_unique<FrameLoop>(nullptr, canvas_->renderer(), clock_, *show_,
                                            canvas_->presenter(), *updates_, waiter_, options);
    loop->set_observer(&observer_);
    updates_->SetWake(loop->Waker());
    return loop;
  }

  render::Theme theme_ = render::DefaultTheme();
  ManualClock clock_;
  JumpingWaiter waiter_{clock_};
  CountingObserver observer_;
  std::unique_ptr<PlayUpdates> updates_;
  std::shared_ptr<const playlist::Playlist> first_;
  std::unique_ptr<Canvas> canvas_;
  std::unique_ptr<render::Show> show_;
};

TEST_F(FrameLoopTest, AnUpdateIsSwappedInAtTheSlideBoundaryNotBefore) {
  auto loop = MakeLoop();
  ASSERT_TRUE(loop->Round());  // the first frame
  EXPECT_EQ(observer_.presented, 1);
  update::UpdateRequest request;
  request.source = update::UpdateSource::kPush;
  request.origin = "test";
  request.bytes = playlist::ToJson(ThreeItems("b"));
  ASSERT_TRUE(updates_->pipeline().Submit(request).ok());

  ASSERT_TRUE(loop->Round());  // the update is delivered: a notice, no new slide
  EXPECT_EQ(show_->playlist(), first_);
  EXPECT_EQ(show_->current().item()->id, "a1");
  EXPECT_FALSE(show_->notice().empty());
  while (show_->slide_changes() < 1 || show_->transitioning()) ASSERT_TRUE(loop->Round());
  EXPECT_NE(show_->playlist(), first_);
  EXPECT_EQ(show_->current().item()->id.substr(0, 1), "b");
  EXPECT_EQ(observer_.drawn, observer_.presented);
}

TEST_F(FrameLoopTest, NothingMovingTheLoopWaitsForTheNextDeadline) {
  auto loop = MakeLoop();
  ASSERT_TRUE(loop->Round());  // draws the first slide
  const int frames = observer_.presented;
  const auto deadline = std::min(show_->NextDeadline(), canvas_->presenter().NextClockChange());
  ASSERT_TRUE(loop->Round());
  ASSERT_EQ(waiter_.waits.size(), 1u);
  EXPECT_EQ(waiter_.waits[0], deadline + 1ms) << "woken just after the deadline";
  EXPECT_EQ(waiter_.paced, 0) << "nothing moved, so nothing was paced";
  EXPECT_GE(observer_.presented, frames) << "a frame only when the deadline changed something";
}

TEST_F(FrameLoopTest, ExitAfterSlidesStopsOnceTheLastChangeHasFadedIn) {
  FrameLoopOptions options;
  options.exit_after_slides = 2;
  auto loop = MakeLoop(options);
  EXPECT_EQ(loop->Run(), 0);
  EXPECT_EQ(show_->slide_changes(), 2);
  EXPECT_FALSE(show_->transitioning());
  EXPECT_GT(waiter_.paced, 0) << "crossfades are paced without vsync";
  EXPECT_EQ(loop->frames(), observer_.presented);
}

TEST_F(FrameLoopTest, AQuitEventEndsTheLoop) {
  auto loop = MakeLoop();
  SDL_Event quit{};
  quit.type = SDL_QUIT;
  SDL_PushEvent(&quit);
  EXPECT_FALSE(loop->Round());
  EXPECT_EQ(observer_.presented, 0);
}

// Urgent notices (issue 15) do not wait for a slide boundary: the frame
// drawn after an alert is accepted shows it (the time it takes is the
// benchmark's, bench/alert_latency).
class PixelObserver final : public FrameObserver {
 public:
  void Drawn(SDL_Renderer* renderer) override {
    ++drawn;
    SDL_Rect one{4, 100, 1, 1};
    SDL_RenderReadPixels(renderer, &one, SDL_PIXELFORMAT_RGBA32, &pixel, 4);
  }
  void Presented() override {}
  int drawn = 0;
  std::uint32_t pixel = 0;  // bytes R, G, B, A in memory order
};

TEST_F(FrameLoopTest, AnAcceptedAlertIsInTheNextFrameDrawn) {
  auto loop = MakeLoop();
  PixelObserver pixels;
  loop->set_observer(&pixels);
  ASSERT_TRUE(loop->Round());
  ASSERT_TRUE(loop->Round());  // nothing moves: the loop waits for the next deadline
  const int before = pixels.drawn;
  update::AlertSubmission post;
  post.source = update::AlertSource::kApi;
  post.who = "test";
  post.type = "application/json";
  post.body = R"({"id": "storm", "severity": "critical", "title": "今日停课", "for": "2h"})";
  ASSERT_TRUE(updates_->alerts().Submit(post).ok());
  ASSERT_TRUE(loop->Round());
  EXPECT_EQ(pixels.drawn, before + 1);
  const std::uint32_t red = theme_.colors.alert_critical_background;
  const auto* rgba = reinterpret_cast<const std::uint8_t*>(&pixels.pixel);
  EXPECT_EQ(rgba[0], red >> 24);
  EXPECT_EQ(rgba[1], (red >> 16) & 0xFF);
  EXPECT_EQ(rgba[2], (red >> 8) & 0xFF);
  EXPECT_TRUE(show_->alerts().covering());
  // Cancelled: it fades out, and the slides come back where they were.
  const std::string item = show_->current().item()->id;
  ASSERT_TRUE(updates_->alerts().Cancel("storm", update::AlertSource::kApi, "test").ok());
  for (int i = 0; i < 20 && show_->alerts().active(); ++i) ASSERT_TRUE(loop->Round());
  EXPECT_FALSE(show_->alerts().active());
  EXPECT_EQ(show_->current().item()->id, item);
}

}  // namespace
}  // namespace nb::app
