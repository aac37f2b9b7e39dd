// Shaping alone: clusters cover the text in order, full-width marks get their
// kind and compression, and autospace goes between Han and Latin or digits.
#include "text/shaping.h"

#include <gtest/gtest.h>

#include <string>

#include "text/real_fonts_stage.h"

namespace nb::text {
namespace {

using ShapingTest = testing::RealFontsStageTest;

TEST_F(ShapingTest, ClustersCoverTheTextInOrder) {
  const std::string text = "使用DeepSeek开展教学，共15条。";
  auto shaped = ShapeAndBreak(text);
  ASSERT_FALSE(shaped->clusters.empty());
  std::uint32_t at = 0;
  for (const Cluster& c : shaped->clusters) {
    EXPECT_EQ(c.begin, at);
    EXPECT_LT(c.begin, c.end);
    EXPECT_LT(c.glyph_begin, c.glyph_end);
    at = c.end;
  }
  EXPECT_EQ(at, text.size());
  EXPECT_EQ(shaped->clusters.back().glyph_end, shaped->glyphs.size());
}

TEST_F(ShapingTest, AClosingMarkBeforeAnotherMarkIsCompressed) {
  auto shaped = ShapeAndBreak("好，“是”");  // 好 ， “ 是 ”
  const auto& c = shaped->clusters;
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[1].punct, PunctKind::kClosing);
  EXPECT_EQ(c[2].punct, PunctKind::kOpening);
  EXPECT_EQ(c[4].punct, PunctKind::kClosing);
  EXPECT_TRUE(c[1].compressed);   // ，before “
  EXPECT_FALSE(c[2].compressed);  // an opening mark after a closing one keeps its width
  EXPECT_FALSE(c[4].compressed);  // nothing follows
  // A full-width mark is about 1 em, and its blank half about half of it.
  EXPECT_NEAR(c[1].advance, 1.f, 0.05f);
  EXPECT_NEAR(c[1].half, 0.5f, 0.05f);
}

TEST_F(ShapingTest, AutospaceGoesBetweenHanAndLatinOrDigits) {
  auto shaped = ShapeAndBreak("共15条ab");  // 共 1 5 条 a b: after 共, 5 and 条
  std::string after;
  for (const Cluster& c : shaped->clusters) after += c.autospace_after ? '+' : '.';
  EXPECT_EQ(after, "+.++..");
}

}  // namespace
}  // namespace nb::text
