// Fitting and cutting, the text engine's last stage: the size at which a
// text fits its box, or, when none does, the text cut short with "……".
// Internal to nb_text.
//
// Contract:
// - FitToBox lays a text out through a SizedLayouter: at the style's size,
//   or for a size range the largest whole-pixel step that fits the box
//   within max_lines (a balanced headline first steps down to a size where
//   no word is split). If none fits, the text is cut at the last sentence or
//   clause end that fits at the smallest size, else between words, and ends
//   in "……" followed by the closing marks of what is still open
//   (Layout::truncated). A style without a box width gets an unbounded one.
// - AllowedLines: how many lines at `size` the style's max_lines and box
//   height allow.
// - CutPoints: where a text may be cut, in text order: after a sentence or
//   clause mark (before a pause mark, which the ellipsis replaces), and after
//   a closing mark that follows 。！？; each with the closers it needs.
// - ClosersOpenAt: the closing marks of the quotations and brackets open
//   before byte `end`, innermost first (the kClosedAfterCut pairs).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/shaping.h"
#include "text/text.h"

namespace nb::text {

// What fitting asks of the stages before it.
class SizedLayouter {
 public:
  virtual ~SizedLayouter() = default;
  // `text` shaped, broken and positioned at `size`; *fits says whether it
  // takes at most `allowed_lines` lines.
  virtual Layout LayOutAtSize(std::string_view text, const Style& style, float size,
                              int allowed_lines, bool* fits) = 0;
  // `text` shaped with its break opportunities and words. The pointer keeps
  // it alive while later calls shape other texts.
  virtual std::shared_ptr<const ShapedText> ShapeWithWords(std::string_view text,
                                                           const Style& style) = 0;
};

Layout FitToBox(std::string_view text, const Style& style, SizedLayouter& layouter);

int AllowedLines(const Style& style, float size);

// A place where a too-long text may be cut: keep text[0, end), then "……",
// then the closing marks of the quotations and brackets still open there.
struct CutPoint {
  std::size_t end;
  std::string closers;
  bool clause;  // at a sentence or clause end (else between words)
};

std::vector<CutPoint> CutPoints(std::string_view text);
std::string ClosersOpenAt(std::string_view text, std::size_t end);

}  // namespace nb::text
