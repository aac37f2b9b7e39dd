// SlideCache: the Presenter's laid-out slides and its one slide texture.
//
// Contract:
// - Entry() returns a slide laid out (by the layout function given at
//   construction) with its glyphs in the atlas. Only the slides in `keep`
//   stay cached (outgoing, current, upcoming); the idle slide is cached per
//   minute, since its clock is part of the picture. Entries live in a vector:
//   a pointer from Entry() holds until the next call.
// - At most one slide has a texture, two during a crossfade. It holds only
//   the bands of rows with ink (text lines, rules), stacked, plus a few rows
//   of plain background below them; the rest of the slide is plain
//   background and is drawn as such. EnsureTexture() gives a slide its
//   texture, dropping the other's unless asked to keep it.
// - DrawDirect() draws a slide into the current target exactly as its
//   texture would look there (the caller has cleared to its background);
//   CopyBands() copies the bands from the texture to their places.
// - Belongs to the thread that owns the renderer.
#pragma once

#include <SDL.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "render/glyph_atlas.h"
#include "render/show.h"
#include "render/slide_layout.h"
#include "text/text.h"

namespace nb::render {

// Rows of plain background below a slide's bands in its texture: a fade
// copies them over the rows between bands, this many at a time.
inline constexpr int kBackgroundRows = 16;

class SlideCache {
 public:
  struct Band {
    int y = 0, h = 0, texture_y = 0;  // rows [y, y + h) of the area, at texture_y
  };
  struct Slide {
    SlideRef ref;
    int minute = -1;  // for the idle slide, whose clock is part of the picture
    SlideLayout layout;
    SDL_Texture* texture = nullptr;  // at most one slide has one (memory)
    SDL_Rect area{};                 // where the slide differs from its plain background
    std::vector<Band> bands;
    // Rows of plain background below the bands in the texture: a fade blends
    // the whole area through the texture, so every row of it rounds alike.
    int background_row = 0;
    std::uint32_t background = 0;
  };
  using LayOutFunction = std::function<SlideLayout(const SlideRef&)>;

  SlideCache(SDL_Renderer* renderer, GlyphAtlas& atlas, LayOutFunction lay_out);
  ~SlideCache();
  SlideCache(const SlideCache&) = delete;
  SlideCache& operator=(const SlideCache&) = delete;

  // A new output size: every slide is laid out again.
  void SetSize(int width, int height);
  // The renderer lost its textures: they are made again on demand.
  void DropTextures();

  // `minute` is the current minute's key for an idle slide, else -1.
  Slide* Entry(const SlideRef& slide, int minute, const std::vector<const SlideRef*>& keep);
  // `keep_other`: the other slide keeps its texture too (the two slides of
  // a crossfade); otherwise it is dropped.
  bool EnsureTexture(Slide* slide, bool keep_other = false);
  void DrawDirect(const Slide& slide);
  void CopyBands(const Slide& slide);
  // Rows of slide texture held now (each as wide as the slide's area).
  int TextureRows() const;

 private:
  std::vector<Band> InkBands(const Slide& slide);
  void Fill(const RectF& r, std::uint32_t rgba);

  SDL_Renderer* renderer_;
  GlyphAtlas& atlas_;
  LayOutFunction lay_out_;
  int width_ = 0, height_ = 0;
  std::vector<Slide> slides_;
};

}  // namespace nb::render
