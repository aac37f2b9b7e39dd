// Fitting: the largest size in the range that fits the box, and cutting at a
// sentence or clause end with …… when nothing fits.
#include <gtest/gtest.h>

#include "text/bulletin_samples.h"
#include "text/engine_test_fixture.h"
#include "text/text.h"

namespace nb::text {
namespace {

using FittingTest = testing::EngineTest;

TEST_F(FittingTest, ChoosesTheLargestSizeThatFits) {
  for (const std::string& title : samples_.titles) {
    Style style;
    style.role = FontRole::kHeadline;
    style.min_size_px = 40.f;
    style.max_size_px = 120.f;
    style.box_width = 1400.f;
    style.max_lines = 2;
    Layout l = engine_->LayOut(title, style);
    ASSERT_FALSE(l.truncated) << title;
    EXPECT_LE(l.lines.size(), 2u);
    EXPECT_GE(l.size_px, 40.f);
    EXPECT_LE(l.size_px, 120.f);
    if (l.size_px < 120.f) {
      // One pixel larger no longer fits.
      Style bigger = style;
      bigger.min_size_px = bigger.max_size_px = 0.f;
      bigger.size_px = l.size_px + 1.f;
      bigger.max_lines = 0;
      EXPECT_GT(engine_->LayOut(title, bigger).lines.size(), 2u) << title << " " << l.size_px;
    }
  }
}

TEST_F(FittingTest, BoxHeightBoundsTheLines) {
  Style style;
  style.min_size_px = 24.f;
  style.max_size_px = 64.f;
  style.box_width = 1200.f;
  style.box_height = 400.f;
  style.line_height = 1.5f;
  Layout l = engine_->LayOut(samples_.titles[0] + samples_.titles[1], style);
  EXPECT_LE(l.height, 400.f + 0.01f);
  EXPECT_FALSE(l.truncated);
}

TEST_F(FittingTest, CutsAtAClauseEndWithEllipsis) {
  for (const std::string& body : samples_.bodies) {
    Style style;
    style.min_size_px = 32.f;
    style.max_size_px = 48.f;
    style.box_width = 1600.f;
    style.max_lines = 4;
    Layout l = engine_->LayOut(body, style);
    ASSERT_TRUE(l.truncated);
    ASSERT_FALSE(l.lines.empty());
    EXPECT_LE(l.lines.size(), 4u);
    EXPECT_EQ(l.size_px, 32.f);
    // The cut form: kept text, "……", then closing marks for any quotation
    // the cut falls inside.
    std::size_t ellipsis = l.text.rfind("……");
    ASSERT_NE(ellipsis, std::string::npos) << l.text;
    std::u32string tail = testing::Utf32(l.text.substr(ellipsis + std::string("……").size()));
    EXPECT_EQ(tail.find_first_not_of(U"”’）》」』"), std::u32string::npos) << l.text;
    std::string kept = l.text.substr(0, ellipsis);
    ASSERT_FALSE(kept.empty());
    // The kept text is the start of the body, ending just before or at a
    // sentence or clause mark.
    EXPECT_EQ(body.compare(0, kept.size(), kept), 0);
    std::string next = body.substr(kept.size(), 3);
    std::u32string last = testing::Utf32(kept);
    std::u32string after = testing::Utf32(next);
    const std::u32string marks = U"，。、；：！？,;:.”";
    bool at_mark = marks.find(last.back()) != std::u32string::npos ||
                   (!after.empty() && marks.find(after.front()) != std::u32string::npos);
    EXPECT_TRUE(at_mark) << kept.substr(kept.size() > 30 ? kept.size() - 30 : 0);
    // No quotation left open.
    std::u32string k = testing::Utf32(l.text);
    EXPECT_EQ(std::count(k.begin(), k.end(), U'“'), std::count(k.begin(), k.end(), U'”'));
    EXPECT_EQ(std::count(k.begin(), k.end(), U'（'), std::count(k.begin(), k.end(), U'）'));
    // It is a real cut: not much room left over (the next clause did not fit).
    EXPECT_GT(l.lines.size(), 2u);
  }
}

// Cutting one long clause between words shapes many candidate texts; when
// that fills the bounded shaping cache, the cache empties while the cut still
// uses the clause's shaped form. The asan preset turns any use of the freed
// form into a failure (found by tests/fuzz/text_layout_fuzz).
TEST_F(FittingTest, CuttingALongClauseSurvivesTheShapeCacheEmptying) {
  const std::string clause =
      "一个没有任何标点的很长很长的句子一直写下去直到放不下为止还在继续写着天津市各级各类学校";
  Style style;
  style.min_size_px = 40.f;
  style.max_size_px = 40.f;
  style.box_width = 300.f;
  style.max_lines = 1;
  // Each round adds new texts to the cache, so one of the cuts crosses its
  // bound of 512 entries part-way.
  for (int round = 0; round < 80; ++round) {
    std::string text = std::to_string(round) + clause;
    Layout layout = engine_->LayOut(text, style);
    ASSERT_TRUE(layout.truncated) << text;
    ASSERT_EQ(layout.lines.size(), 1u) << text;
    ASSERT_EQ(layout.text.rfind("……"), layout.text.size() - std::string("……").size()) << text;
  }
}

TEST_F(FittingTest, FitsAtTheLargestSizeWhenItFits) {
  Style style;
  style.min_size_px = 20.f;
  style.max_size_px = 60.f;
  style.box_width = 2000.f;
  style.max_lines = 1;
  Layout l = engine_->LayOut("共15条", style);
  EXPECT_EQ(l.size_px, 60.f);
  EXPECT_FALSE(l.truncated);
}

}  // namespace
}  // namespace nb::text
