// GlyphAtlas: shelf-packed pages of white glyph coverage (alpha), tinted by
// vertex colour. Bounded: when every page is full, the least recently used
// page is emptied and reused (its glyphs are rasterized again on demand).
#include "render/glyph_atlas.h"

#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "base/log.h"
#include "text/text.h"

namespace nb::render {

namespace {

using text::Face;
using text::GlyphBitmap;
using text::Layout;
using text::Line;
using text::PositionedGlyph;
using text::TextEngine;

constexpr int kPadding = 1;  // blank pixels around each glyph against bleeding

struct GlyphKey {
  const Face* face;
  std::uint32_t glyph_id;
  std::uint32_t size_q;  // size in quarter pixels
  bool operator==(const GlyphKey& o) const {
    return face == o.face && glyph_id == o.glyph_id && size_q == o.size_q;
  }
};

struct GlyphKeyHash {
  std::size_t operator()(const GlyphKey& k) const {
    std::uint64_t h = std::hash<const void*>()(k.face) ^
                      (static_cast<std::uint64_t>(k.glyph_id) * 0x9E3779B1u) ^
                      (static_cast<std::uint64_t>(k.size_q) << 40);
    // 32-bit size_t (armhf): fold the size in rather than shift it out.
    if constexpr (sizeof(std::size_t) < sizeof(std::uint64_t)) h ^= h >> 32;
    return static_cast<std::size_t>(h);
  }
};

struct AtlasGlyph {
  int page = -1;
  int x = 0, y = 0, w = 0, h = 0;  // in the page; w == 0 for blank glyphs
  int left = 0, top = 0;
};

struct Shelf {
  int y, height, x;
};

struct Page {
  SDL_Texture* texture = nullptr;
  std::vector<Shelf> shelves;
  int next_y = 0;
  std::uint64_t last_used = 0;
  std::vector<GlyphKey> keys;  // glyphs living here, to forget on eviction
};

class GlyphAtlasImpl final : public GlyphAtlas {
 public:
  GlyphAtlasImpl(SDL_Renderer* renderer, TextEngine& engine, int page_size, int max_pages)
      : renderer_(renderer), engine_(engine), page_size_(page_size), max_pages_(max_pages) {}

  ~GlyphAtlasImpl() override {
    for (Page& p : pages_) {
      if (p.texture) SDL_DestroyTexture(p.texture);
    }
  }

  void Prepare(const Layout& layout) override {
    ++tick_;
    for (const Line& line : layout.lines) {
      for (const PositionedGlyph& g : line.glyphs) Get(g, layout.size_px);
    }
  }

  void Draw(const Layout& layout, float x, float y, std::uint32_t rgba) override {
    DrawShifted(layout, x, y, {0, 0}, rgba);
  }

  void DrawShifted(const Layout& layout, float x, float y, SDL_Point shift,
                   std::uint32_t rgba) override {
    ++tick_;
    SDL_Color color = {static_cast<Uint8>(rgba >> 24), static_cast<Uint8>(rgba >> 16),
                       static_cast<Uint8>(rgba >> 8), static_cast<Uint8>(rgba)};
    batches_.resize(pages_.size());
    const float inv = 1.f / static_cast<float>(page_size_);
    // Lines wholly outside the target or its clip rectangle are skipped
    // (scrolling text, long bodies, a slide drawn band by band).
    int out_w = 0, out_h = 0;
    SDL_GetRendererOutputSize(renderer_, &out_w, &out_h);
    float top = 0.f, bottom = static_cast<float>(out_h);
    if (SDL_RenderIsClipEnabled(renderer_)) {
      SDL_Rect clip;
      SDL_RenderGetClipRect(renderer_, &clip);
      top = static_cast<float>(clip.y);
      bottom = static_cast<float>(clip.y + clip.h);
    }
    const float margin = layout.size_px * 2;
    for (const Line& line : layout.lines) {
      float base = y + line.baseline + static_cast<float>(shift.y);
      if (out_h > 0 && (base + margin < top || base - margin > bottom)) continue;
      for (const PositionedGlyph& g : line.glyphs) {
        const AtlasGlyph* ag = Get(g, layout.size_px);
        if (ag == nullptr || ag->w == 0) continue;
        if (batches_.size() < pages_.size()) batches_.resize(pages_.size());
        auto& verts = batches_[static_cast<std::size_t>(ag->page)].vertices;
        SDL_FRect q = Quad(*ag, g, x, y);
        q.x += static_cast<float>(shift.x);
        q.y += static_cast<float>(shift.y);
        float u0 = static_cast<float>(ag->x) * inv, v0 = static_cast<float>(ag->y) * inv;
        float u1 = static_cast<float>(ag->x + ag->w) * inv;
        float v1 = static_cast<float>(ag->y + ag->h) * inv;
        SDL_Vertex a{{q.x, q.y}, color, {u0, v0}}, b{{q.x + q.w, q.y}, color, {u1, v0}};
        SDL_Vertex c{{q.x + q.w, q.y + q.h}, color, {u1, v1}}, d{{q.x, q.y + q.h}, color, {u0, v1}};
        verts.insert(verts.end(), {a, b, c, a, c, d});
      }
    }
    Flush();
  }

