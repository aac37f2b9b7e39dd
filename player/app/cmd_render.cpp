// `noticeboard render`: draws the slides of a playlist to PNG files without a
// display (SDL's software renderer on a memory surface), one per slide plus a
// contact sheet; with --frames transition, every frame of one crossfade.
// The same Show and Presenter as `play` draw the pictures.
#include <SDL.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "app/player_setup.h"
#include "base/log.h"
#include "base/manual_clock.h"
#include "playlist/schedule.h"
#include "render/glyph_atlas.h"
#include "render/png.h"
#include "render/presenter.h"
#include "render/show.h"

namespace nb::app {
namespace {

struct RenderOptions {
  std::string playlist;
  std::string out;
  std::string size = "1920x1080";
  std::string at;
  std::string theme;
  std::string frames;
};

render::Image ReadFrame(SDL_Renderer* renderer, int w, int h) {
  render::Image image;
  image.width = w;
  image.height = h;
  image.rgba.resize(static_cast<std::size_t>(w) * h * 4);
  SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(), w * 4);
  return image;
}

// A grid of downscaled slides (box filter), for a quick look at everything.
render::Image ContactSheet(const std::vector<render::Image>& slides) {
  render::Image sheet;
  if (slides.empty()) return sheet;
  int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(slides.size()))));
  int rows = (static_cast<int>(slides.size()) + cols - 1) / cols;
  int sw = slides[0].width, sh = slides[0].height;
  int factor = std::max(1, std::max(sw, sh) / 480);
  int tw = sw / factor, th = sh / factor, gap = 16;
  sheet.width = cols * tw + (cols + 1) * gap;
  sheet.height = rows * th + (rows + 1) * gap;
  sheet.rgba.assign(static_cast<std::size_t>(sheet.width) * sheet.height * 4, 0);
  for (std::size_t i = 0; i < sheet.rgba.size(); i += 4) {
    sheet.rgba[i] = sheet.rgba[i + 1] = sheet.rgba[i + 2] = 0x30;
    sheet.rgba[i + 3] = 0xFF;
  }
  for (std::size_t n = 0; n < slides.size(); ++n) {
    int ox = gap + static_cast<int>(n % cols) * (tw + gap);
    int oy = gap + static_cast<int>(n / cols) * (th + gap);
    const render::Image& s = slides[n];
    for (int y = 0; y < th; ++y) {
      for (int x = 0; x < tw; ++x) {
        unsigned sum[4] = {0, 0, 0, 0};
        for (int dy = 0; dy < factor; ++dy) {
          const std::uint8_t* row =
              &s.rgba[(static_cast<std::size_t>(y * factor + dy) * s.width + x * factor) * 4];
          for (int dx = 0; dx < factor; ++dx) {
            for (int c = 0; c < 4; ++c) sum[c] += row[dx * 4 + c];
          }
        }
        std::uint8_t* dst =
            &sheet.rgba[(static_cast<std::size_t>(oy + y) * sheet.width + ox + x) * 4];
        for (int c = 0; c < 4; ++c) dst[c] = static_cast<std::uint8_t>(sum[c] / (factor * factor));
      }
    }
  }
  return sheet;
}

std::string SlideFileName(int number, const render::SlideRef& ref) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "slide-%02d", number);
  std::string name = buf;
  if (ref.idle()) return name + "-idle.png";
  // Ids are made of [A-Za-z0-9_-] in practice; anything else becomes '_'.
  std::string id;
  for (char c : ref.item()->id)
    id += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  return name + "-" + id.substr(0, 40) + ".png";
}

