// Line breaking: greedy first fit, the evening-out of loose justified
// paragraphs, and headline balancing, over cluster widths in ems.
#include "text/line_breaking.h"

#include <algorithm>
#include <cstddef>
#include <limits>

#include "base/unicode_classes.h"
#include "text/break_opportunities.h"
#include "text/punctuation.h"

namespace nb::text {

namespace {

constexpr float kEpsilon = 1e-4f;

}  // namespace

std::vector<LineSpan> BreakGreedy(const ShapedText& shaped, float width_em, float autospace) {
  const auto& clusters = shaped.clusters;
  std::vector<LineSpan> lines;
  const std::size_t n = clusters.size();
  std::size_t a = 0;
  while (a < n) {
    // Scan forward keeping a running raw width; MeasureLine only at break points.
    float raw = 0.f;
    std::size_t best = 0;
    std::size_t b = a + 1;
    for (; b <= n; ++b) {
      const Cluster& prev = clusters[b - 1];
      raw += prev.advance - (prev.compressed ? prev.half : 0.f) +
             (prev.autospace_after ? autospace : 0.f);
      bool breakable = b == n || clusters[b].can_break_before;
      if (breakable) {
        // Cheap bound first: trimming removes at most 1 em plus autospace.
        if (raw - 1.f - autospace > width_em + kEpsilon && !prev.space) break;
        if (MeasureLine(shaped, a, b, autospace).width <= width_em + kEpsilon) {
          best = b;
        } else if (!prev.space) {
          break;
        }
        if (prev.newline) break;
      }
    }
    if (best == 0) {
      // Nothing fits: an over-long word. Break inside it, still never before
      // a closing mark or after an opening one.
      std::size_t fit = a + 1;
      for (std::size_t c = a + 1; c <= n; ++c) {
        if (MeasureLine(shaped, a, c, autospace).width > width_em + kEpsilon) break;
        if (c == n || (!NoLineStart(clusters[c].first) && !NoLineEnd(clusters[c - 1].last))) {
          fit = c;
        }
      }
      best = fit;
    }
    lines.push_back(MeasureLine(shaped, a, best, autospace));
    a = best;
  }
  return lines;
}

// A justified line whose gaps would widen by more than this (ems) looks
// gappy: greedy breaking leaves one when what follows cannot be split, as in
// "…精|神……" at a paragraph's end, where 神 may not part from the ellipsis.
constexpr float kLooseGapEm = 0.08f;

// Like a typesetter (and Knuth-Plass), re-break a paragraph with a loose
// line so that the shortfall is shared among its lines: the fewest lines
// first, then the least sum of squared shortfalls of all but the last line.
// Paragraphs without a loose line keep their greedy breaks.
void EvenOutLooseLines(const ShapedText& shaped, float width_em, float autospace,
                       std::vector<LineSpan>* spans) {
  const auto& clusters = shaped.clusters;
  std::vector<LineSpan> out;
  out.reserve(spans->size());
  bool changed = false;
  for (std::size_t first = 0; first < spans->size();) {
    std::size_t last = first;  // the paragraph's last line
    while (!(*spans)[last].paragraph_end && last + 1 < spans->size()) ++last;
    bool loose = false;
    for (std::size_t l = first; l < last; ++l) {
      const LineSpan& span = (*spans)[l];
      const float gaps = static_cast<float>(std::max<std::size_t>(1, span.end - span.begin - 1));
      if ((width_em - span.width) / gaps > kLooseGapEm) loose = true;
    }
    const std::size_t lines = last - first + 1;
    std::vector<LineSpan> better;
    if (loose) {
      const std::size_t p0 = (*spans)[first].begin, p1 = (*spans)[last].end;
      std::vector<std::size_t> cand = {p0};
      for (std::size_t u = p0 + 1; u < p1; ++u) {
        if (clusters[u].can_break_before) cand.push_back(u);
      }
      cand.push_back(p1);
      const std::size_t m = cand.size();
      // Each extra line costs more than any sum of shortfalls can.
      const double per_line =
          (static_cast<double>(width_em) * width_em + 1.0) * static_cast<double>(lines + 1);
      const double kInf = std::numeric_limits<double>::infinity();
      std::vector<double> cost(m, kInf);
      std::vector<std::size_t> from(m, 0);
      cost[0] = 0.0;
      for (std::size_t j = 1; j < m; ++j) {
        for (std::size_t i = j; i-- > 0;) {
          // Raw width only grows as the line starts earlier; trimming takes
          // at most 1 em plus autospace off it.
          if (shaped.prefix[cand[j]] - shaped.prefix[cand[i]] - 1.f - autospace >
              width_em + kEpsilon) {
            break;
          }
          if (cost[i] == kInf) continue;
          LineSpan span = MeasureLine(shaped, cand[i], cand[j], autospace);
          if (span.width > width_em + kEpsilon) continue;
          // The shortfall per gap, squared, for each gap: what the eye sees.
          const double gaps = static_cast<double>(std::max<std::size_t>(1, cand[j] - cand[i] - 1));
          const double short_em = j + 1 == m ? 0.0 : width_em - span.width;
          const double c = cost[i] + per_line + short_em * short_em / gaps;
          if (c < cost[j]) {
            cost[j] = c;
            from[j] = i;
          }
        }
      }
      if (cost[m - 1] != kInf) {
        for (std::size_t j = m - 1; j > 0; j = from[j]) {
          better.push_back(MeasureLine(shaped, cand[from[j]], cand[j], autospace));
        }
        std::reverse(better.begin(), better.end());
      }
    }
    if (better.size() == lines) {
      out.insert(out.end(), better.begin(), better.end());
      changed = true;
    } else {
      out.insert(out.end(), spans->begin() + static_cast<std::ptrdiff_t>(first),
                 spans->begin() + static_cast<std::ptrdiff_t>(last + 1));
    }
    first = last + 1;
  }
  if (changed) *spans = std::move(out);
}

// Headlines: the same number of lines as greedy breaking, with breaks chosen
// among word boundaries to even out the line lengths.
// What splitting a word costs a headline, against squared relative deviations
// of line lengths: more than any imbalance short of a one-word line.
constexpr float kWordSplitCost = 1.0f;
// A break between two one-character words (see Cluster::weak_word_start).
constexpr float kWeakWordBreakCost = 0.3f;

std::vector<LineSpan> BalanceLines(const ShapedText& shaped, float width_em, float autospace,
                                   std::size_t lines) {
  const auto& clusters = shaped.clusters;
  const std::size_t n = clusters.size();
  std::vector<std::size_t> cand = {0};
  std::vector<int> depth(n + 1, 0);  // quotation/bracket nesting before each cluster
  int d = 0;
  for (std::size_t u = 0; u < n; ++u) {
    depth[u] = d;
    if (clusters[u].punct == PunctKind::kOpening)
      ++d;
    else if (clusters[u].punct == PunctKind::kClosing &&
             IsClosingMark(clusters[u].first, kEndsHeadlineQuotation)) {
      d = std::max(0, d - 1);
    }
  }
  depth[n] = d;
  for (std::size_t u = 1; u < n; ++u) {
    const Cluster& cluster = clusters[u];
    bool latin_inside = IsLatinOrDigit(clusters[u - 1].last) && IsLatinOrDigit(cluster.first);
    // Breaks inside a word are candidates too, at a high cost, so that a
    // solution exists wherever greedy breaking found one.
    if (cluster.can_break_before && !latin_inside) cand.push_back(u);
  }
  cand.push_back(n);
  const std::size_t m = cand.size();
  float total = MeasureLine(shaped, 0, n, autospace).width;
  float target = total / static_cast<float>(lines);
  const float kInf = std::numeric_limits<float>::infinity();
  // cost[k][j]: best cost of k lines ending at candidate j.
  std::vector<std::vector<float>> cost(lines + 1, std::vector<float>(m, kInf));
  std::vector<std::vector<std::size_t>> from(lines + 1, std::vector<std::size_t>(m, 0));
  cost[0][0] = 0.f;
  for (std::size_t k = 1; k <= lines; ++k) {
    for (std::size_t j = 1; j < m; ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (cost[k - 1][i] == kInf) continue;
        LineSpan span = MeasureLine(shaped, cand[i], cand[j], autospace);
        if (span.width > width_em + kEpsilon) continue;
        float dev = (span.width - target) / target;
        float c = dev * dev;
        std::size_t b = cand[j];
        if (b < n) {
          // Prefer breaks after punctuation or before an opening mark, and
          // not inside a quotation.
          if (clusters[b - 1].punct != PunctKind::kNone ||
              clusters[b].punct == PunctKind::kOpening || IsClauseEnd(clusters[b - 1].last)) {
            c -= 0.1f;
          }
          if (depth[b] > 0) c += 0.15f;
          if (!IsBetweenWords(clusters, b)) c += kWordSplitCost;
          if (clusters[b].weak_word_start) c += kWeakWordBreakCost;
        }
        if (cost[k - 1][i] + c < cost[k][j]) {
          cost[k][j] = cost[k - 1][i] + c;
          from[k][j] = i;
        }
      }
    }
  }
  if (cost[lines][m - 1] == kInf) return BreakGreedy(shaped, width_em, autospace);
  std::vector<LineSpan> out(lines);
  std::size_t j = m - 1;
  for (std::size_t k = lines; k >= 1; --k) {
    std::size_t i = from[k][j];
    out[k - 1] = MeasureLine(shaped, cand[i], cand[j], autospace);
    j = i;
  }
  return out;
}

bool SplitsWord(const ShapedText& shaped, const std::vector<LineSpan>& spans) {
  const auto& clusters = shaped.clusters;
  for (std::size_t i = 1; i < spans.size(); ++i) {
    std::size_t b = spans[i].begin;
    if (b == 0 || b >= clusters.size()) continue;
    if (!IsBetweenWords(clusters, b)) return true;
  }
  return false;
}

}  // namespace nb::text
