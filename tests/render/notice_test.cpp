// Notices on screen (issue #21): one calm line in the strip between the
// slide's text and the ticker, covering no text, coloured by kind and never
// red; gone after notice_seconds.
//
// NB_NOTICE_PNGS=<folder> also writes the frames looked at, to check by eye.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "render/slide_layout.h"
#include "render_test_support.h"

namespace nb::render {
namespace {

using namespace std::chrono_literals;
using testing::Canvas;

constexpr const char* kRefusal = "U盘中的播放列表有 4 处错误，未更新；详见管理页面或日志";
constexpr const char* kSuccess = "已从U盘更新播放列表：15 条";

struct ScreenSize {
  int w, h;
};

std::string SizeName(ScreenSize s) { return std::to_string(s.w) + "x" + std::to_string(s.h); }
std::string Name(const ::testing::TestParamInfo<ScreenSize>& info) { return SizeName(info.param); }

// A slide whose summary fills the page to its last line: the worst case for
// a notice at the bottom.
std::shared_ptr<const playlist::Playlist> FullPagePlaylist() {
  auto loaded = testing::LoadTestPlaylist(NB_SOURCE_DIR "/playlists/tianjin-education.json");
  if (!loaded) return nullptr;
  auto p = std::make_shared<playlist::Playlist>(*loaded);
  playlist::Item item = p->items[0];
  item.summary = item.body;  // 1,600 characters: cut at a sentence end to fit
  p->items = {item};
  return p;
}

bool Intersect(const RectF& a, const RectF& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

// The em boxes of a placed text's lines, as one rectangle.
RectF TextBox(const PlacedText& t) {
  const auto& lines = t.layout.lines;
  float top = lines.front().baseline - std::fabs(t.layout.ascent);
  float bottom = lines.back().baseline + std::fabs(t.layout.descent);
  return {t.x, t.y + top, t.layout.width, bottom - top};
}

class NoticePlaceTest : public ::testing::TestWithParam<ScreenSize> {};

TEST_P(NoticePlaceTest, BoxCoversNoTextOfAnySlideNorTheChrome) {
  auto [w, h] = GetParam();
  auto sample = testing::LoadTestPlaylist(NB_SOURCE_DIR "/playlists/tianjin-education.json");
  auto full = FullPagePlaylist();
  ASSERT_TRUE(sample && full);
  SlideLayouter layouter(testing::Engine(), DefaultTheme());
  ChromeGeometry g = layouter.Chrome(w, h);
  const float header_bottom = g.header.y + g.header.h;
  for (NoticeKind kind : {NoticeKind::kSuccess, NoticeKind::kRefused}) {
    for (const char* message : {kRefusal, kSuccess}) {
      FilledRect box;
      PlacedText text;
      layouter.LayOutNotice(message, kind, w, h, &box, &text);
      SCOPED_TRACE(message);
      EXPECT_GE(box.rect.x, 0);
      EXPECT_LE(box.rect.x + box.rect.w, w);
      EXPECT_GE(box.rect.y, header_bottom) << "over the header band";
      EXPECT_LE(box.rect.y + box.rect.h, g.ticker.y) << "over the ticker";
      EXPECT_FALSE(text.layout.truncated) << "the whole line is shown";
      RectF words = TextBox(text);
      EXPECT_GE(words.y, box.rect.y);
      EXPECT_LE(words.y + words.h, box.rect.y + box.rect.h);
      EXPECT_LE(words.x + words.w, box.rect.x + box.rect.w);
      EXPECT_GE(text.layout.size_px, 0.02f * static_cast<float>(std::min(w, h)))
          << "readable across a lobby";

      std::vector<const playlist::Playlist*> playlists{sample.get(), full.get()};
      for (const playlist::Playlist* p : playlists) {
        int n = static_cast<int>(p->items.size());
        for (int i = 0; i < n; ++i) {
          SlideLayout slide = layouter.LayOutItem(p->items[i], p->title, i + 1, n, w, h);
          for (const PlacedText& t : slide.texts) {
            EXPECT_FALSE(Intersect(box.rect, TextBox(t)))
                << p->items[i].id << ": the notice covers \"" << t.layout.text << "\"";
          }
          for (const FilledRect& r : slide.rects)
            EXPECT_FALSE(Intersect(box.rect, r.rect)) << p->items[i].id << ": covers a rule";
        }
      }
    }
  }
}

TEST_P(NoticePlaceTest, ColoursByKindAndNeverRed) {
  auto [w, h] = GetParam();
  const Colors& c = DefaultTheme().colors;
  SlideLayouter layouter(testing::Engine(), DefaultTheme());
  FilledRect box;
  PlacedText text;
  layouter.LayOutNotice(kRefusal, NoticeKind::kRefused, w, h, &box, &text);
  EXPECT_EQ(box.rgba, c.notice_refused_background);
  EXPECT_EQ(text.rgba, c.notice_refused_text);
  layouter.LayOutNotice(kSuccess, NoticeKind::kSuccess, w, h, &box, &text);
  EXPECT_EQ(box.rgba, c.notice_success_background);
  EXPECT_EQ(text.rgba, c.notice_success_text);
  // Red (the urgent notices' colour, and the accent) is not an update's.
  for (std::uint32_t rgba : {c.notice_refused_background, c.notice_success_background}) {
    EXPECT_NE(rgba, c.alert_critical_background);
    EXPECT_NE(rgba, c.accent);
    int r = rgba >> 24, gr = (rgba >> 16) & 0xFF, b = (rgba >> 8) & 0xFF;
    EXPECT_FALSE(r > 150 && gr < 90 && b < 90) << std::hex << rgba << " reads as red";
  }
}

INSTANTIATE_TEST_SUITE_P(Screens, NoticePlaceTest,
                         ::testing::Values(ScreenSize{1920, 1080}, ScreenSize{1080, 1920},
                                           ScreenSize{1280, 720}, ScreenSize{768, 1366}),
                         Name);

void MaybeWritePng(const Image& image, const std::string& name) {
  const char* dir = std::getenv("NB_NOTICE_PNGS");
  if (!dir) return;
  PosixFileSystem fs;
  Status s = WritePng(fs, std::string(dir) + "/" + name + ".png", image);
  EXPECT_TRUE(s.ok()) << s.message();
}

// Pixels of `im` in `r` (grown by `grow` px) that are not within tol of rgba.
long OtherThan(const Image& im, const RectF& r, int grow, std::uint32_t rgba, int tol) {
  long n = 0;
  int x0 = std::max(0, static_cast<int>(r.x) - grow),
      y0 = std::max(0, static_cast<int>(r.y) - grow);
  int x1 = std::min(im.width, static_cast<int>(r.x + r.w) + grow);
  int y1 = std::min(im.height, static_cast<int>(r.y + r.h) + grow);
  int cr = rgba >> 24, cg = (rgba >> 16) & 0xFF, cb = (rgba >> 8) & 0xFF;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      n += std::abs(testing::Channel(im, x, y, 0) - cr) > tol ||
           std::abs(testing::Channel(im, x, y, 1) - cg) > tol ||
           std::abs(testing::Channel(im, x, y, 2) - cb) > tol;
    }
  }
  return n;
}

class NoticeFrameTest : public ::testing::TestWithParam<ScreenSize> {};

// In the frame itself: where the notice goes, the slide without it has no
// ink at all; with it, the box is the refusal's amber and no pixel turns red.
TEST_P(NoticeFrameTest, DrawnOverPlainBackgroundInItsKindsColour) {
  auto [w, h] = GetParam();
  const Theme& theme = DefaultTheme();
  const Colors& c = theme.colors;
  ManualClock clock;
  auto playlist = FullPagePlaylist();
  ASSERT_TRUE(playlist);
  Canvas canvas(w, h, theme, clock);
  Show show(clock, playlist, {.slide_seconds = 100, .notice_seconds = 10});
  Image plain = canvas.Draw(show);
  MaybeWritePng(plain, "no-notice-" + SizeName(GetParam()));
  SlideLayouter layouter(testing::Engine(), theme);
  FilledRect box;
  PlacedText text;
  layouter.LayOutNotice(kRefusal, NoticeKind::kRefused, w, h, &box, &text);
  EXPECT_EQ(OtherThan(plain, box.rect, 3, c.background, 2), 0)
      << "the slide has ink where the notice goes";

  const long red_before = testing::CountColor(plain, c.alert_critical_background, 12);
  show.Notice(kRefusal, NoticeKind::kRefused);
  Image refused = canvas.Draw(show);
  MaybeWritePng(refused, "refused-" + SizeName(GetParam()));
  EXPECT_GT(testing::CountColor(refused, c.notice_refused_background, 2),
            box.rect.w * box.rect.h / 2);
  EXPECT_EQ(testing::CountColor(refused, c.alert_critical_background, 12), red_before) << "red on screen";
  // Outside the box the frame is the slide, untouched.
  Image masked = refused;
  for (int y = static_cast<int>(box.rect.y); y < static_cast<int>(box.rect.y + box.rect.h); ++y) {
    for (int x = static_cast<int>(box.rect.x); x < static_cast<int>(box.rect.x + box.rect.w); ++x) {
      for (int k = 0; k < 4; ++k) {
        std::size_t i = (static_cast<std::size_t>(y) * w + x) * 4 + k;
        masked.rgba[i] = plain.rgba[i];
      }
    }
  }
  EXPECT_TRUE(masked.rgba == plain.rgba) << "the notice changed pixels outside its box";

  show.Notice(kSuccess, NoticeKind::kSuccess);
  Image success = canvas.Draw(show);
  MaybeWritePng(success, "success-" + SizeName(GetParam()));
  EXPECT_GT(testing::CountColor(success, c.notice_success_background, 2), 1000);
  EXPECT_EQ(testing::CountColor(success, c.notice_refused_background, 2),
            testing::CountColor(plain, c.notice_refused_background, 2));

  // Gone after notice_seconds: the frame is the slide again.
  clock.Advance(10s);
  show.Tick();
  Image after = canvas.Draw(show);
  EXPECT_EQ(testing::CountColor(after, c.notice_success_background, 2),
            testing::CountColor(plain, c.notice_success_background, 2));
}

INSTANTIATE_TEST_SUITE_P(Screens, NoticeFrameTest,
                         ::testing::Values(ScreenSize{1920, 1080}, ScreenSize{1080, 1920}), Name);

}  // namespace
}  // namespace nb::render
