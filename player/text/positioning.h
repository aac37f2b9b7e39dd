// Positioning, the text engine's fourth stage: lines of clusters become a
// Layout, lines of glyphs in pixels at one size. Internal to nb_text.
//
// Contract:
// - PositionLines scales the shaped text to `size` pixels and places each
//   line's glyphs from the line's start (kStart), centre, end, or justified
//   to the box width (kJustify, all lines but a paragraph's last). Trailing
//   spaces and newlines get no glyphs; marks halved by compression or at a
//   line edge move by their shift; autospace goes between clusters, never at
//   a line edge. Baselines are line_advance apart with the half-leading
//   above the first; ascent and descent are those of the ideographic em box.
// - JustifiableGap: justification stretches gaps next to Chinese characters
//   and marks, and spaces, never the inside of a Latin word or a number.
#pragma once

#include <vector>

#include "text/line_breaking.h"
#include "text/punctuation.h"
#include "text/shaping.h"
#include "text/text.h"

namespace nb::text {

Layout PositionLines(const ShapedText& shaped, const std::vector<LineSpan>& spans,
                     const Style& style, float size);

// Inline: asked twice per cluster of every line.
inline bool JustifiableGap(const Cluster& a, const Cluster& b) {
  auto cjk = [](const Cluster& u, char32_t c) {
    return IsHan(c) || u.punct != PunctKind::kNone || IsCjkPunctuation(c) || u.space;
  };
  return cjk(a, a.last) || cjk(b, b.first);
}

}  // namespace nb::text
