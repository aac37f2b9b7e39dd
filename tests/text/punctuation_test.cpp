// Punctuation spacing (GB/T 15834, clreq): adjacent marks compressed, marks
// trimmed at line ends and opening marks at line starts, justified bodies,
// and autospace between Han and Latin letters or digits.
#include <gtest/gtest.h>

#include "text/bulletin_samples.h"
#include "text/text.h"

namespace nb::text {
namespace {

constexpr float kSize = 40.f;

class PunctuationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status status;
    engine_ = TextEngine::Create(FontConfig(), &status);
    ASSERT_TRUE(engine_) << status.message();
  }
  Layout One(const std::string& text, float width = 4000.f) {
    Style style;
    style.size_px = kSize;
    style.box_width = width;
    return engine_->LayOut(text, style);
  }
  // x of the glyph for the n-th code point of a single-line layout
  // (one glyph per character for CJK text).
  static float X(const Layout& l, std::size_t n) { return l.lines[0].glyphs.at(n).x; }
  std::unique_ptr<TextEngine> engine_;
};

TEST_F(PunctuationTest, AdjacentMarksTakeOneAndAHalfEms) {
  for (const char* text : {"好”，我", "好）。我", "好。”我", "好，“我", "好（《我"}) {
    Layout l = One(text);
    ASSERT_EQ(l.lines.size(), 1u);
    ASSERT_EQ(l.lines[0].glyphs.size(), 4u) << text;
    // From the first mark to the character after the pair: 1.5 em, not 2.
    EXPECT_NEAR(X(l, 3) - X(l, 0) - kSize, 1.5f * kSize, 0.5f) << text;
  }
  // A single mark between characters keeps its full em.
  Layout single = One("好，我");
  EXPECT_NEAR(X(single, 2) - X(single, 1), kSize, 0.5f);
}

TEST_F(PunctuationTest, LineEndMarkTrimmedToHalf) {
  Layout l = One("我们好，");
  ASSERT_EQ(l.lines.size(), 1u);
  EXPECT_NEAR(l.lines[0].width, 3.5f * kSize, 0.5f);
  // The same text broken so that ， ends the first line.
  Layout broken = One("我们好，他们好", 4.6f * kSize);
  ASSERT_EQ(broken.lines.size(), 2u);
  EXPECT_EQ(broken.LineText(broken.lines[0]), "我们好，");
  EXPECT_NEAR(broken.lines[0].width, 3.5f * kSize, 0.5f);
}

TEST_F(PunctuationTest, LineStartOpeningBracketLosesItsLeadingHalf) {
  Layout l = One("（我们）");
  ASSERT_EQ(l.lines.size(), 1u);
  ASSERT_EQ(l.lines[0].glyphs.size(), 4u);
  // 我 follows half an em after the line start, and the bracket's blank half
  // is pulled out of the box.
  EXPECT_NEAR(X(l, 1), 0.5f * kSize, 0.5f);
  EXPECT_LT(X(l, 0), 0.f);
  EXPECT_NEAR(l.lines[0].width, 3.f * kSize, 0.5f);
}

TEST_F(PunctuationTest, AutospaceBetweenHanAndLatinButNotAtLineEdges) {
  Layout l = One("使用DeepSeek开展");
  ASSERT_EQ(l.lines.size(), 1u);
  const auto& g = l.lines[0].glyphs;
  ASSERT_EQ(g.size(), 12u);
  EXPECT_NEAR(g[2].x - g[1].x, kSize * 1.125f, 0.5f);  // 用 then an eighth em
  float latin_end = g[10].x;                           // 开
  Layout bare = One("DeepSeek");
  EXPECT_NEAR(latin_end - g[2].x, bare.lines[0].width + kSize * 0.125f, 0.5f);
  Layout count = One("共15条");
  EXPECT_NEAR(count.lines[0].glyphs[1].x, kSize * 1.125f, 0.5f);
  // Broken between 共 and 15: no space at either edge.
  Layout broken = One("共共15条", 2.2f * kSize);
  ASSERT_GE(broken.lines.size(), 2u);
  EXPECT_NEAR(broken.lines[0].width, 2.f * kSize, 0.5f);
  EXPECT_NEAR(broken.lines[1].glyphs[0].x, 0.f, 0.01f);
  // Spaces already in the text are not doubled.
  Layout spaced = One("使用 DeepSeek");
  Layout tight = One("使用DeepSeek");
  EXPECT_LT(std::abs(spaced.lines[0].width - tight.lines[0].width), kSize * 0.3f);
}

TEST_F(PunctuationTest, BodyLinesJustifiedExceptTheLast) {
  auto samples = testing::LoadBulletinSamples();
  Style style;
  style.size_px = 48.f;
  style.box_width = 1760.f;
  style.align = Align::kJustify;
  Layout l = engine_->LayOut(samples.bodies[0], style);
  ASSERT_GT(l.lines.size(), 10u);
  for (std::size_t i = 0; i + 1 < l.lines.size(); ++i) {
    const Line& line = l.lines[i];
    EXPECT_NEAR(line.width, 1760.f, 0.5f) << i;
    // The last glyph's right edge reaches the box edge (a trimmed closing
    // mark's blank half hangs outside it).
    EXPECT_GT(line.glyphs.back().x, 1760.f - 48.f * 1.6f);
  }
  EXPECT_LT(l.lines.back().width, 1760.f);
}

}  // namespace
}  // namespace nb::text
