// Shaping: itemization into runs, HarfBuzz in font units, the Han memo, and
// the punctuation and spacing facts of each cluster.
#include "text/shaping.h"

#include <algorithm>
#include <cstddef>

#include "base/utf8.h"

namespace nb::text {

namespace {

bool IsIgnorable(char32_t c) {
  return c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F) ||
         (c >= 0xE0100 && c <= 0xE01EF) || (c >= 0x0300 && c <= 0x036F);
}

// Characters whose shape never depends on their neighbours in CJK fonts:
// ideographs and full-width marks. Digits, Latin, dashes and ellipses (which
// fonts join or kern) are shaped as runs.
bool Memoizable(char32_t c) {
  return IsHan(c) || FullWidthPunctKind(c) != PunctKind::kNone ||
         (c >= 0x3000 && c <= 0x303F && c != 0x3030) || (c >= 0xFF01 && c <= 0xFF5E);
}

}  // namespace

void DecodedText::Assign(std::string_view text) {
  code_points.clear();
  byte_offsets.clear();
  for (std::size_t i = 0; i < text.size();) {
    byte_offsets.push_back(static_cast<std::uint32_t>(i));
    code_points.push_back(NextCodePoint(text, &i));
  }
  byte_offsets.push_back(static_cast<std::uint32_t>(text.size()));
}

void ShapedText::EnsurePrefix(float autospace) {
  if (prefix_autospace == autospace && prefix.size() == clusters.size() + 1) return;
  prefix.resize(clusters.size() + 1);
  squeezable.resize(clusters.size() + 1);
  prefix[0] = 0.f;
  squeezable[0] = 0.f;
  for (std::size_t u = 0; u < clusters.size(); ++u) {
    const Cluster& cluster = clusters[u];
    prefix[u + 1] = prefix[u] + cluster.advance - (cluster.compressed ? cluster.half : 0.f) +
                    (cluster.autospace_after ? autospace : 0.f);
    squeezable[u + 1] = squeezable[u] + SqueezableHalf(cluster);
  }
  prefix_autospace = autospace;
}

Shaper::Shaper(const FontSet& fonts, bool memoize_han)
    : fonts_(fonts),
      memoize_han_(memoize_han),
      language_(hb_language_from_string("zh-Hans", -1)),
      buffer_(hb_buffer_create()) {}

Shaper::~Shaper() { hb_buffer_destroy(buffer_); }

void Shaper::ClearMemo() {
  halt_cache_.clear();
  memo_.clear();
  pieces_.clear();
}

Shaper::MemoPages& Shaper::PagesFor(OpenFace* face) {
  if (memo_.size() <= static_cast<std::size_t>(face->slot)) memo_.resize(face->slot + 1);
  MemoPages& pages = memo_[static_cast<std::size_t>(face->slot)];
  if (pages.empty()) pages.resize(0x110000 / 256);
  return pages;
}

Shaper::GlyphMemo& Shaper::Entry(MemoPages& pages, char32_t c) {
  auto& page = pages[(c >> 8) & 0x1FFF];
  if (!page) page = std::make_unique<MemoPage>();
  return (*page)[c & 0xFF];
}

bool Shaper::Covers(OpenFace* face, char32_t c) {
  hb_codepoint_t g = 0;
  if (c > 0xFFFF) return hb_font_get_nominal_glyph(face->hb, c, &g);
  if (coverage_.size() <= static_cast<std::size_t>(face->slot)) {
    coverage_.resize(static_cast<std::size_t>(face->slot) + 1);
  }
  Coverage& cov = coverage_[static_cast<std::size_t>(face->slot)];
  const std::uint64_t bit = std::uint64_t{1} << (c & 63);
  if (!(cov.known[c >> 6] & bit)) {
    cov.known[c >> 6] |= bit;
    if (hb_font_get_nominal_glyph(face->hb, c, &g)) cov.has[c >> 6] |= bit;
  }
  return (cov.has[c >> 6] & bit) != 0;
}

