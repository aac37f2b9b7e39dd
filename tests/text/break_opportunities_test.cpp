// Break opportunities alone: ICU's line breaks for Chinese with Latin words
// and numbers, the clreq rules ICU misses, and word starts.
#include "text/break_opportunities.h"

#include <gtest/gtest.h>

#include "text/real_fonts_stage.h"

namespace nb::text {
namespace {

using BreakOpportunitiesTest = testing::RealFontsStageTest;

TEST_F(BreakOpportunitiesTest, ChineseBreaksAnywhereButLatinWordsAndNumbersStayWhole) {
  auto shaped = ShapeAndBreak("使用DeepSeek开展教学，共15条。");
  EXPECT_EQ(MarkBreaks(*shaped), "使|用|DeepSeek|开|展|教|学，|共|15|条。");
}

TEST_F(BreakOpportunitiesTest, ChineseQuotationMarksBreakLikeBrackets) {
  // ICU never breaks around “ ” (ambiguous quotation, QU); clreq treats them
  // as opening and closing marks.
  auto shaped = ShapeAndBreak("他说“好的”然后走了");
  EXPECT_EQ(MarkBreaks(*shaped), "他|说|“好|的”|然|后|走|了");
}

TEST_F(BreakOpportunitiesTest, ALineMayAlwaysStartAfterANewline) {
  auto shaped = ShapeAndBreak("第一段，\n“第二段”");
  EXPECT_EQ(MarkBreaks(*shaped), "第|一|段，\n|“第|二|段”");
}

TEST_F(BreakOpportunitiesTest, WordsStartWhereICUsDictionarySaysAndAfterLatinWords) {
  auto shaped = ShapeAndBreak("DeepSeek开展教学");
  breaks_.FindWords(shaped.get());
  std::string starts;
  for (const Cluster& c : shaped->clusters) {
    if (c.word_start) starts += "|";
    starts += shaped->text.substr(c.begin, c.end - c.begin);
  }
  EXPECT_EQ(starts, "|DeepSeek|开展|教学");
  // 开 starts a word; the e after D does not.
  EXPECT_TRUE(IsBetweenWords(shaped->clusters, 8));
  EXPECT_FALSE(IsBetweenWords(shaped->clusters, 1));
}

}  // namespace
}  // namespace nb::text
