// Fuzzes text layout with arbitrary bytes (not only valid UTF-8) at arbitrary
// widths, sizes and line limits. Properties: lines cover increasing,
// non-overlapping byte ranges inside the laid-out text, every glyph's cluster
// lies inside its line, and a line limit is kept.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "text/text.h"

namespace {

nb::text::TextEngine* Engine() {
  static std::unique_ptr<nb::text::TextEngine> engine = [] {
    nb::Status status;
    auto created = nb::text::TextEngine::Create(nb::text::DefaultFontConfig(), &status);
    if (!created) {
      std::fprintf(stderr, "text_layout_fuzz: no fonts: %s\n", status.message().c_str());
      std::abort();
    }
    return created;
  }();
  return engine.get();
}

[[noreturn]] void Fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "text_layout_fuzz: %s (text of %zu bytes)\n", what, text.size());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3 || size > 16384) return 0;
  nb::text::Style style;
  style.box_width = 16.f + data[0] * 8.f;
  style.balance = data[1] & 1;
  style.max_lines = (data[1] >> 1) & 3;
  style.align = (data[1] & 8) ? nb::text::Align::kCenter : nb::text::Align::kStart;
  if (data[1] & 16) {
    style.min_size_px = 8.f;
    style.max_size_px = 8.f + data[2];
    style.box_height = style.box_width / 2;
  } else {
    style.size_px = 8.f + data[2] % 128;
  }
  std::string_view text(reinterpret_cast<const char*>(data + 3), size - 3);

  nb::text::Layout layout = Engine()->LayOut(text, style);

  if (style.max_lines > 0 && static_cast<int>(layout.lines.size()) > style.max_lines) {
    Fail("more lines than max_lines", text);
  }
  std::uint32_t previous_end = 0;
  for (const nb::text::Line& line : layout.lines) {
    if (line.text_begin < previous_end || line.text_end < line.text_begin ||
        line.text_end > layout.text.size()) {
      Fail("line range out of order or outside the text", text);
    }
    previous_end = line.text_end;
    for (const nb::text::PositionedGlyph& glyph : line.glyphs) {
      if (glyph.face == nullptr) Fail("glyph without a face", text);
      if (glyph.cluster_begin < line.text_begin || glyph.cluster_end > line.text_end ||
          glyph.cluster_end < glyph.cluster_begin) {
        Fail("glyph cluster outside its line", text);
      }
    }
  }
  return 0;
}