std::unique_ptr<ShapedText> Shaper::Shape(std::string_view text, const DecodedText& decoded,
                                          bool bold, const std::string& language) {
  language_ = hb_language_from_string(language.c_str(), static_cast<int>(language.size()));
  if (memo_language_ != language_) {  // the per-character caches hold one language
    ClearMemo();
    memo_language_ = language_;
  }
  auto shaped = std::make_unique<ShapedText>();
  shaped->text = std::string(text);
  const std::vector<char32_t>& cps = decoded.code_points;
  shaped->clusters.reserve(cps.size() + 1);  // at most one cluster per character
  shaped->glyphs.reserve(cps.size() + 8);
  const auto& chain = fonts_.chain(bold);
  hb_unicode_funcs_t* ufuncs = hb_unicode_funcs_get_default();

  // Itemize into runs of one face and one script.
  std::size_t run_begin = 0;  // code points
  OpenFace* run_face = nullptr;
  hb_script_t run_script = HB_SCRIPT_INVALID;
  for (std::size_t at = 0; at < cps.size(); ++at) {
    const char32_t c = cps[at];
    OpenFace* face = run_face;
    if (!(IsIgnorable(c) || c == '\n' || c == '\r' || (IsSpace(c) && run_face != nullptr))) {
      face = chain.front();
      for (OpenFace* f : chain) {
        if (Covers(f, c)) {
          face = f;
          break;
        }
      }
    }
    if (face == nullptr) face = chain.front();
    // The common cases without a Unicode table lookup.
    hb_script_t script = (c >= 0x3400 && c <= 0x9FFF)               ? HB_SCRIPT_HAN
                         : ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? HB_SCRIPT_LATIN
                         : c < 0x80                                 ? HB_SCRIPT_COMMON
                         : IsCjkPunctuation(c)                      ? HB_SCRIPT_HAN
                                                                    : hb_unicode_script(ufuncs, c);
    if (script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED ||
        script == HB_SCRIPT_UNKNOWN) {
      script = run_script == HB_SCRIPT_INVALID ? HB_SCRIPT_HAN : run_script;
    }
    if (run_face != nullptr && (face != run_face || script != run_script)) {
      ShapeRun(*shaped, decoded, run_begin, at, run_face, run_script);
      run_begin = at;
    }
    run_face = face;
    run_script = script;
  }
  if (run_face != nullptr) ShapeRun(*shaped, decoded, run_begin, cps.size(), run_face, run_script);

  // Compress adjacent full-width marks: a closing mark before another mark,
  // and an opening mark after an opening mark, lose their blank half.
  auto& clusters = shaped->clusters;
  for (std::size_t u = 0; u + 1 < clusters.size(); ++u) {
    if (clusters[u].punct == PunctKind::kClosing && clusters[u + 1].punct != PunctKind::kNone) {
      clusters[u].compressed = true;
    }
    if (clusters[u + 1].punct == PunctKind::kOpening && clusters[u].punct == PunctKind::kOpening) {
      clusters[u + 1].compressed = true;
    }
  }
  // Autospace between Han and Latin letters or digits.
  for (std::size_t u = 0; u + 1 < clusters.size(); ++u) {
    char32_t a = clusters[u].last, b = clusters[u + 1].first;
    clusters[u].autospace_after =
        (IsHan(a) && IsLatinOrDigit(b)) || (IsLatinOrDigit(a) && IsHan(b));
  }
  return shaped;
}

const Shaper::GlyphMemo& Shaper::Memo(MemoPages& pages, OpenFace* face, char32_t c) {
  GlyphMemo& m = Entry(pages, c);
  if (m.state != 0) return m;
  m.state = 2;
  if (IsIgnorable(c) || c == '\n' || c == '\r') return m;
  hb_buffer_clear_contents(buffer_);
  std::uint32_t cp = c;
  hb_buffer_add_utf32(buffer_, &cp, 1, 0, 1);
  hb_buffer_set_direction(buffer_, HB_DIRECTION_LTR);
  hb_buffer_set_script(buffer_, HB_SCRIPT_HAN);
  hb_buffer_set_language(buffer_, language_);
  hb_shape(face->hb, buffer_, nullptr, 0);
  unsigned n = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer_, &n);
  const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buffer_, &n);
  if (n == 1 && info[0].codepoint <= 0xFFFF) {
    m.state = 1;
    m.glyph_id = static_cast<std::uint16_t>(info[0].codepoint);
    m.advance = pos[0].x_advance / face->upem;
    m.x_offset = pos[0].x_offset / face->upem;
    m.y_offset = pos[0].y_offset / face->upem;
  }
  return m;
}

