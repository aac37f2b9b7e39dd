#include "app/screenshot.h"

#include <SDL.h>

#include "app/offscreen_slides.h"
#include "base/log.h"

namespace nb::app {

std::optional<std::string> FrameGrabber::Capture(const std::function<void()>& wake,
                                                 std::chrono::milliseconds timeout, int turn) {
  std::shared_ptr<const render::Image> frame;
  {
    std::unique_lock lock(mu_);
    const std::uint64_t before = frames_read_;
    ++waiting_;
    lock.unlock();
    if (wake) wake();
    lock.lock();
    bool got = cv_.wait_for(lock, timeout, [&] { return frames_read_ != before; });
    if (got) frame = frame_;
    // The last one out lets go of the pixels (megabytes).
    if (--waiting_ == 0) frame_.reset();
  }
  if (!frame) {
    LogWarning("screenshot: no frame drawn within " + std::to_string(timeout.count()) +
               " ms (the screen is off or not up yet)");
    return std::nullopt;
  }
  std::string png;
  const render::Image turned = turn ? render::TurnImage(*frame, turn) : render::Image{};
  if (Status s = render::EncodePng(turn ? turned : *frame, &png); !s.ok()) {
    LogError("screenshot: " + s.message());
    return std::nullopt;
  }
  return png;
}

void FrameGrabber::FrameDrawn(SDL_Renderer* renderer) {
  if (waiting_.load() == 0) return;
  auto image = std::make_shared<render::Image>();
  if (!ReadFrame(renderer, image.get())) return;
  {
    std::lock_guard lock(mu_);
    frame_ = std::move(image);
    ++frames_read_;
  }
  cv_.notify_all();
}

}  // namespace nb::app
