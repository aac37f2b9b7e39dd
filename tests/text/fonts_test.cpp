// Fonts: the Simplified Chinese face chosen by name, locl for zh-Hans,
// fallbacks so that nothing in the bulletin renders as .notdef, and a clear
// error naming the package when no Chinese font is found.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "text/bulletin_samples.h"
#include "text/text.h"

namespace nb::text {
namespace {

std::unique_ptr<TextEngine> MakeEngine(const FontConfig& config = FontConfig()) {
  Status status;
  auto engine = TextEngine::Create(config, &status);
  EXPECT_TRUE(status.ok()) << status.message();
  return engine;
}

TEST(FontsTest, PicksTheSimplifiedChineseFaceByName) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  const Face* primary = engine->faces().front();
  EXPECT_EQ(primary->family, "Noto Sans CJK SC");
  EXPECT_NE(primary->file.find(".tt"), std::string::npos);
}

// `play` frees fontconfig once its engine is open; finding fonts afterwards
// (another engine) still works and finds the same faces.
TEST(FontsTest, FindsFontsAgainAfterReleasingFontDiscovery) {
  Status status;
  auto first = TextEngine::Create(FontConfig(), &status);
  ASSERT_TRUE(first) << status.message();
  ReleaseFontDiscovery();
  auto second = TextEngine::Create(FontConfig(), &status);
  ASSERT_TRUE(second) << status.message();
  ASSERT_EQ(first->faces().size(), second->faces().size());
  for (std::size_t i = 0; i < first->faces().size(); ++i) {
    EXPECT_EQ(first->faces()[i]->file, second->faces()[i]->file);
    EXPECT_EQ(first->faces()[i]->index, second->faces()[i]->index);
  }
  Style style;
  style.size_px = 40;
  style.box_width = 800;
  EXPECT_EQ(second->LayOut("天津教育", style).lines.size(), 1u);
}

TEST(FontsTest, ExplicitCollectionFilePicksTheScFace) {
  FontConfig config;
  config.body_file = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
  config.headline_file = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
  auto engine = MakeEngine(config);
  ASSERT_TRUE(engine);
  int sc_faces = 0;
  for (const Face* f : engine->faces()) {
    if (f->file.find("NotoSansCJK") != std::string::npos) {
      EXPECT_EQ(f->family, "Noto Sans CJK SC");
      EXPECT_EQ(f->index, 2);  // where it happens to live in Debian's collection
      ++sc_faces;
    }
  }
  EXPECT_EQ(sc_faces, 2);
}

TEST(FontsTest, MissingChineseFontNamesThePackage) {
  FontConfig config;
  config.headline_family = "No Such Chinese Font";
  Status status;
  auto engine = TextEngine::Create(config, &status);
  EXPECT_FALSE(engine);
  EXPECT_NE(status.message().find("fonts-noto-cjk"), std::string::npos) << status.message();
}

TEST(FontsTest, MissingFontFileIsNamed) {
  FontConfig config;
  config.body_file = "/nonexistent/font.ttc";
  Status status;
  EXPECT_FALSE(TextEngine::Create(config, &status));
  EXPECT_NE(status.message().find("/nonexistent/font.ttc"), std::string::npos);
}

TEST(FontsTest, LoclPicksSimplifiedFormsForZhHans) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  Style style;
  style.box_width = 1000;
  Layout hans = engine->LayOut("直", style);
  style.language = "ja";
  Layout ja = engine->LayOut("直", style);
  ASSERT_EQ(hans.lines.size(), 1u);
  ASSERT_EQ(ja.lines.size(), 1u);
  ASSERT_EQ(hans.lines[0].glyphs.size(), 1u);
  EXPECT_NE(hans.lines[0].glyphs[0].glyph_id, ja.lines[0].glyphs[0].glyph_id);
}

TEST(FontsTest, NoBulletinCharacterIsNotdef) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  auto samples = testing::LoadBulletinSamples();
  ASSERT_EQ(samples.bodies.size(), 15u);
  for (FontRole role : {FontRole::kBody, FontRole::kHeadline}) {
    Style style;
    style.role = role;
    style.box_width = 1760;
    for (const std::string& line : samples.all_lines) {
      Layout layout = engine->LayOut(line, style);
      for (const Line& l : layout.lines) {
        for (const PositionedGlyph& g : l.glyphs) {
          EXPECT_NE(g.glyph_id, 0u)
              << "in \"" << layout.text.substr(g.cluster_begin, g.cluster_end - g.cluster_begin)
              << "\"";
        }
      }
    }
  }
  // A symbol the CJK face lacks comes from the fallback chain.
  Style style;
  style.box_width = 1000;
  Layout l = engine->LayOut("飞机✈起飞", style);
  ASSERT_EQ(l.lines.size(), 1u);
  ASSERT_EQ(l.lines[0].glyphs.size(), 5u);
  EXPECT_NE(l.lines[0].glyphs[2].glyph_id, 0u);
  EXPECT_NE(l.lines[0].glyphs[2].face, l.lines[0].glyphs[0].face);
}

