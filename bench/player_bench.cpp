// Frame rates of the player at 1920x1080 with SDL's software renderer (the
// Pi-without-GPU worst case): a static slide, a crossfade, the ticker. Each
// iteration draws one whole frame into a memory surface, as `play` would
// before presenting. items_per_second is frames per second.
//
// Memory (PSS, peak RSS) and time to first frame of the real `play` binary
// are measured by bench/play_memory.sh.
#include <SDL.h>
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "base/env.h"
#include "base/manual_clock.h"
#include "playlist/playlist.h"
#include "render/glyph_atlas.h"
#include "render/presenter.h"
#include "render/show.h"
#include "render/theme.h"
#include "text/text.h"

namespace {

using namespace std::chrono_literals;

struct Stage {
  explicit Stage(bool ticker) {
    theme = nb::render::DefaultTheme();
    theme.ticker = ticker;
    nb::Status s;
    engine = nb::text::TextEngine::Create(nb::text::DefaultFontConfig(), &s);
    if (!engine) std::abort();
    nb::PosixFileSystem fs;
    std::vector<nb::playlist::Diagnostic> errors;
    auto p = nb::playlist::LoadPlaylistFile(fs, NB_SOURCE_DIR "/playlists/tianjin-education.json",
                                            &errors);
    if (!p) std::abort();
    playlist = std::make_shared<const nb::playlist::Playlist>(std::move(*p));
    surface = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32, SDL_PIXELFORMAT_ARGB8888);
    renderer = SDL_CreateSoftwareRenderer(surface);
    atlas = nb::render::GlyphAtlas::Create(renderer, *engine, 1024, 2);
    show = std::make_unique<nb::render::Show>(clock, playlist);
    presenter = std::make_unique<nb::render::Presenter>(renderer, *engine, *atlas, theme, clock);
    presenter->SetSize(1920, 1080);
    presenter->Draw(*show);
  }
  ~Stage() {
    presenter.reset();
    show.reset();
    atlas.reset();
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
  }
  nb::render::Theme theme;
  nb::ManualClock clock;
  std::unique_ptr<nb::text::TextEngine> engine;
  std::shared_ptr<const nb::playlist::Playlist> playlist;
  SDL_Surface* surface = nullptr;
  SDL_Renderer* renderer = nullptr;
  std::unique_ptr<nb::render::GlyphAtlas> atlas;
  std::unique_ptr<nb::render::Show> show;
  std::unique_ptr<nb::render::Presenter> presenter;
};

void BM_StaticSlide(benchmark::State& state) {
  Stage stage(/*ticker=*/false);
  for (auto _ : state) {
    stage.presenter->Draw(*stage.show);
    SDL_RenderPresent(stage.renderer);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StaticSlide)->Unit(benchmark::kMillisecond);

void BM_Crossfade(benchmark::State& state) {
  Stage stage(/*ticker=*/false);
  stage.presenter->PrepareUpcoming(*stage.show);
  stage.show->Next();
  for (auto _ : state) {
    stage.clock.Advance(1ms);  // stays inside the 600 ms fade for 600 frames
    if (!stage.show->transitioning()) {
      stage.show->Next();
    }
    stage.show->Tick();
    stage.presenter->Draw(*stage.show);
    SDL_RenderPresent(stage.renderer);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Crossfade)->Unit(benchmark::kMillisecond);

void BM_Ticker(benchmark::State& state) {
  Stage stage(/*ticker=*/true);
  for (auto _ : state) {
    stage.clock.Advance(16667us);
    stage.presenter->Draw(*stage.show);
    SDL_RenderPresent(stage.renderer);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ticker)->Unit(benchmark::kMillisecond);

// Laying out and rendering one new slide (the work done ahead of a transition).
void BM_PrepareSlide(benchmark::State& state) {
  Stage stage(/*ticker=*/false);
  for (auto _ : state) {
    stage.clock.Advance(16s);  // the next slide; its texture is not cached yet
    stage.show->Tick();
    stage.clock.Advance(1s);
    stage.show->Tick();
    stage.presenter->PrepareUpcoming(*stage.show);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrepareSlide)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
