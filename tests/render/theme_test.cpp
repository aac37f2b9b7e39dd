#include "render/theme.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace nb::render {
namespace {

TEST(ThemeTest, RepoFileIsTheCompiledInDefault) {
  std::ifstream in(NB_SOURCE_DIR "/player/render/default-theme.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), std::string(DefaultThemeJson()));
  const Theme& t = DefaultTheme();
  EXPECT_TRUE(t.ticker);
  EXPECT_TRUE(t.clock);
  EXPECT_GT(t.landscape.headline_max, t.landscape.summary_max);
  EXPECT_GT(t.portrait.header_height, 0.f);
}

TEST(ThemeTest, FileOverridesFieldByField) {
  Theme t;
  Status s = ParseTheme(
      R"({"name": "天津市第一中学", "colors": {"accent": "#112233"}, "ticker": {"enabled": false},
          "landscape": {"margin": 0.1}})",
      "school.json", DefaultTheme(), &t);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(t.name, "天津市第一中学");
  EXPECT_EQ(t.colors.accent, 0x112233FFu);
  EXPECT_EQ(t.colors.background, DefaultTheme().colors.background);
  EXPECT_FALSE(t.ticker);
  EXPECT_FLOAT_EQ(t.landscape.margin, 0.1f);
  EXPECT_FLOAT_EQ(t.portrait.margin, DefaultTheme().portrait.margin);
}

TEST(ThemeTest, ErrorsNameFileAndPointer) {
  Theme t;
  Status s = ParseTheme(R"({"colors": {"accent": "red"}})", "school.json", DefaultTheme(), &t);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("school.json: /colors/accent"), std::string::npos) << s.message();

  s = ParseTheme(R"({"landscape": {"margn": 0.1}})", "school.json", DefaultTheme(), &t);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/landscape/margn: unknown field"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("margin"), std::string::npos) << s.message();

  s = ParseTheme(R"({"landscape": {"margin": 3}})", "school.json", DefaultTheme(), &t);
  EXPECT_FALSE(s.ok());
  s = ParseTheme("{ not json", "school.json", DefaultTheme(), &t);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("school.json"), std::string::npos);
  // x- fields are for people's notes.
  s = ParseTheme(R"({"x-comment": "blue for winter"})", "school.json", DefaultTheme(), &t);
  EXPECT_TRUE(s.ok()) << s.message();
}

// Every error, not only the first, each with its (RFC 6901) pointer.
TEST(ThemeTest, ReportsEveryError) {
  Theme t;
  t.name = "unchanged";
  Status s = ParseTheme(R"({"name": 3, "colors": {"accent": "red", "a/b": "#000000"},
                           "landscape": {"headline_lines": 9, "headline_min": 0.2,
                                         "headline_max": 0.1},
                           "ticker": {"enabled": "yes"}, "clok": {}})",
                        "school.json", DefaultTheme(), &t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(t.name, "unchanged");
  const std::string& m = s.message();
  EXPECT_EQ(m.rfind("school.json: ", 0), 0u) << m;
  for (const char* expected : {
           "/name: expected a string, found a number",
           "/colors/accent: expected a colour as \"#RRGGBB\" or \"#RRGGBBAA\", found \"red\"",
           "/colors/a~1b: unknown field \"a/b\"",
           "/landscape/headline_lines: expected a whole number from 1 to 6, found 9",
           "/landscape/headline_min: headline_min is larger than headline_max",
           "/ticker/enabled: expected true or false, found a string",
           "/clok: unknown field \"clok\"; did you mean \"clock\"?",
       }) {
    EXPECT_NE(m.find(expected), std::string::npos) << expected << "\n" << m;
  }
}

// Notices by kind (issue #21): a colour pair each, checked like the rest.
TEST(ThemeTest, NoticeColoursByKind) {
  Theme t;
  Status s = ParseTheme(R"({"colors": {"notice_success_background": "#223344",
                                       "notice_refused_text": "#000000"}})",
                        "school.json", DefaultTheme(), &t);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(t.colors.notice_success_background, 0x223344FFu);
  EXPECT_EQ(t.colors.notice_refused_text, 0x000000FFu);
  EXPECT_EQ(t.colors.notice_refused_background, DefaultTheme().colors.notice_refused_background);

  s = ParseTheme(R"({"colors": {"notice_refused_backgroud": "#F0B64E"}})", "school.json",
                 DefaultTheme(), &t);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/colors/notice_refused_backgroud: unknown field "
                             "\"notice_refused_backgroud\"; did you mean "
                             "\"notice_refused_background\"?"),
            std::string::npos)
      << s.message();
}

TEST(ThemeTest, ParseColor) {
  std::uint32_t c = 0;
  EXPECT_TRUE(ParseColor("#1E3A5F", &c));
  EXPECT_EQ(c, 0x1E3A5FFFu);
  EXPECT_TRUE(ParseColor("#1e3a5f80", &c));
  EXPECT_EQ(c, 0x1E3A5F80u);
  EXPECT_FALSE(ParseColor("1E3A5F", &c));
  EXPECT_FALSE(ParseColor("#1E3A5", &c));
  EXPECT_FALSE(ParseColor("#GGGGGG", &c));
}

}  // namespace
}  // namespace nb::render