// A Han run: ideographs and full-width marks from the memo (one cluster per
// character), everything between them shaped by HarfBuzz as sub-runs.
void Shaper::ShapeRunMemoized(ShapedText& out, const DecodedText& decoded, std::size_t cp_begin,
                              std::size_t cp_end, OpenFace* face) {
  MemoPages& pages = PagesFor(face);
  const std::size_t none = cp_end;
  std::size_t pending = none;  // start of a sub-run waiting for HarfBuzz
  for (std::size_t k = cp_begin; k < cp_end; ++k) {
    const char32_t c = decoded.code_points[k];
    const GlyphMemo* m = Memoizable(c) ? &Memo(pages, face, c) : nullptr;
    if (m == nullptr || m->state != 1) {
      if (pending == none) pending = k;
      continue;
    }
    if (pending != none) {
      ShapePiece(out, decoded.byte_offsets[pending], decoded.byte_offsets[k], face);
      pending = none;
    }
    Cluster& cluster = out.clusters.emplace_back();
    cluster.begin = decoded.byte_offsets[k];
    cluster.end = decoded.byte_offsets[k + 1];
    cluster.glyph_begin = static_cast<std::uint32_t>(out.glyphs.size());
    cluster.glyph_end = cluster.glyph_begin + 1;
    cluster.advance = m->advance;
    cluster.first = cluster.last = c;  // FinishRun need not decode it again
    out.glyphs.push_back({face, m->glyph_id, m->advance, m->x_offset, m->y_offset});
  }
  if (pending != none)
    ShapePiece(out, decoded.byte_offsets[pending], decoded.byte_offsets[cp_end], face);
}

void Shaper::ShapeRun(ShapedText& out, const DecodedText& decoded, std::size_t cp_begin,
                      std::size_t cp_end, OpenFace* face, hb_script_t script) {
  const std::size_t first_cluster = out.clusters.size();
  if (memoize_han_ && script == HB_SCRIPT_HAN) {
    ShapeRunMemoized(out, decoded, cp_begin, cp_end, face);
  } else {
    ShapeRunWhole(out, decoded.byte_offsets[cp_begin], decoded.byte_offsets[cp_end], face, script);
  }
  FinishRun(out, first_cluster, face);
}

void Shaper::ShapeRunWhole(ShapedText& out, std::size_t begin, std::size_t end, OpenFace* face,
                           hb_script_t script) {
  thread_local std::vector<ClusterGlyph> glyphs;
  glyphs.clear();
  HarfBuzzShape(std::string_view(out.text), begin, end, face, script, &glyphs);
  AppendGlyphs(out, 0, end, glyphs);
}

// Shapes text[begin, end) (the whole text as context) into glyphs whose
// clusters are byte offsets in text.
void Shaper::HarfBuzzShape(std::string_view text, std::size_t begin, std::size_t end,
                           OpenFace* face, hb_script_t script, std::vector<ClusterGlyph>* glyphs) {
  hb_buffer_clear_contents(buffer_);
  hb_buffer_add_utf8(buffer_, text.data(), static_cast<int>(text.size()),
                     static_cast<unsigned>(begin), static_cast<int>(end - begin));
  hb_buffer_set_direction(buffer_, HB_DIRECTION_LTR);
  hb_buffer_set_script(buffer_, script);
  hb_buffer_set_language(buffer_, language_);
  static const hb_feature_t kFeatures[] = {
      {HB_TAG('k', 'e', 'r', 'n'), 1, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
  };
  hb_shape(face->hb, buffer_, kFeatures, 1);
  unsigned count = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer_, &count);
  const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buffer_, &count);
  const float scale = 1.f / face->upem;
  for (unsigned g = 0; g < count; ++g) {
    glyphs->push_back({info[g].cluster,
                       {face, info[g].codepoint, pos[g].x_advance * scale, pos[g].x_offset * scale,
                        pos[g].y_offset * scale}});
  }
}