  void InkRows(const Layout& layout, float x, float y,
               std::vector<std::pair<int, int>>* rows) override {
    ++tick_;
    for (const Line& line : layout.lines) {
      float first = 0.f, end = 0.f;
      bool ink = false;
      for (const PositionedGlyph& g : line.glyphs) {
        const AtlasGlyph* ag = Get(g, layout.size_px);
        if (ag == nullptr || ag->w == 0) continue;
        const SDL_FRect q = Quad(*ag, g, x, y);
        first = ink ? std::min(first, q.y) : q.y;
        end = ink ? std::max(end, q.y + q.h) : q.y + q.h;
        ink = true;
      }
      if (ink) rows->emplace_back(static_cast<int>(first), static_cast<int>(end));
    }
  }

  std::uint64_t evictions() const override { return evictions_; }

  void Invalidate() override {
    for (Page& p : pages_) {
      if (p.texture) SDL_DestroyTexture(p.texture);
    }
    pages_.clear();
    glyphs_.clear();
    for (Batch& b : batches_) b.vertices.clear();
  }

 private:
  struct Batch {
    std::vector<SDL_Vertex> vertices;
  };

  void Flush() {
    for (std::size_t p = 0; p < batches_.size() && p < pages_.size(); ++p) {
      auto& v = batches_[p].vertices;
      if (v.empty()) continue;
      SDL_RenderGeometry(renderer_, pages_[p].texture, v.data(), static_cast<int>(v.size()),
                         nullptr, 0);
      v.clear();
    }
  }

  // Where a glyph's bitmap goes for a layout drawn at (x, y): whole pixels
  // keep glyph edges as FreeType drew them. Halves round up, also below zero
  // (std::round would go away from zero there): a slide drawn into its
  // texture (origin moved by whole pixels, so a hanging opening quote can sit
  // at -11.5) must put every glyph where the same slide drawn straight into
  // the frame puts it (18.5). The sum is taken in double, where that of two
  // floats is exact: in float, 86 + 83.499992 rounds to 169.5 but 38 +
  // 83.499992 does not reach 121.5, and a justified glyph a hair short of a
  // half pixel landed a pixel apart in the slide and in its texture.
  static SDL_FRect Quad(const AtlasGlyph& ag, const PositionedGlyph& g, float x, float y) {
    const double px = std::floor(static_cast<double>(x) + static_cast<double>(g.x) + 0.5);
    const double py = std::floor(static_cast<double>(y) + static_cast<double>(g.y) + 0.5);
    return {static_cast<float>(px) + static_cast<float>(ag.left),
            static_cast<float>(py) - static_cast<float>(ag.top), static_cast<float>(ag.w),
            static_cast<float>(ag.h)};
  }

  const AtlasGlyph* Get(const PositionedGlyph& g, float size_px) {
    GlyphKey key{g.face, g.glyph_id, static_cast<std::uint32_t>(std::lround(size_px * 4))};
    auto it = glyphs_.find(key);
    if (it != glyphs_.end()) {
      if (it->second.page >= 0) pages_[static_cast<std::size_t>(it->second.page)].last_used = tick_;
      return &it->second;
    }
    GlyphBitmap bm;
    AtlasGlyph ag;
    if (!engine_.Rasterize(g.face, g.glyph_id, static_cast<float>(key.size_q) / 4.f, &bm)) {
      return nullptr;
    }
    ag.left = bm.left;
    ag.top = bm.top;
    if (bm.width > 0 && bm.height > 0) {
      if (bm.width + 2 * kPadding > page_size_ || bm.height + 2 * kPadding > page_size_) {
        LogWarning("glyph too large for the glyph atlas; skipped");
        return nullptr;
      }
      if (!Place(bm, key, &ag)) return nullptr;
    }
    return &glyphs_.emplace(key, ag).first->second;
  }

