// Line breaking: greedy first fit, re-breaking a paragraph with compressed
// marks (for loose justified paragraphs and lone last lines), and headline
// balancing, over cluster widths in ems.
#include "text/line_breaking.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
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

// Like a typesetter (and Knuth-Plass), re-break a paragraph so that the
// shortfall is shared among its lines: the fewest lines first, then the
// least sum of squared spacing per gap of all but the last line. A line too
// long by less than what its marks can give is set with them compressed: a
// typesetter pushes a character in (推入) before spreading a line.
bool RebreakParagraph(const ShapedText& shaped, std::size_t p0, std::size_t p1, float width_em,
                      float autospace, const RebreakLimits& limits, std::vector<LineSpan>* out) {
  const auto& clusters = shaped.clusters;
  std::vector<std::size_t> cand = {p0};
  for (std::size_t u = p0 + 1; u < p1; ++u) {
    if (clusters[u].can_break_before) cand.push_back(u);
  }
  cand.push_back(p1);
  const std::size_t m = cand.size();
  // gaps[u - p0]: justifiable gaps between clusters p0..u-1, so that a
  // line's gaps, as positioning counts them, are O(1).
  std::vector<std::uint32_t> gaps(p1 - p0 + 1, 0);
  for (std::size_t u = p0 + 1; u <= p1; ++u) {
    gaps[u - p0] =
        gaps[u - 1 - p0] + (u < p1 && JustifiableGap(clusters[u - 1], clusters[u]) ? 1u : 0u);
  }
  // Each extra line costs more than any sum of line costs can: a line costs
  // at most its width squared.
  const double total = shaped.prefix[p1] - shaped.prefix[p0];
  const double est_lines = total / std::max(1e-3, static_cast<double>(width_em)) + 2.0;
  const double per_line = (static_cast<double>(width_em) * width_em + 1.0) * est_lines;
  const double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> cost(m, kInf);
  std::vector<std::size_t> from(m, 0);
  std::vector<float> squeeze(m, 0.f);
  cost[0] = 0.0;
  for (std::size_t j = 1; j < m; ++j) {
    const bool last_line = j + 1 == m;
    for (std::size_t i = j; i-- > 0;) {
      // Raw width less what compression can give only grows as the line
      // starts earlier; trimming takes at most 1 em plus autospace off it.
      const float raw = shaped.prefix[cand[j]] - shaped.prefix[cand[i]] -
                        (shaped.squeezable[cand[j]] - shaped.squeezable[cand[i]]);
      if (raw - 1.f - autospace > width_em + kEpsilon) break;
      if (cost[i] == kInf) continue;
      const LineSpan span = MeasureLine(shaped, cand[i], cand[j], autospace);
      const float over = span.width - width_em;
      if (over > span.squeezable + kEpsilon) continue;
      if (last_line && i > 0 && limits.forbid_lone && IsLoneLine(shaped, cand[i], cand[j])) {
        continue;
      }
      std::size_t last = cand[j];
      while (last > cand[i] && (clusters[last - 1].space || clusters[last - 1].newline)) --last;
      const double g =
          std::max<std::uint32_t>(1, last > cand[i] ? gaps[last - 1 - p0] - gaps[cand[i] - p0] : 0);
      double c = 0.0;
      if (!last_line) {
        // The spacing per gap, squared, for each gap: what the eye sees.
        // Compressing marks costs alike, so neither is pushed far.
        const double dev = over > 0.f ? over : -over;
        if (over < 0.f && limits.max_gap_em > 0.f && dev / g > limits.max_gap_em + kEpsilon) {
          continue;
        }
        c = dev * dev / g;
      }
      c += cost[i] + per_line;
      if (c < cost[j]) {
        cost[j] = c;
        from[j] = i;
        squeeze[j] = std::max(0.f, over);
      }
    }
  }
  if (cost[m - 1] == kInf) return false;
  const std::size_t start = out->size();
  for (std::size_t j = m - 1; j > 0; j = from[j]) {
    LineSpan span = MeasureLine(shaped, cand[from[j]], cand[j], autospace);
    span.squeeze = std::min(squeeze[j], span.squeezable);
    span.width -= span.squeeze;
    out->push_back(span);
  }
  std::reverse(out->begin() + static_cast<std::ptrdiff_t>(start), out->end());
  return true;
}

void EvenOutLooseLines(const ShapedText& shaped, float width_em, float autospace,
                       std::vector<LineSpan>* spans) {
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
    const std::size_t before = out.size();
    bool done = false;
    if (loose) {
      const std::size_t p0 = (*spans)[first].begin, p1 = (*spans)[last].end;
      // Without a lone last line if it can be had; else as before.
      for (bool forbid : {true, false}) {
        RebreakLimits limits;
        limits.forbid_lone = forbid;
        if (RebreakParagraph(shaped, p0, p1, width_em, autospace, limits, &out) &&
            out.size() - before <= lines) {
          done = true;
          break;
        }
        out.resize(before);
      }
    }
    if (done) {
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
// A last line of one character (孤字): worse than splitting a word, which
// makes the fitter step down a size, where the headline may set well.
constexpr float kLoneLastLineCost = 3.0f;

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
        } else if (cand[i] > 0 && IsLoneLine(shaped, cand[i], b)) {
          c += kLoneLastLineCost;
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

bool IsLoneLine(const ShapedText& shaped, std::size_t a, std::size_t b) {
  const auto& clusters = shaped.clusters;
  bool cjk = false;
  int characters = 0;
  for (std::size_t u = a; u < b; ++u) {
    const Cluster& c = clusters[u];
    const bool punctuation = c.punct != PunctKind::kNone || IsCjkPunctuation(c.first) ||
                             NoLineStart(c.first) || NoLineEnd(c.first) ||
                             (c.first < 0x80 && !IsLatinOrDigit(c.first));
    if (c.space || c.newline || punctuation) continue;
    if (++characters > 1) return false;
    cjk = IsHan(c.first);
  }
  return cjk;
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
