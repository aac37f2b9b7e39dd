// A TextEngine that forwards to a real one and counts the glyphs rasterized
// (what the glyph atlas asks FreeType for).
#pragma once

#include "text/text.h"

namespace nb::text::testing {

class CountingEngine final : public TextEngine {
 public:
  explicit CountingEngine(TextEngine& inner) : inner_(inner) {}
  Layout LayOut(std::string_view utf8, const Style& style) override {
    return inner_.LayOut(utf8, style);
  }
  std::vector<const Face*> faces() const override { return inner_.faces(); }
  bool Rasterize(const Face* face, std::uint32_t glyph_id, float size_px,
                 GlyphBitmap* out) override {
    ++rasterized;
    return inner_.Rasterize(face, glyph_id, size_px, out);
  }
  void ClearCaches(bool glyph_memo) override { inner_.ClearCaches(glyph_memo); }
  int rasterized = 0;

 private:
  TextEngine& inner_;
};

}  // namespace nb::text::testing
