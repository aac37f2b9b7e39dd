#include "app/offscreen_slides.h"

#include <algorithm>

#include "base/log.h"

namespace nb::app {

bool ReadFrame(SDL_Renderer* renderer, render::Image* image) {
  if (SDL_GetRendererOutputSize(renderer, &image->width, &image->height) != 0 ||
      image->width <= 0 || image->height <= 0) {
    LogWarning(std::string("cannot read the frame back: ") + SDL_GetError());
    return false;
  }
  image->rgba.resize(static_cast<std::size_t>(image->width) * image->height * 4);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGBA32, image->rgba.data(),
                           image->width * 4) != 0) {
    LogWarning(std::string("cannot read the frame back: ") + SDL_GetError());
    return false;
  }
  for (std::size_t i = 3; i < image->rgba.size(); i += 4) image->rgba[i] = 255;
  return true;
}

OffscreenSlides::OffscreenSlides(std::chrono::system_clock::time_point at, int width, int height)
    : width_(width), height_(height), clock_(at) {}

std::unique_ptr<OffscreenSlides> OffscreenSlides::Create(
    text::TextEngine& engine, const render::Theme& theme,
    std::shared_ptr<const playlist::Playlist> playlist, std::chrono::system_clock::time_point at,
    int width, int height, std::string* error) {
  std::unique_ptr<OffscreenSlides> o(new OffscreenSlides(at, width, height));
  o->surface_ = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  o->renderer_ = o->surface_ ? SDL_CreateSoftwareRenderer(o->surface_) : nullptr;
  if (!o->renderer_) {
    *error = std::string("cannot draw: ") + SDL_GetError();
    return nullptr;
  }
  const render::AtlasBudget budget = render::AtlasBudgetFor(theme, width, height);
  o->atlas_ = render::GlyphAtlas::Create(o->renderer_, engine, budget.page_size, budget.max_pages);
  o->show_ = std::make_unique<render::Show>(
      o->clock_, std::move(playlist),
      render::ShowOptions{.slide_seconds = 1e6, .notice_seconds = theme.notice_seconds});
  o->presenter_ =
      std::make_unique<render::Presenter>(o->renderer_, engine, *o->atlas_, theme, o->clock_);
  o->presenter_->SetSize(width, height);
  return o;
}

OffscreenSlides::~OffscreenSlides() {
  presenter_.reset();
  show_.reset();
  atlas_.reset();
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (surface_) SDL_FreeSurface(surface_);
}

std::size_t OffscreenSlides::slide_count() const {
  return std::max<std::size_t>(1, show_->playing().size());
}

void OffscreenSlides::DrawSlides(const SlideSink& sink) {
  const std::size_t count = slide_count();
  for (std::size_t k = 0; k < count; ++k) {
    if (k > 0) {
      show_->Next();
      // Past the crossfade: the slide alone.
      clock_.Advance(std::chrono::milliseconds(show_->playlist()->transition.ms + 1));
      show_->Tick();
    }
    presenter_->Draw(*show_);
    render::Image image;
    ReadFrame(renderer_, &image);
    if (!sink(std::move(image), show_->current())) return;
  }
}

}  // namespace nb::app
