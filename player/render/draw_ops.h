// Drawing steps that the Presenter, its SlideCache and its Ticker share.
//
// Contract:
// - Colours are 0xRRGGBBAA; `alpha` scales the colour's own alpha.
// - A rectangle is filled without blending when the result is opaque, so a
//   fill replaces what is under it exactly (slide textures rely on that).
// - ToPixels() covers every pixel the rectangle touches, clamped to the
//   output and never empty.
#pragma once

#include <SDL.h>

#include <cstdint>

#include "render/slide_layout.h"

namespace nb::render {

std::uint32_t WithAlpha(std::uint32_t rgba, float alpha);
void FillRect(SDL_Renderer* renderer, const RectF& r, std::uint32_t rgba, float alpha);
void SetDrawColor(SDL_Renderer* renderer, std::uint32_t rgba, Uint8 alpha);
SDL_Rect ToPixels(const RectF& r, int width, int height);

}  // namespace nb::render
