// Positioning alone, over clusters of given widths: alignment, justification,
// baselines, and the halved mark at a line's start.
#include "text/positioning.h"

#include <gtest/gtest.h>

#include <vector>

#include "text/hand_shaped_text.h"

namespace nb::text {
namespace {

using testing::HandShaped;

class PositioningTest : public ::testing::Test {
 protected:
  // 10 px glyphs, 1.5 line height, a 60 px (6 em) box.
  Style StyleFor(Align align) {
    Style style;
    style.size_px = 10.f;
    style.line_height = 1.5f;
    style.box_width = 60.f;
    style.align = align;
    return style;
  }
  std::vector<float> Xs(const Line& line) {
    std::vector<float> xs;
    for (const PositionedGlyph& g : line.glyphs) xs.push_back(g.x);
    return xs;
  }
  OpenFace face_;
};

TEST_F(PositioningTest, JustifiedLinesReachTheBoxEdgeButAParagraphsLastDoesNot) {
  ShapedText text = HandShaped(U"一二三四五六七八", "||||||||", &face_);
  std::vector<LineSpan> spans = {MeasureLine(text, 0, 4, 0.f), MeasureLine(text, 4, 8, 0.f)};
  Layout layout = PositionLines(text, spans, StyleFor(Align::kJustify), 10.f);
  ASSERT_EQ(layout.lines.size(), 2u);
  // Three gaps share the 2 ems left over.
  const std::vector<float> xs = Xs(layout.lines[0]);
  ASSERT_EQ(xs.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(xs[i], i * (10.f + 20.f / 3), 1e-4f) << i;
  EXPECT_FLOAT_EQ(layout.lines[0].width, 60.f);
  EXPECT_EQ(Xs(layout.lines[1]), (std::vector<float>{0.f, 10.f, 20.f, 30.f}));
  EXPECT_FLOAT_EQ(layout.lines[1].width, 40.f);
  EXPECT_EQ(layout.LineText(layout.lines[1]), "五六七八");
  EXPECT_EQ(layout.lines[1].glyphs[0].face, &face_.info);
}

TEST_F(PositioningTest, CentreAndEndAlignment) {
  ShapedText text = HandShaped(U"一二三四", "||||", &face_);
  std::vector<LineSpan> spans = {MeasureLine(text, 0, 4, 0.f)};
  EXPECT_FLOAT_EQ(PositionLines(text, spans, StyleFor(Align::kCenter), 10.f).lines[0].glyphs[0].x,
                  10.f);
  EXPECT_FLOAT_EQ(PositionLines(text, spans, StyleFor(Align::kEnd), 10.f).lines[0].glyphs[0].x,
                  20.f);
}

TEST_F(PositioningTest, BaselinesSitInTheEmBoxWithHalfTheLeadingAbove) {
  ShapedText text = HandShaped(U"一二", "||", &face_);
  std::vector<LineSpan> spans = {MeasureLine(text, 0, 1, 0.f), MeasureLine(text, 1, 2, 0.f)};
  Layout layout = PositionLines(text, spans, StyleFor(Align::kStart), 10.f);
  EXPECT_FLOAT_EQ(layout.line_advance, 15.f);
  EXPECT_FLOAT_EQ(layout.ascent, 8.8f);
  EXPECT_FLOAT_EQ(layout.lines[0].baseline, 2.5f + 8.8f);
  EXPECT_FLOAT_EQ(layout.lines[1].baseline, 15.f + 2.5f + 8.8f);
  EXPECT_FLOAT_EQ(layout.lines[1].glyphs[0].y, layout.lines[1].baseline);
  EXPECT_FLOAT_EQ(layout.height, 30.f);
}

TEST_F(PositioningTest, AnOpeningMarkStartingALineLosesItsBlankHalf) {
  // 「 moves left by its blank half, and 一 follows half an em closer.
  ShapedText text = HandShaped(U"「一", "|.", &face_);
  Layout layout =
      PositionLines(text, {MeasureLine(text, 0, 2, 0.f)}, StyleFor(Align::kStart), 10.f);
  EXPECT_EQ(Xs(layout.lines[0]), (std::vector<float>{-5.f, 5.f}));
  EXPECT_FLOAT_EQ(layout.lines[0].width, 15.f);
}

TEST_F(PositioningTest, JustificationNeverStretchesInsideALatinWord) {
  ShapedText text = HandShaped(U"ab中", "|.|", &face_);
  EXPECT_FALSE(JustifiableGap(text.clusters[0], text.clusters[1]));
  EXPECT_TRUE(JustifiableGap(text.clusters[1], text.clusters[2]));
}

}  // namespace
}  // namespace nb::text
