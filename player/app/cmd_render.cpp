// `noticeboard render`: draws the slides of a playlist to PNG files without a
// display (SDL's software renderer on a memory surface), one per slide plus a
// contact sheet; with --frames transition, every frame of one crossfade;
// with --alert, the slides of urgent notices.
// The same Show and Presenter as `play` draw the pictures.
#include <SDL.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <vector>

#include "alert/alert_set.h"
#include "alert/alert_json.h"
#include "alert/cap.h"
#include "app/commands.h"
#include "app/offscreen_slides.h"
#include "app/player_setup.h"
#include "base/log.h"
#include "render/contact_sheet.h"

namespace nb::app {
namespace {

struct RenderOptions {
  std::string playlist;
  std::string out;
  std::string size = "1920x1080";
  std::string at;
  std::string theme;
  std::string frames;
  std::vector<std::string> alerts;
};

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

// `--alert FILE...`: the alerts' slides over the playlist, one picture per
// alert as the screen would cycle them (most severe first).
int RenderAlerts(const RenderOptions& o, OffscreenSlides& slides, FileSystem& fs) {
  alert::AlertSet set(slides.clock(), alert::AlertPolicy{.show_exercises = true});
  for (const std::string& file : o.alerts) {
    std::string body, error;
    if (Status s = fs.ReadFile(file, &body, alert::kMaxAlertDocumentBytes); !s.ok()) {
      PrintError("noticeboard render: " + s.message());
      return kExitInvalidInput;
    }
    auto message = alert::ParseAlertDocument(body, file, &error);
    if (!message) {
      PrintError("noticeboard render: " + file + ": " + error);
      return kExitInvalidInput;
    }
    for (const alert::AlertEvent& e : set.Apply(*message, "file")) {
      if (e.kind == alert::AlertEvent::Kind::kRefused || e.kind == alert::AlertEvent::Kind::kExpired)
        PrintError("noticeboard render: " + file + ": " + e.id + " " +
                   alert::AlertEventName(e.kind) + ": " + e.detail);
    }
  }
  render::Show& show = slides.show();
  show.SetAlerts(set.Snapshot());
  const int count = show.alerts().count();
  if (count == 0) {
    PrintError("noticeboard render: no alert to show at that time");
    return kExitInvalidInput;
  }
  render::Presenter& presenter = slides.presenter();
  for (int i = 0; i < count; ++i) {
    // Past the fade-in (or on to the next alert), as a viewer would see it.
    slides.clock().Advance(std::chrono::seconds(i == 0 ? 1 : 15));
    show.Tick();
    presenter.Draw(show);
    render::Image frame;
    ReadFrame(slides.renderer(), &frame);
    std::string id;
    for (char c : show.alerts().current()->alert.id)
      id += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    char name[80];
    std::snprintf(name, sizeof name, "alert-%02d-%s.png", i + 1, id.substr(0, 40).c_str());
    std::string path = (std::filesystem::path(o.out) / name).string();
    if (Status s = render::WritePng(fs, path, frame); !s.ok()) {
      PrintError("noticeboard render: " + s.message());
      return kExitInvalidInput;
    }
    std::cout << path << "\n";
  }
  return kExitOk;
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

  std::string error;
  auto slides = OffscreenSlides::Create(*engine, theme, playlist, *at, width, height, &error);
  if (!slides) {
    PrintError("noticeboard render: " + error);
    return kExitInvalidInput;
  }
  FileSystem& fs = Env::Default().fs();
  render::Show& show = slides->show();
  if (!o.alerts.empty()) return RenderAlerts(o, *slides, fs);
  int exit_code = kExitOk;
  if (o.frames == "transition") {
    if (show.playing().size() < 2) {
      PrintError(
          std::string("noticeboard render: --frames transition needs two slides playing at ") +
          (o.at.empty() ? "now" : o.at));
      return kExitInvalidInput;
    }
    // Every frame at 60 Hz, from the last frame of slide 1 to the first
    // full frame of slide 2.
    render::Presenter& presenter = slides->presenter();
    presenter.PrepareUpcoming(show);
    show.Next();
    int ms =
        playlist->transition.kind == playlist::TransitionKind::kCut ? 0 : playlist->transition.ms;
    int frames = static_cast<int>(std::ceil(ms * 60.0 / 1000.0));
    auto step = std::chrono::microseconds(1000000 / 60);
    for (int f = 0; f <= frames && exit_code == kExitOk; ++f) {
      show.Tick();
      presenter.Draw(show);
      char name[32];
      std::snprintf(name, sizeof name, "transition-%03d.png", f);
      render::Image frame;
      ReadFrame(slides->renderer(), &frame);
      Status s = render::WritePng(fs, (std::filesystem::path(o.out) / name).string(), frame);
      if (!s.ok()) {
        PrintError("noticeboard render: " + s.message());
        exit_code = kExitInvalidInput;
      }
      slides->clock().Advance(step);
    }
    if (exit_code == kExitOk) {
      std::cout << "wrote " << frames + 1 << " frames of a " << ms << " ms transition to " << o.out
                << "\n";
    }
    return exit_code;
  }
  render::ContactSheet sheet(static_cast<int>(slides->slide_count()), width, height);
  int number = 0;
  slides->DrawSlides([&](render::Image image, const render::SlideRef& slide) {
    std::string path = (std::filesystem::path(o.out) / SlideFileName(++number, slide)).string();
    if (Status s = render::WritePng(fs, path, image); !s.ok()) {
      PrintError("noticeboard render: " + s.message());
      exit_code = kExitInvalidInput;
      return false;
    }
    std::cout << path << "\n";
    sheet.Add(image);
    return true;
  });
  if (exit_code != kExitOk) return exit_code;
  std::string path = (std::filesystem::path(o.out) / "contact-sheet.png").string();
  if (Status s = render::WritePng(fs, path, sheet.Take()); !s.ok()) {
    PrintError("noticeboard render: " + s.message());
    return kExitInvalidInput;
  }
  std::cout << path << "\n";
  return kExitOk;
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
  sub->add_option("--alert", opts->alerts,
                  "Urgent notice files (our JSON or CAP .xml): draw their slides over the "
                  "playlist instead, one picture per alert");
  sub->add_option("--theme", opts->theme, "Theme JSON file (default: the built-in theme)");
  sub->add_option("--frames", opts->frames,
                  "'transition': write every frame of the crossfade from slide 1 to slide 2");
  registry.Add(sub, [opts] { return RunRender(*opts); });
}

}  // namespace nb::app
