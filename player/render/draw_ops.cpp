#include "render/draw_ops.h"

#include <algorithm>
#include <cmath>

namespace nb::render {

std::uint32_t WithAlpha(std::uint32_t rgba, float alpha) {
  std::uint32_t a = static_cast<std::uint32_t>(std::lround((rgba & 0xFF) * alpha));
  return (rgba & 0xFFFFFF00u) | std::min<std::uint32_t>(a, 255);
}

void FillRect(SDL_Renderer* renderer, const RectF& r, std::uint32_t rgba, float alpha) {
  std::uint32_t c = WithAlpha(rgba, alpha);
  SDL_SetRenderDrawBlendMode(renderer,
                             (c & 0xFF) == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
  SDL_SetRenderDrawColor(renderer, c >> 24, (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
  // Whole pixels, as SDL's software renderer takes them (edges and sizes
  // truncated, at least one pixel): a GPU would cover the pixels whose
  // centres are inside, and thin rules would land a row apart.
  SDL_Rect pixels{static_cast<int>(r.x), static_cast<int>(r.y), std::max(static_cast<int>(r.w), 1),
                  std::max(static_cast<int>(r.h), 1)};
  SDL_RenderFillRect(renderer, &pixels);
}

void SetDrawColor(SDL_Renderer* renderer, std::uint32_t rgba, Uint8 alpha) {
  SDL_SetRenderDrawColor(renderer, rgba >> 24, (rgba >> 16) & 0xFF, (rgba >> 8) & 0xFF, alpha);
}

SDL_Rect ToPixels(const RectF& r, int width, int height) {
  int x0 = std::clamp(static_cast<int>(std::floor(r.x)), 0, width);
  int y0 = std::clamp(static_cast<int>(std::floor(r.y)), 0, height);
  int x1 = std::clamp(static_cast<int>(std::ceil(r.x + r.w)), x0 + 1, std::max(width, x0 + 1));
  int y1 = std::clamp(static_cast<int>(std::ceil(r.y + r.h)), y0 + 1, std::max(height, y0 + 1));
  return {x0, y0, x1 - x0, y1 - y0};
}

ClipScope::ClipScope(SDL_Renderer* renderer, const SDL_Rect& clip)
    : renderer_(renderer), had_clip_(SDL_RenderIsClipEnabled(renderer)) {
  SDL_Rect narrowed = clip;
  if (had_clip_) {
    SDL_RenderGetClipRect(renderer, &previous_);
    empty_ = !SDL_IntersectRect(&previous_, &clip, &narrowed);
  } else {
    empty_ = clip.w <= 0 || clip.h <= 0;
  }
  if (!empty_) SDL_RenderSetClipRect(renderer, &narrowed);
}

ClipScope::~ClipScope() {
  if (empty_) return;
  SDL_RenderSetClipRect(renderer_, had_clip_ ? &previous_ : nullptr);
}

}  // namespace nb::render
