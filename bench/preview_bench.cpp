// The web console's preview (app/preview_renderer.h): time and memory of one
// preview. `preview_bench [N] [WIDTHxHEIGHT] [ITEM]` draws the sample
// playlist's item N times (ITEM -1: the contact sheet) and prints, per call,
// the wall time, the resident memory before and after, and the peak during
// it (VmHWM, reset before each call through /proc/self/clear_refs).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "app/frame_loop.h"
#include "app/player_setup.h"
#include "app/preview_renderer.h"

namespace {

long StatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::string(field).size() + 1);
  }
  return -1;
}

void ResetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

}  // namespace

int main(int argc, char** argv) {
  // As `play` sets glibc's allocator (the process a preview runs in);
  // NB_BENCH_DEFAULT_MALLOC=1 keeps glibc's defaults instead.
  if (!std::getenv("NB_BENCH_DEFAULT_MALLOC")) nb::app::ConfigureAllocator();
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  int width = 1920, height = 1080;
  if (argc > 2 && !nb::app::ParseSize(argv[2], &width, &height)) return 2;
  const int item = argc > 3 ? std::atoi(argv[3]) : 0;
  std::ifstream in(NB_SOURCE_DIR "/playlists/tianjin-education.json");
  std::stringstream json;
  json << in.rdbuf();
  nb::render::Theme theme = nb::render::DefaultTheme();
  nb::app::SlidePreviewRenderer renderer(theme, nb::app::FontConfigFor(theme));
  {
    // The part of a preview that opening the fonts is (each preview does).
    auto t0 = std::chrono::steady_clock::now();
    nb::Status s;
    auto engine = nb::text::TextEngine::Create(nb::app::FontConfigFor(theme), &s);
    std::printf(
        "opening the fonts: %.0f ms\n",
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::printf("preview of item %d at %dx%d; RSS at start %ld kB (anonymous %ld kB, files %ld kB)\n",
              item, width, height, StatusKb("VmRSS:"), StatusKb("RssAnon:"), StatusKb("RssFile:"));
  for (int i = 0; i < runs; ++i) {
    const long before = StatusKb("VmRSS:");
    ResetPeak();
    auto t0 = std::chrono::steady_clock::now();
    auto r = renderer.Render(
        {.playlist_json = json.str(), .item = item, .width = width, .height = height});
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (r.kind != nb::console::PreviewResult::Kind::kOk) {
      std::fprintf(stderr, "preview failed: %s\n", r.message.c_str());
      return 1;
    }
    if (std::getenv("NB_BENCH_RELEASE_FONTS")) nb::text::ReleaseFontDiscovery();
    std::printf(
        "call %d: %.0f ms, PNG %zu kB; RSS before %ld kB, peak %ld kB, after %ld kB "
        "(anonymous %ld kB, files %ld kB)\n",
        i + 1, ms, r.png.size() / 1024, before, StatusKb("VmHWM:"), StatusKb("VmRSS:"),
        StatusKb("RssAnon:"), StatusKb("RssFile:"));
  }
  return 0;
}
