// GlyphAtlas: the glyphs of text layouts in textures of one SDL_Renderer.
//
// Contract:
// - Glyphs are rasterized once (TextEngine::Rasterize, FreeType) into
//   bounded atlas pages: page_size square, at most max_pages; when all are
//   full, the least recently used page is emptied and its glyphs come back
//   on demand.
// - Whole layouts are drawn with a few SDL_RenderGeometry calls, tinted.
// - Invalidate() drops the textures after a renderer reset; glyphs come back
//   on demand.
// - Belongs to the thread that owns its SDL_Renderer.
#pragma once

#include <SDL_rect.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "text/text.h"

struct SDL_Renderer;

namespace nb::render {

class GlyphAtlas {
 public:
  // page_size: width and height of each atlas texture; max_pages bounds memory.
  static std::unique_ptr<GlyphAtlas> Create(SDL_Renderer* renderer, text::TextEngine& engine,
                                            int page_size = 2048, int max_pages = 2);
  virtual ~GlyphAtlas() = default;

  // Rasterizes every glyph of the layout not yet in the atlas, so that a
  // later Draw does no FreeType work (call before a transition starts).
  virtual void Prepare(const text::Layout& layout) = 0;
  // Draws the layout with its top-left corner at (x, y), in the colour given
  // as 0xRRGGBBAA, with a few SDL_RenderGeometry calls.
  // Lines wholly outside the target, or outside its clip rectangle, are
  // skipped (no rasterizing, no triangles).
  virtual void Draw(const text::Layout& layout, float x, float y, std::uint32_t rgba) = 0;
  // The pixels Draw(layout, x, y, rgba) would draw, moved by whole pixels
  // (a slide drawn into its texture): moving (x, y) instead could round a
  // glyph to another pixel.
  virtual void DrawShifted(const text::Layout& layout, float x, float y, SDL_Point shift,
                           std::uint32_t rgba) = 0;
  // Appends the pixel rows [first, second) that Draw(layout, x, y, ...)
  // would touch, one range per line with ink (rasterizing what it must).
  virtual void InkRows(const text::Layout& layout, float x, float y,
                       std::vector<std::pair<int, int>>* rows) = 0;
  // How many times a full atlas emptied its least recently used page.
  virtual std::uint64_t evictions() const = 0;
  // Destroys the textures and forgets every glyph; later Prepare and Draw
  // calls rasterize and upload again what they need. For when the renderer
  // loses its textures (SDL_RENDER_TARGETS_RESET, SDL_RENDER_DEVICE_RESET).
  virtual void Invalidate() = 0;
};

}  // namespace nb::render
