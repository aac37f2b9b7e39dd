// Fitting and cutting alone, through a layouter whose lines hold a fixed
// number of characters per size: the size search, and cuts with their
// closing marks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "text/fitting.h"

namespace nb::text {
namespace {

// Every character is 1 em wide and any character may start a line.
class MonospaceLayouter : public SizedLayouter {
 public:
  Layout LayOutAtSize(std::string_view text, const Style& style, float size, int allowed_lines,
                      bool* fits) override {
    ++calls;
    const std::u32string chars = DecodeUtf8(text);
    const auto per_line = static_cast<std::size_t>(std::max(1.f, style.box_width / size));
    Layout layout;
    layout.text = std::string(text);
    layout.size_px = size;
    std::size_t byte = 0;
    for (std::size_t k = 0; k < chars.size(); k += per_line) {
      Line line;
      line.text_begin = static_cast<std::uint32_t>(byte);
      for (std::size_t j = k; j < std::min(chars.size(), k + per_line); ++j) {
        byte += EncodeUtf8(std::u32string(1, chars[j])).size();
      }
      line.text_end = static_cast<std::uint32_t>(byte);
      layout.lines.push_back(line);
    }
    *fits = static_cast<int>(layout.lines.size()) <= allowed_lines;
    return layout;
  }
  std::shared_ptr<const ShapedText> ShapeWithWords(std::string_view, const Style&) override {
    return std::make_shared<ShapedText>();  // no word starts: only clause ends cut
  }
  int calls = 0;
};

TEST(FitToBoxTest, PicksTheLargestWholePixelSizeThatFits) {
  // Ten characters in two lines of a 100 px box: at most 20 px.
  MonospaceLayouter layouter;
  Style style;
  style.min_size_px = 10.f;
  style.max_size_px = 40.f;
  style.box_width = 100.f;
  style.max_lines = 2;
  Layout layout = FitToBox("一二三四五六七八九十", style, layouter);
  EXPECT_FALSE(layout.truncated);
  EXPECT_FLOAT_EQ(layout.size_px, 20.f);
  EXPECT_EQ(layout.lines.size(), 2u);
  EXPECT_LT(layouter.calls, 10);  // a binary search, not a walk down 30 sizes
}

TEST(FitToBoxTest, CutsAtTheLastClauseEndThatFitsAndEndsWithAnEllipsis) {
  MonospaceLayouter layouter;
  Style style;
  style.min_size_px = 10.f;
  style.max_size_px = 20.f;
  style.box_width = 100.f;  // ten characters a line at 10 px
  style.max_lines = 1;
  Layout layout = FitToBox("一二三四五，六七八九十一二三。", style, layouter);
  EXPECT_TRUE(layout.truncated);
  EXPECT_FLOAT_EQ(layout.size_px, 10.f);
  EXPECT_EQ(layout.text, "一二三四五……");
}

TEST(FitToBoxTest, BoxHeightBoundsTheLines) {
  Style style;
  style.line_height = 1.5f;
  style.box_height = 100.f;
  EXPECT_EQ(AllowedLines(style, 20.f), 3);  // 30 px lines
  style.max_lines = 2;
  EXPECT_EQ(AllowedLines(style, 20.f), 2);
}

TEST(CutPointsTest, CutBeforePauseMarksAfterStopsAndCloseWhatIsOpen) {
  const std::string text = "他说：“你好。”我们走吧，明天见！";
  std::vector<std::string> cuts;
  for (const CutPoint& cut : CutPoints(text)) cuts.push_back(text.substr(0, cut.end) + cut.closers);
  EXPECT_EQ(cuts, (std::vector<std::string>{
                      "他说",                    // before ：
                      "他说：“你好”",            // before 。, closing the quotation
                      "他说：“你好。”",          // after the quotation that ends a sentence
                      "他说：“你好。”我们走吧",  // before ，
                      "他说：“你好。”我们走吧，明天见！",  // ！ stays
                  }));
}

TEST(CutPointsTest, ClosersCloseTheInnermostMarkFirst) {
  const std::string text = "《关于“双减”的（通知";
  EXPECT_EQ(ClosersOpenAt(text, text.size()), "）》");
  EXPECT_EQ(ClosersOpenAt(text, std::string("《关于“双").size()), "”》");
  EXPECT_EQ(ClosersOpenAt("见(附件", 10), ")");
}

}  // namespace
}  // namespace nb::text
