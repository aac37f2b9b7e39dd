// Frame costs of the player with SDL's software renderer (the Pi-without-GPU
// worst case), at 1920x1080 and 3840x2160: a static slide, a crossfade, the
// ticker. Each iteration draws one frame into a memory surface, as `play`
// would before presenting: a whole frame (Draw), or, for the ticker as
// `play` draws it on the software renderer, only what changed since the
// last frame (DrawChanges: the ticker band). CPU time per iteration is the
// CPU time per frame; items_per_second is frames per second.
//
// Memory (PSS, peak RSS) and time to first frame of the real `play` binary
// are measured by bench/play_memory.sh.
#include <SDL.h>
#include <benchmark/benchmark.h>

#include <algorithm>
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
  Stage(bool ticker, int w, int h) {
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
    surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    renderer = SDL_CreateSoftwareRenderer(surface);
    const nb::render::AtlasBudget budget = nb::render::AtlasBudgetFor(theme, w, h);
    atlas = nb::render::GlyphAtlas::Create(renderer, *engine, budget.page_size, budget.max_pages);
    show = std::make_unique<nb::render::Show>(clock, playlist);
    presenter = std::make_unique<nb::render::Presenter>(renderer, *engine, *atlas, theme, clock);
    presenter->SetSize(w, h);
    presenter->Draw(*show);
    presenter->PrepareUpcoming(*show);  // as play does after its first frame: the slide's texture
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

void Sizes(benchmark::internal::Benchmark* b) {
  b->Args({1920, 1080})->Args({3840, 2160})->ArgNames({"w", "h"});
}

void BM_StaticSlide(benchmark::State& state) {
  Stage stage(/*ticker=*/false, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    stage.presenter->Draw(*stage.show);
    SDL_RenderPresent(stage.renderer);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StaticSlide)->Apply(Sizes)->Unit(benchmark::kMillisecond);

void BM_Crossfade(benchmark::State& state) {
  Stage stage(/*ticker=*/false, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
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
BENCHMARK(BM_Crossfade)->Apply(Sizes)->Unit(benchmark::kMillisecond);

// The crossfade as `play` draws it on the software renderer (with the
// ticker): the two slides' areas and the ticker band, over the frame before.
void BM_CrossfadeChanges(benchmark::State& state) {
  Stage stage(/*ticker=*/true, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  stage.show->Next();
  stage.show->Tick();
  stage.presenter->Draw(*stage.show);
  long pixels = 0;
  for (auto _ : state) {
    stage.clock.Advance(1ms);  // stays inside the 600 ms fade for 600 frames
    if (!stage.show->transitioning()) stage.show->Next();
    stage.show->Tick();
    for (const SDL_Rect& r : stage.presenter->DrawChanges(*stage.show))
      pixels += static_cast<long>(r.w) * r.h;
    SDL_RenderFlush(stage.renderer);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["px_per_frame"] =
      static_cast<double>(pixels) / static_cast<double>(std::max<long>(1, state.iterations()));
}
BENCHMARK(BM_CrossfadeChanges)->Apply(Sizes)->Unit(benchmark::kMillisecond);

void BM_Ticker(benchmark::State& state) {
  Stage stage(/*ticker=*/true, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    stage.clock.Advance(16667us);
    stage.presenter->Draw(*stage.show);
    SDL_RenderPresent(stage.renderer);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ticker)->Apply(Sizes)->Unit(benchmark::kMillisecond);

// The ticker as `play` draws it on the software renderer: the frame before
// is still there, and only the ticker band is drawn again.
void BM_TickerChanges(benchmark::State& state) {
  Stage stage(/*ticker=*/true, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  stage.presenter->Draw(*stage.show);
  long pixels = 0;
  for (auto _ : state) {
    stage.clock.Advance(16667us);
    for (const SDL_Rect& r : stage.presenter->DrawChanges(*stage.show))
      pixels += static_cast<long>(r.w) * r.h;
    SDL_RenderFlush(stage.renderer);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["px_per_frame"] =
      static_cast<double>(pixels) / static_cast<double>(std::max<long>(1, state.iterations()));
}
BENCHMARK(BM_TickerChanges)->Apply(Sizes)->Unit(benchmark::kMillisecond);

// Laying out and rendering one new slide (the work done ahead of a transition).
void BM_PrepareSlide(benchmark::State& state) {
  Stage stage(/*ticker=*/false, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    stage.clock.Advance(16s);  // the next slide; its texture is not cached yet
    stage.show->Tick();
    stage.clock.Advance(1s);
    stage.show->Tick();
    stage.presenter->PrepareUpcoming(*stage.show);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrepareSlide)->Apply(Sizes)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
