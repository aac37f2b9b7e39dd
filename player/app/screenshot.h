// FrameGrabber: the picture on screen for GET /api/v1/screenshot.png.
//
// Contract:
// - Capture() runs on any thread but the frame thread (the API's). It asks
//   for the next frame, wakes the frame loop with `wake` (an SDL user event),
//   and waits at most `timeout` for it; then encodes the PNG on the calling
//   thread, so the frame thread only copies pixels. Null when no frame came in
//   time (the loop is asleep in off hours, or the display is not up yet): the
//   API answers 503 then, and never hangs.
// - FrameDrawn() runs on the frame thread after a frame is drawn and before
//   it is presented (SDL_RenderReadPixels reads the target being presented).
//   Without a pending request it costs one atomic load. Concurrent requests
//   share one read-back.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "render/png.h"

struct SDL_Renderer;

namespace nb::app {

class FrameGrabber {
 public:
  // `turn`: degrees clockwise (0, 90, 180, 270) to turn the frame before
  // encoding it.
  std::optional<std::string> Capture(const std::function<void()>& wake,
                                     std::chrono::milliseconds timeout, int turn = 0);
  void FrameDrawn(SDL_Renderer* renderer);

 private:
  std::atomic<int> waiting_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t frames_read_ = 0;
  std::shared_ptr<const render::Image> frame_;
};

}  // namespace nb::app
