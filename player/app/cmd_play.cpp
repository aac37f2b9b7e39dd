// `noticeboard play`: shows a playlist full screen (or in a preview window),
// with the frame loop, keys, rotation and hot reload.
//
// The frame thread owns SDL. While something moves (ticker, crossfade) a
// frame is drawn every vsync (or every 1/60 s when the renderer has no
// vsync); when nothing moves the loop sleeps in SDL_WaitEventTimeout until an
// event or the next deadline (slide end, clock minute, notice expiry).
// Playlist loading and validation happen on the reloader's thread.
#include <SDL.h>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "app/play_updates.h"
#include "app/player_setup.h"
#include "app/screen_power.h"
#include "app/watchdog.h"
#include "base/log.h"
#include "render/glyph_atlas.h"
#include "render/presenter.h"
#include "render/show.h"
#include "update/config.h"
#include "update/file_watch.h"

namespace nb::app {
namespace {

struct PlayOptions {
  std::string playlist;
  std::string window;
  int rotate = 0;
  std::string theme;
  int exit_after_slides = 0;            // hidden: accelerated runs for benchmarks
  bool exit_after_first_frame = false;  // hidden: start-up time (bench/first_frame.sh)
  double slide_seconds = 0;             // hidden: overrides every duration
  bool software = false;
  std::string config;     // update paths (USB, pull, push API); empty: off
  std::string state_dir;  // overrides the config's state_dir
};

// Milliseconds since this process started (from /proc, 10 ms resolution).
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

// The reason as it fits a notice on screen (the log has all of it).
std::string ShortReason(std::string reason) {
  std::size_t cut = reason.find("; last read");
  if (cut != std::string::npos) reason.resize(cut);
  if (reason.size() > 160) {
    std::size_t end = 160;
    while (end > 0 && (static_cast<unsigned char>(reason[end]) & 0xC0) == 0x80) --end;
    reason = reason.substr(0, end) + "……";
  }
  return reason;
}

class FrameLoop {
 public:
  FrameLoop(SDL_Window* window, SDL_Renderer* renderer, bool vsync, int rotate, render::Show& show,
            render::Presenter& presenter, update::PlaylistReloader& reloader, Uint32 wake_event,
            int exit_after_slides)
      : window_(window),
        renderer_(renderer),
        vsync_(vsync),
        rotate_(rotate),
        show_(show),
        presenter_(presenter),
        reloader_(reloader),
        wake_event_(wake_event),
        exit_after_slides_(exit_after_slides) {}
  ~FrameLoop() {
    if (rotated_) SDL_DestroyTexture(rotated_);
  }
  void set_updates(PlayUpdates* updates) { updates_ = updates; }
  void set_exit_after_first_frame(bool exit) { exit_after_first_frame_ = exit; }
  // X11 without a window manager makes SDL wait ~100 ms for a full-screen
  // acknowledgement that never comes, so the window opens borderless at the
  // desktop's size and goes full screen once the first frame is up.
  void set_fullscreen_after_first_frame(bool later) { fullscreen_after_first_frame_ = later; }
  void set_service(Watchdog* watchdog, ScreenPower* power) {
    watchdog_ = watchdog;
    screen_power_ = power;
  }

