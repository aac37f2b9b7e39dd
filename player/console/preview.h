// PreviewRenderer: a slide of a draft playlist, drawn by the same engine as
// the lobby screen, for the web console's preview.
//
// Contract:
// - Render() takes the draft as playlist JSON (it is validated first: a
//   draft the screen would refuse gets kInvalid with every Diagnostic) and
//   draws one item (`item` is its index in the draft's items, whatever its
//   schedule or enabled flag say: staff preview an item before it plays) or,
//   with item = -1, the contact sheet of every item, at width x height
//   (portrait when height > width, as a rotated screen lays out), with the
//   screen's theme. The answer is PNG bytes.
// - Rendering never runs on the frame thread and never holds anything the
//   frame thread waits for: it has its own text engine, glyph atlas and
//   software renderer, on a thread of lowered priority (nice 10), made for
//   the request and freed after it (memory goes back to the system).
// - One render at a time, process-wide: a call while another runs returns
//   kBusy at once (the console answers 503 with Retry-After).
// - Thread-safe; callable from any thread (the API server's).
#pragma once

#include <string>
#include <vector>

#include "base/json_check.h"

namespace nb::console {

struct PreviewRequest {
  std::string playlist_json;
  int item = -1;  // index into items; -1: the contact sheet
  int width = 1920;
  int height = 1080;
};

struct PreviewResult {
  enum class Kind { kOk, kBusy, kInvalid, kFailed };
  Kind kind = Kind::kFailed;
  std::string png;       // kOk
  std::string message;   // why not, one line
  std::vector<Diagnostic> errors;  // kInvalid
};

class PreviewRenderer {
 public:
  virtual ~PreviewRenderer() = default;
  virtual PreviewResult Render(const PreviewRequest& request) = 0;
};

}  // namespace nb::console
