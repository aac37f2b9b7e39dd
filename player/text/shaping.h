// Shaping, the text engine's first stage: a text becomes clusters of glyphs
// in ems, with what breaking, spacing and positioning need to know of each.
// Internal to nb_text.
//
// Contract:
// - DecodedText holds a text decoded once: its code points and the byte
//   offset of each. Later stages read it instead of decoding again.
// - Shaper::Shape itemizes a text into runs of one face (the first face of
//   the role's fallback chain that covers the character) and one script,
//   shapes each run with HarfBuzz (the style's language, kern on) in font
//   units scaled to ems, and fills in each Cluster's characters, its
//   punctuation half (the font's `halt`, else half the advance), the
//   compression of adjacent full-width marks and the autospace between Han
//   and Latin or digits. Break opportunities and words are left to
//   break_opportunities.h.
// - ShapedText::EnsurePrefix gives line widths and what compressing the
//   marks inside a line may take off (SqueezableHalf) in O(1) per line.
// - With memoize_han, Han characters and full-width marks are shaped once per
//   face and language and reused, and the pieces between them once per face;
//   the results equal shaping whole runs (tests check it). These caches are
//   bounded; a new language or ClearMemo() empties them.
// Not thread-safe: one Shaper per TextEngine.
#pragma once

#include <hb.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/fonts.h"
#include "text/punctuation.h"

namespace nb::text {

struct DecodedText {
  std::vector<char32_t> code_points;
  // byte_offsets[k]: where code point k starts; one more entry at the end
  // holds the text's size.
  std::vector<std::uint32_t> byte_offsets;

  // Decodes `text`, reusing the vectors' memory.
  void Assign(std::string_view text);
};

struct ShapedGlyph {
  OpenFace* face;
  std::uint32_t glyph_id;
  float advance;  // ems
  float x_offset;
  float y_offset;
};

// One HarfBuzz cluster: the unit of breaking and spacing.
struct Cluster {
  std::uint32_t begin = 0, end = 0;  // bytes
  std::uint32_t glyph_begin = 0, glyph_end = 0;
  float advance = 0.f;  // ems, as shaped
  char32_t first = 0, last = 0;
  PunctKind punct = PunctKind::kNone;
  float half = 0.f;         // what halving removes from the advance (ems)
  float shift = 0.f;        // how halving moves the glyph (ems, opening marks)
  bool compressed = false;  // halved because of a neighbouring mark
  bool space = false;
  bool newline = false;
  bool autospace_after = false;
  bool can_break_before = false;
  bool word_start = false;  // an ICU word boundary precedes it
  // ...between two one-character words: where ICU's dictionary does not know
  // a word (校|地|才|企 for 校地才企) it falls back to single characters, so
  // such a boundary is a weaker place to break a headline.
  bool weak_word_start = false;
};

// What compressing a full-width mark inside a line may take off it (ems):
// the blank half of 。，、． and of the paired marks (quotation marks,
// brackets), unless it is already compressed next to another mark. ：；！？
// keep their width, as in Simplified Chinese body text.
inline float SqueezableHalf(const Cluster& c) {
  if (c.punct == PunctKind::kNone || c.compressed) return 0.f;
  const char32_t m = c.first;
  const bool pause = m == 0x3002 || m == 0xFF0C || m == 0x3001 || m == 0xFF0E;
  return pause || IsOpeningMark(m, kFullWidthPair) || IsClosingMark(m, kFullWidthPair) ? c.half
                                                                                       : 0.f;
}

struct ShapedText {
  std::string text;
  std::vector<ShapedGlyph> glyphs;
  std::vector<Cluster> clusters;
  bool words_done = false;
  // prefix[i]: width in ems of clusters [0, i) inside a line, for the
  // autospace it was computed with, so that any line's width is O(1);
  // squeezable[i]: the SqueezableHalf of clusters [0, i), likewise.
  std::vector<float> prefix;
  std::vector<float> squeezable;
  float prefix_autospace = -1.f;

  void EnsurePrefix(float autospace);
};

class Shaper {
 public:
  Shaper(const FontSet& fonts, bool memoize_han);
  ~Shaper();
  Shaper(const Shaper&) = delete;
  Shaper& operator=(const Shaper&) = delete;

  // Shapes `text`, whose decoded form is `decoded`, with the headline (bold)
  // or body faces.
  std::unique_ptr<ShapedText> Shape(std::string_view text, const DecodedText& decoded, bool bold,
                                    const std::string& language);
  // Drops the per-character and per-piece caches.
  void ClearMemo();

 private:
  struct ClusterGlyph {  // a glyph and its HarfBuzz cluster value (a byte offset)
    std::uint32_t cluster;
    ShapedGlyph glyph;
  };
  // A lone Han character as HarfBuzz shapes it, per face (language fixed:
  // the memo is dropped when the language changes).
  struct GlyphMemo {  // 16 bytes: the memo of a whole script block stays in cache
    std::uint16_t glyph_id = 0;
    std::uint8_t state = 0;  // 0 unknown, 1 simple, 2 needs run shaping
    float advance = 0.f, x_offset = 0.f, y_offset = 0.f;
  };
  // Which BMP characters a face has, as bits (16 KB per face).
  struct Coverage {
    std::vector<std::uint64_t> known = std::vector<std::uint64_t>(1024);
    std::vector<std::uint64_t> has = std::vector<std::uint64_t>(1024);
  };
  using MemoPage = std::array<GlyphMemo, 256>;
  using MemoPages = std::vector<std::unique_ptr<MemoPage>>;

  // Runs are given as code point indices into `decoded`.
  void ShapeRun(ShapedText& out, const DecodedText& decoded, std::size_t cp_begin,
                std::size_t cp_end, OpenFace* face, hb_script_t script);
  void ShapeRunMemoized(ShapedText& out, const DecodedText& decoded, std::size_t cp_begin,
                        std::size_t cp_end, OpenFace* face);
  void ShapeRunWhole(ShapedText& out, std::size_t begin, std::size_t end, OpenFace* face,
                     hb_script_t script);
  void ShapePiece(ShapedText& out, std::size_t begin, std::size_t end, OpenFace* face);
  void HarfBuzzShape(std::string_view text, std::size_t begin, std::size_t end, OpenFace* face,
                     hb_script_t script, std::vector<ClusterGlyph>* glyphs);
  void AppendGlyphs(ShapedText& out, std::size_t offset, std::size_t end,
                    const std::vector<ClusterGlyph>& glyphs);
  void FinishRun(ShapedText& out, std::size_t first_cluster, OpenFace* face);
  void FindHalf(Cluster& cluster, OpenFace* face);

  MemoPages& PagesFor(OpenFace* face);
  static GlyphMemo& Entry(MemoPages& pages, char32_t c);
  const GlyphMemo& Memo(MemoPages& pages, OpenFace* face, char32_t c);
  bool Covers(OpenFace* face, char32_t c);

  const FontSet& fonts_;
  bool memoize_han_ = true;
  std::vector<MemoPages> memo_;                                            // by face slot
  std::vector<Coverage> coverage_;                                         // by face slot
  std::unordered_map<std::string, std::vector<ClusterGlyph>> pieces_;      // face slot + text
  std::unordered_map<std::uint64_t, std::pair<float, float>> halt_cache_;  // slot, char
  hb_language_t memo_language_ = nullptr;
  hb_language_t language_ = nullptr;
  hb_buffer_t* buffer_ = nullptr;
};

}  // namespace nb::text
