#include "app/frame_loop.h"

#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "app/commands.h"
#include "app/play_updates.h"
#include "app/screen_power.h"
#include "app/watchdog.h"
#include "base/log.h"

namespace nb::app {

using std::chrono::milliseconds;

double MsSinceProcessStart() {
  std::ifstream stat("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), {});
  std::size_t close = content.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(content.substr(close + 2));
  std::string field;
  unsigned long long start_ticks = 0;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) start_ticks = std::stoull(field);
  }
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return (now.tv_sec + now.tv_nsec / 1e9 - start_ticks / ticks) * 1000.0;
}

void ConfigureAllocator() {
#ifdef __GLIBC__
  // Slide textures (megabytes each) come and go with every slide: a fixed
  // mmap threshold gives their memory back to the system when they are freed
  // instead of letting the heap grow (glibc raises the threshold otherwise).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  // One arena: the font thread's allocations (font tables) would otherwise
  // pin a second arena's worth of partly used pages for the whole run.
  mallopt(M_ARENA_MAX, 1);
#endif
}

// ---------------------------------------------------------------------------
// RealTimeWaiter

namespace {

class SteadyPaceClock final : public PaceClock {
 public:
  TimePoint Now() override { return std::chrono::steady_clock::now(); }
  void SleepUntil(TimePoint until) override { std::this_thread::sleep_until(until); }
};

SteadyPaceClock& RealPaceClock() {
  static SteadyPaceClock clock;
  return clock;
}

std::string Milliseconds(FramePacer::Duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", std::chrono::duration<double, std::milli>(d).count());
  return text;
}

}  // namespace

PacingOptions PacingFor(SDL_Window* window, SDL_Renderer* renderer) {
  PacingOptions o;
  const char* name = SDL_GetCurrentVideoDriver();
  const std::string driver = name ? name : "";
  o.native_wait = driver == "x11" || driver == "wayland";
  SDL_DisplayMode mode{};
  if (window && SDL_GetWindowDisplayMode(window, &mode) == 0)
    o.period = RefreshPeriod(mode.refresh_rate);
  SDL_RendererInfo info{};
  if (renderer) SDL_GetRendererInfo(renderer, &info);
  const std::string renderer_name = info.name ? info.name : "";
  // The software renderer's present copies the picture to the window and
  // returns, whatever its vsync flag says; the dummy and offscreen drivers
  // have no display to wait for.
  if (driver == "dummy" || driver == "offscreen") {
    o.mode = FramePacer::Mode::kPace;
    o.why = "the " + driver + " driver has no display to wait for";
  } else if (renderer_name == "software") {
    o.mode = FramePacer::Mode::kPace;
    o.why = "the software renderer's presents do not wait for the display";
  } else if (!(info.flags & SDL_RENDERER_PRESENTVSYNC)) {
    o.mode = FramePacer::Mode::kPace;
    o.why = "the renderer has no vsync";
  }
  return o;
}

RealTimeWaiter::RealTimeWaiter(PacingOptions options, PaceClock* clock)
    : options_(std::move(options)),
      clock_(clock ? clock : &RealPaceClock()),
      pacer_(options_.mode, options_.period) {
  const double hz = 1.0 / std::chrono::duration<double>(options_.period).count();
  LogInfo(options_.mode == FramePacer::Mode::kPace
              ? "frame pacing: " + std::to_string(std::lround(hz)) + " Hz" +
                    (options_.why.empty() ? "" : " (" + options_.why + ")")
              : "frame pacing: measuring whether presents wait for the display (" +
                    std::to_string(std::lround(hz)) + " Hz)");
}

bool RealTimeWaiter::WaitForEvent(SDL_Event* event, TimePoint until) {
  auto wait = std::chrono::duration_cast<milliseconds>(until - clock_->Now());
  int timeout = static_cast<int>(std::max<long long>(wait.count(), 1));
  if (options_.native_wait) return SDL_WaitEventTimeout(event, timeout);
  if (SDL_PollEvent(event)) return true;
  SDL_Delay(static_cast<Uint32>(std::min(timeout, 50)));
  return SDL_PollEvent(event);
}

