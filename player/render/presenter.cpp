#include "render/presenter.h"

#include <malloc.h>

#include <algorithm>
#include <cmath>

#include "base/log.h"
#include "playlist/schedule.h"

namespace nb::render {
namespace {

std::uint32_t WithAlpha(std::uint32_t rgba, float alpha) {
  std::uint32_t a = static_cast<std::uint32_t>(std::lround((rgba & 0xFF) * alpha));
  return (rgba & 0xFFFFFF00u) | std::min<std::uint32_t>(a, 255);
}

float Smooth(float t) { return t * t * (3.f - 2.f * t); }

// Rows of plain background below a slide's bands in its texture: a fade
// copies them over the rows between bands, this many at a time.
constexpr int kBackgroundRows = 16;

// The rectangles covering a minus b (at most four).
std::vector<SDL_Rect> Difference(const SDL_Rect& a, const SDL_Rect& b) {
  SDL_Rect i;
  if (!SDL_IntersectRect(&a, &b, &i)) return {a};
  std::vector<SDL_Rect> out;
  if (i.y > a.y) out.push_back({a.x, a.y, a.w, i.y - a.y});
  if (i.y + i.h < a.y + a.h) out.push_back({a.x, i.y + i.h, a.w, a.y + a.h - i.y - i.h});
  if (i.x > a.x) out.push_back({a.x, i.y, i.x - a.x, i.h});
  if (i.x + i.w < a.x + a.w) out.push_back({i.x + i.w, i.y, a.x + a.w - i.x - i.w, i.h});
  return out;
}

void SetDrawColor(SDL_Renderer* r, std::uint32_t rgba, Uint8 alpha) {
  SDL_SetRenderDrawColor(r, rgba >> 24, (rgba >> 16) & 0xFF, (rgba >> 8) & 0xFF, alpha);
}

float EmTop(const text::Layout& l) {
  return l.lines.empty() ? 0.f : l.lines.front().baseline - std::fabs(l.ascent);
}

}  // namespace

AtlasBudget AtlasBudgetFor(const Theme& theme, int width, int height) {
  // The idle clock is 0.2 of the composition's unit (see LayOutIdle): up to
  // 1200 px that fits a 256 px page with its padding.
  const int unit = width > height ? height : width;
  AtlasBudget b;
  b.page_size = unit <= 1200 ? 256 : 512;
  // Glyph area goes with the square of the text size: 4 MB for the default
  // theme's largest summary text at 1080p landscape (0.054 * 1080 px).
  const double body = theme.For(width, height).summary_max * height;
  const double scale = (body / (0.054 * 1080)) * (body / (0.054 * 1080));
  const double bytes = std::max(2.0, 4.0 * scale) * 1024 * 1024;
  b.max_pages = std::max(4, static_cast<int>(std::ceil(bytes / (4.0 * b.page_size * b.page_size))));
  return b;
}

Presenter::Presenter(SDL_Renderer* renderer, text::TextEngine& engine, GlyphAtlas& atlas,
                     const Theme& theme, const Clock& clock)
    : renderer_(renderer),
      engine_(engine),
      atlas_(atlas),
      theme_(theme),
      clock_(clock),
      layouter_(engine, theme),
      epoch_(clock.MonotonicNow()) {}

Presenter::~Presenter() {
  for (CachedSlide& c : cache_) {
    if (c.texture) SDL_DestroyTexture(c.texture);
  }
}

void Presenter::SetSize(int width, int height) {
  if (width == width_ && height == height_) return;
  width_ = width;
  height_ = height;
  for (CachedSlide& c : cache_) {
    if (c.texture) SDL_DestroyTexture(c.texture);
  }
  cache_.clear();
  header_name_.clear();
  clock_minute_ = -1;
  next_clock_minute_ = -1;
  ticker_playlist_ = nullptr;
  ticker_label_w_ = 0;
  notice_message_.clear();
}

void Presenter::RendererReset() {
  for (CachedSlide& c : cache_) {
    if (c.texture) SDL_DestroyTexture(c.texture);
    c.texture = nullptr;
  }
  atlas_.Invalidate();
}

std::string Presenter::NameFor(const playlist::Playlist& playlist) const {
  return theme_.name.empty() ? playlist.title : theme_.name;
}

SDL_Rect Presenter::ToPixels(const RectF& r) const {
  int x0 = std::clamp(static_cast<int>(std::floor(r.x)), 0, width_);
  int y0 = std::clamp(static_cast<int>(std::floor(r.y)), 0, height_);
  int x1 = std::clamp(static_cast<int>(std::ceil(r.x + r.w)), x0 + 1, std::max(width_, x0 + 1));
  int y1 = std::clamp(static_cast<int>(std::ceil(r.y + r.h)), y0 + 1, std::max(height_, y0 + 1));
  return {x0, y0, x1 - x0, y1 - y0};
}

int Presenter::MinuteKey() const {
  return MinuteKeyOf(playlist::ToLocalDateTime(clock_.WallNow()));
}

int Presenter::MinuteKeyOf(const playlist::LocalDateTime& t) {
  return ((t.year * 13 + t.month) * 32 + t.day) * 1440 + t.hour * 60 + t.minute;
}

TimePoint Presenter::NextClockChange() const {
  auto wall = clock_.WallNow();
  auto since_epoch = wall.time_since_epoch();
  auto into_minute = since_epoch % std::chrono::minutes(1);
  auto left = std::chrono::minutes(1) - into_minute;
  return clock_.MonotonicNow() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(left);
}

SlideLayout Presenter::LayOut(const SlideRef& slide) {
  if (slide.idle()) {
    return layouter_.LayOutIdle(NameFor(*slide.playlist),
                                playlist::ToLocalDateTime(clock_.WallNow()), width_, height_);
  }
  return layouter_.LayOutItem(*slide.item(), slide.playlist->title, slide.position, slide.count,
                              width_, height_);
}

Presenter::CachedSlide* Presenter::EntryFor(const SlideRef& slide,
                                            const std::vector<const SlideRef*>& keep) {
  int minute = slide.idle() ? MinuteKey() : -1;
  for (CachedSlide& c : cache_) {
    if (c.ref == slide && c.minute == minute) return &c;
  }
  // Evict what is not needed now (at most outgoing, current, upcoming stay).
  std::erase_if(cache_, [&](CachedSlide& c) {
    bool needed = false;
    for (const SlideRef* k : keep)
      needed = needed || (c.ref == *k && c.minute == (k->idle() ? minute : -1));
    if (!needed && c.texture) SDL_DestroyTexture(c.texture);
    return !needed;
  });

  auto started = std::chrono::steady_clock::now();
  CachedSlide entry;
  entry.ref = slide;
  entry.minute = minute;
  entry.layout = LayOut(slide);
  auto laid_out = std::chrono::steady_clock::now();
  if (entry.layout.truncated && slide.item()) {
    LogDebug("summary of item " + slide.item()->id + " cut to fit the screen");
  }
  // Only the part that differs from the plain background is kept (memory).
  entry.area = ToPixels(entry.layout.content);
  entry.background = entry.layout.background;
  for (const PlacedText& t : entry.layout.texts) atlas_.Prepare(t.layout);
  entry.bands = InkBands(entry);
  auto ms = [](auto d) {
    return std::to_string(std::chrono::duration<double, std::milli>(d).count());
  };
  LogDebug("slide " + (slide.idle() ? std::string("idle") : slide.item()->id) + ": laid out in " +
           ms(laid_out - started) + " ms, glyphs in " +
           ms(std::chrono::steady_clock::now() - laid_out) + " ms");
  cache_.push_back(std::move(entry));
  return &cache_.back();
}

bool Presenter::EnsureTexture(CachedSlide* slide) {
  if (slide->texture) return true;
  for (CachedSlide& c : cache_) {
    if (c.texture) SDL_DestroyTexture(c.texture);
    c.texture = nullptr;
  }
#ifdef __GLIBC__
  malloc_trim(0);  // give the freed texture's pages back before the new one is made
#endif
  auto started = std::chrono::steady_clock::now();
  const SDL_Rect& area = slide->area;
  const SlideLayout& layout = slide->layout;
  for (const PlacedText& t : layout.texts) atlas_.Prepare(t.layout);
  int texture_h = 0;
  for (const CachedSlide::Band& b : slide->bands) texture_h += b.h;
  // Opaque (no alpha channel): SDL's software renderer then blends a whole
  // texture with one alpha value on a much faster path.
  SDL_Texture* texture =
      SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_TARGET, area.w,
                        texture_h + kBackgroundRows);
  if (!texture) {
    LogError(std::string("cannot create a slide texture: ") + SDL_GetError());
    return false;
  }
  SDL_Texture* previous_target = SDL_GetRenderTarget(renderer_);
  SDL_SetRenderTarget(renderer_, texture);
  SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
  std::uint32_t bg = layout.background;
  SDL_SetRenderDrawColor(renderer_, bg >> 24, (bg >> 16) & 0xFF, (bg >> 8) & 0xFF, 0xFF);
  SDL_RenderClear(renderer_);
  // Each band is the slide drawn moved up by whole pixels to its place in
  // the texture, clipped to the band.
  for (const CachedSlide::Band& band : slide->bands) {
    SDL_Rect clip{0, band.texture_y, area.w, band.h};
    SDL_RenderSetClipRect(renderer_, &clip);
    float dx = static_cast<float>(area.x), dy = static_cast<float>(band.y - band.texture_y);
    for (const FilledRect& r : layout.rects) {
      FillRect({r.rect.x - dx, r.rect.y - dy, r.rect.w, r.rect.h}, r.rgba, 1.f);
    }
    for (const PlacedText& t : layout.texts) {
      atlas_.Draw(t.layout, t.x - dx, t.y - dy, t.rgba);
    }
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
  SDL_SetRenderTarget(renderer_, previous_target);
  LogDebug("slide " + (slide->ref.idle() ? std::string("idle") : slide->ref.item()->id) +
           ": texture " + std::to_string(area.w) + "x" + std::to_string(texture_h) + " (" +
           std::to_string(slide->bands.size()) + " bands of " + std::to_string(area.h) +
           " rows) drawn in " +
           std::to_string(
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                   .count()) +
           " ms");
  slide->texture = texture;
  slide->background_row = texture_h;  // cleared to the background, drawn on by no band
  return true;
}

std::vector<Presenter::CachedSlide::Band> Presenter::InkBands(const CachedSlide& slide) {
  std::vector<std::pair<int, int>> rows;
  for (const FilledRect& r : slide.layout.rects) {
    SDL_Rect p = ToPixels(r.rect);
    rows.emplace_back(p.y, p.y + p.h);
  }
  for (const PlacedText& t : slide.layout.texts) atlas_.InkRows(t.layout, t.x, t.y, &rows);
  std::sort(rows.begin(), rows.end());
  // Bands closer than this are joined: fewer copies per frame for a few
  // rows of memory.
  constexpr int kJoin = 4;
  const int top = slide.area.y, bottom = slide.area.y + slide.area.h;
  std::vector<CachedSlide::Band> bands;
  int texture_y = 0;
  for (std::size_t i = 0; i < rows.size();) {
    int first = rows[i].first, end = rows[i].second;
    for (++i; i < rows.size() && rows[i].first <= end + kJoin; ++i)
      end = std::max(end, rows[i].second);
    first = std::max(first, top);
    end = std::min(end, bottom);
    if (end <= first) continue;
    bands.push_back({first, end - first, texture_y});
    texture_y += end - first;
  }
  return bands;
}

int Presenter::TextureRows() const {
  int rows = 0;
  for (const CachedSlide& c : cache_) {
    if (!c.texture) continue;
    for (const CachedSlide::Band& b : c.bands) rows += b.h;
  }
  return rows;
}

void Presenter::CopyBands(const CachedSlide& slide) {
  for (const CachedSlide::Band& b : slide.bands) {
    SDL_Rect src{0, b.texture_y, slide.area.w, b.h};
    SDL_Rect dst{slide.area.x, b.y, slide.area.w, b.h};
    SDL_RenderCopy(renderer_, slide.texture, &src, &dst);
  }
}

void Presenter::DrawSlideDirect(const CachedSlide& slide) {
  // The same operations as EnsureTexture, clipped to the same area; the
  // caller has cleared the target to the slide's background.
  SDL_RenderSetClipRect(renderer_, &slide.area);
  for (const FilledRect& r : slide.layout.rects) FillRect(r.rect, r.rgba, 1.f);
  for (const PlacedText& t : slide.layout.texts) atlas_.Draw(t.layout, t.x, t.y, t.rgba);
  SDL_RenderSetClipRect(renderer_, nullptr);
}

void Presenter::Prepare(const SlideRef& slide) { EnsureTexture(EntryFor(slide, {&slide})); }

void Presenter::PrepareUpcoming(const Show& show) {
  SlideRef upcoming = show.Upcoming();
  std::vector<const SlideRef*> keep{&show.current(), &upcoming};
  if (show.outgoing()) keep.push_back(&*show.outgoing());
  // A slide first drawn straight into the frame (the first frame, after a
  // resize) gets its texture now, so that the frames of the ticker copy it.
  if (!show.outgoing()) EnsureTexture(EntryFor(show.current(), keep));
  if (quick_start_) {
    quick_start_ = false;
    if (theme_.ticker && TickerStale(show)) RebuildTicker(show);
  }
  PrepareTickerAhead(show);
  // Glyphs the ticker brought in may have emptied the page of one of the
  // upcoming slide's: looking them up again keeps them in (and recently used).
  const CachedSlide* next = EntryFor(upcoming, keep);
  for (const PlacedText& t : next->layout.texts) atlas_.Prepare(t.layout);
  // And the header's, drawn in every frame of a transition too.
  if (!header_name_.empty()) atlas_.Prepare(header_name_text_.layout);
  if (clock_minute_ >= 0) atlas_.Prepare(clock_text_.layout);
  if (ticker_label_w_ > 0) atlas_.Prepare(ticker_label_.layout);
  if (theme_.clock) {
    // The next minute's clock, ready in case the minute turns mid-transition.
    auto wall = clock_.WallNow();
    auto into_minute = wall.time_since_epoch() % std::chrono::minutes(1);
    playlist::LocalDateTime next_minute =
        playlist::ToLocalDateTime(wall - into_minute + std::chrono::minutes(1));
    if (MinuteKeyOf(next_minute) != next_clock_minute_) {
      next_clock_minute_ = MinuteKeyOf(next_minute);
      next_clock_text_ = layouter_.LayOutHeaderClock(next_minute, width_, height_);
    }
    atlas_.Prepare(next_clock_text_.layout);
  }
}

void Presenter::PrepareTickerAhead(const Show& show) {
  if (!theme_.ticker || quick_start_ || !show.playlist()) return;
  if (TickerStale(show)) RebuildTicker(show);
  ChromeGeometry g = layouter_.Chrome(width_, height_);
  const float speed = theme_.ticker_speed * static_cast<float>(height_);  // px per second
  const double t = std::chrono::duration<double>(clock_.MonotonicNow() - epoch_).count();
  const double travelled = t * speed;
  // Long enough for a whole transition starting with the next frame.
  const double ahead = speed * (show.playlist()->transition.ms / 1000.0 + 1.0);
  if (ticker_next_ < ticker_items_.size()) {
    ExtendTicker(show, static_cast<float>(travelled + g.ticker.w + ahead));
  }
  if (ticker_.empty() || ticker_length_ <= 0) return;
  const bool complete = ticker_next_ >= ticker_items_.size();
  const double from =
      complete ? std::fmod(travelled, static_cast<double>(ticker_length_)) : travelled;
  const double to = from + g.ticker.w + ahead;
  for (const TickerEntry& e : ticker_) {  // (a label's width of slack on the left)
    for (double x : {static_cast<double>(e.x), static_cast<double>(e.x) + ticker_length_}) {
      if (x + e.layout.width + ticker_label_w_ >= from && x <= to) {
        atlas_.Prepare(e.layout);
        break;
      }
    }
  }
}

void Presenter::FillRect(const RectF& r, std::uint32_t rgba, float alpha) {
  std::uint32_t c = WithAlpha(rgba, alpha);
  SDL_SetRenderDrawBlendMode(renderer_,
                             (c & 0xFF) == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
  SDL_SetRenderDrawColor(renderer_, c >> 24, (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
  SDL_FRect fr{r.x, r.y, r.w, r.h};
  SDL_RenderFillRectF(renderer_, &fr);
}

void Presenter::DrawText(const PlacedText& t, float alpha) {
  atlas_.Draw(t.layout, t.x, t.y, WithAlpha(t.rgba, alpha));
}

bool Presenter::Animating(const Show& show) const {
  if (show.transitioning()) return true;
  return theme_.ticker && !show.current().idle() && !show.playing().empty();
}

void Presenter::RebuildTicker(const Show& show) {
  auto started = std::chrono::steady_clock::now();
  ticker_playlist_ = show.playlist().get();
  ticker_items_ = show.playing();
  ticker_.clear();
  ticker_length_ = 0;
  ticker_next_ = 0;
  ChromeGeometry g = layouter_.Chrome(width_, height_);
  ticker_marker_ = layouter_.LayOutTickerText(theme_.ticker_marker, width_, height_);
  atlas_.Prepare(ticker_marker_);
  // Only what fills the band now; the rest is laid out as it scrolls in.
  ExtendTicker(show, g.ticker.w);
  LayOutTickerLabel();
  LogDebug("ticker: " + std::to_string(ticker_next_) + " headlines laid out in " +
           std::to_string(
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                   .count()) +
           " ms");
}

void Presenter::LayOutTickerLabel() {
  if (ticker_label_w_ > 0) return;  // laid out for this size already
  ChromeGeometry g = layouter_.Chrome(width_, height_);
  const Proportions& p = theme_.For(width_, height_);
  float em = std::round(p.ticker_text * height_);
  // The label at the left of the band.
  text::Style st;
  st.role = text::FontRole::kHeadline;
  st.size_px = em;
  st.box_width = 1e6f;
  st.max_lines = 1;
  ticker_label_.layout = engine_.LayOut("要闻", st);
  atlas_.Prepare(ticker_label_.layout);
  float pad = std::round(em * 0.8f);
  ticker_label_w_ = std::round(ticker_label_.layout.width + 2 * pad);
  ticker_label_.x = pad;
  float cy = g.ticker.y + g.ticker.h / 2;
  ticker_label_.y =
      cy - (std::fabs(ticker_label_.layout.ascent) + std::fabs(ticker_label_.layout.descent)) / 2 -
      EmTop(ticker_label_.layout);
  ticker_label_.rgba = theme_.colors.header_text;
}

void Presenter::ExtendTicker(const Show& show, float upto) {
  const Proportions& p = theme_.For(width_, height_);
  float gap = std::round(std::round(p.ticker_text * height_) * 1.2f);
  while (ticker_next_ < ticker_items_.size() && ticker_length_ < upto) {
    const std::string& title = show.playlist()->items[ticker_items_[ticker_next_++]].title;
    TickerEntry entry{layouter_.LayOutTickerText(title, width_, height_), ticker_length_, false};
    atlas_.Prepare(entry.layout);
    ticker_length_ += entry.layout.width + gap;
    ticker_.push_back(std::move(entry));
    ticker_.push_back({ticker_marker_, ticker_length_, true});
    ticker_length_ += ticker_marker_.width + gap;
  }
}

bool Presenter::TickerStale(const Show& show) const {
  return ticker_playlist_ != show.playlist().get() || ticker_items_ != show.playing();
}

void Presenter::DrawTicker(const Show& show, const RectF& band, float alpha) {
  if (quick_start_ && TickerStale(show)) {
    // The first frame: the band and its label; the headlines follow a frame later.
    FillRect(band, theme_.colors.ticker_background, alpha);
    LayOutTickerLabel();
    FillRect({band.x, band.y, ticker_label_w_, band.h}, theme_.colors.accent, alpha);
    DrawText(ticker_label_, alpha);
    return;
  }
  if (TickerStale(show)) RebuildTicker(show);
  FillRect(band, theme_.colors.ticker_background, alpha);
  if (ticker_.empty() || ticker_length_ <= 0) return;
  const Proportions& p = theme_.For(width_, height_);
  float speed = theme_.ticker_speed * static_cast<float>(height_);  // px per second
  double t = std::chrono::duration<double>(clock_.MonotonicNow() - epoch_).count();
  double travelled = t * speed;
  bool complete = ticker_next_ >= ticker_items_.size();
  if (!complete) {
    ExtendTicker(show, static_cast<float>(travelled) + band.w);
    complete = ticker_next_ >= ticker_items_.size();
  }
  // Until every headline is laid out the text has not wrapped yet.
  float offset = complete
                     ? static_cast<float>(std::fmod(travelled, static_cast<double>(ticker_length_)))
                     : static_cast<float>(travelled);
  float left = band.x + ticker_label_w_;
  SDL_Rect clip{static_cast<int>(left), static_cast<int>(band.y),
                static_cast<int>(band.w - ticker_label_w_), static_cast<int>(band.h)};
  SDL_RenderSetClipRect(renderer_, &clip);
  const text::Layout& first = ticker_.front().layout;
  float em_h = std::fabs(first.ascent) + std::fabs(first.descent);
  (void)p;
  // Start the text just off the right edge, so a new playlist scrolls in.
  float start = left + std::round(0.5f * em_h);
  for (float base = start - offset; base < band.x + band.w;
       base += complete ? ticker_length_ : 1e9f) {
    for (const TickerEntry& e : ticker_) {
      float x = base + e.x;
      if (x > band.x + band.w || x + e.layout.width < left) continue;
      float cy = band.y + band.h / 2;
      float y = cy - em_h / 2 - EmTop(e.layout);
      atlas_.Draw(
          e.layout, x, y,
          WithAlpha(e.marker ? theme_.colors.ticker_marker : theme_.colors.ticker_text, alpha));
    }
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
  // The label sits over the start of the band, with a thin accent edge.
  FillRect({band.x, band.y, ticker_label_w_, band.h}, theme_.colors.accent, alpha);
  DrawText(ticker_label_, alpha);
}

void Presenter::DrawChrome(const Show& show, float alpha) {
  ChromeGeometry g = layouter_.Chrome(width_, height_);
  std::string name = NameFor(*show.playlist());
  if (name != header_name_) {
    header_name_ = name;
    header_name_text_ = layouter_.LayOutHeaderName(name, width_, height_);
    atlas_.Prepare(header_name_text_.layout);
  }
  FillRect(g.header, theme_.colors.header_background, alpha);
  // A thin accent line under the header band.
  FillRect({0, g.header.h - std::max(2.f, std::round(0.004f * height_)), g.header.w,
            std::max(2.f, std::round(0.004f * height_))},
           theme_.colors.accent, alpha);
  DrawText(header_name_text_, alpha);
  if (theme_.clock) {
    int minute = MinuteKey();
    if (minute != clock_minute_) {
      clock_minute_ = minute;
      clock_text_ = minute == next_clock_minute_
                        ? next_clock_text_
                        : layouter_.LayOutHeaderClock(playlist::ToLocalDateTime(clock_.WallNow()),
                                                      width_, height_);
      atlas_.Prepare(clock_text_.layout);
    }
    DrawText(clock_text_, alpha);
  }
  if (theme_.ticker) DrawTicker(show, g.ticker, alpha);
}

void Presenter::Draw(const Show& show) {
  std::vector<const SlideRef*> keep{&show.current()};
  if (show.outgoing()) keep.push_back(&*show.outgoing());
  CachedSlide* current = EntryFor(show.current(), keep);
  // Looked up after `current`, so eviction cannot touch it (both are in keep);
  // entries live in a vector, so `current` is looked up again after.
  CachedSlide* outgoing = show.outgoing() ? EntryFor(*show.outgoing(), keep) : nullptr;
  if (outgoing) current = EntryFor(show.current(), keep);
  // The one slide texture belongs to the slide that was on screen before
  // the transition: during a crossfade the incoming slide is drawn straight
  // into the frame and the outgoing one blended over it from its texture, so
  // the outgoing slide's glyphs need not stay in the atlas. A slide without
  // a texture (the incoming one, the first frame, after a resize) is drawn
  // straight; PrepareUpcoming() gives it its texture after the present.
  if (outgoing && !EnsureTexture(outgoing)) outgoing = nullptr;
  float mix = outgoing ? Smooth(show.mix()) : 1.f;

  // The screen is the background plus each slide's content area. A
  // crossfade is exact: every pixel is outgoing * (1 - mix) + incoming * mix,
  // with the plain background standing in outside a slide's area.
  // Draws into whatever target the caller set (the screen, or a texture
  // that `play --rotate` turns).
  SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
  SetDrawColor(renderer_, current->background, 0xFF);
  SDL_RenderClear(renderer_);
  if (current->texture) {
    SDL_SetTextureBlendMode(current->texture, SDL_BLENDMODE_NONE);
    CopyBands(*current);
  } else {
    DrawSlideDirect(*current);
  }
  if (outgoing) {
    Uint8 alpha = static_cast<Uint8>(255 - std::lround(mix * 255.f));
    // Where the outgoing slide is plain background it fades out as that
    // background: over its area and the incoming one's (or everywhere if the
    // backgrounds differ), less its bands, which come from its texture. In
    // its area that background comes from the texture too (its background
    // rows): blending rounds the same way there as in the bands,
    // so the fade shows no stripes a level apart.
    std::vector<SDL_Rect> fade;
    const SDL_Rect& area = outgoing->area;
    if (outgoing->background == current->background) {
      fade.push_back(area);
      for (const SDL_Rect& r : Difference(current->area, area)) fade.push_back(r);
    } else {
      fade.push_back({0, 0, width_, height_});
    }
    for (const CachedSlide::Band& b : outgoing->bands) {
      const SDL_Rect cut{area.x, b.y, area.w, b.h};
      std::vector<SDL_Rect> rest;
      for (const SDL_Rect& r : fade) {
        for (const SDL_Rect& d : Difference(r, cut)) rest.push_back(d);
      }
      fade = std::move(rest);
    }
    SDL_SetTextureBlendMode(outgoing->texture, SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(outgoing->texture, alpha);
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
    SetDrawColor(renderer_, outgoing->background, alpha);
    for (const SDL_Rect& r : fade) {
      SDL_Rect inside;
      if (SDL_IntersectRect(&r, &area, &inside)) {
        for (int y = inside.y; y < inside.y + inside.h; y += kBackgroundRows) {
          const int rows = std::min(kBackgroundRows, inside.y + inside.h - y);
          SDL_Rect src{inside.x - area.x, outgoing->background_row, inside.w, rows};
          SDL_Rect dst{inside.x, y, inside.w, rows};
          SDL_RenderCopy(renderer_, outgoing->texture, &src, &dst);
        }
        for (const SDL_Rect& d : Difference(r, inside)) SDL_RenderFillRect(renderer_, &d);
      } else {
        SDL_RenderFillRect(renderer_, &r);
      }
    }
    CopyBands(*outgoing);
    SDL_SetTextureAlphaMod(outgoing->texture, 255);
  }

  // The chrome belongs to item slides; it fades with a change to or from idle.
  float chrome = show.current().idle() ? 0.f : 1.f;
  if (show.outgoing()) {
    float from = show.outgoing()->idle() ? 0.f : 1.f;
    chrome = from + (chrome - from) * mix;
  }
  if (chrome > 0.f) DrawChrome(show, chrome);

  if (show.notice().empty()) {
    notice_message_.clear();
  } else {
    if (show.notice() != notice_message_) {
      notice_message_ = show.notice();
      layouter_.LayOutNotice(notice_message_, width_, height_, &notice_box_, &notice_text_);
      atlas_.Prepare(notice_text_.layout);
    }
    FillRect(notice_box_.rect, notice_box_.rgba, 1.f);
    DrawText(notice_text_, 1.f);
  }
}

}  // namespace nb::render
