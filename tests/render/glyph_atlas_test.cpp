// GlyphAtlas: drawing through a tiny atlas that must evict gives the same
// pixels as drawing through a roomy one. Also writes the sample headline and
// body PNGs people look at (into $NB_TEXT_SAMPLES_DIR, or the test temp dir).
#include <SDL.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "base/env.h"
#include "render/glyph_atlas.h"
#include "render/png.h"
#include "text/bulletin_samples.h"
#include "text/counting_engine.h"
#include "text/engine_test_fixture.h"
#include "text/text.h"

namespace nb::text {
namespace {

using testing::CountingEngine;

struct Canvas {
  Canvas(int w, int h) : width(w), height(h) {
    surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ABGR8888);
    renderer = SDL_CreateSoftwareRenderer(surface);
    SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
    SDL_RenderClear(renderer);
  }
  ~Canvas() {
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
  }
  render::Image Read() {
    render::Image image;
    image.width = width;
    image.height = height;
    image.rgba.resize(static_cast<std::size_t>(width) * height * 4);
    SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, image.rgba.data(), width * 4);
    return image;
  }
  int width, height;
  SDL_Surface* surface;
  SDL_Renderer* renderer;
};

int InkedPixels(const render::Image& image) {
  int n = 0;
  for (std::size_t i = 0; i < image.rgba.size(); i += 4) n += image.rgba[i] < 128;
  return n;
}

using GlyphAtlasTest = testing::EngineTest;

TEST_F(GlyphAtlasTest, EvictionStillDrawsTheRightGlyphs) {
  Style style;
  style.size_px = 32.f;
  style.box_width = 960.f;
  style.align = Align::kJustify;
  Layout layout = engine_->LayOut(samples_.bodies[3].substr(0, 1800), style);
  ASSERT_GT(layout.lines.size(), 10u);
  const int h = static_cast<int>(layout.height) + 20;

  Canvas roomy(1000, h);
  auto big = render::GlyphAtlas::Create(roomy.renderer, *engine_, 2048, 1);
  big->Draw(layout, 10, 10, 0x000000FFu);
  EXPECT_EQ(big->evictions(), 0u);

  Canvas cramped(1000, h);
  // Two 128-pixel pages hold a few dozen 32-pixel glyphs: drawing hundreds
  // of distinct glyphs keeps evicting pages, and drawing twice more reuses
  // and re-rasterizes what was evicted.
  auto small = render::GlyphAtlas::Create(cramped.renderer, *engine_, 128, 2);
  small->Prepare(layout);
  small->Draw(layout, 10, 10, 0x000000FFu);
  EXPECT_GT(small->evictions(), 2u);

  render::Image a = roomy.Read(), b = cramped.Read();
  EXPECT_GT(InkedPixels(a), 10000);
  EXPECT_EQ(InkedPixels(a), InkedPixels(b));
  EXPECT_TRUE(a.rgba == b.rgba) << "pixels differ after eviction";
}

TEST_F(GlyphAtlasTest, EvictsTheLeastRecentlyUsedPage) {
  CountingEngine counting(*engine_);
  Style style;
  style.size_px = 32.f;
  style.box_width = 400.f;
  // Enclosed characters have nearly square bitmaps of about 30 px: a 72 px
  // page holds exactly four of them (two shelves of two).
  Layout x = engine_->LayOut("国图固困", style);
  Layout y = engine_->LayOut("圆园围因", style);
  Layout z = engine_->LayOut("回团囚四", style);
  Canvas canvas(200, 60);
  auto atlas = render::GlyphAtlas::Create(canvas.renderer, counting, 72, 2);
  atlas->Draw(x, 0, 0, 0x000000FFu);  // page 0
  atlas->Draw(y, 0, 0, 0x000000FFu);  // page 1
  ASSERT_EQ(counting.rasterized, 8);
  ASSERT_EQ(atlas->evictions(), 0u);
  atlas->Draw(x, 0, 0, 0x000000FFu);  // page 0 is now the more recently used
  EXPECT_EQ(counting.rasterized, 8);
  atlas->Draw(z, 0, 0, 0x000000FFu);  // full: must empty page 1 (y), not page 0
  EXPECT_EQ(atlas->evictions(), 1u);
  EXPECT_EQ(counting.rasterized, 12);
  atlas->Draw(x, 0, 0, 0x000000FFu);
  EXPECT_EQ(counting.rasterized, 12) << "the recently drawn glyphs were evicted";
  atlas->Draw(y, 0, 0, 0x000000FFu);
  EXPECT_EQ(counting.rasterized, 16);
}

