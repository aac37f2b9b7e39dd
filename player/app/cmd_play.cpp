// `noticeboard play`: shows a playlist full screen (or in a preview window):
// start-up (config, fonts, display, renderer), then the frame loop
// (app/frame_loop.h) with every update path (app/play_updates.h).
#include <SDL.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "app/frame_loop.h"
#include "app/play_updates.h"
#include "app/player_setup.h"
#include "app/preview_renderer.h"
#include "app/screen_power.h"
#include "app/watchdog.h"
#include "base/log.h"
#include "render/glyph_atlas.h"
#include "render/presenter.h"
#include "render/show.h"
#include "update/config.h"

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
  bool accelerated = false;  // an accelerated renderer even without a display
  std::string config;        // update paths (USB, pull, push API); empty: off
  std::string state_dir;     // overrides the config's state_dir
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
      for (const auto& e : errors) PrintError("noticeboard " + cmd + ": " + e.ToString());
      return false;
    }
    if (o->playlist.empty()) o->playlist = (*config)->playlist;
    if (o->theme.empty()) o->theme = (*config)->theme;
  }
  if (o->playlist.empty() && o->config.empty()) {
    PrintError("noticeboard " + cmd +
               ": no playlist: name one (noticeboard play PLAYLIST) or give a config (--config) "
               "whose updates bring one");
    return false;
  }
  return true;
}

// What to check when SDL opens no display, for the person reading the
// journal of a black lobby screen: on a Pi it is nearly always the KMS
// driver (no /dev/dri), the TV, or the service's groups.
std::string DisplayFailureHint() {
  std::error_code ec;
  std::string hint = std::filesystem::exists("/dev/dri", ec)
                         ? "Nothing can be shown on this machine."
                         : "Nothing can be shown: there is no /dev/dri (no graphics driver).";
  return hint +
         " On a Raspberry Pi check that /boot/firmware/config.txt has the line "
         "dtoverlay=vc4-kms-v3d (then reboot), that the TV is connected and on, and that "
         "`id noticeboard` lists video and render. See \"No display found\" in the lobby "
         "guide (/usr/share/doc/noticeboard/LOBBY-GUIDE.md). Exit code 3.";
}

