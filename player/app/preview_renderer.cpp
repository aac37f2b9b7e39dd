#include "app/preview_renderer.h"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <exception>
#include <mutex>
#include <thread>

#include "app/offscreen_slides.h"
#include "base/log.h"
#include "render/contact_sheet.h"

namespace nb::app {
namespace {

using console::PreviewRequest;
using console::PreviewResult;

constexpr int kMinSide = 64;
constexpr int kMaxSide = 3840;  // 4K; a surface of 3840x3840 is already 59 MB

// One preview at a time in the whole process: each holds a frame, an atlas
// and open fonts (tens of MB), which a lobby player cannot hold twice.
std::mutex g_slot;

PreviewResult Failure(PreviewResult::Kind kind, std::string message) {
  PreviewResult r;
  r.kind = kind;
  r.message = std::move(message);
  return r;
}

}  // namespace

SlidePreviewRenderer::SlidePreviewRenderer(render::Theme theme, text::FontConfig fonts)
    : theme_(std::move(theme)), fonts_(std::move(fonts)) {}

PreviewResult SlidePreviewRenderer::Render(const PreviewRequest& request) {
  using Kind = PreviewResult::Kind;
  if (request.width < kMinSide || request.width > kMaxSide || request.height < kMinSide ||
      request.height > kMaxSide) {
    return Failure(Kind::kInvalid, "preview size " + std::to_string(request.width) + "x" +
                                       std::to_string(request.height) + ": each side must be " +
                                       std::to_string(kMinSide) + " to " +
                                       std::to_string(kMaxSide) + " pixels");
  }
  PreviewResult invalid;
  auto parsed = playlist::ParsePlaylist(request.playlist_json, "draft", &invalid.errors);
  if (!parsed) {
    invalid.kind = Kind::kInvalid;
    invalid.message = "the draft is not a valid playlist (" +
                      std::to_string(invalid.errors.size()) +
                      (invalid.errors.size() == 1 ? " error)" : " errors)");
    return invalid;
  }
  const int items = static_cast<int>(parsed->items.size());
  if (request.item < -1 || request.item >= items) {
    return Failure(Kind::kInvalid,
                   "item " + std::to_string(request.item) + " is not in the draft: " +
                       (items == 0 ? std::string("it has no items")
                                   : "items are numbered 0 to " + std::to_string(items - 1)) +
                       ", or -1 for all of them");
  }
  // Whatever its schedule or enabled flag say, the item plays in the preview.
  auto draft = std::make_shared<playlist::Playlist>(std::move(*parsed));
  if (request.item >= 0) {
    playlist::Item one = std::move(draft->items[static_cast<std::size_t>(request.item)]);
    draft->items.clear();
    draft->items.push_back(std::move(one));
  }
  for (playlist::Item& item : draft->items) {
    item.schedule.reset();
    item.enabled = true;
  }

  std::unique_lock slot(g_slot, std::try_to_lock);
  if (!slot.owns_lock()) {
    return Failure(Kind::kBusy, "another preview is being drawn; try again in a moment");
  }
  PreviewResult result;
  std::thread worker([&] {
    // Lowest share of the CPU against the frame thread; the call only
    // lowers, which needs no privilege.
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10) != 0) {
      LogDebug("preview: cannot lower the thread's priority");
    }
    try {
      result = RenderOnThisThread(std::move(draft), request);
    } catch (const std::exception& e) {
      result = Failure(Kind::kFailed, std::string("preview failed: ") + e.what());
    }
  });
  worker.join();
  // The fonts, the atlas and the frame were freed; give their pages back.
  malloc_trim(0);
  return result;
}

PreviewResult SlidePreviewRenderer::RenderOnThisThread(
    std::shared_ptr<const playlist::Playlist> draft, const PreviewRequest& request) {
  using Kind = PreviewResult::Kind;
  if (hook_) hook_();
  Status status;
  std::unique_ptr<text::TextEngine> engine = text::TextEngine::Create(fonts_, &status);
  if (!engine) return Failure(Kind::kFailed, "preview: " + status.message());
  // As play does once its fonts are open: fontconfig's caches go.
  text::ReleaseFontDiscovery();
  std::string error;
  auto slides =
      OffscreenSlides::Create(*engine, theme_, std::move(draft), std::chrono::system_clock::now(),
                              request.width, request.height, &error);
  if (!slides) return Failure(Kind::kFailed, "preview: " + error);
  render::Image picture;
  if (request.item >= 0) {
    slides->DrawSlides([&](render::Image image, const render::SlideRef&) {
      picture = std::move(image);
      return false;
    });
  } else {
    render::ContactSheet sheet(static_cast<int>(slides->slide_count()), request.width,
                               request.height);
    slides->DrawSlides(
        [&](render::Image image, const render::SlideRef&) { return sheet.Add(image); });
    picture = sheet.Take();
  }
  slides.reset();
  engine.reset();
  PreviewResult r;
  if (Status s = render::EncodePng(picture, &r.png); !s.ok()) {
    return Failure(Kind::kFailed, "preview: " + s.message());
  }
  r.kind = Kind::kOk;
  return r;
}

}  // namespace nb::app
