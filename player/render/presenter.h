// Presenter: draws frames of a Show with an SDL_Renderer.
//
// Contract:
// - Each slide is laid out and rendered once into a target texture
//   (Prepare); a frame is a few texture copies (a crossfade blends the
//   outgoing slide over the incoming one, so every pixel is a mix of two
//   complete slides and no frame is blank) plus the chrome: header band with
//   name and clock, ticker, notice.
// - Prepare() of the upcoming slide lays it out and puts its glyphs in the
//   atlas ahead of time, so a frame is never half-drawn. A slide without a
//   texture yet (the first frame, after a resize, the incoming slide of a
//   crossfade) is drawn straight into the frame, pixel for pixel as its
//   texture would look, and gets its texture in PrepareUpcoming() after the
//   present.
// - The ticker moves at a constant speed in pixels per second with
//   sub-pixel positions, driven by the monotonic clock.
// - Layouts of at most three slides are kept (outgoing, current, upcoming),
//   but only one slide texture: the slide on screen before a transition. It
//   holds only the bands of rows with ink (text lines, rules) stacked one
//   above the other; the rest of the slide is plain background (at most
//   ~3 MB at 1080p instead of ~6 MB for the whole content area). During a
//   crossfade the incoming slide is drawn straight and the outgoing one
//   blended over it from that texture, so the atlas needs the glyphs of one
//   slide, not two.
// - Belongs to the thread that owns the renderer.
#pragma once

#include <SDL.h>

#include <memory>
#include <string>
#include <vector>

#include "base/env.h"
#include "render/glyph_atlas.h"
#include "render/show.h"
#include "render/slide_layout.h"
#include "render/theme.h"
#include "text/text.h"

namespace nb::render {

// Glyph atlas pages for a screen of this size: room for one slide's glyphs
// and the ticker's (4 MB at 1920x1080 with the default theme, in proportion
// to the area of the theme's text at that size, at least 2 MB), in pages
// small enough to be emptied finely and large enough for the largest glyph
// (the idle slide's clock).
struct AtlasBudget {
  int page_size = 256;
  int max_pages = 16;
};
AtlasBudget AtlasBudgetFor(const Theme& theme, int width, int height);

class Presenter {
 public:
  Presenter(SDL_Renderer* renderer, text::TextEngine& engine, GlyphAtlas& atlas,
            const Theme& theme, const Clock& clock);
  ~Presenter();
  Presenter(const Presenter&) = delete;
  Presenter& operator=(const Presenter&) = delete;

  // The output size in pixels; a change drops all cached slides.
  void SetSize(int width, int height);
  int width() const { return width_; }
  // The renderer lost its textures (SDL_RENDER_TARGETS_RESET/DEVICE_RESET):
  // drops the slide textures and the glyph atlas; both come back on demand.
  void RendererReset();
  int height() const { return height_; }

  // Lays out the slide, prepares its glyphs and renders it into its texture.
  void Prepare(const SlideRef& slide);
  // Prepares the show's upcoming slide, keeping the ones on screen, and
  // gives the current slide its texture if it was drawn without one.
  void PrepareUpcoming(const Show& show);
  // Draws the whole frame into the renderer's current target (does not present).
  void Draw(const Show& show);
  // The next frame is play's first: it leaves out what can come a frame
  // later (the ticker's headlines, laid out by the next PrepareUpcoming()).
  void SetQuickStart() { quick_start_ = true; }
  // Whether the picture changes on its own every frame (ticker, transition).
  bool Animating(const Show& show) const;
  // When the clock on screen next changes (the next minute), monotonic.
  TimePoint NextClockChange() const;

  // Rows of slide texture held now (at most one slide's; for tests and
  // benchmarks): each row is as wide as the slide's content area.
  int TextureRows() const;

  // The laid-out slide (for tests), laying it out if needed.
  SlideLayout LayOut(const SlideRef& slide);
  // The header name: the theme's name when set, else the bulletin's.
  std::string NameFor(const playlist::Playlist& playlist) const;

 private:
  struct CachedSlide {
    SlideRef ref;
    int minute = -1;  // for the idle slide, whose clock is part of the picture
    SlideLayout layout;
    SDL_Texture* texture = nullptr;  // at most one slide has one (memory)
    SDL_Rect area{};                 // where the slide differs from its plain background
    // Rows [y, y + h) of the area with ink, stacked in the texture at texture_y.
    struct Band {
      int y = 0, h = 0, texture_y = 0;
    };
    std::vector<Band> bands;
    // Rows of plain background below the bands in the texture: a fade blends
    // the whole area through the texture, so every row of it rounds alike.
    int background_row = 0;
    std::uint32_t background = 0;
  };
  struct TickerEntry {
    text::Layout layout;
    float x = 0;
    bool marker = false;
  };

  // The slide laid out with its glyphs in the atlas (no texture yet).
  CachedSlide* EntryFor(const SlideRef& slide, const std::vector<const SlideRef*>& keep);
  // Renders the slide into its texture, dropping any other slide's texture.
  bool EnsureTexture(CachedSlide* slide);
  // Draws the slide straight into the current target, exactly as its texture would look.
  void DrawSlideDirect(const CachedSlide& slide);
  // The bands of rows of the slide's area that hold ink.
  std::vector<CachedSlide::Band> InkBands(const CachedSlide& slide);
  // Copies the slide's bands from its texture to where they go on screen.
  void CopyBands(const CachedSlide& slide);
  void DrawText(const PlacedText& t, float alpha);
  void FillRect(const RectF& r, std::uint32_t rgba, float alpha);
  void DrawChrome(const Show& show, float alpha);
  void DrawTicker(const Show& show, const RectF& band, float alpha);
  bool TickerStale(const Show& show) const;
  // Lays out the ticker's headlines that scroll into view before the next
  // transition could end and puts their glyphs in the atlas, so that no
  // frame of a transition waits for FreeType.
  void PrepareTickerAhead(const Show& show);
  void RebuildTicker(const Show& show);
  void LayOutTickerLabel();
  void ExtendTicker(const Show& show, float upto);
  int MinuteKey() const;
  static int MinuteKeyOf(const playlist::LocalDateTime& t);
  SDL_Rect ToPixels(const RectF& r) const;

  SDL_Renderer* renderer_;
  text::TextEngine& engine_;
  GlyphAtlas& atlas_;
  const Theme& theme_;
  const Clock& clock_;
  SlideLayouter layouter_;
  int width_ = 0, height_ = 0;
  std::vector<CachedSlide> cache_;

  // Chrome, laid out once per size / minute / playlist.
  std::string header_name_;
  PlacedText header_name_text_;
  int clock_minute_ = -1;
  PlacedText clock_text_;
  int next_clock_minute_ = -1;
  PlacedText next_clock_text_;
  const playlist::Playlist* ticker_playlist_ = nullptr;
  std::vector<std::size_t> ticker_items_;
  std::vector<TickerEntry> ticker_;
  std::size_t ticker_next_ = 0;  // the next playing item to lay out
  text::Layout ticker_marker_;
  float ticker_length_ = 0;
  PlacedText ticker_label_;
  float ticker_label_w_ = 0;  // 0: the label is not laid out for this size
  bool quick_start_ = false;
  TimePoint epoch_;
  std::string notice_message_;
  FilledRect notice_box_;
  PlacedText notice_text_;
};

}  // namespace nb::render
