#include "render/slide_cache.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "base/log.h"
#include "render/draw_ops.h"

namespace nb::render {

SlideCache::SlideCache(SDL_Renderer* renderer, GlyphAtlas& atlas, LayOutFunction lay_out)
    : renderer_(renderer), atlas_(atlas), lay_out_(std::move(lay_out)) {}

SlideCache::~SlideCache() {
  for (Slide& c : slides_) {
    if (c.texture) SDL_DestroyTexture(c.texture);
  }
}

void SlideCache::SetSize(int width, int height) {
  width_ = width;
  height_ = height;
  for (Slide& c : slides_) {
    if (c.texture) SDL_DestroyTexture(c.texture);
  }
  slides_.clear();
}

void SlideCache::DropTextures() {
  for (Slide& c : slides_) {
    if (c.texture) SDL_DestroyTexture(c.texture);
    c.texture = nullptr;
  }
}

SlideCache::Slide* SlideCache::Entry(const SlideRef& slide, int minute,
                                     const std::vector<const SlideRef*>& keep) {
  for (Slide& c : slides_) {
    if (c.ref == slide && c.minute == minute) return &c;
  }
  // Evict what is not needed now (at most outgoing, current, upcoming stay).
  std::erase_if(slides_, [&](Slide& c) {
    bool needed = false;
    for (const SlideRef* k : keep)
      needed = needed || (c.ref == *k && c.minute == (k->idle() ? minute : -1));
    if (!needed && c.texture) SDL_DestroyTexture(c.texture);
    return !needed;
  });

  auto started = std::chrono::steady_clock::now();
  Slide entry;
  entry.ref = slide;
  entry.minute = minute;
  entry.layout = lay_out_(slide);
  auto laid_out = std::chrono::steady_clock::now();
  if (entry.layout.truncated && slide.item()) {
    LogDebug("summary of item " + slide.item()->id + " cut to fit the screen");
  }
  // Only the part that differs from the plain background is kept (memory).
  entry.area = ToPixels(entry.layout.content, width_, height_);
  entry.background = entry.layout.background;
  for (const PlacedText& t : entry.layout.texts) atlas_.Prepare(t.layout);
  entry.bands = InkBands(entry);
  auto ms = [](auto d) {
    return std::to_string(std::chrono::duration<double, std::milli>(d).count());
  };
  LogDebug("slide " + (slide.idle() ? std::string("idle") : slide.item()->id) + ": laid out in " +
           ms(laid_out - started) + " ms, glyphs in " +
           ms(std::chrono::steady_clock::now() - laid_out) + " ms");
  slides_.push_back(std::move(entry));
  return &slides_.back();
}

void SlideCache::Fill(const RectF& r, std::uint32_t rgba) { FillRect(renderer_, r, rgba, 1.f); }

bool SlideCache::EnsureTexture(Slide* slide, bool keep_other) {
  if (!keep_other) {
    bool dropped = false;
    for (Slide& c : slides_) {
      if (&c == slide || !c.texture) continue;
      SDL_DestroyTexture(c.texture);
      c.texture = nullptr;
      dropped = true;
    }
#ifdef __GLIBC__
    if (dropped) malloc_trim(0);  // give the freed texture's pages back before a new one is made
#endif
  }
  if (slide->texture) return true;
  auto started = std::chrono::steady_clock::now();
  const SDL_Rect& area = slide->area;
  const SlideLayout& layout = slide->layout;
  for (const PlacedText& t : layout.texts) atlas_.Prepare(t.layout);
  int texture_h = 0;
  for (const Band& b : slide->bands) texture_h += b.h;
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
  SetDrawColor(renderer_, layout.background, 0xFF);
  SDL_RenderClear(renderer_);
  // Each band is the slide drawn moved up by whole pixels to its place in
  // the texture, clipped to the band.
  for (const Band& band : slide->bands) {
    SDL_Rect clip{0, band.texture_y, area.w, band.h};
    SDL_RenderSetClipRect(renderer_, &clip);
    float dx = static_cast<float>(area.x), dy = static_cast<float>(band.y - band.texture_y);
    for (const FilledRect& r : layout.rects) {
      Fill({r.rect.x - dx, r.rect.y - dy, r.rect.w, r.rect.h}, r.rgba);
    }
    const SDL_Point shift{-area.x, band.texture_y - band.y};
    for (const PlacedText& t : layout.texts) atlas_.DrawShifted(t.layout, t.x, t.y, shift, t.rgba);
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

std::vector<SlideCache::Band> SlideCache::InkBands(const Slide& slide) {
  std::vector<std::pair<int, int>> rows;
  for (const FilledRect& r : slide.layout.rects) {
    SDL_Rect p = ToPixels(r.rect, width_, height_);
    rows.emplace_back(p.y, p.y + p.h);
  }
  for (const PlacedText& t : slide.layout.texts) atlas_.InkRows(t.layout, t.x, t.y, &rows);
  std::sort(rows.begin(), rows.end());
  // Bands closer than this are joined: fewer copies per frame for a few
  // rows of memory.
  constexpr int kJoin = 4;
  const int top = slide.area.y, bottom = slide.area.y + slide.area.h;
  std::vector<Band> bands;
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

int SlideCache::TextureRows() const {
  int rows = 0;
  for (const Slide& c : slides_) {
    if (!c.texture) continue;
    for (const Band& b : c.bands) rows += b.h;
  }
  return rows;
}

void SlideCache::CopyBands(const Slide& slide) {
  for (const Band& b : slide.bands) {
    SDL_Rect src{0, b.texture_y, slide.area.w, b.h};
    SDL_Rect dst{slide.area.x, b.y, slide.area.w, b.h};
    SDL_RenderCopy(renderer_, slide.texture, &src, &dst);
  }
}

void SlideCache::DrawDirect(const Slide& slide) {
  // The same operations as EnsureTexture, clipped to the same area; the
  // caller has cleared the target to the slide's background.
  ClipScope clip(renderer_, slide.area);
  if (clip.empty()) return;
  for (const FilledRect& r : slide.layout.rects) Fill(r.rect, r.rgba);
  for (const PlacedText& t : slide.layout.texts) atlas_.Draw(t.layout, t.x, t.y, t.rgba);
}

}  // namespace nb::render
