// Headlines: balanced lines, broken between words (ICU's word boundaries),
// preferring a break at punctuation or before an opening quote.
#include <gtest/gtest.h>
#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <set>

#include "text/bulletin_samples.h"
#include "text/text.h"

namespace nb::text {
namespace {

std::set<std::uint32_t> WordBoundaries(const std::string& text) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale("zh"), err));
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &err);
  words->setText(ut, err);
  std::set<std::uint32_t> out;
  for (int32_t p = words->first(); p != icu::BreakIterator::DONE; p = words->next()) {
    out.insert(static_cast<std::uint32_t>(p));
  }
  utext_close(ut);
  return out;
}

class HeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status status;
    engine_ = TextEngine::Create(FontConfig(), &status);
    ASSERT_TRUE(engine_) << status.message();
  }
  Style HeadlineStyle(float size, float width) {
    Style style;
    style.role = FontRole::kHeadline;
    style.size_px = size;
    style.box_width = width;
    style.balance = true;
    return style;
  }
  std::unique_ptr<TextEngine> engine_;
};

TEST_F(HeadlineTest, FirstSampleKeepsWordsWhole) {
  const std::string title = "市国资委市教委联合举办“国资国企科技创新、产业创新推动会”";
  for (float size : {72.f, 80.f, 96.f, 110.f}) {
    Layout layout = engine_->LayOut(title, HeadlineStyle(size, 1760));
    ASSERT_GE(layout.lines.size(), 2u) << size;
    for (std::size_t i = 1; i < layout.lines.size(); ++i) {
      std::string_view before = layout.LineText(layout.lines[i - 1]);
      std::string_view after = layout.LineText(layout.lines[i]);
      EXPECT_FALSE(before.ends_with("创") && after.starts_with("新")) << size;
    }
    // The break falls at the 、 or before the “ where such lines fit (at
    // 110 px neither half fits in 1760 px).
    std::string_view second = layout.LineText(layout.lines[1]);
    if (size < 100.f) {
      EXPECT_TRUE(second.starts_with("“") || second.starts_with("产业"))
          << size << ": " << layout.LineText(layout.lines[0]) << " | " << second;
    }
  }
}

TEST_F(HeadlineTest, AllTitlesBalancedAndBetweenWords) {
  auto samples = testing::LoadBulletinSamples();
  ASSERT_EQ(samples.titles.size(), 15u);
  int multi = 0;
  for (float size : {64.f, 80.f, 96.f}) {
    for (const std::string& title : samples.titles) {
      Style balanced = HeadlineStyle(size, 1760);
      Style greedy = balanced;
      greedy.balance = false;
      Layout layout = engine_->LayOut(title, balanced);
      Layout plain = engine_->LayOut(title, greedy);
      EXPECT_LE(layout.lines.size(), plain.lines.size() + 1) << title;
      if (layout.lines.size() < 2) continue;
      ++multi;
      auto words = WordBoundaries(title);
      float shortest = 1e9f, longest = 0.f;
      for (const Line& line : layout.lines) {
        shortest = std::min(shortest, line.width);
        longest = std::max(longest, line.width);
        EXPECT_LE(line.width, 1760.5f);
        EXPECT_TRUE(words.count(line.text_begin)) << "inside a word: " << layout.LineText(line);
      }
      // Balanced: no line less than half the longest (greedy leaves stubs).
      EXPECT_GE(shortest / longest, 0.5f) << title << " at " << size;
    }
  }
  EXPECT_GT(multi, 10);
}

// ICU's dictionary does not know 校地 or 才企 and splits 校|地|才|企 into
// one-character words; a headline still keeps them together where another
// break (after the dash, between known words) balances as well.
TEST_F(HeadlineTest, KeepsRunsOfOneCharacterWordsTogether) {
  const std::string title = "天津工业大学—莒南县校地才企融合发展大会举行";
  int multi = 0;
  for (float width : {1000.f, 1400.f, 1760.f}) {
    for (float size : {64.f, 72.f, 80.f, 96.f, 110.f}) {
      Layout layout = engine_->LayOut(title, HeadlineStyle(size, width));
      if (layout.lines.size() < 2) continue;
      ++multi;
      for (std::size_t i = 1; i < layout.lines.size(); ++i) {
        std::string_view before = layout.LineText(layout.lines[i - 1]);
        std::string_view after = layout.LineText(layout.lines[i]);
        for (const char* pair : {"校|地", "地|才", "才|企"}) {
          std::string p(pair);
          std::string left = p.substr(0, p.find('|')), right = p.substr(p.find('|') + 1);
          EXPECT_FALSE(before.ends_with(left) && after.starts_with(right))
              << width << " px at " << size << ": " << before << " | " << after;
        }
      }
    }
  }
  EXPECT_GT(multi, 5);
}

}  // namespace
}  // namespace nb::text
