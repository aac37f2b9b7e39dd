// Ticker: the band of headlines that scrolls along the bottom of item slides,
// with its "要闻" label at the left.
//
// Contract:
// - The headlines of the items playing now scroll right to left at the
//   theme's speed (screen heights per second), with sub-pixel positions,
//   driven by the monotonic clock: where the text is depends only on the
//   time since the ticker began, never on the frame rate.
// - Headlines are laid out as they scroll into view; once all are laid out
//   the text wraps round. A new playlist or schedule starts it again, just
//   off the right edge.
// - While urgent notices are active (Show::alerts()) the band carries their
//   titles instead, under the label "通知", and starts again at each change
//   of the alerts.
// - PrepareAhead() lays out the headlines that scroll into view before a
//   transition starting with the next frame could end, and puts their glyphs
//   in the atlas, so that no frame of a transition waits for FreeType.
// - Belongs to the thread that owns the renderer.
#pragma once

#include <SDL.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/env.h"
#include "render/glyph_atlas.h"
#include "render/show.h"
#include "render/slide_layout.h"
#include "render/theme.h"

namespace nb::render {

class Ticker {
 public:
  Ticker(SDL_Renderer* renderer, GlyphAtlas& atlas, SlideLayouter& layouter,
         const Theme& theme, const Clock& clock);

  // A new output size: everything is laid out again.
  void SetSize(int width, int height);
  // Draws the band into the current target. `first_frame`: only the band and
  // its label (play's quick start: the headlines follow a frame later).
  void Draw(const Show& show, const RectF& band, float alpha, bool first_frame);
  void PrepareAhead(const Show& show);
  // Keeps the label's glyphs in the atlas (drawn in every frame).
  void KeepLabel();

 private:
  struct Entry {
    text::Layout layout;
    float x = 0;
    bool marker = false;
  };
  bool Stale(const Show& show) const;
  void Rebuild(const Show& show);
  void LayOutLabel();
  void Extend(float upto);
  // Pixels scrolled since the ticker began.
  double Travelled() const;
  // Where the text stands in its own coordinates after `travelled` pixels:
  // until every headline is laid out the text has not wrapped yet.
  double Offset(double travelled) const;
  bool Complete() const { return next_ >= titles_.size(); }
  // What the band carries now: the alerts' titles, else the headlines.
  bool AlertMode(const Show& show) const;

  SDL_Renderer* renderer_;
  GlyphAtlas& atlas_;
  SlideLayouter& layouter_;
  const Theme& theme_;
  const Clock& clock_;
  int width_ = 0, height_ = 0;
  TimePoint epoch_;
  const playlist::Playlist* playlist_ = nullptr;
  std::vector<std::size_t> items_;
  std::uint64_t alert_generation_ = 0;  // 0: headlines
  std::vector<std::string> titles_;
  std::vector<Entry> entries_;
  std::size_t next_ = 0;  // the next title to lay out
  text::Layout marker_;
  float length_ = 0;
  PlacedText label_;
  float label_w_ = 0;  // 0: the label is not laid out for this size
  bool label_alert_ = false;
};

}  // namespace nb::render
