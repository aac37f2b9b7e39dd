// Drawing steps that the Presenter, its SlideCache and its Ticker share.
//
// Contract:
// - Colours are 0xRRGGBBAA; `alpha` scales the colour's own alpha.
// - A rectangle is filled without blending when the result is opaque, so a
//   fill replaces what is under it exactly (slide textures rely on that),
//   and on whole pixels, the same ones on every renderer.
// - ToPixels() covers every pixel the rectangle touches, clamped to the
//   output and never empty.
// - ClipScope narrows the clip rectangle within the one already set (a frame
//   drawn only where it changed is drawn under a clip: nothing drawn inside
//   may widen it) and puts the previous one back when it ends.
#pragma once

#include <SDL.h>

#include <cstdint>

#include "render/slide_layout.h"

namespace nb::render {

std::uint32_t WithAlpha(std::uint32_t rgba, float alpha);
void FillRect(SDL_Renderer* renderer, const RectF& r, std::uint32_t rgba, float alpha);
void SetDrawColor(SDL_Renderer* renderer, std::uint32_t rgba, Uint8 alpha);
SDL_Rect ToPixels(const RectF& r, int width, int height);

class ClipScope {
 public:
  ClipScope(SDL_Renderer* renderer, const SDL_Rect& clip);
  ~ClipScope();
  ClipScope(const ClipScope&) = delete;
  ClipScope& operator=(const ClipScope&) = delete;
  // Nothing is left to draw on: the caller skips its drawing.
  bool empty() const { return empty_; }

 private:
  SDL_Renderer* renderer_;
  bool had_clip_;
  SDL_Rect previous_{};
  bool empty_ = false;
};

}  // namespace nb::render
