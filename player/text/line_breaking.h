// Line breaking, the text engine's third stage: a shaped text with its break
// opportunities becomes lines, as spans of clusters. Internal to nb_text.
//
// Contract (widths in ems; `autospace` in ems; the text's prefix widths
// computed for that autospace, ShapedText::EnsurePrefix):
// - MeasureLine: the width of clusters [a, b) as one line: trailing spaces
//   and newlines hang, an opening mark at the start and a closing mark at the
//   end lose their blank half, no autospace at the edges.
// - BreakGreedy: first fit at break opportunities; a word longer than the
//   line is broken inside, still never before a closing mark or after an
//   opening one. Every line fits but such a piece of one cluster.
// - EvenOutLooseLines: re-breaks each paragraph that has a loose line (gaps
//   that justification would widen visibly) into the same number of lines
//   with the shortfall shared among them; other paragraphs stay as they are.
// - BalanceLines: `lines` lines of even length, preferring breaks between
//   words (they need FindWords), after punctuation and outside quotations;
//   greedy breaks when no such set of lines fits.
// - SplitsWord: whether any line after the first starts inside a word.
#pragma once

#include <cstddef>
#include <vector>

#include "text/punctuation.h"
#include "text/shaping.h"

namespace nb::text {

struct LineSpan {
  std::size_t begin, end;  // clusters
  float width;             // ems after trimming
  bool paragraph_end;      // the last line of the text or before a newline
};

std::vector<LineSpan> BreakGreedy(const ShapedText& shaped, float width_em, float autospace);
void EvenOutLooseLines(const ShapedText& shaped, float width_em, float autospace,
                       std::vector<LineSpan>* spans);
std::vector<LineSpan> BalanceLines(const ShapedText& shaped, float width_em, float autospace,
                                   std::size_t lines);
bool SplitsWord(const ShapedText& shaped, const std::vector<LineSpan>& spans);

// Inline: breaking measures at every break opportunity.
inline LineSpan MeasureLine(const ShapedText& shaped, std::size_t a, std::size_t b,
                            float autospace) {
  const auto& clusters = shaped.clusters;
  std::size_t last = b;
  while (last > a && (clusters[last - 1].space || clusters[last - 1].newline)) --last;
  float w = 0.f;
  if (last > a) {
    w = shaped.prefix[last] - shaped.prefix[a];
    const Cluster& first = clusters[a];
    const Cluster& end = clusters[last - 1];
    if (end.autospace_after) w -= autospace;
    if (first.punct == PunctKind::kOpening && !first.compressed) w -= first.half;
    if (end.punct == PunctKind::kClosing && !end.compressed) w -= end.half;
  }
  return {a, b, w, b == clusters.size() || clusters[b - 1].newline};
}

}  // namespace nb::text
