// Font discovery and opened faces for the text engine. Internal to nb_text.
//
// Contract: FontSet::Open resolves each role's primary face (explicit file,
// else fontconfig for zh-cn) and the fallback chain, opens them with
// FreeType and HarfBuzz (hb-ft), and fails with a message naming
// fonts-noto-cjk when no face covers Chinese. In a .ttc the face is chosen by
// its family name (the Simplified Chinese one, "... SC"), never by index.
// Metrics are unhinted and linear: shaping happens at the font's units per
// em and is scaled to any pixel size.
#pragma once

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

#include <memory>
#include <string>
#include <vector>

#include "text/text.h"

namespace nb::text {

struct OpenFace {
  Face info;
  FT_Face ft = nullptr;
  hb_font_t* hb = nullptr;
  float upem = 1000.f;
  float ascender_em = 0.88f;  // typographic ascender, in ems
  float descender_em = 0.12f;
  float rendered_size = 0.f;  // FT_Set_Char_Size state
  int slot = 0;               // index among the set's faces, for per-face caches
  ~OpenFace();
};

class FontSet {
 public:
  ~FontSet();
  Status Open(const FontConfig& config);

  // Faces of a role: primary first, then the fallback chain.
  const std::vector<OpenFace*>& chain(bool bold) const { return bold ? bold_ : regular_; }
  std::vector<const Face*> faces() const;
  OpenFace* Find(const Face* face) const;
  FT_Library library() const { return library_; }

 private:
  Status OpenOne(const std::string& file, const std::string& family, bool bold, bool pick_by_family,
                 OpenFace** out);

  FT_Library library_ = nullptr;
  std::vector<std::unique_ptr<OpenFace>> owned_;
  std::vector<OpenFace*> bold_;
  std::vector<OpenFace*> regular_;
};

// Asks fontconfig for `family` (bold or regular) for language `lang`. Fails
// unless the match really is that family (fontconfig always returns
// something). Sets the file and the face index within it.
Status FindFontFile(const std::string& family, bool bold, const char* lang, std::string* file,
                    int* index);

}  // namespace nb::text
