// The first stages over the installed fonts, for tests of one stage: a text
// decoded, shaped (body faces, zh-Hans) and given its break opportunities.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "text/break_opportunities.h"
#include "text/fonts.h"
#include "text/shaping.h"

namespace nb::text::testing {

class RealFontsStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status status = fonts_.Open(FontConfig());
    ASSERT_TRUE(status.ok()) << status.message();
    shaper_ = std::make_unique<Shaper>(fonts_, /*memoize_han=*/true);
    status = breaks_.Init();
    ASSERT_TRUE(status.ok()) << status.message();
  }

  std::unique_ptr<ShapedText> ShapeAndBreak(std::string_view text) {
    decoded_.Assign(text);
    std::unique_ptr<ShapedText> shaped = shaper_->Shape(text, decoded_, false, "zh-Hans");
    breaks_.FindLineBreaks(decoded_, shaped.get());
    return shaped;
  }

  // The text with '|' before each cluster a line may start with.
  static std::string MarkBreaks(const ShapedText& shaped) {
    std::string out;
    for (std::size_t u = 0; u < shaped.clusters.size(); ++u) {
      const Cluster& c = shaped.clusters[u];
      if (u > 0 && c.can_break_before) out += '|';
      out += shaped.text.substr(c.begin, c.end - c.begin);
    }
    return out;
  }

  FontSet fonts_;
  std::unique_ptr<Shaper> shaper_;
  BreakFinder breaks_;
  DecodedText decoded_;
};

}  // namespace nb::text::testing
