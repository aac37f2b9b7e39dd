// clreq strict line breaking over all 15 bulletin bodies at every width
// from 8 em to 60 em: no line starts with a closing or pause mark, none ends
// with an opening mark, and words, numbers, —— and …… stay whole.
#include <gtest/gtest.h>

#include <string>

#include "text/bulletin_samples.h"
#include "text/engine_test_fixture.h"
#include "text/text.h"

namespace nb::text {
namespace {

const std::u32string kNoStart = U"、，。：；！？）》」』”’,.:;!?)～·／—…";
const std::u32string kNoEnd = U"（《「『“‘(/／";

bool IsAsciiAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

class LineRulesTest : public testing::EngineTest {
 protected:
  // Checks every line of the layout; returns the number of violations.
  int CheckLines(const Layout& layout, const std::string& source, float width, std::string* why) {
    int violations = 0;
    std::string joined;
    for (std::size_t i = 0; i < layout.lines.size(); ++i) {
      const Line& line = layout.lines[i];
      joined += layout.LineText(line);
      std::u32string text = testing::Utf32(layout.LineText(line));
      while (!text.empty() && text.back() == U' ') text.pop_back();
      if (text.empty()) continue;
      auto report = [&](const std::string& rule) {
        ++violations;
        *why += rule + " at width " + std::to_string(width) + ": " +
                std::string(layout.LineText(line)).substr(0, 60) + "\n";
      };
      if (i > 0 && kNoStart.find(text.front()) != std::u32string::npos) report("bad line start");
      if (i + 1 < layout.lines.size() && kNoEnd.find(text.back()) != std::u32string::npos) {
        report("bad line end");
      }
      if (line.width > width + 0.5f) report("overfull line");
      if (i + 1 < layout.lines.size()) {
        std::u32string next = testing::Utf32(layout.LineText(layout.lines[i + 1]));
        char32_t a = text.back(), b = next.empty() ? 0 : next.front();
        if (IsAsciiAlnum(a) && (IsAsciiAlnum(b) || b == '.' || b == '%')) report("split word");
        if ((a == '.' || a == ',') && IsAsciiAlnum(b)) report("split number");
      }
    }
    if (joined != source) {
      ++violations;
      *why += "line texts do not add up to the source\n";
    }
    return violations;
  }
};

TEST_F(LineRulesTest, AllBodiesAtAllWidths) {
  const float size = 48.f;
  int violations = 0, lines = 0;
  std::string why;
  for (int em = 8; em <= 60; ++em) {
    Style style;
    style.size_px = size;
    style.box_width = size * static_cast<float>(em);
    style.align = Align::kJustify;
    for (const std::string& body : samples_.bodies) {
      Layout layout = engine_->LayOut(body, style);
      lines += static_cast<int>(layout.lines.size());
      violations += CheckLines(layout, body, style.box_width, &why);
    }
  }
  EXPECT_GT(lines, 10000);
  EXPECT_EQ(violations, 0) << why.substr(0, 4000);
}

TEST_F(LineRulesTest, ClreqAdditionsIcuMisses) {
  Style style;
  style.size_px = 10.f;
  // Every position of each mark is tried by sliding the text under a
  // narrow width; the mark must never begin (or end) a line.
  const std::vector<std::string> texts = {"政府—高校—企业协同创新政府—高校—企业协同创新",
                                          "三部曲——2023年搭建校企握手通道——继续推进",
                                          "他说……我们明白了……然后出发了",
                                          "双向奔赴·才创未来双向奔赴·才创未来",
                                          "时间为9:00～17:00地点在北京时间为9:00～17:00地点",
                                          "教师／学生和家长共同参与教师／学生和家长共同参与",
                                          "and/or和/或以及A/B测试和/或以及"};
  int violations = 0;
  std::string why;
  for (const std::string& t : texts) {
    for (int w = 40; w <= 200; w += 5) {
      style.box_width = static_cast<float>(w);
      Layout layout = engine_->LayOut(t, style);
      violations += CheckLines(layout, t, style.box_width, &why);
      for (std::size_t i = 0; i + 1 < layout.lines.size(); ++i) {
        std::u32string a = testing::Utf32(layout.LineText(layout.lines[i]));
        std::u32string b = testing::Utf32(layout.LineText(layout.lines[i + 1]));
        if (!a.empty() && !b.empty() && a.back() == U'—' && b.front() == U'—') {
          ++violations;
          why += "split ——\n";
        }
      }
    }
  }
  EXPECT_EQ(violations, 0) << why.substr(0, 4000);
}

TEST_F(LineRulesTest, LatinWordsAndNumbersStayWhole) {
  Style style;
  style.size_px = 20.f;
  const std::string t = "使用DeepSeek开展研究，增长10.5%，在2025年完成";
  int breaks = 0;
  for (int w = 100; w <= 400; w += 3) {
    style.box_width = static_cast<float>(w);
    Layout layout = engine_->LayOut(t, style);
    for (const Line& line : layout.lines) {
      if (line.text_begin == 0) continue;
      ++breaks;
      for (const char* word : {"DeepSeek", "10.5%", "2025"}) {
        std::size_t at = t.find(word);
        EXPECT_FALSE(line.text_begin > at && line.text_begin < at + std::string(word).size())
            << word << " split at width " << w;
      }
    }
  }
  EXPECT_GT(breaks, 100);
}

}  // namespace
}  // namespace nb::text

namespace nb::text {
namespace {

TEST(LineEdgeCasesTest, EmptySpacesNewlinesAndOverlongWords) {
  Status status;
  auto engine = TextEngine::Create(FontConfig(), &status);
  ASSERT_TRUE(engine) << status.message();
  Style style;
  style.size_px = 20.f;
  style.box_width = 100.f;
  style.align = Align::kJustify;
  EXPECT_TRUE(engine->LayOut("", style).lines.empty());
  Layout spaces = engine->LayOut("   ", style);
  for (const Line& l : spaces.lines) EXPECT_TRUE(l.glyphs.empty());
  Layout para = engine->LayOut("第一段。\n\n第二段", style);
  ASSERT_EQ(para.lines.size(), 3u);
  EXPECT_EQ(para.LineText(para.lines[2]), "第二段");
  // A web address longer than the line is broken (it must be), and every
  // line stays within the box.
  const std::string url = "网址https://www.tj.gov.cn/jyj/zwgk/2025/example_document_name.html结束";
  Layout l = engine->LayOut(url, style);
  std::string joined;
  for (const Line& line : l.lines) {
    joined += l.LineText(line);
    EXPECT_LE(line.width, 100.5f);
  }
  EXPECT_EQ(joined, url);
  EXPECT_GT(l.lines.size(), 3u);
}

}  // namespace
}  // namespace nb::text