TEST(FontsTest, LoadsTheRepositoryFontsJson) {
  FontConfig config;
  config.fallback_families.clear();
  Status s = LoadFontConfig(Env::Default().fs(), std::string(NB_SOURCE_DIR) + "/fonts/fonts.json",
                            &config);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(config.body_family, "Noto Sans CJK SC");
  EXPECT_FALSE(config.fallback_families.empty());
  Status bad = LoadFontConfig(Env::Default().fs(), "/nonexistent/fonts.json", &config);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("/nonexistent/fonts.json"), std::string::npos);
}

// The fonts configuration is checked as the theme is: every error, each
// with its JSON pointer; nothing is applied from a file with errors.
TEST(FontsTest, FontsJsonErrorsAreAllReportedWithTheirPointer) {
  std::string path = ::testing::TempDir() + "nb-fonts-" + std::to_string(::getpid()) + ".json";
  std::ofstream(path) << R"({"roles": {"headline": {"family": 3, "weigth": "bold"},
                                      "body": {"family": "Other"}},
                           "fallback": "DejaVu Sans", "x-note": "ignored"})";
  FontConfig config;
  Status s = LoadFontConfig(Env::Default().fs(), path, &config);
  ASSERT_FALSE(s.ok());
  const std::string& m = s.message();
  EXPECT_EQ(m.rfind(path + ": ", 0), 0u) << m;
  for (const char* expected : {
           "/roles/headline/family: expected a string, found a number",
           "/roles/headline/weigth: unknown field \"weigth\"; did you mean \"weight\"?",
           "/fallback: expected a list of strings, found a string",
       }) {
    EXPECT_NE(m.find(expected), std::string::npos) << expected << "\n" << m;
  }
  EXPECT_EQ(config.body_family, FontConfig().body_family);
  std::ofstream(path, std::ios::trunc) << "{\"roles\": ";
  s = LoadFontConfig(Env::Default().fs(), path, &config);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind(path + ":1:", 0), 0u) << s.message();  // line and column
  std::remove(path.c_str());
}

}  // namespace
}  // namespace nb::text

namespace nb::text {
namespace {

// Shaping each Han character once (memoized) must give exactly what
// HarfBuzz gives for whole runs, over the whole bulletin.
TEST(FontsTest, MemoizedHanShapingMatchesWholeRuns) {
  FontConfig exact_config;
  exact_config.memoize_han = false;
  Status status;
  auto fast = TextEngine::Create(FontConfig(), &status);
  auto exact = TextEngine::Create(exact_config, &status);
  ASSERT_TRUE(fast && exact) << status.message();
  auto samples = testing::LoadBulletinSamples();
  int glyphs = 0;
  for (FontRole role : {FontRole::kBody, FontRole::kHeadline}) {
    Style style;
    style.role = role;
    style.box_width = 1760;
    style.align = Align::kJustify;
    for (const std::string& text : samples.all_lines) {
      Layout a = fast->LayOut(text, style), b = exact->LayOut(text, style);
      ASSERT_EQ(a.lines.size(), b.lines.size()) << text;
      for (std::size_t i = 0; i < a.lines.size(); ++i) {
        ASSERT_EQ(a.lines[i].glyphs.size(), b.lines[i].glyphs.size()) << text;
        for (std::size_t g = 0; g < a.lines[i].glyphs.size(); ++g) {
          const auto &x = a.lines[i].glyphs[g], &y = b.lines[i].glyphs[g];
          EXPECT_EQ(x.glyph_id, y.glyph_id);
          EXPECT_NEAR(x.x, y.x, 0.01f);
          EXPECT_NEAR(x.y, y.y, 0.01f);
          ++glyphs;
        }
      }
    }
  }
  EXPECT_GT(glyphs, 30000);
}

}  // namespace
}  // namespace nb::text
