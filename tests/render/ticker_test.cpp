// The ticker alone: where its text stands depends only on the time since it
// began, and play's first frame shows the band and label without headlines.
#include "render/ticker.h"

#include <gtest/gtest.h>

#include "render_test_support.h"

namespace nb::render {
namespace {

using namespace std::chrono_literals;
using testing::Canvas;

constexpr int kW = 960, kH = 540;

// Which columns of the band's rows hold headline ink (not background).
std::vector<int> InkColumns(const Image& im, const RectF& band, std::uint32_t background) {
  std::vector<int> columns(kW, 0);
  for (int y = static_cast<int>(band.y) + 2; y < static_cast<int>(band.y + band.h) - 2; ++y) {
    for (int x = 0; x < kW; ++x) {
      int delta = 0;
      for (int c = 0; c < 3; ++c)
        delta = std::max(delta, std::abs(static_cast<int>(testing::Channel(im, x, y, c)) -
                                         static_cast<int>((background >> (24 - 8 * c)) & 0xFF)));
      if (delta > 60) columns[x] = 1;
    }
  }
  return columns;
}

// The shift (in whole pixels, leftwards) that best maps `a`'s ink onto `b`'s.
int BestShift(const std::vector<int>& a, const std::vector<int>& b, int from, int max_shift) {
  int best = -1;
  long best_score = -1;
  for (int s = 0; s <= max_shift; ++s) {
    long score = 0;
    for (int x = from + s; x < kW; ++x) score += a[x] && b[x - s];
    if (score > best_score) {
      best_score = score;
      best = s;
    }
  }
  return best;
}

class TickerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    playlist_ = testing::LoadTestPlaylist(std::string(NB_SOURCE_DIR) +
                                          "/playlists/tianjin-education.json");
    ASSERT_TRUE(playlist_);
    show_ = std::make_unique<Show>(clock_, playlist_);
    show_->Tick();
    ticker_.SetSize(kW, kH);
    clock_.Advance(3s);  // the text has scrolled in
  }
  Image DrawBand(bool first_frame) {
    SDL_SetRenderDrawColor(canvas_.renderer(), 0, 0, 0, 255);
    SDL_RenderClear(canvas_.renderer());
    ticker_.Draw(*show_, Band(), 1.f, first_frame);
    return canvas_.Read();
  }
  RectF Band() { return layouter_.Chrome(kW, kH).ticker; }
  std::vector<int> Ink(const Image& im) {
    return InkColumns(im, Band(), theme_.colors.ticker_background);
  }
  int LabelEnd() { return static_cast<int>(Band().h * 3); }  // past the label

  Theme theme_ = DefaultTheme();
  ManualClock clock_;
  Canvas canvas_{kW, kH, theme_, clock_};
  SlideLayouter layouter_{testing::Engine(), theme_};
  Ticker ticker_{canvas_.renderer(), canvas_.atlas(), layouter_, theme_, clock_};
  std::shared_ptr<const playlist::Playlist> playlist_;
  std::unique_ptr<Show> show_;
};

TEST_F(TickerTest, TextMovesWithTheClockAtTheThemesSpeed) {
  Image before = DrawBand(false);
  Image again = DrawBand(false);
  EXPECT_EQ(testing::Compare(before, again).mean_abs, 0.0) << "same time, same picture";
  clock_.Advance(500ms);
  Image after = DrawBand(false);
  const float expected = theme_.ticker_speed * kH * 0.5f;
  int shift = BestShift(Ink(before), Ink(after), LabelEnd(), static_cast<int>(expected) * 2);
  EXPECT_NEAR(shift, expected, 1.5);
}

TEST_F(TickerTest, FirstFrameHasTheLabelButNoHeadlines) {
  std::vector<int> ink = Ink(DrawBand(true));
  EXPECT_GT(std::count(ink.begin(), ink.begin() + LabelEnd(), 1), 0) << "the label";
  EXPECT_EQ(std::count(ink.begin() + LabelEnd(), ink.end(), 1), 0) << "no headline yet";
  ink = Ink(DrawBand(false));
  EXPECT_GT(std::count(ink.begin() + LabelEnd(), ink.end(), 1), 50) << "headlines a frame later";
}

}  // namespace
}  // namespace nb::render
