// Presenter: draws frames of a Show with an SDL_Renderer: the slides (from
// its SlideCache), the header band, the Ticker and notices.
//
// Contract:
// - Each slide is laid out and rendered once into a target texture
//   (Prepare); a frame is a few texture copies (a crossfade blends the
//   outgoing slide over the incoming one, so every pixel is a mix of two
//   complete slides and no frame is blank) plus the chrome: header band with
//   name and clock, ticker, notice (in the strip between the slide's text
//   and the ticker: slide_layout.h).
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
// - An urgent notice (Show::alerts()) is drawn over everything but the
//   ticker (render/alert_layout.h): blended over the slides while it fades
//   in or out, alone once it covers the screen (then neither slides nor the
//   header are drawn, and only its glyphs and the ticker's are kept ready).
// - DrawChanges() draws only what differs from the last frame this
//   Presenter drew into the same target, which must still hold it (the
//   software renderer's window surface does): the ticker band, the header
//   when the clock's minute turns, the place of a notice that came, went or
//   changed, and during a crossfade between two item slides on the same
//   background the two slides' areas. Each of those rectangles is drawn as
//   the whole frame would be, under a clip, so its pixels are the whole
//   frame's. Anything else (a cut, a change to or from the idle slide, an
//   alert coming, fading or going, a new size) draws the whole frame.
//   Draw() always draws the whole frame.
// - Belongs to the thread that owns the renderer.
#pragma once

#include <SDL.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "render/glyph_atlas.h"
#include "render/show.h"
#include "render/slide_cache.h"
#include "render/slide_layout.h"
#include "render/theme.h"
#include "render/ticker.h"
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
  Presenter(SDL_Renderer* renderer, text::TextEngine& engine, GlyphAtlas& atlas, const Theme& theme,
            const Clock& clock);
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
  // Draws only what changed since the last frame (see above); returns the
  // rectangles drawn (the whole frame's one, or none when nothing changed).
  std::vector<SDL_Rect> DrawChanges(const Show& show);
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
  using CachedSlide = SlideCache::Slide;
  // Which alert layout is on screen: the alert (by id, in a snapshot of the
  // active set), its place among them and the day its times are read in.
  struct AlertKey {
    std::string id;
    std::uint64_t generation = 0;
    int position = 0, count = 0, day = -1;
    bool operator==(const AlertKey&) const = default;
  };
  // What a frame shows apart from the ticker's scrolling: two frames with
  // equal ones differ only in the ticker band, the header's clock and the
  // notice's place.
  struct Shown {
    bool valid = false;
    bool still = true;  // no crossfade, no alert fading
    int width = 0, height = 0;
    bool covering = false;  // an alert covers the slides
    AlertKey alert_key;
    SlideRef slide;
    std::optional<SlideRef> outgoing;  // during a crossfade
    int idle_minute = -1;              // the idle slide's clock is part of its picture
    std::string name;
    int clock_minute = -1;
    std::string notice;
    NoticeKind notice_kind = NoticeKind::kSuccess;
    SDL_Rect notice_rect{};  // empty: no notice
  };
  Shown ShownBy(const Show& show);
  void DrawFrame(const Show& show);
  // Lays out the show's notice when it changed.
  void UpdateNotice(const Show& show);
  // The slide laid out with its glyphs in the atlas (no texture yet).
  CachedSlide* EntryFor(const SlideRef& slide, const std::vector<const SlideRef*>& keep);
  void DrawText(const PlacedText& t, float alpha);
  void FillRect(const RectF& r, std::uint32_t rgba, float alpha);
  void DrawChrome(const Show& show, float alpha);
  // The alert layer over what is drawn, at `alpha`.
  void DrawAlert(const Show& show, float alpha);
  const SlideLayout& AlertLayout(const Show& show);
  int MinuteKey() const;
  static int MinuteKeyOf(const playlist::LocalDateTime& t);

  SDL_Renderer* renderer_;
  GlyphAtlas& atlas_;
  const Theme& theme_;
  const Clock& clock_;
  SlideLayouter layouter_;
  int width_ = 0, height_ = 0;
  SlideCache slides_;
  Ticker ticker_;

  // Chrome, laid out once per size / minute / playlist.
  std::string header_name_;
  PlacedText header_name_text_;
  int clock_minute_ = -1;
  PlacedText clock_text_;
  int next_clock_minute_ = -1;
  PlacedText next_clock_text_;
  bool quick_start_ = false;
  std::string notice_message_;
  NoticeKind notice_kind_ = NoticeKind::kSuccess;
  FilledRect notice_box_;
  PlacedText notice_text_;
  // The alert on screen, laid out once per alert, position, day and size.
  std::optional<AlertKey> alert_key_;  // none: no alert laid out
  SlideLayout alert_layout_;
  Shown shown_;  // by the last frame drawn
};

}  // namespace nb::render