  bool Place(const GlyphBitmap& bm, const GlyphKey& key, AtlasGlyph* ag) {
    const int w = bm.width + 2 * kPadding, h = bm.height + 2 * kPadding;
    int page = -1, px = 0, py = 0;
    for (std::size_t p = 0; p < pages_.size() && page < 0; ++p) {
      if (FindSpace(pages_[p], w, h, &px, &py)) page = static_cast<int>(p);
    }
    if (page < 0 && static_cast<int>(pages_.size()) < max_pages_) {
      Page fresh;
      fresh.texture = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888,
                                        SDL_TEXTUREACCESS_STATIC, page_size_, page_size_);
      if (fresh.texture == nullptr) {
        LogError(std::string("glyph atlas texture: ") + SDL_GetError());
        return false;
      }
      SDL_SetTextureBlendMode(fresh.texture, SDL_BLENDMODE_BLEND);
      // Cleared a band of rows at a time: a whole page's buffer (1 MB at
      // 512 px) would be a needless peak.
      const int band = std::max(1, std::min(page_size_, 16384 / page_size_));
      std::vector<Uint32> clear(static_cast<std::size_t>(page_size_) * band, 0x00FFFFFFu);
      for (int row = 0; row < page_size_; row += band) {
        SDL_Rect rows{0, row, page_size_, std::min(band, page_size_ - row)};
        SDL_UpdateTexture(fresh.texture, &rows, clear.data(), page_size_ * 4);
      }
      pages_.push_back(std::move(fresh));
      page = static_cast<int>(pages_.size()) - 1;
      FindSpace(pages_.back(), w, h, &px, &py);
    }
    if (page < 0) {
      // Full: draw what is queued (it may use the victim), then empty the
      // least recently used page.
      Flush();
      std::size_t victim = 0;
      for (std::size_t p = 1; p < pages_.size(); ++p) {
        if (pages_[p].last_used < pages_[victim].last_used) victim = p;
      }
      Page& v = pages_[victim];
      for (const GlyphKey& k : v.keys) glyphs_.erase(k);
      v.keys.clear();
      v.shelves.clear();
      v.next_y = 0;
      ++evictions_;
      page = static_cast<int>(victim);
      FindSpace(v, w, h, &px, &py);
    }
    Page& target = pages_[static_cast<std::size_t>(page)];
    std::vector<Uint32> pixels(static_cast<std::size_t>(w) * h, 0x00FFFFFFu);
    for (int y = 0; y < bm.height; ++y) {
      for (int x = 0; x < bm.width; ++x) {
        Uint32 a = bm.coverage[static_cast<std::size_t>(y) * bm.width + x];
        pixels[static_cast<std::size_t>(y + kPadding) * w + x + kPadding] = (a << 24) | 0xFFFFFFu;
      }
    }
    SDL_Rect rect{px, py, w, h};
    SDL_UpdateTexture(target.texture, &rect, pixels.data(), w * 4);
    target.keys.push_back(key);
    target.last_used = tick_;
    ag->page = page;
    ag->x = px + kPadding;
    ag->y = py + kPadding;
    ag->w = bm.width;
    ag->h = bm.height;
    return true;
  }

  // Shelf packing: the first shelf tall enough (and not far too tall) with
  // room left, else a new shelf below.
  bool FindSpace(Page& page, int w, int h, int* x, int* y) {
    for (Shelf& s : page.shelves) {
      if (h <= s.height && h * 4 >= s.height * 3 && s.x + w <= page_size_) {
        *x = s.x;
        *y = s.y;
        s.x += w;
        return true;
      }
    }
    if (page.next_y + h > page_size_ || w > page_size_) return false;
    page.shelves.push_back({page.next_y, h, w});
    *x = 0;
    *y = page.next_y;
    page.next_y += h;
    return true;
  }

  SDL_Renderer* renderer_;
  TextEngine& engine_;
  int page_size_;
  int max_pages_;
  std::vector<Page> pages_;
  std::unordered_map<GlyphKey, AtlasGlyph, GlyphKeyHash> glyphs_;
  std::vector<Batch> batches_;
  std::uint64_t tick_ = 0;
  std::uint64_t evictions_ = 0;
};

}  // namespace

std::unique_ptr<GlyphAtlas> GlyphAtlas::Create(SDL_Renderer* renderer, TextEngine& engine,
                                               int page_size, int max_pages) {
  return std::make_unique<GlyphAtlasImpl>(renderer, engine, page_size, std::max(1, max_pages));
}

}  // namespace nb::render
