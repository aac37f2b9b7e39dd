// Line breaking alone, over clusters of given widths: greedy first fit, the
// evening-out of a loose paragraph, and headline balancing.
#include "text/line_breaking.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "text/hand_shaped_text.h"

namespace nb::text {
namespace {

using testing::HandShaped;

using RangeList = std::vector<std::pair<std::size_t, std::size_t>>;

RangeList Ranges(const std::vector<LineSpan>& spans) {
  RangeList out;
  for (const LineSpan& s : spans) out.emplace_back(s.begin, s.end);
  return out;
}

TEST(LineBreakingTest, GreedyFillsEachLineToTheWidth) {
  ShapedText text = HandShaped(U"一二三四五六七八九十", "||||||||||");
  std::vector<LineSpan> spans = BreakGreedy(text, 4.f, 0.f);
  EXPECT_EQ(Ranges(spans), (RangeList{{0, 4}, {4, 8}, {8, 10}}));
  EXPECT_FLOAT_EQ(spans[0].width, 4.f);
  EXPECT_FLOAT_EQ(spans[2].width, 2.f);
  EXPECT_FALSE(spans[0].paragraph_end);
  EXPECT_TRUE(spans[2].paragraph_end);
}

TEST(LineBreakingTest, GreedyKeepsAWordWholeOnTheNextLine) {
  ShapedText text = HandShaped(U"一二三四abcd五", "|||||...|");
  EXPECT_EQ(Ranges(BreakGreedy(text, 6.f, 0.f)), (RangeList{{0, 4}, {4, 9}}));
}

TEST(LineBreakingTest, GreedyBreaksInsideAWordLongerThanTheLine) {
  ShapedText text = HandShaped(U"abcdefgh", "|.......");
  EXPECT_EQ(Ranges(BreakGreedy(text, 3.f, 0.f)), (RangeList{{0, 3}, {3, 6}, {6, 8}}));
}

TEST(LineBreakingTest, ANewlineEndsAParagraph) {
  ShapedText text = HandShaped(U"一二\n三", "||.|");
  std::vector<LineSpan> spans = BreakGreedy(text, 10.f, 0.f);
  EXPECT_EQ(Ranges(spans), (RangeList{{0, 3}, {3, 4}}));
  EXPECT_TRUE(spans[0].paragraph_end);
}

TEST(LineBreakingTest, MeasureHangsTrailingSpacesAndTrimsMarksAtTheEdges) {
  // 「 loses its blank left half at the start, 」 its right half at the end,
  // and the space hangs: 5 ems of clusters measure 3.
  ShapedText text = HandShaped(U"「一二」 ", "|....");
  EXPECT_FLOAT_EQ(MeasureLine(text, 0, 5, 0.f).width, 3.f);
  EXPECT_FLOAT_EQ(MeasureLine(text, 1, 3, 0.f).width, 2.f);
}

TEST(LineBreakingTest, EvenOutSharesTheShortfallOfALooseLine) {
  // 18 characters, then a four-letter word: greedily 10 + 8 + 4, the second
  // line 2 ems short; evened out 9 + 9 + 4.
  ShapedText text =
      HandShaped(U"一二三四五六七八九十一二三四五六七八abcd", std::string(19, '|') + "...");
  std::vector<LineSpan> spans = BreakGreedy(text, 10.f, 0.f);
  ASSERT_EQ(Ranges(spans), (RangeList{{0, 10}, {10, 18}, {18, 22}}));
  EvenOutLooseLines(text, 10.f, 0.f, &spans);
  EXPECT_EQ(Ranges(spans), (RangeList{{0, 9}, {9, 18}, {18, 22}}));
}

TEST(LineBreakingTest, EvenOutLeavesATightParagraphAlone) {
  ShapedText text = HandShaped(U"一二三四五六七八九十一二", "||||||||||||");
  std::vector<LineSpan> spans = BreakGreedy(text, 4.f, 0.f);
  const RangeList greedy = Ranges(spans);
  EvenOutLooseLines(text, 4.f, 0.f, &spans);
  EXPECT_EQ(Ranges(spans), greedy);
}

TEST(LineBreakingTest, BalanceMakesLinesOfEvenLength) {
  ShapedText text = HandShaped(U"一二三四五六七八九十", "||||||||||");
  for (Cluster& c : text.clusters) c.word_start = true;
  ASSERT_EQ(Ranges(BreakGreedy(text, 8.f, 0.f)), (RangeList{{0, 8}, {8, 10}}));
  EXPECT_EQ(Ranges(BalanceLines(text, 8.f, 0.f, 2)), (RangeList{{0, 5}, {5, 10}}));
}

TEST(LineBreakingTest, BalanceBreaksBetweenWordsBeforeEvenLengths) {
  // Words of 3, 4 and 3 characters: the even break (after 5) splits a word.
  ShapedText text = HandShaped(U"一二三四五六七八九十", "||||||||||");
  for (std::size_t u : {0, 3, 7}) text.clusters[u].word_start = true;
  std::vector<LineSpan> spans = BalanceLines(text, 8.f, 0.f, 2);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_FALSE(SplitsWord(text, spans));
  EXPECT_TRUE(spans[1].begin == 3 || spans[1].begin == 7) << spans[1].begin;
  EXPECT_TRUE(SplitsWord(text, {MeasureLine(text, 0, 5, 0.f), MeasureLine(text, 5, 10, 0.f)}));
}

}  // namespace
}  // namespace nb::text
