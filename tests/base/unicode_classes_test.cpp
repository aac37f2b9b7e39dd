// The one table of paired marks, and the uses that take only some of them.
#include "base/unicode_classes.h"

#include <gtest/gtest.h>

#include <string>

namespace nb {
namespace {

template <std::size_t N>
std::u32string Marks(const std::array<BracketPair, N>& pairs) {
  std::u32string out;
  for (const BracketPair& p : pairs) out += std::u32string{p.open, p.close};
  return out;
}

TEST(UnicodeClassesTest, FullWidthPairsOpenAndClose) {
  EXPECT_EQ(ClosingMarkFor(U'《', kFullWidthPair), U'》');
  EXPECT_EQ(ClosingMarkFor(U'“', kFullWidthPair), U'”');
  EXPECT_TRUE(IsOpeningMark(U'｟', kFullWidthPair));
  EXPECT_TRUE(IsClosingMark(U'】', kFullWidthPair));
  EXPECT_FALSE(IsOpeningMark(U'》', kFullWidthPair));
  EXPECT_FALSE(IsClosingMark(U'《', kFullWidthPair));
  // ASCII parentheses have no blank half.
  EXPECT_FALSE(IsOpeningMark(U'(', kFullWidthPair));
  EXPECT_EQ(Marks(PairsFor<kFullWidthPair>()),
            U"“”‘’《》（）「」『』【】〔〕〖〗〈〉［］｛｝〘〙〚〛｟｠");
}

TEST(UnicodeClassesTest, EachUseTakesItsOwnPairs) {
  // A cut text closes the ten full-width pairs of news text and ASCII ( ).
  EXPECT_EQ(ClosingMarkFor(U'(', kClosedAfterCut), U')');
  EXPECT_EQ(ClosingMarkFor(U'〈', kClosedAfterCut), U'〉');
  EXPECT_EQ(CountPairs(kClosedAfterCut), 11u);
  // A summary keeps quotations, titles and parentheses whole.
  EXPECT_EQ(Marks(PairsFor<kKeptWholeBySummary>()), U"“”‘’《》（）「」");
  // A headline's quotation ends at these seven closing marks.
  std::u32string closers;
  for (const BracketPair& p : PairsFor<kEndsHeadlineQuotation>()) closers += p.close;
  EXPECT_EQ(closers, U"”’》）」』】");
  EXPECT_TRUE(IsClosingMark(U'】', kEndsHeadlineQuotation));
  EXPECT_FALSE(IsClosingMark(U'〕', kEndsHeadlineQuotation));
}

TEST(UnicodeClassesTest, IdeographsAndLettersAreNoMarks) {
  for (char32_t c : std::u32string(U"中文字aZ1，。")) {
    for (BracketUse use :
         {kFullWidthPair, kEndsHeadlineQuotation, kClosedAfterCut, kKeptWholeBySummary}) {
      EXPECT_EQ(ClosingMarkFor(c, use), 0u);
      EXPECT_FALSE(IsClosingMark(c, use));
    }
  }
}

TEST(UnicodeClassesTest, HanAndCjkPunctuation) {
  EXPECT_TRUE(IsHan(U'中'));
  EXPECT_TRUE(IsHan(U'々'));
  EXPECT_TRUE(IsHan(U'𠀀'));
  EXPECT_TRUE(IsHan(U'か'));
  EXPECT_FALSE(IsHan(U'・'));  // the katakana middle dot is punctuation
  EXPECT_FALSE(IsHan(U'，'));
  EXPECT_TRUE(IsCjkPunctuation(U'，'));
  EXPECT_TRUE(IsCjkPunctuation(U'“'));
  EXPECT_TRUE(IsCjkPunctuation(U'…'));
  EXPECT_FALSE(IsCjkPunctuation(U'中'));
  EXPECT_FALSE(IsCjkPunctuation(U','));
}

}  // namespace
}  // namespace nb
