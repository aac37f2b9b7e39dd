// Positioning, the text engine's fourth stage: lines of clusters become a
// Layout, lines of glyphs in pixels at one size. Internal to nb_text.
//
// Contract:
// - PositionLines scales the shaped text to `size` pixels and places each
//   line's glyphs from the line's start (kStart), centre, end, or justified
//   to the box width (kJustify, all lines but a paragraph's last). Trailing
//   spaces and newlines get no glyphs; marks halved by compression or at a
//   line edge move by their shift; autospace goes between clusters, never at
//   a line edge. A line re-broken with its marks compressed (LineSpan::
//   squeeze) takes the same share off the blank half of each mark inside it
//   that SqueezableHalf allows. Justification stretches the gaps
//   JustifiableGap (line_breaking.h) names. Each Line says the spacing it
//   added per gap and the marks it compressed, and whether it ends a
//   paragraph with a lone character (LineSpan::lone). Baselines are
//   line_advance apart with the half-leading above the first; ascent and
//   descent are those of the ideographic em box.
#pragma once

#include <vector>

#include "text/line_breaking.h"
#include "text/punctuation.h"
#include "text/shaping.h"
#include "text/text.h"

namespace nb::text {

Layout PositionLines(const ShapedText& shaped, const std::vector<LineSpan>& spans,
                     const Style& style, float size);

}  // namespace nb::text
