// Shaped texts made by hand for the stage tests: one cluster and one glyph
// per character, 1 em wide unless the test says otherwise, with break
// opportunities where the test marks them, so that breaking and positioning
// can be checked without fonts.
#pragma once

#include <string_view>

#include "base/utf8.h"
#include "text/fonts.h"
#include "text/punctuation.h"
#include "text/shaping.h"

namespace nb::text::testing {

// `breaks` has one character per cluster: '|' where a line may start before
// it, '.' where it may not. Full-width marks get their halves (0.5 em, an
// opening mark shifted left by it), as a font without `halt` would.
inline ShapedText HandShaped(std::u32string_view chars, std::string_view breaks,
                             OpenFace* face = nullptr) {
  ShapedText shaped;
  for (std::size_t k = 0; k < chars.size(); ++k) {
    const char32_t c = chars[k];
    Cluster cluster;
    cluster.begin = static_cast<std::uint32_t>(shaped.text.size());
    AppendUtf8(c, &shaped.text);
    cluster.end = static_cast<std::uint32_t>(shaped.text.size());
    cluster.glyph_begin = static_cast<std::uint32_t>(k);
    cluster.glyph_end = cluster.glyph_begin + 1;
    cluster.first = cluster.last = c;
    cluster.newline = c == '\n';
    cluster.space = IsSpace(c);
    cluster.advance = cluster.newline ? 0.f : 1.f;
    cluster.punct = FullWidthPunctKind(c);
    if (cluster.punct != PunctKind::kNone) {
      cluster.half = 0.5f;
      cluster.shift = cluster.punct == PunctKind::kOpening ? -0.5f : 0.f;
    }
    cluster.can_break_before = k < breaks.size() && breaks[k] == '|';
    shaped.clusters.push_back(cluster);
    shaped.glyphs.push_back({face, static_cast<std::uint32_t>(c), cluster.advance, 0.f, 0.f});
  }
  shaped.EnsurePrefix(0.f);
  return shaped;
}

}  // namespace nb::text::testing
