// OffscreenSlides: the slides of a playlist drawn without a display, by the
// same Show and Presenter as `play`, with SDL's software renderer on a memory
// surface. `noticeboard render` and the web console's preview draw with it.
//
// Contract:
// - Create() makes the surface, the renderer, a glyph atlas sized as play
//   sizes it for that picture (render::AtlasBudgetFor), the Show and the
//   Presenter at width x height. The layout is portrait when height > width,
//   as on a rotated screen (the picture is what the viewer sees; `play
//   --rotate` only turns it for the panel). The clock stands at `at`: it
//   decides what plays and what the header clock shows.
// - Slides last until the caller moves on. DrawSlides() draws each slide
//   playing at `at` once, in playlist order, each after its transition has
//   ended, or the idle slide when none plays; it hands each over read back as
//   RGBA, and stops early when the callback returns false.
// - Belongs to the thread that created it; `engine` and `theme` outlive it.
#pragma once

#include <SDL.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "base/manual_clock.h"
#include "render/glyph_atlas.h"
#include "render/png.h"
#include "render/presenter.h"
#include "render/show.h"

namespace nb::app {

// The renderer's current target as RGBA, opaque: the screen shows no alpha
// whatever the target's alpha channel holds (glyph edges leave it below 255).
// For render, the preview and the screenshot. False, with SDL's reason
// logged, when the target cannot be read.
bool ReadFrame(SDL_Renderer* renderer, render::Image* image);

class OffscreenSlides {
 public:
  // Null with *error set when SDL cannot make the surface or the renderer.
  static std::unique_ptr<OffscreenSlides> Create(text::TextEngine& engine,
                                                 const render::Theme& theme,
                                                 std::shared_ptr<const playlist::Playlist> playlist,
                                                 std::chrono::system_clock::time_point at,
                                                 int width, int height, std::string* error);
  ~OffscreenSlides();
  OffscreenSlides(const OffscreenSlides&) = delete;
  OffscreenSlides& operator=(const OffscreenSlides&) = delete;

  // How many slides DrawSlides() draws.
  std::size_t slide_count() const;
  using SlideSink = std::function<bool(render::Image image, const render::SlideRef& slide)>;
  void DrawSlides(const SlideSink& sink);

  // For drawing frames of a transition (render --frames transition).
  SDL_Renderer* renderer() { return renderer_; }
  ManualClock& clock() { return clock_; }
  render::Show& show() { return *show_; }
  render::Presenter& presenter() { return *presenter_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  OffscreenSlides(std::chrono::system_clock::time_point at, int width, int height);

  int width_, height_;
  ManualClock clock_;
  SDL_Surface* surface_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  // Destroyed before the renderer (members go in reverse order).
  std::unique_ptr<render::GlyphAtlas> atlas_;
  std::unique_ptr<render::Show> show_;
  std::unique_ptr<render::Presenter> presenter_;
};

}  // namespace nb::app