  int Run() {
    UpdateSize();
    bool redraw = true;
    bool first = true;
    auto next_frame = std::chrono::steady_clock::now();
    const auto frame_period = std::chrono::microseconds(16667);
    while (!quit_) {
      if (ServiceRound()) {  // off hours: nothing drawn until they end
        redraw = true;
        continue;
      }
      bool animating = presenter_.Animating(show_);
      SDL_Event ev;
      bool got = false;
      if (redraw || animating) {
        got = SDL_PollEvent(&ev);
      } else {
        auto deadline = std::min(show_.NextDeadline(), presenter_.NextClockChange());
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count() +
                    1;
        int timeout = static_cast<int>(std::clamp<long long>(wait, 1, ServiceWaitCapMs()));
        if (native_wait_) {
          got = SDL_WaitEventTimeout(&ev, timeout);
        } else {
          // SDL2 has no blocking wait on KMSDRM/dummy: its WaitEventTimeout
          // polls every millisecond. Checking input 20 times a second costs
          // next to nothing and keeps keys responsive.
          got = SDL_PollEvent(&ev);
          if (!got) {
            SDL_Delay(static_cast<Uint32>(std::min(timeout, 50)));
            got = SDL_PollEvent(&ev);
          }
        }
        // A deadline passed or something happened; Tick decides what changed.
        redraw = std::chrono::steady_clock::now() >= deadline || got;
      }
      while (got) {
        Handle(ev);
        got = SDL_PollEvent(&ev);
      }
      if (quit_) break;
      TakeReload();
      bool changed = show_.Tick();
      if (!(redraw || changed || animating)) continue;

      // Without vsync, pace moving pictures at 60 Hz instead of spinning.
      if (animating && !vsync_) {
        auto now = std::chrono::steady_clock::now();
        if (now < next_frame) {
          SDL_Delay(static_cast<Uint32>(
              std::chrono::duration_cast<std::chrono::milliseconds>(next_frame - now).count()));
        }
        next_frame = std::max(next_frame + frame_period, std::chrono::steady_clock::now());
      }
      DrawFrame();
      if (updates_) updates_->FrameDrawn(renderer_);  // screenshot read-back, when asked
      SDL_RenderPresent(renderer_);
      ++frames_;
      if (first) {
        first = false;
        LogFirstFrame();
        if (watchdog_) watchdog_->Ready();
        if (exit_after_first_frame_) break;
        if (fullscreen_after_first_frame_) {
          SDL_SetWindowFullscreen(window_, SDL_WINDOW_FULLSCREEN_DESKTOP);
          UpdateSize();
          redraw = true;
        }
      }
      redraw = false;
      // Between transitions, get the next slide ready (layout, glyphs, texture).
      if (!show_.transitioning()) presenter_.PrepareUpcoming(show_);
      // Accelerated runs end once the N-th change has fully faded in.
      if (exit_after_slides_ > 0 &&
          (show_.slide_changes() > exit_after_slides_ ||
           (show_.slide_changes() == exit_after_slides_ && !show_.transitioning()))) {
        break;
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    LogInfo(std::to_string(show_.slide_changes()) + " slide changes, " + std::to_string(frames_) +
            " frames in " + std::to_string(seconds) + " s");
    return kExitOk;
  }

 private:
  // The systemd watchdog ping and screen power, once per round. True while
  // the screen is off: then it has drawn black once and slept until the next
  // minute, ping, event or reload (at most 250 ms, so a stop is prompt).
  bool ServiceRound() {
    if (watchdog_) watchdog_->Ping();
    if (!screen_power_ || !screen_power_->Update()) {
      screen_black_ = false;
      return false;
    }
    if (!screen_black_) {
      SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
      SDL_RenderClear(renderer_);
      SDL_RenderPresent(renderer_);
      screen_black_ = true;
      if (watchdog_) watchdog_->Ready();
    }
    SDL_Delay(static_cast<Uint32>(std::min<long long>(ServiceWaitCapMs(), 250)));
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) Handle(ev);
    TakeReload();
    return true;
  }
  // The longest the loop may sleep: until the next watchdog ping or minute.
  long long ServiceWaitCapMs() const {
    long long cap = 60000;
    if (watchdog_) cap = std::min<long long>(cap, watchdog_->UntilNextPing().count());
    if (screen_power_) cap = std::min<long long>(cap, screen_power_->UntilNextCheck().count() + 1);
    return std::max<long long>(cap, 1);
  }

  // The wall clock goes in the line so that bench/first_frame.sh can measure
  // from the moment it launched the process (/proc's start time has only
  // 10 ms resolution).
  void LogFirstFrame() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    char realtime[40];
    std::snprintf(realtime, sizeof realtime, "%lld.%06ld", static_cast<long long>(now.tv_sec),
                  now.tv_nsec / 1000);
    LogInfo("first frame presented " + std::to_string(std::lround(MsSinceProcessStart())) +
            " ms after process start (realtime " + realtime + ")");
  }

