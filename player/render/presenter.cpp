#include "render/presenter.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "base/log.h"
#include "playlist/schedule.h"
#include "render/alert_layout.h"
#include "render/draw_ops.h"

namespace nb::render {
namespace {

float Smooth(float t) { return t * t * (3.f - 2.f * t); }

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
      atlas_(atlas),
      theme_(theme),
      clock_(clock),
      layouter_(engine, theme),
      slides_(renderer, atlas, [this](const SlideRef& slide) { return LayOut(slide); }),
      ticker_(renderer, atlas, layouter_, theme, clock) {}

Presenter::~Presenter() = default;

void Presenter::SetSize(int width, int height) {
  if (width == width_ && height == height_) return;
  width_ = width;
  height_ = height;
  slides_.SetSize(width, height);
  ticker_.SetSize(width, height);
  header_name_.clear();
  clock_minute_ = -1;
  next_clock_minute_ = -1;
  notice_message_.clear();
  alert_key_.reset();
}

void Presenter::RendererReset() {
  slides_.DropTextures();
  atlas_.Invalidate();
}

std::string Presenter::NameFor(const playlist::Playlist& playlist) const {
  return theme_.name.empty() ? playlist.title : theme_.name;
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
  return slides_.Entry(slide, slide.idle() ? MinuteKey() : -1, keep);
}

int Presenter::TextureRows() const { return slides_.TextureRows(); }

void Presenter::Prepare(const SlideRef& slide) { slides_.EnsureTexture(EntryFor(slide, {&slide})); }

void Presenter::PrepareUpcoming(const Show& show) {
  if (show.alerts().active()) {
    // The slides wait under the alert: its glyphs and the ticker's stay.
    if (alert_key_) {
      for (const PlacedText& t : alert_layout_.texts) atlas_.Prepare(t.layout);
    }
    ticker_.PrepareAhead(show);
    ticker_.KeepLabel();
    return;
  }
  SlideRef upcoming = show.Upcoming();
  std::vector<const SlideRef*> keep{&show.current(), &upcoming};
  if (show.outgoing()) keep.push_back(&*show.outgoing());
  // A slide first drawn straight into the frame (the first frame, after a
  // resize) gets its texture now, so that the frames of the ticker copy it.
  if (!show.outgoing()) slides_.EnsureTexture(EntryFor(show.current(), keep));
  quick_start_ = false;  // the ticker's headlines are laid out now
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
  }
  // Everything a frame of the transition draws must be in the atlas at
  // once: the ticker's coming headlines, the upcoming slide, the header. A
  // page holds glyphs of several texts, so making room for one can evict
  // another's, prepared a moment before (a summary a pixel larger was
  // enough to leave glyphs to rasterize mid-fade): go over them all again
  // until a pass evicts nothing.
  for (int pass = 0; pass < 4; ++pass) {
    const std::uint64_t evictions = atlas_.evictions();
    ticker_.PrepareAhead(show);
    const CachedSlide* next = EntryFor(upcoming, keep);
    for (const PlacedText& t : next->layout.texts) atlas_.Prepare(t.layout);
    if (!header_name_.empty()) atlas_.Prepare(header_name_text_.layout);
    if (clock_minute_ >= 0) atlas_.Prepare(clock_text_.layout);
    ticker_.KeepLabel();
    if (theme_.clock) atlas_.Prepare(next_clock_text_.layout);
    if (atlas_.evictions() == evictions) break;
  }
}

void Presenter::FillRect(const RectF& r, std::uint32_t rgba, float alpha) {
  render::FillRect(renderer_, r, rgba, alpha);
}

void Presenter::DrawText(const PlacedText& t, float alpha) {
  atlas_.Draw(t.layout, t.x, t.y, WithAlpha(t.rgba, alpha));
}

bool Presenter::Animating(const Show& show) const {
  if (show.transitioning() || show.alerts().fading()) return true;
  if (show.alerts().active()) return theme_.ticker;
  return theme_.ticker && !show.current().idle() && !show.playing().empty();
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
  if (theme_.ticker) ticker_.Draw(show, g.ticker, alpha, quick_start_);
}

const SlideLayout& Presenter::AlertLayout(const Show& show) {
  const AlertShow& alerts = show.alerts();
  const alert::ActiveAlert& a = *alerts.current();
  playlist::LocalDateTime now = playlist::ToLocalDateTime(clock_.WallNow());
  AlertKey key{a.alert.id, alerts.generation(), alerts.position(), alerts.count(),
               MinuteKeyOf({now.year, now.month, now.day, 0, 0, 0})};
  if (key != alert_key_) {
    alert_key_ = std::move(key);
    alert_layout_ =
        LayOutAlert(layouter_, a, alerts.position(), alerts.count(), now, width_, height_);
    for (const PlacedText& t : alert_layout_.texts) atlas_.Prepare(t.layout);
  }
  return alert_layout_;
}

void Presenter::DrawAlert(const Show& show, float alpha) {
  const SlideLayout& layout = AlertLayout(show);
  SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
  FillRect(layout.content, layout.background, alpha);
  for (const FilledRect& r : layout.rects) FillRect(r.rect, r.rgba, alpha);
  for (const PlacedText& t : layout.texts) DrawText(t, alpha);
}

void Presenter::DrawFrame(const Show& show) {
  if (show.alerts().covering()) {
    // Nothing of the slides shows: the alert, and the ticker carrying its title.
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
    SetDrawColor(renderer_, theme_.colors.ticker_background, 0xFF);
    SDL_RenderFillRect(renderer_, nullptr);  // a clear would ignore the clip
    DrawAlert(show, 1.f);
    if (theme_.ticker) ticker_.Draw(show, layouter_.Chrome(width_, height_).ticker, 1.f, false);
    return;
  }
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
  if (outgoing && !slides_.EnsureTexture(outgoing, /*keep_other=*/true)) outgoing = nullptr;
  // The incoming slide gets its texture as the crossfade starts: every frame
  // of it then copies both slides instead of drawing one glyph by glyph.
  if (outgoing) slides_.EnsureTexture(current, /*keep_other=*/true);
  float mix = outgoing ? Smooth(show.mix()) : 1.f;

  // The screen is the background plus each slide's content area. A
  // crossfade is exact: every pixel is outgoing * (1 - mix) + incoming * mix,
  // with the plain background standing in outside a slide's area.
  // Draws into whatever target the caller set (the screen, or a texture
  // that `play --rotate` turns).
  SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
  SetDrawColor(renderer_, current->background, 0xFF);
  SDL_RenderFillRect(renderer_, nullptr);  // a clear would ignore the clip
  if (current->texture) {
    SDL_SetTextureBlendMode(current->texture, SDL_BLENDMODE_NONE);
    slides_.CopyBands(*current);
  } else {
    slides_.DrawDirect(*current);
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
    for (const SlideCache::Band& b : outgoing->bands) {
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
    slides_.CopyBands(*outgoing);
    SDL_SetTextureAlphaMod(outgoing->texture, 255);
  }

  // The chrome belongs to item slides; it fades with a change to or from idle.
  float chrome = show.current().idle() ? 0.f : 1.f;
  if (show.outgoing()) {
    float from = show.outgoing()->idle() ? 0.f : 1.f;
    chrome = from + (chrome - from) * mix;
  }
  if (chrome > 0.f) DrawChrome(show, chrome);

  UpdateNotice(show);
  if (!show.notice().empty()) {
    FillRect(notice_box_.rect, notice_box_.rgba, 1.f);
    DrawText(notice_text_, 1.f);
  }
  if (show.alerts().active()) DrawAlert(show, show.alerts().mix());
}

void Presenter::UpdateNotice(const Show& show) {
  if (show.notice().empty()) {
    notice_message_.clear();
    return;
  }
  if (show.notice() == notice_message_ && show.notice_kind() == notice_kind_) return;
  notice_message_ = show.notice();
  notice_kind_ = show.notice_kind();
  layouter_.LayOutNotice(notice_message_, notice_kind_, width_, height_, &notice_box_,
                         &notice_text_);
  atlas_.Prepare(notice_text_.layout);
}

Presenter::Shown Presenter::ShownBy(const Show& show) {
  Shown s;
  s.valid = true;
  s.still = !show.alerts().fading() && (!show.alerts().active() || show.alerts().covering());
  s.width = width_;
  s.height = height_;
  s.covering = show.alerts().covering();
  if (s.covering) {
    AlertLayout(show);
    s.alert_key = *alert_key_;
    return s;
  }
  s.slide = show.current();
  s.outgoing = show.outgoing();
  if (s.outgoing && (s.outgoing->idle() || s.slide.idle())) s.still = false;  // the chrome fades
  if (s.slide.idle()) {
    s.idle_minute = MinuteKey();
  } else {
    s.name = NameFor(*show.playlist());
    if (theme_.clock) s.clock_minute = MinuteKey();
  }
  UpdateNotice(show);
  if (!show.notice().empty()) {
    s.notice = notice_message_;
    s.notice_kind = notice_kind_;
    s.notice_rect = ToPixels(notice_box_.rect, width_, height_);
  }
  return s;
}

void Presenter::Draw(const Show& show) {
  Shown now = ShownBy(show);
  DrawFrame(show);
  shown_ = std::move(now);
}

std::vector<SDL_Rect> Presenter::DrawChanges(const Show& show) {
  Shown now = ShownBy(show);
  const Shown& was = shown_;
  // A crossfade changes only its two slides' areas when it starts from the
  // frame before, goes on, or ends where it was going.
  const bool same_slides = now.slide == was.slide && now.outgoing == was.outgoing;
  const bool fade_step = (now.outgoing && !was.outgoing && *now.outgoing == was.slide) ||
                         (!now.outgoing && was.outgoing && now.slide == was.slide);
  SDL_Rect fading{};  // the crossfade's slides' areas
  bool whole = !was.valid || !was.still || !now.still || now.width != was.width ||
               now.height != was.height || now.covering != was.covering ||
               (now.covering ? now.alert_key != was.alert_key
                             : !(same_slides || fade_step) || now.idle_minute != was.idle_minute ||
                                   now.name != was.name);
  if (!whole && !now.covering && (now.outgoing || was.outgoing)) {
    const SlideRef& other = now.outgoing ? *now.outgoing : *was.outgoing;
    std::vector<const SlideRef*> keep{&now.slide, &other};
    const SDL_Rect a = EntryFor(now.slide, keep)->area;
    const std::uint32_t a_background = EntryFor(now.slide, keep)->background;
    const CachedSlide* b = EntryFor(other, keep);
    if (b->background != a_background) whole = true;  // then the whole screen fades
    SDL_UnionRect(&a, &b->area, &fading);
  }
  if (whole) {
    DrawFrame(show);
    shown_ = std::move(now);
    return {{0, 0, width_, height_}};
  }
  std::vector<SDL_Rect> changed;
  if (fading.w > 0) changed.push_back(fading);
  const ChromeGeometry g = layouter_.Chrome(width_, height_);
  if (theme_.ticker && g.ticker.w > 0 && (now.covering || !now.slide.idle()))
    changed.push_back(ToPixels(g.ticker, width_, height_));
  if (!now.covering) {
    if (now.clock_minute != was.clock_minute && g.header.w > 0)
      changed.push_back(ToPixels(g.header, width_, height_));
    if (now.notice != was.notice || now.notice_kind != was.notice_kind) {
      for (const SDL_Rect& r : {was.notice_rect, now.notice_rect})
        if (r.w > 0) changed.push_back(r);
    }
  }
  // A little more than the boxes: antialiased edges of what is in them.
  const SDL_Rect screen{0, 0, width_, height_};
  for (SDL_Rect& r : changed) {
    SDL_Rect grown{r.x - 2, r.y - 2, r.w + 4, r.h + 4};
    SDL_IntersectRect(&grown, &screen, &r);
  }
  for (const SDL_Rect& r : changed) {
    SDL_RenderSetClipRect(renderer_, &r);
    DrawFrame(show);
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
  shown_ = std::move(now);
  return changed;
}

}  // namespace nb::render