int RunRender(const RenderOptions& o) {
  const std::string cmd = "render";
  int width = 0, height = 0;
  if (!ParseSize(o.size, &width, &height)) {
    PrintError("noticeboard render: --size " + o.size + ": expected WIDTHxHEIGHT, e.g. 1920x1080");
    return kExitUsage;
  }
  auto at = o.at.empty() ? std::optional(std::chrono::system_clock::now()) : ParseLocalTime(o.at);
  if (!at) {
    PrintError("noticeboard render: --at " + o.at +
               ": expected a local time like 2025-12-01T09:00");
    return kExitUsage;
  }
  if (!o.frames.empty() && o.frames != "transition") {
    PrintError("noticeboard render: --frames " + o.frames + ": the only choice is 'transition'");
    return kExitUsage;
  }
  auto playlist = LoadPlaylistOrReport(cmd, o.playlist, nullptr);
  if (!playlist) return kExitInvalidInput;
  render::Theme theme;
  if (!LoadThemeOrReport(cmd, o.theme, &theme)) return kExitInvalidInput;
  auto engine = CreateEngineOrReport(cmd, theme);
  if (!engine) return kExitInvalidInput;
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) {
    PrintError("noticeboard render: cannot create " + o.out + ": " + ec.message());
    return kExitInvalidInput;
  }

  SDL_Surface* surface =
      SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer* renderer = surface ? SDL_CreateSoftwareRenderer(surface) : nullptr;
  if (!renderer) {
    PrintError(std::string("noticeboard render: cannot draw: ") + SDL_GetError());
    return kExitInvalidInput;
  }
  int exit_code = kExitOk;
  {
    auto atlas = render::GlyphAtlas::Create(renderer, *engine, 1024, 2);
    ManualClock clock(*at);
    render::Show show(clock, playlist,
                      {.slide_seconds = 1e6, .notice_seconds = theme.notice_seconds});
    render::Presenter presenter(renderer, *engine, *atlas, theme, clock);
    presenter.SetSize(width, height);
    FileSystem& fs = Env::Default().fs();
    auto settle = [&] {
      clock.Advance(std::chrono::milliseconds(playlist->transition.ms + 1));
      show.Tick();
    };
    std::size_t count = std::max<std::size_t>(1, show.playing().size());
    if (o.frames == "transition") {
      if (show.playing().size() < 2) {
        PrintError(
            std::string("noticeboard render: --frames transition needs two slides playing at ") +
            (o.at.empty() ? "now" : o.at));
        exit_code = kExitInvalidInput;
      } else {
        // Every frame at 60 Hz, from the last frame of slide 1 to the first
        // full frame of slide 2.
        presenter.PrepareUpcoming(show);
        show.Next();
        int ms = playlist->transition.kind == playlist::TransitionKind::kCut
                     ? 0
                     : playlist->transition.ms;
        int frames = static_cast<int>(std::ceil(ms * 60.0 / 1000.0));
        auto step = std::chrono::microseconds(1000000 / 60);
        for (int f = 0; f <= frames && exit_code == kExitOk; ++f) {
          show.Tick();
          presenter.Draw(show);
          char name[32];
          std::snprintf(name, sizeof name, "transition-%03d.png", f);
          Status s = render::WritePng(fs, (std::filesystem::path(o.out) / name).string(),
                                      ReadFrame(renderer, width, height));
          if (!s.ok()) {
            PrintError("noticeboard render: " + s.message());
            exit_code = kExitInvalidInput;
          }
          clock.Advance(step);
        }
        std::cout << "wrote " << frames + 1 << " frames of a " << ms << " ms transition to "
                  << o.out << "\n";
      }
    } else {
      std::vector<render::Image> slides;
      for (std::size_t k = 0; k < count && exit_code == kExitOk; ++k) {
        if (k > 0) {
          show.Next();
          settle();
        }
        presenter.Draw(show);
        render::Image image = ReadFrame(renderer, width, height);
        std::string path =
            (std::filesystem::path(o.out) / SlideFileName(static_cast<int>(k) + 1, show.current()))
                .string();
        Status s = render::WritePng(fs, path, image);
        if (!s.ok()) {
          PrintError("noticeboard render: " + s.message());
          exit_code = kExitInvalidInput;
        }
        std::cout << path << "\n";
        slides.push_back(std::move(image));
      }
      if (exit_code == kExitOk) {
        std::string path = (std::filesystem::path(o.out) / "contact-sheet.png").string();
        Status s = render::WritePng(fs, path, ContactSheet(slides));
        if (!s.ok()) {
          PrintError("noticeboard render: " + s.message());
          exit_code = kExitInvalidInput;
        } else {
          std::cout << path << "\n";
        }
      }
    }
  }
  SDL_DestroyRenderer(renderer);
  SDL_FreeSurface(surface);
  return exit_code;
}

}  // namespace

void RegisterRenderCommand(CLI::App& app, CommandRegistry& registry) {
  auto opts = std::make_shared<RenderOptions>();
  CLI::App* sub =
      app.add_subcommand("render", "Draw the slides of a playlist to PNG files, without a display");
  sub->add_option("playlist", opts->playlist, "Playlist JSON file")->required();
  sub->add_option("--out", opts->out, "Folder for the PNG files")->required();
  sub->add_option("--size", opts->size, "Screen size WIDTHxHEIGHT (default 1920x1080)");
  sub->add_option("--at", opts->at,
                  "Local time to render at, e.g. 2025-12-01T09:00 (default: now); decides the "
                  "schedule and the clock");
  sub->add_option("--theme", opts->theme, "Theme JSON file (default: the built-in theme)");
  sub->add_option("--frames", opts->frames,
                  "'transition': write every frame of the crossfade from slide 1 to slide 2");
  registry.Add(sub, [opts] { return RunRender(*opts); });
}

}  // namespace nb::app
