// SlidePreviewRenderer: the web console's preview (console/preview.h), drawn
// as `noticeboard render` draws (app/offscreen_slides.h) with the screen's
// theme and fonts.
//
// Contract, beyond console/preview.h's:
// - An item index past the draft's items, or a width or height outside 64
//   to 3840 pixels, is kInvalid with a message saying what is allowed (the
//   request is wrong, not the renderer; `errors` stays empty). kFailed is
//   for what no edit of the draft fixes: the fonts or SDL.
// - The draft is checked before the process-wide slot is taken, so an
//   invalid draft gets its errors even while another preview runs.
// - The header clock shows the time of the request.
// - Every Render() opens the fonts anew and closes them after: opening
//   them is about 8 ms of a 1080p preview's 75 (release build, x86;
//   bench/preview_bench.cpp), so fonts kept open between previews would hold
//   memory for little gain. It lets fontconfig go as play does, and trims
//   glibc's heap (malloc_trim) so the memory goes back to the system: all of
//   it in a process that sets the allocator as play does
//   (ConfigureAllocator, app/frame_loop.h); with glibc's defaults the render
//   thread's arena keeps about 10 MB.
#pragma once

#include <functional>
#include <memory>

#include "console/preview.h"
#include "playlist/playlist.h"
#include "render/theme.h"
#include "text/text.h"

namespace nb::app {

class SlidePreviewRenderer final : public console::PreviewRenderer {
 public:
  // `fonts`: what the screen uses, FontConfigFor(theme) (app/player_setup.h).
  SlidePreviewRenderer(render::Theme theme, text::FontConfig fonts);

  console::PreviewResult Render(const console::PreviewRequest& request) override;

  // Tests: runs on the render thread while the render holds the
  // process-wide slot, before the fonts are opened.
  void SetHookForTesting(std::function<void()> hook) { hook_ = std::move(hook); }

 private:
  console::PreviewResult RenderOnThisThread(std::shared_ptr<const playlist::Playlist> draft,
                                            const console::PreviewRequest& request);

  const render::Theme theme_;
  const text::FontConfig fonts_;
  std::function<void()> hook_;
};

}  // namespace nb::app