// After a renderer reset the atlas drops its textures; drawing again
// rasterizes the glyphs anew and gives the same pixels.
TEST_F(GlyphAtlasTest, InvalidateReuploadsGlyphsOnDemand) {
  CountingEngine counting(*engine_);
  Style style;
  style.size_px = 32.f;
  style.box_width = 600.f;
  Layout layout = engine_->LayOut(samples_.titles[0], style);
  Canvas before(640, static_cast<int>(layout.height) + 20);
  Canvas after(640, static_cast<int>(layout.height) + 20);
  auto atlas = render::GlyphAtlas::Create(before.renderer, counting, 512, 2);
  atlas->Draw(layout, 10, 10, 0x000000FFu);
  const int first = counting.rasterized;
  ASSERT_GT(first, 10);
  atlas->Draw(layout, 10, 10, 0x000000FFu);
  EXPECT_EQ(counting.rasterized, first);  // cached
  atlas->Invalidate();
  EXPECT_EQ(counting.rasterized, first);  // nothing happens until a draw
  // The same renderer would be reset in the player; a second canvas of the
  // same size shows that the new pages draw the same pixels.
  auto fresh = render::GlyphAtlas::Create(after.renderer, counting, 512, 2);
  fresh->Draw(layout, 10, 10, 0x000000FFu);
  const int per_draw = counting.rasterized - first;
  EXPECT_EQ(per_draw, first);
  SDL_RenderClear(before.renderer);  // blank again (white), drawn once more below
  atlas->Draw(layout, 10, 10, 0x000000FFu);
  EXPECT_EQ(counting.rasterized, first + 2 * per_draw) << "Invalidate kept stale glyphs";
  render::Image a = after.Read(), b = before.Read();
  EXPECT_GT(InkedPixels(a), 1000);
  EXPECT_TRUE(a.rgba == b.rgba) << "pixels differ after Invalidate";
}

TEST_F(GlyphAtlasTest, ColourTintsGlyphs) {
  Style style;
  style.size_px = 40.f;
  style.box_width = 400.f;
  Layout layout = engine_->LayOut("国", style);
  Canvas canvas(60, 70);
  auto atlas = render::GlyphAtlas::Create(canvas.renderer, *engine_);
  atlas->Draw(layout, 5, 5, 0xFF0000FFu);
  render::Image image = canvas.Read();
  int red = 0;
  for (std::size_t i = 0; i < image.rgba.size(); i += 4) {
    if (image.rgba[i] > 200 && image.rgba[i + 1] < 60 && image.rgba[i + 2] < 60) ++red;
  }
  EXPECT_GT(red, 50);
}

// Not a check of looks (people do that), but it fails if nothing is drawn.
TEST_F(GlyphAtlasTest, WritesSampleHeadlineAndBodyPngs) {
  const char* dir_env = std::getenv("NB_TEXT_SAMPLES_DIR");
  std::string dir = dir_env ? dir_env : ::testing::TempDir();
  Style headline;
  headline.role = FontRole::kHeadline;
  headline.min_size_px = 56.f;
  headline.max_size_px = 96.f;
  headline.box_width = 1200.f;
  headline.max_lines = 3;
  headline.balance = true;
  headline.line_height = 1.3f;
  Style body;
  body.size_px = 32.f;
  body.box_width = 1200.f;
  body.max_lines = 10;
  body.align = Align::kJustify;
  for (int sample : {0, 9}) {
    Layout head = engine_->LayOut(samples_.titles[static_cast<std::size_t>(sample)], headline);
    Layout text = engine_->LayOut(samples_.bodies[static_cast<std::size_t>(sample)], body);
    Canvas canvas(1280, static_cast<int>(head.height + text.height) + 100);
    SDL_SetRenderDrawColor(canvas.renderer, 200, 210, 230, 255);
    SDL_FRect edge{40, 20, 1200, head.height + text.height + 40};
    SDL_RenderDrawRectF(canvas.renderer, &edge);
    auto atlas = render::GlyphAtlas::Create(canvas.renderer, *engine_);
    atlas->Draw(head, 40, 30, 0x8B1A1AFFu);
    atlas->Draw(text, 40, 60 + head.height, 0x202020FFu);
    render::Image image = canvas.Read();
    EXPECT_GT(InkedPixels(image), 5000);
    std::string path = dir + "/text_sample_" + std::to_string(sample) + ".png";
    Status s = render::WritePng(Env::Default().fs(), path, image);
    EXPECT_TRUE(s.ok()) << s.message();
  }
}

}  // namespace
}  // namespace nb::text