  void UpdateSize() {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    out_w_ = w;
    out_h_ = h;
    bool swap = rotate_ == 90 || rotate_ == 270;
    int lw = swap ? h : w, lh = swap ? w : h;
    if (rotated_) SDL_DestroyTexture(rotated_);
    rotated_ = nullptr;
    if (rotate_ != 0) {
      rotated_ =
          SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, lw, lh);
    }
    presenter_.SetSize(lw, lh);
    LogInfo("screen " + std::to_string(w) + "x" + std::to_string(h) +
            (rotate_ ? ", rotated " + std::to_string(rotate_) : std::string()) + ", layout " +
            std::to_string(lw) + "x" + std::to_string(lh));
  }

  void DrawFrame() {
    if (!rotated_) {
      presenter_.Draw(show_);
      return;
    }
    SDL_SetRenderTarget(renderer_, rotated_);
    presenter_.Draw(show_);  // draws to the current target
    SDL_SetRenderTarget(renderer_, nullptr);
    int lw = presenter_.width(), lh = presenter_.height();
    SDL_Rect dst{(out_w_ - lw) / 2, (out_h_ - lh) / 2, lw, lh};
    SDL_SetTextureBlendMode(rotated_, SDL_BLENDMODE_NONE);
    SDL_RenderCopyEx(renderer_, rotated_, nullptr, &dst, rotate_, nullptr, SDL_FLIP_NONE);
  }

  void TakeReload() {
    while (auto result = reloader_.Take()) {
      if (result->playlist) {
        show_.Offer(result->playlist);
      } else {
        show_.Notice("新播放列表有误，继续播放当前列表：" + ShortReason(result->error));
      }
    }
    if (updates_) updates_->Frame(show_, frames_);
  }

