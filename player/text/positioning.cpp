// Positioning: lines of clusters become lines of glyphs in pixels, aligned
// and justified.
#include "text/positioning.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "text/punctuation.h"

namespace nb::text {

namespace {

constexpr float kEmBoxAscent = 0.88f;  // ideographic em box above the baseline

}  // namespace

Layout PositionLines(const ShapedText& shaped, const std::vector<LineSpan>& spans,
                     const Style& style, float size) {
  Layout layout;
  layout.text = shaped.text;
  layout.size_px = size;
  layout.line_advance = size * style.line_height;
  layout.ascent = kEmBoxAscent * size;
  layout.descent = (1.f - kEmBoxAscent) * size;
  const float autospace = style.autospace_em;
  const float half_leading = (layout.line_advance - size) / 2;
  const float width_em = style.box_width / size;
  const auto& clusters = shaped.clusters;
  layout.lines.reserve(spans.size());
  for (std::size_t li = 0; li < spans.size(); ++li) {
    const LineSpan& span = spans[li];
    Line line;
    line.text_begin = clusters[span.begin].begin;
    line.text_end = clusters[span.end - 1].end;
    line.baseline = static_cast<float>(li) * layout.line_advance + half_leading + layout.ascent;
    std::size_t last = span.end;
    while (last > span.begin && (clusters[last - 1].space || clusters[last - 1].newline)) --last;
    float extra = 0.f;  // justification per gap, ems
    if (style.align == Align::kJustify && !span.paragraph_end && last > span.begin) {
      int gaps = 0;
      for (std::size_t u = span.begin; u + 1 < last; ++u) {
        if (JustifiableGap(clusters[u], clusters[u + 1])) ++gaps;
      }
      if (gaps > 0) extra = std::max(0.f, width_em - span.width) / static_cast<float>(gaps);
    }
    // A squeezed line takes the same share off each compressible mark
    // inside it; marks at the edges are trimmed already.
    const float share = span.squeeze > 0.f && span.squeezable > 0.f
                            ? std::min(1.f, span.squeeze / span.squeezable)
                            : 0.f;
    float pen = 0.f;  // ems
    if (style.align == Align::kCenter) pen = (width_em - span.width) / 2;
    if (style.align == Align::kEnd) pen = width_em - span.width;
    if (last > span.begin) {
      line.glyphs.reserve(clusters[last - 1].glyph_end - clusters[span.begin].glyph_begin);
    }
    for (std::size_t u = span.begin; u < last; ++u) {
      const Cluster& cluster = clusters[u];
      bool halved = cluster.compressed ||
                    (u == span.begin && cluster.punct == PunctKind::kOpening) ||
                    (u + 1 == last && cluster.punct == PunctKind::kClosing);
      float shift = halved ? cluster.shift : 0.f;
      float squeezed = 0.f;
      if (share > 0.f && !halved) {
        squeezed = share * SqueezableHalf(cluster);
        if (squeezed > 0.f) {
          if (cluster.punct == PunctKind::kOpening && cluster.half > 0.f) {
            shift = cluster.shift * squeezed / cluster.half;
          }
          ++line.marks_compressed;
        }
      }
      for (std::uint32_t g = cluster.glyph_begin; g < cluster.glyph_end; ++g) {
        const ShapedGlyph& sg = shaped.glyphs[g];
        PositionedGlyph pg;
        pg.face = &sg.face->info;
        pg.glyph_id = sg.glyph_id;
        pg.x = (pen + sg.x_offset + shift) * size;
        pg.y = line.baseline - sg.y_offset * size;
        pg.cluster_begin = cluster.begin;
        pg.cluster_end = cluster.end;
        line.glyphs.push_back(pg);
        pen += sg.advance;
      }
      if (halved) pen -= cluster.half;
      pen -= squeezed;
      if (u + 1 < last) {
        if (cluster.autospace_after) pen += autospace;
        if (JustifiableGap(cluster, clusters[u + 1])) pen += extra;
      }
    }
    line.width = (extra > 0.f ? width_em : span.width) * size;
    line.gap_em = extra;
    line.compressed_em = line.marks_compressed > 0 ? span.squeeze : 0.f;
    line.paragraph_end = span.paragraph_end;
    line.lone = span.lone;
    layout.width = std::max(layout.width, line.width);
    layout.lines.push_back(std::move(line));
  }
  layout.height = static_cast<float>(layout.lines.size()) * layout.line_advance;
  return layout;
}

}  // namespace nb::text