void RealTimeWaiter::PaceFrame() {
  const TimePoint now = clock_->Now();
  const TimePoint due = pacer_.Due(now);
  if (due > now) clock_->SleepUntil(due);
}

void RealTimeWaiter::Presented() {
  const bool was_measuring = pacer_.measuring();
  pacer_.Presented(clock_->Now());
  if (!was_measuring || pacer_.measuring()) return;
  const double hz = 1.0 / std::chrono::duration<double>(pacer_.period()).count();
  LogInfo(pacer_.pacing() ? "frame pacing: presents came " + Milliseconds(pacer_.measured()) +
                                " apart unpaced, so they do not wait for the display: paced to " +
                                std::to_string(std::lround(hz)) + " Hz"
                          : "frame pacing: presents come " + Milliseconds(pacer_.measured()) +
                                " apart: the display's vsync paces them");
}

void RealTimeWaiter::Sleep(milliseconds period) { clock_->SleepUntil(clock_->Now() + period); }

// ---------------------------------------------------------------------------
// FrameLoop

FrameLoop::FrameLoop(SDL_Window* window, SDL_Renderer* renderer, const Clock& clock,
                     render::Show& show, render::Presenter& presenter, PlayUpdates& updates,
                     FrameWaiter& waiter, FrameLoopOptions options)
    : window_(window),
      renderer_(renderer),
      clock_(clock),
      show_(show),
      presenter_(presenter),
      updates_(updates),
      waiter_(waiter),
      options_(options),
      wake_event_(SDL_RegisterEvents(1)) {
  UpdateSize();
}

FrameLoop::~FrameLoop() {
  if (rotated_) SDL_DestroyTexture(rotated_);
}

std::function<void()> FrameLoop::Waker() const {
  return [event = wake_event_] {
    SDL_Event e{};
    e.type = event;
    SDL_PushEvent(&e);  // thread-safe
  };
}

