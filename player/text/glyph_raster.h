// Glyph rasterizing next to the fonts: one glyph of an opened face to 8-bit
// coverage by FreeType. Internal to nb_text (TextEngine::Rasterize).
//
// Contract: RasterizeGlyph renders glyph `glyph_id` of `face` at `size_px`
// pixels per em, unhinted and without embedded bitmaps, like the linear
// metrics that shaping uses, into *out (coverage rows of `width` bytes, and
// the bitmap's offset from the pen position). Returns false when FreeType
// cannot set the size, load or render the glyph. The face remembers its last
// size, so that rasterizing many glyphs of one size sets it once.
#pragma once

#include <cstdint>

#include "text/fonts.h"
#include "text/text.h"

namespace nb::text {

bool RasterizeGlyph(OpenFace* face, std::uint32_t glyph_id, float size_px, GlyphBitmap* out);

}  // namespace nb::text
