// The fixture the text tests share: an engine on the default font
// configuration (fonts/fonts.json's defaults, found through fontconfig) and
// the sample bulletin's headlines, bodies and summaries.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "text/bulletin_samples.h"
#include "text/text.h"

namespace nb::text::testing {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status status;
    engine_ = TextEngine::Create(FontConfig(), &status);
    ASSERT_TRUE(engine_) << status.message();
    samples_ = LoadBulletinSamples();
    ASSERT_EQ(samples_.bodies.size(), 15u);
  }
  std::unique_ptr<TextEngine> engine_;
  BulletinSamples samples_;
};

}  // namespace nb::text::testing
