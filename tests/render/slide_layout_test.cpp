#include "render/slide_layout.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "render_test_support.h"

namespace nb::render {
namespace {

struct ScreenSize {
  int w, h;
};

class SlideLayoutTest : public ::testing::TestWithParam<ScreenSize> {};

// Line-start characters that clreq forbids.
bool StartsWithForbidden(std::string_view line) {
  for (const char* p : {"，", "。", "、", "；", "：", "！", "？", "”", "）", "》"}) {
    if (line.substr(0, std::strlen(p)) == p) return true;
  }
  return false;
}

TEST_P(SlideLayoutTest, EveryItemOfTheSampleFitsTheScreen) {
  auto [w, h] = GetParam();
  auto playlist = testing::LoadTestPlaylist(NB_SOURCE_DIR "/playlists/tianjin-education.json");
  ASSERT_TRUE(playlist);
  SlideLayouter layouter(testing::Engine(), DefaultTheme());
  ChromeGeometry g = layouter.Chrome(w, h);
  EXPECT_GT(g.body.h, h * 0.6f);
  int n = static_cast<int>(playlist->items.size());
  for (int i = 0; i < n; ++i) {
    const playlist::Item& item = playlist->items[i];
    SlideLayout slide = layouter.LayOutItem(item, playlist->title, i + 1, n, w, h);
    ASSERT_GE(slide.texts.size(), 3u) << item.id;
    const PlacedText& headline = slide.texts[0];
    EXPECT_GE(headline.layout.lines.size(), 1u) << item.id;
    EXPECT_LE(headline.layout.lines.size(), 3u) << item.id;
    EXPECT_FALSE(headline.layout.truncated) << item.id << ": headline cut";
    for (const PlacedText& t : slide.texts) {
      SCOPED_TRACE(item.id + ": " + t.layout.text);
      EXPECT_GE(t.x, g.margin - 1);
      EXPECT_LE(t.x + t.layout.width, w - g.margin + 1);
      ASSERT_FALSE(t.layout.lines.empty());
      EXPECT_GE(t.y + t.layout.lines.front().baseline - t.layout.ascent, g.body.y);
      EXPECT_LE(t.y + t.layout.lines.back().baseline, g.body.y + g.body.h);
      for (const text::Line& line : t.layout.lines) {
        EXPECT_FALSE(StartsWithForbidden(t.layout.LineText(line))) << t.layout.LineText(line);
      }
    }
  }
}

TEST_P(SlideLayoutTest, HeadlineIsTheLargestText) {
  auto [w, h] = GetParam();
  playlist::Item item;
  item.id = "x";
  item.title = "全国密码技术竞赛决赛在津举行";
  item.summary = "日前，由中国密码学会主办的2025第十届全国密码技术竞赛决赛颁奖典礼在南开大学举办。";
  item.date = "2025-12-01";
  SlideLayouter layouter(testing::Engine(), DefaultTheme());
  SlideLayout slide = layouter.LayOutItem(item, "天津教育", 1, 1, w, h);
  ASSERT_EQ(slide.texts.size(), 3u);  // headline, meta, summary (no counter for one item)
  EXPECT_GT(slide.texts[0].layout.size_px, slide.texts[2].layout.size_px * 1.3f);
  EXPECT_GT(slide.texts[2].layout.size_px, slide.texts[1].layout.size_px);
  EXPECT_EQ(slide.texts[1].layout.text, "2025年12月1日  ·  天津教育");
  // Sizes follow the screen height: the headline is 4-10 % of it.
  EXPECT_GT(slide.texts[0].layout.size_px, 0.04f * h * (h > w ? 0.7f : 1.f));
  EXPECT_LT(slide.texts[0].layout.size_px, 0.1f * h);
}

// A short item does not hang from the top: its block (accent bar to the
// summary's last em box) moves down by a third of the free space, so the
// space below it is twice the space above. An armhf build once lost this to
// a stale object file and showed every block at the top of its column.
TEST_P(SlideLayoutTest, ShortItemBlockSitsAThirdOfTheFreeSpaceDown) {
  auto [w, h] = GetParam();
  playlist::Item item;
  item.id = "short";
  item.title = "全国密码技术竞赛决赛在津举行";
  item.summary = "决赛在南开大学举办。";
  item.date = "2025-12-01";
  SlideLayouter layouter(testing::Engine(), DefaultTheme());
  SlideLayout slide = layouter.LayOutItem(item, "天津教育", 1, 1, w, h);
  ASSERT_FALSE(slide.rects.empty());
  ASSERT_EQ(slide.texts.size(), 3u);
  // The column runs from top to bottom; the content rectangle adds a slack
  // of 2 % of the height on each side (slide_layout.cpp).
  const float slack = std::round(0.02f * static_cast<float>(h));
  const float top = slide.content.y + slack;
  const float bottom = slide.content.y + slide.content.h - slack;
  const PlacedText& summary = slide.texts.back();
  const float above = slide.rects.front().rect.y - top;
  const float below = bottom - (summary.y + summary.layout.lines.back().baseline +
                                std::fabs(summary.layout.descent));
  EXPECT_GT(above, 0.05f * static_cast<float>(h)) << "the block hangs from the top";
  EXPECT_NEAR(below, 2 * above, 2.f) << "above " << above << ", below " << below;
}

INSTANTIATE_TEST_SUITE_P(Screens, SlideLayoutTest,
                         ::testing::Values(ScreenSize{1920, 1080}, ScreenSize{1280, 720},
                                           ScreenSize{3840, 2160}, ScreenSize{1080, 1920}),
                         [](const auto& param_info) {
                           return std::to_string(param_info.param.w) + "x" +
                                  std::to_string(param_info.param.h);
                         });

TEST(ClockFormatTest, ChineseDateAndWeekday) {
  EXPECT_EQ(FormatChineseClock({2026, 11, 28, 14, 38, 5}), "2026年11月28日 星期六 14:38");
  EXPECT_EQ(FormatChineseClock({2025, 12, 7, 9, 5, 0}), "2025年12月7日 星期日 09:05");
  EXPECT_EQ(FormatItemDate("2025-12-01"), "2025年12月1日");
  EXPECT_EQ(FormatItemDate("soon"), "soon");
}

}  // namespace
}  // namespace nb::render
