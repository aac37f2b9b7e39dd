// Damage-limited frames (issue 16): Presenter::DrawChanges() over the last
// frame gives, pixel for pixel, what a whole Draw() gives, through the
// ticker's scrolling, the clock's minute, a notice coming and going, an
// alert coming, covering and fading out, and crossfades; a frame of the
// ticker alone draws the ticker band alone, a crossfade its slides' areas.
//
// NB_DAMAGE_PNGS=<folder> writes the frames compared, to look at.
#include <gtest/gtest.h>

#include <cstdlib>

#include "frame_scenes.h"
#include "render/draw_ops.h"
#include "render/slide_layout.h"
#include "render_test_support.h"

namespace nb::render {
namespace {

using namespace std::chrono_literals;
using testing::Canvas;

class DamageTest : public ::testing::TestWithParam<std::pair<int, int>> {
 protected:
  void SetUp() override {
    auto [w, h] = GetParam();
    playlist_ = testing::ScenePlaylist();
    ASSERT_TRUE(playlist_);
    ShowOptions options;
    options.slide_seconds = 600;  // the slide stays while the clock turns a minute
    show_ = std::make_unique<Show>(clock_, playlist_, options);
    changes_ = std::make_unique<Canvas>(w, h, theme_, clock_);
    whole_ = std::make_unique<Canvas>(w, h, theme_, clock_);
  }

  // One frame both ways; the rectangles DrawChanges drew.
  std::vector<SDL_Rect> Frame(const std::string& what) {
    show_->Tick();
    std::vector<SDL_Rect> drawn = changes_->presenter().DrawChanges(*show_);
    Image a = changes_->Read();
    Image b = whole_->Draw(*show_);
    long differing = 0;
    int x0 = a.width, y0 = a.height, x1 = -1, y1 = -1;  // where they differ
    for (std::size_t i = 0; i < a.rgba.size(); ++i) {
      if (a.rgba[i] == b.rgba[i]) continue;
      ++differing;
      const int x = static_cast<int>(i / 4 % a.width), y = static_cast<int>(i / 4 / a.width);
      x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
    EXPECT_EQ(differing, 0) << what << ": the frame drawn where it changed is not the whole one, in ("
                            << x0 << "," << y0 << ")-(" << x1 << "," << y1 << ")";
    if (const char* dir = std::getenv("NB_DAMAGE_PNGS")) {
      PosixFileSystem fs;
      std::string name = std::string(dir) + "/" + std::to_string(a.width) + "x" +
                         std::to_string(a.height) + "-" + std::to_string(++frame_) + "-" + what;
      EXPECT_TRUE(WritePng(fs, name + ".png", a).ok());
      if (differing) {
        EXPECT_TRUE(WritePng(fs, name + "-whole.png", b).ok());
      }
    }
    return drawn;
  }
  bool Whole(const std::vector<SDL_Rect>& drawn) const {
    auto [w, h] = GetParam();
    return drawn.size() == 1 && drawn[0].w == w && drawn[0].h == h;
  }
  long Area(const std::vector<SDL_Rect>& drawn) const {
    long area = 0;
    for (const SDL_Rect& r : drawn) area += static_cast<long>(r.w) * r.h;
    return area;
  }
  // Prepares what comes next, as the frame loop does after a present.
  void Prepare() {
    changes_->presenter().PrepareUpcoming(*show_);
    whole_->presenter().PrepareUpcoming(*show_);
  }

  Theme theme_ = DefaultTheme();
  ManualClock clock_;
  std::shared_ptr<const playlist::Playlist> playlist_;
  std::unique_ptr<Show> show_;
  std::unique_ptr<Canvas> changes_, whole_;
  int frame_ = 0;
};

TEST_P(DamageTest, FramesDrawnWhereTheyChangedAreWholeFrames) {
  auto [w, h] = GetParam();
  const long screen = static_cast<long>(w) * h;
  EXPECT_TRUE(Whole(Frame("first"))) << "the first frame is whole";
  Prepare();
  SlideLayouter layouter(testing::Engine(), theme_);
  const SDL_Rect band = ToPixels(layouter.Chrome(w, h).ticker, w, h);
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(16667us);
    std::vector<SDL_Rect> drawn = Frame("ticker");
    ASSERT_EQ(drawn.size(), 1u);
    EXPECT_GE(drawn[0].w * drawn[0].h, band.w * band.h);
    EXPECT_LT(Area(drawn), screen / 6) << "the ticker band, not the slide";
  }
  // The clock's minute turns: the header too.
  clock_.Advance(60s - 5 * 16667us);
  std::vector<SDL_Rect> minute = Frame("minute");
  EXPECT_EQ(minute.size(), 2u);
  EXPECT_LT(Area(minute), screen / 3);
  // A notice comes, stays, goes.
  show_->Notice(testing::kNoticeText, NoticeKind::kRefused);
  EXPECT_EQ(Frame("notice").size(), 2u);
  clock_.Advance(16667us);
  EXPECT_EQ(Frame("notice-ticker").size(), 1u);
  clock_.Advance(11s);
  EXPECT_EQ(Frame("notice-gone").size(), 2u);
  // An alert: it covers the screen at once (critical), then the ticker moves.
  show_->SetAlerts(
      testing::SceneAlerts(1, {testing::SceneAlert(clock_, alert::Severity::kCritical)}));
  EXPECT_TRUE(Whole(Frame("alert")));
  Prepare();
  clock_.Advance(16667us);
  EXPECT_EQ(Frame("alert-ticker").size(), 1u);
  // Cancelled: it fades out in whole frames, and the slide comes back.
  show_->SetAlerts(testing::SceneAlerts(2, {}));
  for (int i = 0; i < 3 && show_->alerts().active(); ++i) {
    EXPECT_TRUE(Whole(Frame("alert-fade")));
    clock_.Advance(150ms);
  }
  clock_.Advance(500ms);
  EXPECT_TRUE(Whole(Frame("alert-gone")));
  Prepare();
  // A crossfade draws its two slides' areas (and the ticker), not the
  // header; its last frame, the incoming slide still, too.
  show_->Next();
  for (int i = 0; i < 3; ++i) {
    std::vector<SDL_Rect> drawn = Frame("crossfade");
    EXPECT_EQ(drawn.size(), 2u);
    EXPECT_FALSE(Whole(drawn));
    EXPECT_LT(Area(drawn), screen * 9 / 10);
    clock_.Advance(250ms);
  }
  show_->Tick();
  EXPECT_FALSE(show_->transitioning());
  EXPECT_EQ(Frame("after-crossfade").size(), 2u);
  // A cut (Previous() while fading is a new transition) starts from a frame
  // that is not the outgoing slide's: whole.
  show_->Next();
  EXPECT_EQ(Frame("crossfade-again").size(), 2u);
  clock_.Advance(100ms);
  show_->Next();
  EXPECT_TRUE(Whole(Frame("crossfade-interrupted")));
  clock_.Advance(1s);
  Frame("after-interrupted");
  Prepare();
  clock_.Advance(16667us);
  EXPECT_EQ(Frame("ticker-again").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Screens, DamageTest,
                         ::testing::Values(std::make_pair(960, 540), std::make_pair(540, 960)));

}  // namespace
}  // namespace nb::render