int RunPlay(const PlayOptions& options) {
  const std::string cmd = "play";
  PlayOptions o = options;
  std::optional<update::Config> config;
  if (!ReadConfigAndDefaults(cmd, &o, &config)) {
    return o.config.empty() ? kExitUsage : kExitInvalidInput;
  }
  ConfigureAllocator();
  int win_w = 0, win_h = 0;
  if (!o.window.empty() && !ParseSize(o.window, &win_w, &win_h)) {
    PrintError("noticeboard play: --window " + o.window + ": expected WIDTHxHEIGHT, e.g. 1280x720");
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
  // Every update path, the edits of the file among them, takes one pipeline.
  // The web console's previews draw with the screen's theme, on their own
  // engine and thread (console/preview.h); made only when the console is on.
  std::unique_ptr<console::PreviewRenderer> preview;
  if (config && config->api.enabled && config->api.console)
    preview = std::make_unique<SlidePreviewRenderer>(theme, FontConfigFor(theme));
  std::unique_ptr<PlayUpdates> updates =
      PlayUpdates::Create(config ? &*config : nullptr, o.state_dir,
                          playlist ? o.playlist : std::string(), std::move(preview));
  if (!updates) return kExitInvalidInput;
  std::string waiting;  // why the screen waits for an update, on screen for a while
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
  if (!playlist) return kExitInvalidInput;
  LogDebug("start-up: playlist and theme loaded at " +
           std::to_string(std::lround(MsSinceProcessStart())) + " ms");

  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    PrintError(std::string("noticeboard play: cannot open the display: ") + SDL_GetError() + ". " +
               DisplayFailureHint());
    return kExitEnvironment;
  }
  LogInfo(std::string("video driver: ") + SDL_GetCurrentVideoDriver());
  // Without a display SDL falls back to drawing nowhere (offscreen, or
  // dummy): play would "run" with nothing visible. Only a person who asked
  // for that (SDL_VIDEODRIVER, for tests) gets it.
  const std::string driver = SDL_GetCurrentVideoDriver();
  const char* asked = std::getenv("SDL_VIDEODRIVER");
  if ((driver == "offscreen" || driver == "dummy") && !(asked && *asked)) {
    SDL_Quit();
    PrintError(
        "noticeboard play: no display found, so nothing would be visible (SDL fell back to its " +
        driver +
        " driver). On a Raspberry Pi, run it on the console itself or as the service "
        "(sudo systemctl start noticeboard), not over SSH; on a desktop, from its session. To "
        "see the slides without a screen: noticeboard render PLAYLIST --out slides/. To test "
        "the service without a screen: SDL_VIDEODRIVER=dummy (play then draws with the "
        "software renderer).");
    return kExitEnvironment;
  }
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
    // See FrameLoopOptions::fullscreen_after_first_frame.
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
    PrintError(std::string("noticeboard play: cannot open a window: ") + SDL_GetError() + ". " +
               DisplayFailureHint());
    SDL_Quit();
    return kExitEnvironment;
  }
  LogDebug("start-up: window open at " + std::to_string(std::lround(MsSinceProcessStart())) +
           " ms");
  // Headless (the dummy or offscreen driver, asked for): an accelerated
  // renderer there is Mesa's offscreen EGL on llvmpipe, which shows nothing
  // and grows by a gigabyte and more within a minute; the software one
  // draws the same picture in a few megabytes.
  const bool headless = driver == "offscreen" || driver == "dummy";
  if (headless && !o.software && !o.accelerated) {
    LogInfo("no display (" + driver +
            " driver): drawing with the software renderer (--accelerated asks for the GPU's)");
  }
  const bool software = o.software || (headless && !o.accelerated);
  SDL_Renderer* renderer = nullptr;
  if (!software) {
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
    PrintError(std::string("noticeboard play: cannot draw: ") + SDL_GetError());
    SDL_DestroyWindow(window);
    SDL_Quit();
    return kExitEnvironment;
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
    if (!o.playlist.empty()) {
      Status watch = updates->WatchFile(o.playlist, text);
      if (!watch.ok()) LogWarning("hot reload is off: " + watch.message());
    }
    render::ShowOptions show_options;
    show_options.notice_seconds = theme.notice_seconds;
    if (o.slide_seconds > 0) show_options.slide_seconds = o.slide_seconds;
    render::Show show(clock, playlist, show_options);
    if (!waiting.empty()) show.Notice(waiting, NoticeKind::kSuccess);
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
    RealTimeWaiter waiter(PacingFor(window, renderer));
    FrameLoopOptions loop_options;
    loop_options.rotate = o.rotate;
    updates->SetRotation(o.rotate);
    // The software renderer draws into the window's own surface, which keeps
    // the last frame: a frame of the ticker draws and sends only its band.
    loop_options.present_changes = std::string_view(info.name) == "software" && o.rotate == 0;
    loop_options.exit_after_slides = o.exit_after_slides;
    loop_options.exit_after_first_frame = o.exit_after_first_frame;
    loop_options.fullscreen_after_first_frame = fullscreen_after_first_frame;
    FrameLoop loop(window, renderer, clock, show, presenter, *updates, waiter, loop_options);
    updates->SetWake(loop.Waker());
    auto watchdog = Watchdog::FromSystemd(clock);
    auto screen_power = config ? ScreenPower::FromConfig(*config, clock) : nullptr;
    loop.set_service(watchdog.get(), screen_power.get());
    code = loop.Run();
    watchdog->Stopping();
    LogDebug("glyph atlas evictions: " + std::to_string(atlas->evictions()));
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
  sub->add_flag("--software", opts->software,
                "Draw with SDL's software renderer (the CPU) even when a GPU is there");
  sub->add_flag("--accelerated", opts->accelerated,
                "Without a display (SDL_VIDEODRIVER=dummy or offscreen) play draws with the "
                "software renderer; this asks for an accelerated one anyway (with Mesa that is "
                "its offscreen GL: a gigabyte and more)")
      ->excludes("--software");
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
