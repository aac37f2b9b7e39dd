// Lone last lines: find them (a scan of each paragraph's last line, two
// characters at most), and re-break the end of the few paragraphs that have
// one.
#include "text/lone_lines.h"

#include <algorithm>
#include <cstddef>

#include "text/text.h"

namespace nb::text {

const char* LoneLineName(LoneLine lone) {
  switch (lone) {
    case LoneLine::kNo:
      return "no";
    case LoneLine::kMended:
      return "mended";
    case LoneLine::kLooseGap:
      return "loose_gap";
    case LoneLine::kBreaks:
      return "breaks";
    case LoneLine::kLines:
      return "lines";
  }
  return "no";
}

namespace {

// The widest spacing per gap justification gives a paragraph's lines but
// the last (ems), counted as positioning counts gaps.
float WidestGap(const ShapedText& shaped, const std::vector<LineSpan>& spans, std::size_t first,
                std::size_t last, float width_em) {
  const auto& clusters = shaped.clusters;
  float widest = 0.f;
  for (std::size_t l = first; l < last; ++l) {
    const LineSpan& span = spans[l];
    std::size_t end = span.end;
    while (end > span.begin && (clusters[end - 1].space || clusters[end - 1].newline)) --end;
    int gaps = 0;
    for (std::size_t u = span.begin; u + 1 < end; ++u) {
      if (JustifiableGap(clusters[u], clusters[u + 1])) ++gaps;
    }
    if (gaps > 0) widest = std::max(widest, (width_em - span.width) / static_cast<float>(gaps));
  }
  return widest;
}

// Paragraphs of at most this many lines are re-broken whole.
constexpr std::size_t kWholeParagraphLines = 6;

}  // namespace

void MendLoneLastLines(const ShapedText& shaped, float width_em, float autospace, bool justify,
                       std::vector<LineSpan>* spans) {
  // Most texts have none: look before copying anything.
  std::vector<LineSpan> out;
  bool changed = false;
  for (std::size_t first = 0; first < spans->size();) {
    std::size_t last = first;
    while (!(*spans)[last].paragraph_end && last + 1 < spans->size()) ++last;
    const LineSpan& end = (*spans)[last];
    const bool lone = last > first && IsLoneLine(shaped, end.begin, end.end);
    if (lone && !changed) {
      out.assign(spans->begin(), spans->begin() + static_cast<std::ptrdiff_t>(first));
      changed = true;
    }
    if (!lone) {
      if (changed) {
        out.insert(out.end(), spans->begin() + static_cast<std::ptrdiff_t>(first),
                   spans->begin() + static_cast<std::ptrdiff_t>(last + 1));
      }
      first = last + 1;
      continue;
    }
    const std::size_t lines = last - first + 1;
    RebreakLimits limits;
    limits.forbid_lone = true;
    if (justify) {
      limits.max_gap_em =
          std::max(kLooseLineLimitEm, WidestGap(shaped, *spans, first, last, width_em));
    }
    // Re-breaking a long paragraph whole costs as much as laying it out a
    // few times over, and a character pulled down settles within its last
    // lines: re-break the last 2, 4, 8, ... lines, those above kept as they
    // are, until a tail mends or the tail is the whole paragraph. A short
    // one (a slide's summary) is re-broken whole: that costs little, and
    // only the whole may come out a line shorter, its marks compressed.
    const std::size_t at = out.size();
    bool ok = false, mended = false;
    const std::size_t start = lines <= kWholeParagraphLines ? lines : 2;
    for (std::size_t tail = start;; tail = std::min(2 * tail, lines)) {
      const std::size_t tail_first = last + 1 - tail;
      out.resize(at);
      out.insert(out.end(), spans->begin() + static_cast<std::ptrdiff_t>(first),
                 spans->begin() + static_cast<std::ptrdiff_t>(tail_first));
      const std::size_t from = out.size();
      ok = RebreakParagraph(shaped, (*spans)[tail_first].begin, end.end, width_em, autospace,
                            limits, &out);
      mended = ok && out.size() - from <= tail;
      if (mended || tail == lines) break;
    }
    if (mended) {
      out.back().lone = LoneLine::kMended;
    } else {
      // Which rule gave way, the whole paragraph re-broken (rare, so its
      // cost does not matter): the number of lines, the gap limit, or the
      // break opportunities themselves.
      LoneLine why = LoneLine::kBreaks;
      if (ok) {
        why = LoneLine::kLines;
      } else if (justify) {
        out.resize(at);
        limits.max_gap_em = 0.f;
        if (RebreakParagraph(shaped, (*spans)[first].begin, end.end, width_em, autospace, limits,
                             &out)) {
          why = out.size() - at <= lines ? LoneLine::kLooseGap : LoneLine::kLines;
        }
      }
      out.resize(at);
      out.insert(out.end(), spans->begin() + static_cast<std::ptrdiff_t>(first),
                 spans->begin() + static_cast<std::ptrdiff_t>(last + 1));
      out.back().lone = why;
    }
    first = last + 1;
  }
  if (changed) *spans = std::move(out);
}

void MarkLoneLastLines(const ShapedText& shaped, std::vector<LineSpan>* spans) {
  for (std::size_t first = 0; first < spans->size();) {
    std::size_t last = first;
    while (!(*spans)[last].paragraph_end && last + 1 < spans->size()) ++last;
    LineSpan& end = (*spans)[last];
    if (last > first && IsLoneLine(shaped, end.begin, end.end)) end.lone = LoneLine::kLines;
    first = last + 1;
  }
}

}  // namespace nb::text
