#include "text/glyph_raster.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace nb::text {

bool RasterizeGlyph(OpenFace* face, std::uint32_t glyph_id, float size_px, GlyphBitmap* out) {
  if (face->rendered_size != size_px) {
    if (FT_Set_Char_Size(face->ft, 0, static_cast<FT_F26Dot6>(std::lround(size_px * 64)), 72, 72)) {
      return false;
    }
    face->rendered_size = size_px;
  }
  if (FT_Load_Glyph(face->ft, glyph_id, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0) return false;
  if (FT_Render_Glyph(face->ft->glyph, FT_RENDER_MODE_NORMAL) != 0) return false;
  const FT_Bitmap& bm = face->ft->glyph->bitmap;
  out->width = static_cast<int>(bm.width);
  out->height = static_cast<int>(bm.rows);
  out->left = face->ft->glyph->bitmap_left;
  out->top = face->ft->glyph->bitmap_top;
  out->coverage.resize(static_cast<std::size_t>(out->width) * out->height);
  for (int y = 0; y < out->height; ++y) {
    const unsigned char* row = bm.buffer + static_cast<std::ptrdiff_t>(y) * bm.pitch;
    std::copy(row, row + out->width,
              out->coverage.begin() + static_cast<std::ptrdiff_t>(y) * out->width);
  }
  return true;
}

}  // namespace nb::text