// Appends glyphs (clusters relative to `offset`) as clusters ending at `end`.
void Shaper::AppendGlyphs(ShapedText& out, std::size_t offset, std::size_t end,
                          const std::vector<ClusterGlyph>& glyphs) {
  const std::size_t first_cluster = out.clusters.size();
  for (const ClusterGlyph& cg : glyphs) {
    const auto byte = static_cast<std::uint32_t>(offset + cg.cluster);
    if (out.clusters.size() == first_cluster || out.clusters.back().begin != byte) {
      if (out.clusters.size() > first_cluster) out.clusters.back().end = byte;
      Cluster cluster;
      cluster.begin = byte;
      cluster.glyph_begin = static_cast<std::uint32_t>(out.glyphs.size());
      out.clusters.push_back(cluster);
    }
    out.glyphs.push_back(cg.glyph);
    Cluster& cluster = out.clusters.back();
    cluster.glyph_end = static_cast<std::uint32_t>(out.glyphs.size());
    cluster.advance += cg.glyph.advance;
  }
  if (out.clusters.size() > first_cluster)
    out.clusters.back().end = static_cast<std::uint32_t>(end);
}

// A piece of a Han run between ideographs (digits, ASCII marks, dashes):
// shaped on its own once and reused, like a browser's word cache.
void Shaper::ShapePiece(ShapedText& out, std::size_t begin, std::size_t end, OpenFace* face) {
  std::string key;
  key.reserve(end - begin + 1);
  key.push_back(static_cast<char>(face->slot));
  key.append(out.text, begin, end - begin);
  auto it = pieces_.find(key);
  if (it == pieces_.end()) {
    if (pieces_.size() > 8192) pieces_.clear();
    std::vector<ClusterGlyph> glyphs;
    HarfBuzzShape(std::string_view(out.text).substr(begin, end - begin), 0, end - begin, face,
                  HB_SCRIPT_HAN, &glyphs);
    it = pieces_.emplace(std::move(key), std::move(glyphs)).first;
  }
  AppendGlyphs(out, begin, end, it->second);
}

// Fills in each new cluster's characters (unless the memo path did) and
// punctuation metrics.
void Shaper::FinishRun(ShapedText& out, std::size_t first_cluster, OpenFace* face) {
  for (std::size_t u = first_cluster; u < out.clusters.size(); ++u) {
    Cluster& cluster = out.clusters[u];
    if (cluster.first == 0) {
      std::size_t i = cluster.begin;
      cluster.first = NextCodePoint(out.text, &i);
      cluster.last = cluster.first;
      while (i < cluster.end) cluster.last = NextCodePoint(out.text, &i);
    }
    cluster.space = IsSpace(cluster.first) && IsSpace(cluster.last);
    cluster.newline = cluster.last == '\n';
    if (cluster.newline) cluster.advance = 0.f;
    cluster.punct = FullWidthPunctKind(cluster.first);
    if (cluster.punct != PunctKind::kNone && cluster.glyph_end - cluster.glyph_begin == 1 &&
        cluster.advance > 0.9f) {
      FindHalf(cluster, face);
    } else {
      cluster.punct = PunctKind::kNone;  // proportional quotes and the like
    }
  }
}

// The font's own half-width form (GPOS `halt`) where it has one.
void Shaper::FindHalf(Cluster& cluster, OpenFace* face) {
  const std::uint64_t key = (static_cast<std::uint64_t>(face->slot) << 32) | cluster.first;
  auto it = halt_cache_.find(key);
  if (it == halt_cache_.end()) {
    hb_buffer_t* buf = hb_buffer_create();
    char32_t c = cluster.first;
    hb_buffer_add_utf32(buf, reinterpret_cast<const std::uint32_t*>(&c), 1, 0, 1);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, HB_SCRIPT_HAN);
    hb_buffer_set_language(buf, language_);
    hb_feature_t halt = {HB_TAG('h', 'a', 'l', 't'), 1, HB_FEATURE_GLOBAL_START,
                         HB_FEATURE_GLOBAL_END};
    hb_shape(face->hb, buf, &halt, 1);
    unsigned n = 0;
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
    float half = 0.f, shift = 0.f;
    if (n == 1) {
      half = cluster.advance - pos[0].x_advance / face->upem;
      shift = pos[0].x_offset / face->upem;
    }
    hb_buffer_destroy(buf);
    if (half < 0.2f) {  // no halt in the font: halve by hand
      half = cluster.advance / 2;
      shift = cluster.punct == PunctKind::kOpening ? -half : 0.f;
    }
    it = halt_cache_.emplace(key, std::make_pair(half, shift)).first;
  }
  cluster.half = it->second.first;
  cluster.shift = it->second.second;
}

}  // namespace nb::text
