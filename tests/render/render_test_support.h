// Shared pieces of the render tests: local time in UTC, a software renderer on a
// memory surface, and image comparison helpers.
#pragma once

#include <SDL.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

#include "base/env.h"
#include "base/manual_clock.h"
#include "playlist/playlist.h"
#include "render/glyph_atlas.h"
#include "render/png.h"
#include "render/presenter.h"
#include "render/show.h"
#include "render/theme.h"
#include "text/text.h"

namespace nb::render::testing {

// Local time in the render tests is UTC, so that a ManualClock's Monday 09:00
// (the header clock, schedules) reads the same on every machine.
inline const bool kLocalTimeIsUtc = (PinTimeZone("UTC"), true);

inline text::TextEngine& Engine() {
  static std::unique_ptr<text::TextEngine> engine = [] {
    Status s;
    auto e = text::TextEngine::Create(text::DefaultFontConfig(), &s);
    if (!e) std::abort();
    return e;
  }();
  return *engine;
}

inline std::shared_ptr<const playlist::Playlist> LoadTestPlaylist(const std::string& path) {
  PosixFileSystem fs;
  std::vector<playlist::Diagnostic> errors;
  auto p = playlist::LoadPlaylistFile(fs, path, &errors);
  if (!p) return nullptr;
  return std::make_shared<const playlist::Playlist>(std::move(*p));
}

// A software renderer drawing into memory, with an atlas and a presenter.
class Canvas {
 public:
  Canvas(int w, int h, const Theme& theme, const Clock& clock) : width_(w), height_(h) {
    surface_ = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    renderer_ = SDL_CreateSoftwareRenderer(surface_);
    atlas_ = GlyphAtlas::Create(renderer_, Engine(), 1024, 2);
    presenter_ = std::make_unique<Presenter>(renderer_, Engine(), *atlas_, theme, clock);
    presenter_->SetSize(w, h);
  }
  ~Canvas() {
    presenter_.reset();
    atlas_.reset();
    SDL_DestroyRenderer(renderer_);
    SDL_FreeSurface(surface_);
  }
  Image Draw(const Show& show) {
    presenter_->Draw(show);
    return Read();
  }
  Image Read() {
    Image image;
    image.width = width_;
    image.height = height_;
    image.rgba.resize(static_cast<std::size_t>(width_) * height_ * 4);
    SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(), width_ * 4);
    return image;
  }
  Presenter& presenter() { return *presenter_; }
  SDL_Renderer* renderer() { return renderer_; }
  GlyphAtlas& atlas() { return *atlas_; }

 private:
  int width_, height_;
  SDL_Surface* surface_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  std::unique_ptr<GlyphAtlas> atlas_;
  std::unique_ptr<Presenter> presenter_;
};

// Averages factor x factor blocks (goldens are stored at half size).
inline Image Downscale(const Image& in, int factor) {
  Image out;
  out.width = in.width / factor;
  out.height = in.height / factor;
  out.rgba.resize(static_cast<std::size_t>(out.width) * out.height * 4);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      for (int c = 0; c < 4; ++c) {
        unsigned sum = 0;
        for (int dy = 0; dy < factor; ++dy) {
          for (int dx = 0; dx < factor; ++dx) {
            sum +=
                in.rgba[(static_cast<std::size_t>(y * factor + dy) * in.width + x * factor + dx) *
                            4 +
                        c];
          }
        }
        out.rgba[(static_cast<std::size_t>(y) * out.width + x) * 4 + c] =
            static_cast<std::uint8_t>(sum / (factor * factor));
      }
    }
  }
  return out;
}

inline std::uint8_t Channel(const Image& im, int x, int y, int c) {
  return im.rgba[(static_cast<std::size_t>(y) * im.width + x) * 4 + c];
}

// Pixels of `im` whose colour is within `tol` of rgba (alpha ignored).
inline long CountColor(const Image& im, std::uint32_t rgba, int tol = 8) {
  long n = 0;
  int r = rgba >> 24, g = (rgba >> 16) & 0xFF, b = (rgba >> 8) & 0xFF;
  for (std::size_t i = 0; i < im.rgba.size(); i += 4) {
    if (std::abs(im.rgba[i] - r) <= tol && std::abs(im.rgba[i + 1] - g) <= tol &&
        std::abs(im.rgba[i + 2] - b) <= tol) {
      ++n;
    }
  }
  return n;
}

// The golden-test tolerance, applied to pictures at half size: at most 0.4% of
// the pixels with a channel off by more than 40, and a mean difference of at
// most 2 per channel. Also used by render_compare (cross builds vs x86-64).
struct Diff {
  double differing_fraction = 0;  // pixels with a channel off by more than `off_by`
  double mean_abs = 0;
  int worst = 0;  // the largest difference of any channel
};

inline Diff Compare(const Image& a, const Image& b, int off_by = 40) {
  Diff d;
  long differing = 0;
  double sum = 0;
  for (std::size_t i = 0; i < a.rgba.size(); i += 4) {
    int worst = 0;
    for (int c = 0; c < 3; ++c) {
      int delta = std::abs(a.rgba[i + c] - b.rgba[i + c]);
      worst = std::max(worst, delta);
      sum += delta;
    }
    if (worst > off_by) ++differing;
    d.worst = std::max(d.worst, worst);
  }
  d.differing_fraction = static_cast<double>(differing) / (a.rgba.size() / 4);
  d.mean_abs = sum / (a.rgba.size() / 4 * 3);
  return d;
}

inline bool WithinGoldenTolerance(const Diff& d) {
  return d.differing_fraction <= 0.004 && d.mean_abs <= 2.0;
}

}  // namespace nb::render::testing
