// Lone last lines (孤字) and loose lines over the sample bulletin, through the
// whole engine: bodies at every width from 8 to 60 em, summaries and
// headlines at every size the fitter may try in a range of column widths.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/unicode_classes.h"
#include "text/bulletin_samples.h"
#include "text/engine_test_fixture.h"
#include "text/text.h"

namespace nb::text {
namespace {

// One CJK character and nothing else but punctuation and spaces.
bool IsLone(std::string_view line) {
  int characters = 0;
  bool han = false;
  for (char32_t c : testing::Utf32(line)) {
    const bool mark = IsCjkPunctuation(c) || (c < 0x80 && !std::isalnum(static_cast<int>(c)));
    if (mark || c == U' ') continue;
    ++characters;
    han = IsHan(c);
  }
  return characters == 1 && han;
}

std::vector<std::string> SampleSummaries() {
  std::ifstream in(std::string(NB_SOURCE_DIR) + "/playlists/tianjin-education.json");
  nlohmann::json j = nlohmann::json::parse(in);
  std::vector<std::string> out;
  for (const auto& item : j["items"]) out.push_back(item["summary"].get<std::string>());
  return out;
}

class LoneLinesTest : public testing::EngineTest {
 protected:
  // Lone last lines of a layout's paragraphs of two or more lines; each
  // must say which rule kept it.
  int CountLone(const Layout& layout, std::string* why) {
    int lone = 0;
    std::size_t first = 0;
    for (std::size_t i = 0; i < layout.lines.size(); ++i) {
      const Line& line = layout.lines[i];
      if (!line.paragraph_end) continue;
      if (i > first && IsLone(layout.LineText(line))) {
        ++lone;
        *why += std::string(LoneLineName(line.lone)) + ": …" +
                std::string(layout.LineText(layout.lines[i - 1])).substr(0, 24) + "|" +
                std::string(layout.LineText(line)) + "\n";
        EXPECT_NE(line.lone, LoneLine::kNo);
        EXPECT_NE(line.lone, LoneLine::kMended);
      }
      first = i + 1;
    }
    return lone;
  }
};

TEST_F(LoneLinesTest, NoBodyEndsWithALoneCharacterAtAnyWidth) {
  int lone = 0, paragraphs = 0;
  std::string why;
  for (int em = 8; em <= 60; ++em) {
    Style style;
    style.size_px = 48.f;
    style.box_width = 48.f * static_cast<float>(em);
    style.align = Align::kJustify;
    for (const std::string& body : samples_.bodies) {
      Layout layout = engine_->LayOut(body, style);
      paragraphs += layout.lines.size() >= 2;
      lone += CountLone(layout, &why);
    }
  }
  EXPECT_GT(paragraphs, 700);
  EXPECT_EQ(lone, 0) << why.substr(0, 4000);
}

TEST_F(LoneLinesTest, NoSummaryOrHeadlineEndsWithALoneCharacterAtAnySize) {
  const std::vector<std::string> summaries = SampleSummaries();
  ASSERT_EQ(summaries.size(), 15u);
  int lone = 0, paragraphs = 0;
  std::string why;
  for (int width = 560; width <= 1800; width += 40) {
    for (int size = 28; size <= 96; size += 2) {
      // Narrower than 11 em, a line a character short spreads by more than
      // the loose-line limit: there a lone line may stay (and says why).
      if (width < 11 * size) continue;
      Style body;
      body.size_px = static_cast<float>(size);
      body.box_width = static_cast<float>(width);
      body.align = Align::kJustify;
      for (const std::string& s : summaries) {
        Layout layout = engine_->LayOut(s, body);
        paragraphs += layout.lines.size() >= 2;
        lone += CountLone(layout, &why);
      }
      Style headline = body;
      headline.role = FontRole::kHeadline;
      headline.align = Align::kStart;
      headline.balance = true;
      for (const std::string& t : samples_.titles) {
        Layout layout = engine_->LayOut(t, headline);
        paragraphs += layout.lines.size() >= 2;
        lone += CountLone(layout, &why);
      }
    }
  }
  EXPECT_GT(paragraphs, 3000);
  EXPECT_EQ(lone, 0) << why.substr(0, 4000);
}

TEST_F(LoneLinesTest, AParagraphThatFitsExactlyIsLeftAlone) {
  Style style;
  style.size_px = 40.f;
  style.box_width = 400.f;  // 10 em
  style.align = Align::kJustify;
  // Two full lines of ten, and one full line and a last line of two.
  for (const char* text :
       {"一二三四五六七八九十一二三四五六七八九十", "一二三四五六七八九十一二"}) {
    Layout layout = engine_->LayOut(text, style);
    ASSERT_EQ(layout.lines.size(), 2u) << text;
    EXPECT_EQ(layout.LineText(layout.lines[0]), "一二三四五六七八九十");
    EXPECT_EQ(layout.lines[1].lone, LoneLine::kNo);
    EXPECT_EQ(layout.lines[0].gap_em, 0.f);
    EXPECT_EQ(layout.lines[0].marks_compressed, 0);
  }
}

TEST_F(LoneLinesTest, ALoneCharacterIsPushedUpByCompressingMarks) {
  // 10 em: greedily 一，二，三，四五六七 and a lone 八。; the three commas
  // give the 1.5 em that takes 八 onto the first line.
  Style style;
  style.size_px = 40.f;
  style.box_width = 400.f;
  style.align = Align::kJustify;
  Layout layout = engine_->LayOut("一，二，三，四五六七八。", style);
  ASSERT_EQ(layout.lines.size(), 1u);
  EXPECT_EQ(layout.lines[0].marks_compressed, 3);
  EXPECT_NEAR(layout.lines[0].compressed_em, 1.5f, 0.05f);
  EXPECT_EQ(layout.lines[0].lone, LoneLine::kMended);
  EXPECT_LE(layout.lines[0].width, 400.5f);
}

// Loose lines over the bodies at five widths: each line says its spacing per
// gap, and no more lines spread past 0.15 em than after issue 20.
TEST_F(LoneLinesTest, LooseLinesAreCountedAndFew) {
  int loose = 0, lines = 0, compressed = 0;
  for (float width : {480.f, 720.f, 1000.f, 1400.f, 1760.f}) {
    Style style;
    style.size_px = 48.f;
    style.box_width = width;
    style.align = Align::kJustify;
    for (const std::string& body : samples_.bodies) {
      Layout layout = engine_->LayOut(body, style);
      for (const Line& line : layout.lines) {
        ++lines;
        if (line.paragraph_end) {
          EXPECT_EQ(line.gap_em, 0.f);
        }
        loose += line.gap_em > 0.15f + 1e-3f;
        compressed += line.marks_compressed > 0;
        EXPECT_LE(line.width, width + 0.5f);
      }
    }
  }
  EXPECT_GT(lines, 1000);
  EXPECT_GT(compressed, 0);
  EXPECT_EQ(loose, 0) << loose << " of " << lines << " lines";  // 2 before issue 20
}

}  // namespace
}  // namespace nb::text
