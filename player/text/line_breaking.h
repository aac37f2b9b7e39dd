// Line breaking, the text engine's third stage: a shaped text with its break
// opportunities becomes lines, as spans of clusters. Internal to nb_text.
// The mending of lone last lines is a pass of its own (lone_lines.h).
//
// Contract (widths in ems; `autospace` in ems; the text's prefix widths
// computed for that autospace, ShapedText::EnsurePrefix):
// - MeasureLine: the width of clusters [a, b) as one line: trailing spaces
//   and newlines hang, an opening mark at the start and a closing mark at the
//   end lose their blank half, no autospace at the edges; and how much
//   compressing the marks inside the line could take off (SqueezableHalf).
// - BreakGreedy: first fit at break opportunities, without compressing
//   marks inside lines; a word longer than the line is broken inside, still
//   never before a closing mark or after an opening one. Every line fits but
//   such a piece of one cluster.
// - RebreakParagraph: the clusters [p0, p1) of one paragraph in the fewest
//   lines, then with the least sum over all lines but the last of squared
//   spacing per gap, where a line that would be too long may compress the
//   marks inside it (推入, LineSpan::squeeze) at the same cost as spreading;
//   only at break opportunities, so words and numbers stay whole. Limits
//   can forbid a lone last line and gaps wider than a bound. False when no
//   set of lines meets them.
// - EvenOutLooseLines: re-breaks each paragraph that has a loose line (gaps
//   that justification would widen visibly) with RebreakParagraph, into no
//   more lines than it had, without a lone last line where that is possible;
//   other paragraphs stay as they are.
// - BalanceLines: `lines` lines of even length, preferring breaks between
//   words (they need FindWords), after punctuation and outside quotations,
//   and avoiding a lone last line; greedy breaks when no such set fits.
// - SplitsWord: whether any line after the first starts inside a word.
// - IsLoneLine: whether clusters [a, b) hold one CJK character and nothing
//   else but punctuation and spaces (孤字 when it ends a paragraph).
// - JustifiableGap: justification stretches gaps next to Chinese characters
//   and marks, and spaces, never the inside of a Latin word or a number.
#pragma once

#include <cstddef>
#include <vector>

#include "text/punctuation.h"
#include "text/shaping.h"
#include "text/text.h"

namespace nb::text {

struct LineSpan {
  std::size_t begin, end;         // clusters
  float width;                    // ems after trimming (and after `squeeze`)
  bool paragraph_end;             // the last line of the text or before a newline
  float squeezable = 0.f;         // ems compressing the marks inside could take off
  float squeeze = 0.f;            // ems taken off them (0 unless re-broken to fit)
  LoneLine lone = LoneLine::kNo;  // on a paragraph's last line (lone_lines.h)
};

// A justified line whose gaps would widen by more than this (ems) is worth
// re-breaking its paragraph for (EvenOutLooseLines).
inline constexpr float kLooseGapEm = 0.08f;
// The loose-line limit (issue 20): wider spacing per gap is what a reader
// sees as a loose line, so mending a lone last line may not go past it.
inline constexpr float kLooseLineLimitEm = 0.15f;

struct RebreakLimits {
  bool forbid_lone = false;  // no lone last line (when there are 2+ lines)
  float max_gap_em = 0.f;    // > 0: no line but the last spread wider
};

std::vector<LineSpan> BreakGreedy(const ShapedText& shaped, float width_em, float autospace);
bool RebreakParagraph(const ShapedText& shaped, std::size_t p0, std::size_t p1, float width_em,
                      float autospace, const RebreakLimits& limits, std::vector<LineSpan>* out);
void EvenOutLooseLines(const ShapedText& shaped, float width_em, float autospace,
                       std::vector<LineSpan>* spans);
std::vector<LineSpan> BalanceLines(const ShapedText& shaped, float width_em, float autospace,
                                   std::size_t lines);
bool SplitsWord(const ShapedText& shaped, const std::vector<LineSpan>& spans);
bool IsLoneLine(const ShapedText& shaped, std::size_t a, std::size_t b);

// Inline: asked twice per cluster of every line.
inline bool JustifiableGap(const Cluster& a, const Cluster& b) {
  auto cjk = [](const Cluster& u, char32_t c) {
    return IsHan(c) || u.punct != PunctKind::kNone || IsCjkPunctuation(c) || u.space;
  };
  return cjk(a, a.last) || cjk(b, b.first);
}

// Inline: breaking measures at every break opportunity.
inline LineSpan MeasureLine(const ShapedText& shaped, std::size_t a, std::size_t b,
                            float autospace) {
  const auto& clusters = shaped.clusters;
  std::size_t last = b;
  while (last > a && (clusters[last - 1].space || clusters[last - 1].newline)) --last;
  float w = 0.f;
  float squeezable = 0.f;
  if (last > a) {
    w = shaped.prefix[last] - shaped.prefix[a];
    squeezable = shaped.squeezable[last] - shaped.squeezable[a];
    const Cluster& first = clusters[a];
    const Cluster& end = clusters[last - 1];
    if (end.autospace_after) w -= autospace;
    // A mark at a line edge is trimmed already, so it has nothing to give.
    if (first.punct == PunctKind::kOpening && !first.compressed) {
      w -= first.half;
      squeezable -= SqueezableHalf(first);
    }
    if (end.punct == PunctKind::kClosing && !end.compressed) {
      w -= end.half;
      if (last - 1 > a) squeezable -= SqueezableHalf(end);
    }
  }
  return {a, b, w, b == clusters.size() || clusters[b - 1].newline, squeezable};
}

}  // namespace nb::text
