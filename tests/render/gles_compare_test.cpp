// The GPU path (issue 16): frames drawn through SDL's opengles2 renderer
// (what a Pi's KMSDRM driver runs; here Mesa under Xvfb, see
// gles_under_xvfb.sh) against the same frames from the software renderer,
// pixel by pixel within a small tolerance: a still slide, a crossfade, the
// ticker, a notice, an alert and an alert fading in, landscape and portrait.
// Without an X display or a GLES2 renderer the tests skip and say why.
//
// NB_GLES_PNGS=<folder> writes both frames of each scene, to look at.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "frame_scenes.h"
#include "render_test_support.h"

namespace nb::render {
namespace {

using testing::Canvas;

// A GLES2 renderer on a hidden window; frames go to a target texture of
// the size asked for and are read back from it.
class GlesCanvas {
 public:
  GlesCanvas(int w, int h, const Theme& theme, const Clock& clock) : width_(w), height_(h) {
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
      why_ = std::string("no video: ") + SDL_GetError();
      return;
    }
    video_ = true;
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "opengles2");
    window_ = SDL_CreateWindow("gles", 0, 0, 64, 64, SDL_WINDOW_HIDDEN | SDL_WINDOW_OPENGL);
    if (window_)
      renderer_ =
          SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_TARGETTEXTURE);
    SDL_RendererInfo info{};
    if (renderer_) SDL_GetRendererInfo(renderer_, &info);
    if (!renderer_ || std::string(info.name) != "opengles2") {
      why_ = std::string("no opengles2 renderer on the ") + SDL_GetCurrentVideoDriver() +
             " driver: " + SDL_GetError();
      return;
    }
    target_ =
        SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!target_) {
      why_ = std::string("no target texture: ") + SDL_GetError();
      return;
    }
    SDL_SetRenderTarget(renderer_, target_);
    atlas_ = GlyphAtlas::Create(renderer_, testing::Engine(), 1024, 2);
    presenter_ = std::make_unique<Presenter>(renderer_, testing::Engine(), *atlas_, theme, clock);
    presenter_->SetSize(w, h);
  }
  ~GlesCanvas() {
    presenter_.reset();
    atlas_.reset();
    if (target_) SDL_DestroyTexture(target_);
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
    if (video_) SDL_QuitSubSystem(SDL_INIT_VIDEO);
  }
  bool ok() const { return presenter_ != nullptr; }
  const std::string& why() const { return why_; }
  Presenter& presenter() { return *presenter_; }
  Image Read() {
    Image image;
    image.width = width_;
    image.height = height_;
    image.rgba.resize(static_cast<std::size_t>(width_) * height_ * 4);
    SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(), width_ * 4);
    return image;
  }

 private:
  int width_, height_;
  bool video_ = false;
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Texture* target_ = nullptr;
  std::unique_ptr<GlyphAtlas> atlas_;
  std::unique_ptr<Presenter> presenter_;
  std::string why_;
};

class GlesCompareTest
    : public ::testing::TestWithParam<std::tuple<std::string, std::pair<int, int>>> {};

TEST_P(GlesCompareTest, DrawsWhatTheSoftwareRendererDraws) {
  const auto& [scene, size] = GetParam();
  const auto [w, h] = size;
  Theme theme = DefaultTheme();
  auto playlist = testing::ScenePlaylist();
  ASSERT_TRUE(playlist);
  ManualClock gl_clock, sw_clock;
  // Only where asked (gles_under_xvfb.sh): elsewhere SDL would pick Mesa's
  // offscreen EGL, which is not what a Pi runs.
  const char* asked = std::getenv("SDL_RENDER_DRIVER");
  if (!asked || std::string(asked) != "opengles2")
    GTEST_SKIP() << "run by ctest's gles_compare_under_xvfb (tests/render/gles_under_xvfb.sh)";
  GlesCanvas gl(w, h, theme, gl_clock);
  if (!gl.ok()) GTEST_SKIP() << gl.why() << " (tests/render/gles_under_xvfb.sh runs it under Xvfb)";
  Canvas sw(w, h, theme, sw_clock);
  Show gl_show(gl_clock, playlist), sw_show(sw_clock, playlist);
  // As play does: the first frame, then the slide's texture.
  gl.presenter().Draw(gl_show);
  gl.presenter().PrepareUpcoming(gl_show);
  sw.presenter().Draw(sw_show);
  sw.presenter().PrepareUpcoming(sw_show);
  testing::SetUpScene(scene, gl_clock, gl_show);
  testing::SetUpScene(scene, sw_clock, sw_show);
  gl.presenter().Draw(gl_show);
  Image a = gl.Read();
  Image b = sw.Draw(sw_show);
  if (const char* dir = std::getenv("NB_GLES_PNGS")) {
    PosixFileSystem fs;
    const std::string name =
        std::string(dir) + "/" + scene + "-" + std::to_string(w) + "x" + std::to_string(h);
    EXPECT_TRUE(WritePng(fs, name + "-gles2.png", a).ok());
    EXPECT_TRUE(WritePng(fs, name + "-software.png", b).ok());
  }
  const testing::Diff d = testing::Compare(a, b, /*off_by=*/8);
  // Blending rounds a level or two apart (the GPU in float, SDL's blitters
  // in integers); a glyph, a rule or a band in another place would be
  // thousands of pixels far off.
  EXPECT_LE(d.differing_fraction, 0.001)
      << scene << ": " << d.differing_fraction * 100 << "% of pixels off by more than 8";
  EXPECT_LE(d.mean_abs, 2.0) << scene;
  RecordProperty("worst", d.worst);
}

INSTANTIATE_TEST_SUITE_P(Scenes, GlesCompareTest,
                         ::testing::Combine(::testing::ValuesIn(testing::SceneNames()),
                                            ::testing::Values(std::make_pair(1280, 720),
                                                              std::make_pair(720, 1280))),
                         [](const auto& param_info) {
                           std::string name = std::get<0>(param_info.param) + "_" +
                                              std::to_string(std::get<1>(param_info.param).first) +
                                              "x" +
                                              std::to_string(std::get<1>(param_info.param).second);
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace nb::render
