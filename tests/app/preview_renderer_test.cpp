#include "app/preview_renderer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/player_setup.h"
#include "render/png.h"

namespace nb::app {
namespace {

using console::PreviewRequest;
using console::PreviewResult;
using Kind = PreviewResult::Kind;

std::string SampleJson() {
  std::ifstream in(NB_SOURCE_DIR "/playlists/tianjin-education.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

playlist::Playlist Sample() {
  std::vector<Diagnostic> errors;
  auto p = playlist::ParsePlaylist(SampleJson(), "sample", &errors);
  EXPECT_TRUE(p.has_value());
  return p.value_or(playlist::Playlist{});
}

SlidePreviewRenderer MakeRenderer() {
  render::Theme theme = render::DefaultTheme();
  return SlidePreviewRenderer(theme, FontConfigFor(theme));
}

render::Image Decode(const PreviewResult& r) {
  render::Image image;
  Status s = render::DecodePng(r.png, "preview", &image);
  EXPECT_TRUE(s.ok()) << s.message();
  return image;
}

std::size_t DistinctColours(const render::Image& image) {
  std::vector<std::uint32_t> seen;
  for (std::size_t i = 0; i + 3 < image.rgba.size() && seen.size() < 64; i += 4 * 97) {
    std::uint32_t c = image.rgba[i] << 16 | image.rgba[i + 1] << 8 | image.rgba[i + 2];
    if (std::find(seen.begin(), seen.end(), c) == seen.end()) seen.push_back(c);
  }
  return seen.size();
}

TEST(PreviewRendererTest, OneItemLandscape) {
  SlidePreviewRenderer renderer = MakeRenderer();
  PreviewResult r = renderer.Render({.playlist_json = SampleJson(), .item = 0});
  ASSERT_EQ(r.kind, Kind::kOk) << r.message;
  render::Image image = Decode(r);
  EXPECT_EQ(image.width, 1920);
  EXPECT_EQ(image.height, 1080);
  EXPECT_GT(DistinctColours(image), 3u);
  for (std::size_t i = 3; i < image.rgba.size(); i += 4 * 1001) ASSERT_EQ(image.rgba[i], 0xFF);
}

TEST(PreviewRendererTest, Portrait) {
  SlidePreviewRenderer renderer = MakeRenderer();
  PreviewResult r =
      renderer.Render({.playlist_json = SampleJson(), .item = 1, .width = 1080, .height = 1920});
  ASSERT_EQ(r.kind, Kind::kOk) << r.message;
  render::Image image = Decode(r);
  EXPECT_EQ(image.width, 1080);
  EXPECT_EQ(image.height, 1920);
  EXPECT_GT(DistinctColours(image), 3u);
}

TEST(PreviewRendererTest, ItemOutOfRangeIsInvalidAndSaysTheRange) {
  SlidePreviewRenderer renderer = MakeRenderer();
  const int items = static_cast<int>(Sample().items.size());
  for (int item : {items, -2}) {
    PreviewResult r = renderer.Render({.playlist_json = SampleJson(), .item = item});
    EXPECT_EQ(r.kind, Kind::kInvalid);
    EXPECT_TRUE(r.png.empty());
    EXPECT_NE(r.message.find("0 to " + std::to_string(items - 1)), std::string::npos) << r.message;
  }
}

TEST(PreviewRendererTest, SizeOutOfRangeIsInvalid) {
  SlidePreviewRenderer renderer = MakeRenderer();
  PreviewResult r = renderer.Render({.playlist_json = SampleJson(), .item = 0, .width = 20000});
  EXPECT_EQ(r.kind, Kind::kInvalid);
  EXPECT_NE(r.message.find("3840"), std::string::npos) << r.message;
}

TEST(PreviewRendererTest, InvalidDraftGivesItsDiagnostics) {
  playlist::Playlist p = Sample();
  p.items[2].title.clear();
  SlidePreviewRenderer renderer = MakeRenderer();
  PreviewResult r = renderer.Render({.playlist_json = playlist::ToJson(p), .item = 0});
  EXPECT_EQ(r.kind, Kind::kInvalid);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].where, "/items/2/title") << r.errors[0].ToString();

  PreviewResult syntax = renderer.Render({.playlist_json = "{\"version\": 1,", .item = 0});
  EXPECT_EQ(syntax.kind, Kind::kInvalid);
  EXPECT_FALSE(syntax.errors.empty());
}

TEST(PreviewRendererTest, SecondRenderWhileOneRunsIsBusy) {
  std::mutex mu;
  std::condition_variable cv;
  bool started = false, release = false;
  SlidePreviewRenderer first = MakeRenderer();
  first.SetHookForTesting([&] {
    std::unique_lock lock(mu);
    started = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  });
  PreviewResult first_result;
  std::thread t([&] {
    first_result =
        first.Render({.playlist_json = SampleJson(), .item = 0, .width = 640, .height = 360});
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return started; });
  }
  // Another renderer: the slot is the process's, not the object's.
  SlidePreviewRenderer second = MakeRenderer();
  PreviewResult second_result =
      second.Render({.playlist_json = SampleJson(), .item = 0, .width = 640, .height = 360});
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  t.join();
  EXPECT_EQ(second_result.kind, Kind::kBusy) << second_result.message;
  EXPECT_FALSE(second_result.message.empty());
  EXPECT_EQ(first_result.kind, Kind::kOk) << first_result.message;
  // Free again afterwards.
  EXPECT_EQ(
      second.Render({.playlist_json = SampleJson(), .item = 0, .width = 640, .height = 360}).kind,
      Kind::kOk);
}

TEST(PreviewRendererTest, DisabledAndUnscheduledItemStillRenders) {
  playlist::Playlist p = Sample();
  p.items[3].enabled = false;
  playlist::Schedule later;
  later.from = playlist::LocalDateTime{2099, 1, 1, 0, 0, 0};
  p.items[3].schedule = later;
  const std::string json = playlist::ToJson(p);
  SlidePreviewRenderer renderer = MakeRenderer();
  PreviewResult r3 =
      renderer.Render({.playlist_json = json, .item = 3, .width = 960, .height = 540});
  ASSERT_EQ(r3.kind, Kind::kOk) << r3.message;
  PreviewResult r0 =
      renderer.Render({.playlist_json = json, .item = 0, .width = 960, .height = 540});
  ASSERT_EQ(r0.kind, Kind::kOk) << r0.message;
  render::Image image = Decode(r3);
  EXPECT_GT(DistinctColours(image), 3u);
  EXPECT_NE(image.rgba, Decode(r0).rgba);  // item 3's slide, not the idle one or another
}

TEST(PreviewRendererTest, ContactSheetOfEveryItem) {
  playlist::Playlist p = Sample();
  ASSERT_GE(p.items.size(), 9u);
  p.items[0].enabled = false;  // in the sheet all the same
  SlidePreviewRenderer renderer = MakeRenderer();
  PreviewResult r = renderer.Render(
      {.playlist_json = playlist::ToJson(p), .item = -1, .width = 960, .height = 540});
  ASSERT_EQ(r.kind, Kind::kOk) << r.message;
  render::Image sheet = Decode(r);
  EXPECT_GT(sheet.width, sheet.height);
  // ceil(sqrt(n)) columns of 480 px thumbnails (960 / 2) with 16 px gaps.
  const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(p.items.size()))));
  EXPECT_EQ(sheet.width, cols * 480 + (cols + 1) * 16);
  EXPECT_GT(DistinctColours(sheet), 3u);
}

}  // namespace
}  // namespace nb::app
