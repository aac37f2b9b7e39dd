// Punctuation spacing (GB/T 15834, clreq): adjacent marks compressed, marks
// trimmed at line ends and opening marks at line starts, justified bodies,
// and autospace between Han and Latin letters or digits.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "text/bulletin_samples.h"
#include "text/line_breaking.h"
#include "text/real_fonts_stage.h"
#include "text/text.h"

namespace nb::text {
namespace {

constexpr float kSize = 40.f;

// The engine, and the stages before line breaking alone (RealFontsStageTest)
// for a reference the engine's passes after greedy breaking do not touch.
class PunctuationTest : public testing::RealFontsStageTest {
 protected:
  void SetUp() override {
    testing::RealFontsStageTest::SetUp();
    if (HasFatalFailure()) return;
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

// The widest inter-character justification in a justified layout's lines
// (all but a paragraph's last), in ems: the gap between two ideographs beyond
// their 1 em advance.
float WidestJustification(const Layout& l) {
  float widest = 0.f;
  for (std::size_t i = 0; i + 1 < l.lines.size(); ++i) {
    const auto& g = l.lines[i].glyphs;
    for (std::size_t k = 0; k + 1 < g.size(); ++k) {
      if (g[k].cluster_end - g[k].cluster_begin != 3 || g[k + 1].cluster_begin != g[k].cluster_end)
        continue;
      const auto c = static_cast<unsigned char>(l.text[g[k].cluster_begin]);
      if (c < 0xE4 || c > 0xE9) continue;  // U+4000..U+9FFF: ideographs
      widest = std::max(widest, (g[k + 1].x - g[k].x) / l.size_px - 1.f);
    }
  }
  return widest;
}

// Greedy breaking (first fit, BreakGreedy) of a body text at `size_px` in a
// box `width_px` wide, without the passes after it: the lines' texts, and the
// width (px) and glyph count of each line.
struct GreedyLine {
  std::string text;
  float width_px;
  std::size_t glyphs;
};
std::vector<GreedyLine> Greedy(const ShapedText& shaped, float size_px, float width_px) {
  const float autospace = Style().autospace_em;
  std::vector<GreedyLine> out;
  for (const LineSpan& span : BreakGreedy(shaped, width_px / size_px, autospace)) {
    const Cluster& first = shaped.clusters[span.begin];
    const Cluster& last = shaped.clusters[span.end - 1];
    out.push_back({shaped.text.substr(first.begin, last.end - first.begin), span.width * size_px,
                   last.glyph_end - first.glyph_begin});
  }
  return out;
}

// "…七次全会精神……": 神 may not part from the ellipsis, so greedy breaking
// can leave "神……" alone on the last line and the line before it up to three
// ems short; justifying that line spread the shortfall over its few gaps. The
// paragraph now shares it among its lines (same number of lines, or one
// fewer where compressing marks pulls "神……" up), except where whole
// characters leave no other way (one line must take 1 em). The reference is
// greedy breaking itself: the engine's own ragged layout mends that lone
// last line now (lone_lines.h).
TEST_F(PunctuationTest, NoGappyLineBeforeAShortLastLine) {
  const std::string summary =
      "为深入贯彻落实党的二十届三中、四中全会关于“统筹推进教育科技人才体制机制一体改革”等重大部"
      "署，全面落实习近平总书记关于教师队伍建设的重要指示要求及市委十二届七次全会精神……";
  std::unique_ptr<ShapedText> shaped = ShapeAndBreak(summary);
  shaped->EnsurePrefix(Style().autospace_em);
  Style justified;
  justified.size_px = 56.f;
  justified.align = Align::kJustify;
  int cases = 0, shared = 0;
  for (float em = 10.f; em <= 30.f; em += 0.25f) {
    justified.box_width = em * justified.size_px;
    const std::vector<GreedyLine> greedy = Greedy(*shaped, justified.size_px, justified.box_width);
    if (greedy.size() < 2 || greedy.back().text != "神……") continue;
    ++cases;
    const GreedyLine& before = greedy[greedy.size() - 2];
    const float greedy_gap = (justified.box_width - before.width_px) /
                             static_cast<float>(before.glyphs - 1) / justified.size_px;
    Layout l = engine_->LayOut(summary, justified);
    const float widest = WidestJustification(l);
    // No line added to share the shortfall; a line fewer only where marks
    // were compressed to pull the last line up (lone_lines.h, 推入).
    EXPECT_LE(l.lines.size(), greedy.size()) << em << " em";
    if (l.lines.size() < greedy.size()) {
      EXPECT_TRUE(std::any_of(l.lines.begin(), l.lines.end(),
                              [](const Line& line) { return line.marks_compressed > 0; }))
          << em << " em";
    }
    EXPECT_NE(l.LineText(l.lines.back()), "神……") << em << " em";
    EXPECT_LE(widest, std::max(greedy_gap, 0.11f) + 1e-3f) << em << " em";
    if (greedy_gap >= 0.13f && widest <= greedy_gap - 0.05f) ++shared;
  }
  EXPECT_GE(cases, 10);
  EXPECT_GE(shared, 6) << "the shortfall before \"神……\" is not shared";
}

}  // namespace
}  // namespace nb::text
