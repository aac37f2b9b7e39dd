// FrameLoop: the frame thread of `noticeboard play`, and of bench/soak, which
// runs the same loop on a clock that jumps instead of waiting.
//
// Contract:
// - The frame thread owns SDL: the loop is made, run and destroyed there.
// - Round() is one pass, in this order: screen power (off hours: the screen
//   is black and nothing else is drawn), events (waiting for one, or for the
//   next deadline, when nothing moves), updates (a new playlist is offered to
//   the Show, which swaps it in at the next slide boundary; notices), Tick,
//   then, when something changed or moves: pace, draw, present, and, between
//   transitions, get the upcoming slide ready (layout, glyphs, texture).
//   Run() repeats it until a quit (window closed, q or Esc) or an exit option.
// - Waiting is behind FrameWaiter: RealTimeWaiter waits on SDL's event queue
//   and paces moving pictures to the display's refresh rate when presents do
//   not wait for it (app/frame_pacer.h); a test or the soak gives its own.
//   PaceFrame() comes before every moving frame, Presented() after every
//   present.
// - Waker() may be called from any thread: it makes a waiting loop come
//   round (the update threads call it after posting to the mailbox).
// - With present_changes (the software renderer drawing into its window's
//   own surface, which keeps the last frame), a frame draws only what
//   changed (Presenter::DrawChanges) and presents only those rectangles
//   (SDL_UpdateWindowSurfaceRects); a new size, a renderer reset, the screen
//   coming back on or the window being exposed draws the whole frame. A
//   frame in which nothing changed is neither drawn nor presented.
// - A FrameObserver, when set, sees every frame after it is drawn and before
//   it is presented (the soak reads each one back and checks it).
#pragma once

#include <SDL.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "app/frame_pacer.h"
#include "base/env.h"
#include "render/presenter.h"
#include "render/show.h"

namespace nb::app {

class PlayUpdates;
class ScreenPower;
class Watchdog;

class FrameWaiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~FrameWaiter() = default;
  // Nothing moves: waits until `until` for an event. True with *event set
  // when one came; false when the time passed.
  virtual bool WaitForEvent(SDL_Event* event, TimePoint until) = 0;
  // Something moves: waits until the next frame is due (at once when the
  // present itself waits for the display).
  virtual void PaceFrame() = 0;
  // A frame was presented.
  virtual void Presented() {}
  // The screen is off: waits `period` before the loop looks again.
  virtual void Sleep(std::chrono::milliseconds period) = 0;
};

// The time RealTimeWaiter paces by: the steady clock and a real sleep, or a
// test's fake.
class PaceClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~PaceClock() = default;
  virtual TimePoint Now() = 0;
  virtual void SleepUntil(TimePoint until) = 0;
};

struct PacingOptions {
  // kPace: presents are known not to wait for the display; kMeasure: find out.
  FramePacer::Mode mode = FramePacer::Mode::kMeasure;
  FramePacer::Duration period = RefreshPeriod(60);
  bool native_wait = false;  // SDL waits for events in the kernel (X11, Wayland)
  std::string why;           // for the log: what makes the mode known
};

// How `play` paces on this window and renderer: the dummy and offscreen
// drivers and the software renderer never wait for a refresh (pace), others
// are measured; the period is the display mode's refresh rate.
PacingOptions PacingFor(SDL_Window* window, SDL_Renderer* renderer);

// Real time. SDL2 has no blocking wait on KMSDRM or the dummy driver (its
// WaitEventTimeout polls every millisecond), so there input is checked 20
// times a second, which costs next to nothing and keeps keys responsive.
class RealTimeWaiter final : public FrameWaiter {
 public:
  // `clock`: null for real time (tests give a fake).
  explicit RealTimeWaiter(PacingOptions options = {}, PaceClock* clock = nullptr);
  bool WaitForEvent(SDL_Event* event, TimePoint until) override;
  void PaceFrame() override;
  void Presented() override;
  void Sleep(std::chrono::milliseconds period) override;
  const FramePacer& pacer() const { return pacer_; }

 private:
  PacingOptions options_;
  PaceClock* clock_;
  FramePacer pacer_;
};

class FrameObserver {
 public:
  virtual ~FrameObserver() = default;
  virtual void Drawn(SDL_Renderer* renderer) = 0;  // before present
  virtual void Presented() = 0;
};

struct FrameLoopOptions {
  int rotate = 0;  // 0, 90, 180, 270: the picture is drawn upright, then turned
  // Draw and present only what changed (see above; not with rotate).
  bool present_changes = false;
  int exit_after_slides = 0;            // > 0: stop once the N-th change has faded in
  bool exit_after_first_frame = false;  // start-up time (bench/first_frame.sh)
  // X11 without a window manager makes SDL wait ~100 ms for a full-screen
  // acknowledgement that never comes, so the window opens borderless at the
  // desktop's size and goes full screen once the first frame is up.
  bool fullscreen_after_first_frame = false;
};

class FrameLoop {
 public:
  FrameLoop(SDL_Window* window, SDL_Renderer* renderer, const Clock& clock, render::Show& show,
            render::Presenter& presenter, PlayUpdates& updates, FrameWaiter& waiter,
            FrameLoopOptions options);
  ~FrameLoop();
  FrameLoop(const FrameLoop&) = delete;
  FrameLoop& operator=(const FrameLoop&) = delete;

  void set_service(Watchdog* watchdog, ScreenPower* power) {
    watchdog_ = watchdog;
    screen_power_ = power;
  }
  void set_observer(FrameObserver* observer) { observer_ = observer; }
  std::function<void()> Waker() const;

  int Run();  // an exit code
  // One pass (see above); false once the loop should stop.
  bool Round();
  long frames() const { return frames_; }

 private:
  bool ScreenOff();
  long long WaitCapMs() const;
  void HandleEvents(bool animating);
  void Handle(const SDL_Event& ev);
  void DeliverUpdates();
  // False when nothing changed, so nothing was drawn or presented.
  bool DrawAndPresent();
  void AfterFirstFrame();
  bool Finished() const;
  void UpdateSize();
  // The rectangles drawn (output coordinates).
  std::vector<SDL_Rect> DrawPicture();

  SDL_Window* window_;
  SDL_Renderer* renderer_;
  const Clock& clock_;
  render::Show& show_;
  render::Presenter& presenter_;
  PlayUpdates& updates_;
  FrameWaiter& waiter_;
  FrameLoopOptions options_;
  Uint32 wake_event_;
  Watchdog* watchdog_ = nullptr;
  ScreenPower* screen_power_ = nullptr;
  FrameObserver* observer_ = nullptr;
  bool screen_black_ = false;
  bool started_off_ = false;         // the first frame waited for off hours to end
  int logged_w_ = 0, logged_h_ = 0;  // the size last logged
  bool redraw_ = true;
  bool whole_next_ = true;  // the target does not hold the last frame
  bool first_ = true;
  bool quit_ = false;
  int out_w_ = 0, out_h_ = 0;
  SDL_Texture* rotated_ = nullptr;
  long frames_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// Milliseconds since this process started (from /proc, 10 ms resolution).
double MsSinceProcessStart();

// glibc's allocator as play runs with it (the soak too, so that it measures
// the player's memory behaviour).
void ConfigureAllocator();

}  // namespace nb::app