int FrameLoop::Run() {
  while (Round()) {
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  LogInfo(std::to_string(show_.slide_changes()) + " slide changes, " + std::to_string(frames_) +
          " frames in " + std::to_string(seconds) + " s");
  return kExitOk;
}

bool FrameLoop::Round() {
  if (ScreenOff()) {
    redraw_ = true;  // the whole picture again once the screen is back on
    return !quit_;
  }
  const bool animating = presenter_.Animating(show_);
  HandleEvents(animating);
  if (quit_) return false;
  DeliverUpdates();
  const bool changed = show_.Tick();
  if (!(redraw_ || changed || animating)) return true;
  // Moving pictures wait for their frame's time (app/frame_pacer.h).
  if (animating) waiter_.PaceFrame();
  const bool presented = DrawAndPresent();
  if (first_) AfterFirstFrame();
  redraw_ = false;
  if (!show_.transitioning()) presenter_.PrepareUpcoming(show_);
  if (observer_ && presented) observer_->Presented();
  return !quit_ && !Finished();
}

// The systemd watchdog ping and screen power, once per round. True while the
// screen is off: then it has drawn black once and waits until the next
// minute, ping, event or update (at most 250 ms, so a stop is prompt).
bool FrameLoop::ScreenOff() {
  if (watchdog_) watchdog_->Ping();
  if (screen_power_) screen_power_->SetActiveAlert(show_.alerts().HighestSeverity());
  if (!screen_power_ || !screen_power_->Update()) {
    if (screen_black_) updates_.SetScreenOn(true);
    screen_black_ = false;
    return false;
  }
  if (!screen_black_) {
    whole_next_ = true;
    SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
    SDL_RenderClear(renderer_);
    SDL_RenderPresent(renderer_);
    screen_black_ = true;
    if (first_) started_off_ = true;
    updates_.SetScreenOn(false);
    if (watchdog_) watchdog_->Ready();
  }
  waiter_.Sleep(milliseconds(std::min<long long>(WaitCapMs(), 250)));
  SDL_Event ev;
  while (SDL_PollEvent(&ev)) Handle(ev);
  DeliverUpdates();
  return true;
}

// The longest the loop may wait: until the next watchdog ping or minute.
long long FrameLoop::WaitCapMs() const {
  long long cap = 60000;
  if (watchdog_) cap = std::min<long long>(cap, watchdog_->UntilNextPing().count());
  if (screen_power_) cap = std::min<long long>(cap, screen_power_->UntilNextCheck().count() + 1);
  return std::max<long long>(cap, 1);
}

// While something moves or a redraw is due, only what is queued is handled;
// otherwise the loop waits for an event or the next deadline (slide end,
// clock minute, notice expiry), whichever comes first.
void FrameLoop::HandleEvents(bool animating) {
  SDL_Event ev;
  bool got = false;
  if (redraw_ || animating) {
    got = SDL_PollEvent(&ev);
  } else {
    const auto now = clock_.MonotonicNow();
    const auto deadline = std::min(show_.NextDeadline(), presenter_.NextClockChange());
    const auto until = std::min(deadline + milliseconds(1), now + milliseconds(WaitCapMs()));
    got = waiter_.WaitForEvent(&ev, until);
    // A deadline passed or something happened; Tick decides what changed.
    redraw_ = clock_.MonotonicNow() >= deadline || got;
  }
  while (got) {
    Handle(ev);
    got = SDL_PollEvent(&ev);
  }
}

void FrameLoop::Handle(const SDL_Event& ev) {
  if (ev.type == SDL_QUIT) {
    quit_ = true;
  } else if (ev.type == wake_event_) {
    // An update or a request: delivered after the events.
  } else if (ev.type == SDL_WINDOWEVENT) {
    if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) UpdateSize();
    // What the window showed may be gone: the next frame is whole.
    if (ev.window.event == SDL_WINDOWEVENT_EXPOSED || ev.window.event == SDL_WINDOWEVENT_SHOWN ||
        ev.window.event == SDL_WINDOWEVENT_RESTORED) {
      whole_next_ = true;
      redraw_ = true;
    }
  } else if (ev.type == SDL_RENDER_TARGETS_RESET || ev.type == SDL_RENDER_DEVICE_RESET) {
    LogInfo("renderer reset: textures are made again");
    presenter_.RendererReset();
    whole_next_ = true;
    if (ev.type == SDL_RENDER_DEVICE_RESET) {
      if (rotated_) SDL_DestroyTexture(rotated_);
      rotated_ = nullptr;
      UpdateSize();  // makes the rotation target again
    }
  } else if (ev.type == SDL_KEYDOWN) {
    switch (ev.key.keysym.sym) {
      case SDLK_RIGHT:
        show_.Next();
        break;
      case SDLK_LEFT:
        show_.Previous();
        break;
      case SDLK_SPACE:
        show_.TogglePause();
        LogInfo(show_.paused() ? "paused" : "resumed");
        break;
      case SDLK_r:
        LogInfo("reload requested");
        updates_.RequestReload();
        break;
      case SDLK_f: {
        bool full = SDL_GetWindowFlags(window_) & SDL_WINDOW_FULLSCREEN;
        SDL_SetWindowFullscreen(window_, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
      }
      case SDLK_q:
      case SDLK_ESCAPE:
        quit_ = true;
        break;
      default:
        break;
    }
  }
}

void FrameLoop::DeliverUpdates() { updates_.Frame(show_, frames_); }

bool FrameLoop::DrawAndPresent() {
  const std::vector<SDL_Rect> drawn = DrawPicture();
  updates_.FrameDrawn(renderer_);  // screenshot read-back, when asked
  if (drawn.empty()) return false;
  if (observer_) observer_->Drawn(renderer_);
  const bool whole = drawn.size() == 1 && drawn[0].w == out_w_ && drawn[0].h == out_h_;
  if (options_.present_changes && !whole && window_) {
    // The software renderer draws into the window's surface: once its
    // queue is flushed, the surface holds the frame, and only the
    // rectangles that changed go to the screen.
    SDL_RenderFlush(renderer_);
    if (SDL_UpdateWindowSurfaceRects(window_, drawn.data(), static_cast<int>(drawn.size())) != 0)
      SDL_RenderPresent(renderer_);
  } else {
    SDL_RenderPresent(renderer_);
  }
  waiter_.Presented();
  ++frames_;
  return true;
}

// The wall clock goes in the line so that bench/first_frame.sh can measure
// from the moment it launched the process (/proc's start time has only 10 ms
// resolution).
void FrameLoop::AfterFirstFrame() {
  first_ = false;
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  char realtime[40];
  std::snprintf(realtime, sizeof realtime, "%lld.%06ld", static_cast<long long>(now.tv_sec),
                now.tv_nsec / 1000);
  // Started in off hours, the first picture waits for the screen to come
  // on: the figure is then no start-up time, and the log says so.
  LogInfo("first frame presented " + std::to_string(std::lround(MsSinceProcessStart())) +
          " ms after process start (realtime " + realtime + ")" +
          (started_off_ ? ", when the screen came on after off hours" : ""));
  if (watchdog_) watchdog_->Ready();
  if (options_.exit_after_first_frame) quit_ = true;
  if (options_.fullscreen_after_first_frame) {
    SDL_SetWindowFullscreen(window_, SDL_WINDOW_FULLSCREEN_DESKTOP);
    UpdateSize();
    redraw_ = true;
  }
}

// Accelerated runs end once the N-th change has fully faded in.
bool FrameLoop::Finished() const {
  const int n = options_.exit_after_slides;
  return n > 0 &&
         (show_.slide_changes() > n || (show_.slide_changes() == n && !show_.transitioning()));
}

void FrameLoop::UpdateSize() {
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(renderer_, &w, &h);
  out_w_ = w;
  out_h_ = h;
  const int rotate = options_.rotate;
  bool swap = rotate == 90 || rotate == 270;
  int lw = swap ? h : w, lh = swap ? w : h;
  if (rotated_) SDL_DestroyTexture(rotated_);
  rotated_ = nullptr;
  if (rotate != 0) {
    rotated_ =
        SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, lw, lh);
  }
  presenter_.SetSize(lw, lh);
  updates_.SetLayoutSize(lw, lh);
  whole_next_ = true;
  const bool same = w == logged_w_ && h == logged_h_;
  logged_w_ = w;
  logged_h_ = h;
  if (same) return;  // SDL reports the first size twice at start
  LogInfo("screen " + std::to_string(w) + "x" + std::to_string(h) +
          (rotate ? ", rotated " + std::to_string(rotate) : std::string()) + ", layout " +
          std::to_string(lw) + "x" + std::to_string(lh));
}

std::vector<SDL_Rect> FrameLoop::DrawPicture() {
  const std::vector<SDL_Rect> whole{{0, 0, out_w_, out_h_}};
  if (!rotated_) {
    if (options_.present_changes && !whole_next_) return presenter_.DrawChanges(show_);
    presenter_.Draw(show_);
    whole_next_ = false;
    return whole;
  }
  SDL_SetRenderTarget(renderer_, rotated_);
  presenter_.Draw(show_);  // draws to the current target
  SDL_SetRenderTarget(renderer_, nullptr);
  int lw = presenter_.width(), lh = presenter_.height();
  SDL_Rect dst{(out_w_ - lw) / 2, (out_h_ - lh) / 2, lw, lh};
  SDL_SetTextureBlendMode(rotated_, SDL_BLENDMODE_NONE);
  SDL_RenderCopyEx(renderer_, rotated_, nullptr, &dst, options_.rotate, nullptr, SDL_FLIP_NONE);
  return whole;
}

}  // namespace nb::app