  void Handle(const SDL_Event& ev) {
    if (ev.type == SDL_QUIT) {
      quit_ = true;
    } else if (ev.type == wake_event_) {
      // A reload result: taken after the event loop.
    } else if (ev.type == SDL_WINDOWEVENT) {
      if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) UpdateSize();
    } else if (ev.type == SDL_RENDER_TARGETS_RESET || ev.type == SDL_RENDER_DEVICE_RESET) {
      LogInfo("renderer reset: textures are made again");
      presenter_.RendererReset();
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
          reloader_.RequestReload();
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

  SDL_Window* window_;
  SDL_Renderer* renderer_;
  bool vsync_;
  int rotate_;
  render::Show& show_;
  render::Presenter& presenter_;
  update::PlaylistReloader& reloader_;
  PlayUpdates* updates_ = nullptr;
  Watchdog* watchdog_ = nullptr;
  ScreenPower* screen_power_ = nullptr;
  bool screen_black_ = false;
  Uint32 wake_event_;
  int exit_after_slides_;
  bool exit_after_first_frame_ = false;
  bool fullscreen_after_first_frame_ = false;
  // X11 and Wayland wait for events in the kernel; other drivers busy-poll.
  bool native_wait_ = std::string_view(SDL_GetCurrentVideoDriver()) == "x11" ||
                      std::string_view(SDL_GetCurrentVideoDriver()) == "wayland";
  bool quit_ = false;
  int out_w_ = 0, out_h_ = 0;
  SDL_Texture* rotated_ = nullptr;
  long frames_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// The config's "playlist" and "theme" stand in for a PLAYLIST or --theme not
// given on the command line. Returns false (after saying why) on a bad config
// or when no playlist is named anywhere.
// Reads the config named by --config once (false: its errors are printed) and
// takes the playlist and theme from it when the command line names none.
bool ReadConfigAndDefaults(const std::string& cmd, PlayOptions* o,
                           std::optional<update::Config>* config) {
  if (!o->config.empty()) {
    std::vector<playlist::Diagnostic> errors;
    *config = update::LoadConfigFile(Env::Default().fs(), o->config, &errors);
    if (!*config) {
      for (const auto& e : errors)
        std::cerr << "noticeboard " << cmd << ": " << e.ToString() << "\n";
      return false;
    }
    if (o->playlist.empty()) o->playlist = (*config)->playlist;
    if (o->theme.empty()) o->theme = (*config)->theme;
  }
  if (o->playlist.empty() && o->config.empty()) {
    std::cerr << "noticeboard " << cmd << ": no playlist: name one (noticeboard play PLAYLIST) "
              << "or give a config (--config) whose updates bring one\n";
    return false;
  }
  return true;
}

int RunPlay(const PlayOptions& options) {
  const std::string cmd = "play";
  PlayOptions o = options;
  std::optional<update::Config> config;
  if (!ReadConfigAndDefaults(cmd, &o, &config)) {
    return o.config.empty() ? kExitUsage : kExitInvalidInput;
  }
#ifdef __GLIBC__
  // Slide textures (megabytes each) come and go with every slide: a fixed
  // mmap threshold gives their memory back to the system when they are freed
  // instead of letting the heap grow (glibc raises the threshold otherwise).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  // One arena: the font thread's allocations (font tables) would otherwise
  // pin a second arena's worth of partly used pages for the whole run.
  mallopt(M_ARENA_MAX, 1);
#endif
  int win_w = 0, win_h = 0;
  if (!o.window.empty() && !ParseSize(o.window, &win_w, &win_h)) {
    std::cerr << "noticeboard play: --window " << o.window
              << ": expected WIDTHxHEIGHT, e.g. 1280x720\n";
    return kExitUsage;
  }
  render::Theme theme;
  if (!LoadThemeOrReport(cmd, o.theme, &theme)) return kExitInvalidInput;
  // Fonts open on another thread (fontconfig, the font files) while the
  // playlist is parsed and the display comes up; the engine is used by the
  // frame thread only after get().
  auto engine_future =
      std::async(std::launch::async, [&] { return CreateEngineOrReport(cmd, theme); });
  std::string text;
  std::shared_ptr<const playlist::Playlist> playlist;
  if (!o.playlist.empty()) playlist = LoadPlaylistOrReport(cmd, o.playlist, &text);
  std::unique_ptr<PlayUpdates> updates;
  std::string waiting;  // why the screen waits for an update, on screen for a while
  if (config || !o.state_dir.empty()) {
    updates = PlayUpdates::Create(config ? &*config : nullptr, o.state_dir,
                                  playlist ? o.playlist : std::string());
    if (!updates) return kExitInvalidInput;
    if (updates->stored()) {
      // The last update received is newer than the file, or the file is unusable.
      if (!playlist && !o.playlist.empty())
        LogError(o.playlist + ": unusable, playing the stored playlist");
      playlist = updates->stored();
    } else if (playlist) {
      updates->SetInitial(playlist, "file:" + o.playlist);
    } else if (config) {
      // A screen with a config keeps running with nothing to play yet (a new
      // screen, or a broken file): the idle slide shows the name and the
      // clock until a USB stick, a pull, the API or a fixed file brings one.
      waiting = o.playlist.empty() ? "尚无播放列表：等待U盘、网络或推送更新"
                                   : "播放列表无法使用：等待更新（详见日志）";
      LogWarning(std::string(o.playlist.empty() ? "no playlist configured"
                                                : o.playlist + " cannot be played") +
                 ": showing the idle slide until an update brings one");
      auto placeholder = std::make_shared<playlist::Playlist>();
      placeholder->title = "Noticeboard";  // the band until the theme or a playlist names it
      playlist = std::move(placeholder);
    }
  }
  if (!playlist) return kExitInvalidInput;
  LogDebug("start-up: playlist and theme loaded at " +
           std::to_string(std::lround(MsSinceProcessStart())) + " ms");

  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    std::cerr << "noticeboard play: cannot open the display: " << SDL_GetError() << "\n";
    return kExitInvalidInput;
  }
  LogInfo(std::string("video driver: ") + SDL_GetCurrentVideoDriver());
  Uint32 flags = o.window.empty() ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
  int win_x = SDL_WINDOWPOS_CENTERED, win_y = SDL_WINDOWPOS_CENTERED;
  bool fullscreen_after_first_frame = false;
  if (o.window.empty()) {
    SDL_DisplayMode mode;
    SDL_Rect bounds;
    if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
      win_w = mode.w;
      win_h = mode.h;
    }
    // See FrameLoop::set_fullscreen_after_first_frame.
    if (std::string_view(SDL_GetCurrentVideoDriver()) == "x11" && win_w > 0 &&
        SDL_GetDisplayBounds(0, &bounds) == 0) {
      flags = SDL_WINDOW_BORDERLESS;
      win_x = bounds.x;
      win_y = bounds.y;
      fullscreen_after_first_frame = true;
    }
  }
  SDL_Window* window = SDL_CreateWindow("Noticeboard", win_x, win_y, win_w, win_h, flags);
  if (!window) {
    std::cerr << "noticeboard play: cannot open a window: " << SDL_GetError() << "\n";
    SDL_Quit();
    return kExitInvalidInput;
  }
  LogDebug("start-up: window open at " + std::to_string(std::lround(MsSinceProcessStart())) +
           " ms");
  SDL_Renderer* renderer = nullptr;
  if (!o.software) {
    renderer = SDL_CreateRenderer(
        window, -1,
        SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_TARGETTEXTURE);
  }
  if (!renderer) {
    // The software renderer presents through the window's own framebuffer
    // (XShm on X11), not through an OpenGL texture, which on a machine
    // without a GPU would load Mesa's llvmpipe: +300 ms to the first frame.
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
  }
  if (!renderer) {
    std::cerr << "noticeboard play: cannot draw: " << SDL_GetError() << "\n";
    SDL_DestroyWindow(window);
    SDL_Quit();
    return kExitInvalidInput;
  }
  SDL_RendererInfo info;
  SDL_GetRendererInfo(renderer, &info);
  bool vsync = (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
  LogInfo(std::string("renderer: ") + info.name + (vsync ? ", vsync" : ", no vsync"));
  SDL_ShowCursor(SDL_DISABLE);
  SDL_DisableScreenSaver();
  std::unique_ptr<text::TextEngine> engine = engine_future.get();
  text::ReleaseFontDiscovery();  // the fonts are open; play finds no more
  LogDebug("start-up: fonts opened at " + std::to_string(std::lround(MsSinceProcessStart())) +
           " ms");
  if (!engine) {
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return kExitInvalidInput;
  }

  int code = kExitOk;
  {
    SystemClock clock;
    Uint32 wake_event = SDL_RegisterEvents(1);
    update::PlaylistReloader reloader(Env::Default().fs(), o.playlist, [wake_event] {
      SDL_Event e{};
      e.type = wake_event;
      SDL_PushEvent(&e);
    });
    if (updates) updates->RouteFileEdits(reloader);  // edits are stored like any update
    if (!o.playlist.empty()) {
      Status watch = reloader.Start(text);
      if (!watch.ok()) LogWarning("hot reload is off: " + watch.message());
    }
    if (updates) {
      updates->SetWake([wake_event] {
        SDL_Event e{};
        e.type = wake_event;
        SDL_PushEvent(&e);
      });
    }
    render::ShowOptions show_options;
    show_options.notice_seconds = theme.notice_seconds;
    if (o.slide_seconds > 0) show_options.slide_seconds = o.slide_seconds;
    render::Show show(clock, playlist, show_options);
    if (!waiting.empty()) show.Notice(waiting);
    // Glyph room for the largest the picture gets: the screen, or for a
    // preview window the whole display it can be maximized to.
    int pic_w = 0, pic_h = 0;
    SDL_GetRendererOutputSize(renderer, &pic_w, &pic_h);
    SDL_DisplayMode desktop{};
    if (!o.window.empty() &&
        SDL_GetDesktopDisplayMode(std::max(0, SDL_GetWindowDisplayIndex(window)), &desktop) == 0 &&
        desktop.w * desktop.h > pic_w * pic_h) {
      pic_w = desktop.w;
      pic_h = desktop.h;
    }
    if (o.rotate == 90 || o.rotate == 270) std::swap(pic_w, pic_h);
    const render::AtlasBudget budget = render::AtlasBudgetFor(theme, pic_w, pic_h);
    auto atlas = render::GlyphAtlas::Create(renderer, *engine, budget.page_size, budget.max_pages);
    LogDebug("glyph atlas: up to " + std::to_string(budget.max_pages) + " pages of " +
             std::to_string(budget.page_size) + " px");
    render::Presenter presenter(renderer, *engine, *atlas, theme, clock);
    presenter.SetQuickStart();  // the ticker's headlines come a frame after the first present
    FrameLoop loop(window, renderer, vsync, o.rotate, show, presenter, reloader, wake_event,
                   o.exit_after_slides);
    loop.set_updates(updates.get());
    loop.set_exit_after_first_frame(o.exit_after_first_frame);
    loop.set_fullscreen_after_first_frame(fullscreen_after_first_frame);
    auto watchdog = Watchdog::FromSystemd(clock);
    auto screen_power = config ? ScreenPower::FromConfig(*config, clock) : nullptr;
    loop.set_service(watchdog.get(), screen_power.get());
    code = loop.Run();
    watchdog->Stopping();
    LogDebug("glyph atlas evictions: " + std::to_string(atlas->evictions()));
    reloader.Stop();
    updates.reset();  // stops the update threads while SDL is still up
  }
  SDL_DestroyRenderer(renderer);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return code;
}

}  // namespace

void RegisterPlayCommand(CLI::App& app, CommandRegistry& registry) {
  auto opts = std::make_shared<PlayOptions>();
  CLI::App* sub = app.add_subcommand("play", "Show a playlist full screen (or in a window)");
  sub->add_option("playlist", opts->playlist,
                  "Playlist JSON file (watched for changes); default: the config's \"playlist\"");
  sub->add_option("--window", opts->window,
                  "Open a resizable preview window of WIDTHxHEIGHT instead of full screen");
  sub->add_option("--rotate", opts->rotate, "Screen rotation: 0, 90, 180 or 270 (90/270: portrait)")
      ->check(CLI::IsMember({0, 90, 180, 270}));
  sub->add_option("--theme", opts->theme, "Theme JSON file (default: the built-in theme)");
  sub->add_option("--exit-after-slides", opts->exit_after_slides)->group("");
  sub->add_flag("--exit-after-first-frame", opts->exit_after_first_frame)->group("");
  sub->add_option("--slide-seconds", opts->slide_seconds)->group("");
  sub->add_flag("--software", opts->software, "Use SDL's software renderer")->group("");
  sub->add_option("--config", opts->config,
                  "Screen config (e.g. /etc/noticeboard/config.json): turns on the update paths "
                  "it sets up (USB sticks, pull, push API) and plays the stored playlist");
  sub->add_option("--state-dir", opts->state_dir,
                  "State folder, overriding the config's (default /var/lib/noticeboard); "
                  "alone, without --config, edits of the playlist file are stored there");
  sub->footer(
      "Keys: right/left next/previous slide, space pause, r reload, f full screen, q or Esc quit.");
  registry.Add(sub, [opts] { return RunPlay(*opts); });
}

}  // namespace nb::app
