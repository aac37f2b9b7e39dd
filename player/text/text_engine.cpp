// TextEngine: shaping once per text in font units (cached), then breaking,
// spacing and fitting at any size by scaling, so that trying sizes while
// fitting costs no reshaping.
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>

#include "base/log.h"
#include "text/fonts.h"
#include "text/punctuation.h"
#include "text/text.h"

namespace nb::text {

namespace {

constexpr float kEmBoxAscent = 0.88f;  // ideographic em box above the baseline
constexpr float kEpsilon = 1e-4f;

struct ShapedGlyph {
  OpenFace* face;
  std::uint32_t glyph_id;
  float advance;  // ems
  float x_offset;
  float y_offset;
};

// One HarfBuzz cluster: the unit of breaking and spacing.
struct Unit {
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

struct Shaped {
  std::string text;
  std::vector<ShapedGlyph> glyphs;
  std::vector<Unit> units;
  bool words_done = false;
  // prefix[i]: width in ems of units [0, i) inside a line, for the autospace
  // it was computed with, so that any line's width is O(1).
  std::vector<float> prefix;
  float prefix_autospace = -1.f;

  void EnsurePrefix(float autospace) {
    if (prefix_autospace == autospace && prefix.size() == units.size() + 1) return;
    prefix.resize(units.size() + 1);
    prefix[0] = 0.f;
    for (std::size_t u = 0; u < units.size(); ++u) {
      const Unit& unit = units[u];
      prefix[u + 1] = prefix[u] + unit.advance - (unit.compressed ? unit.half : 0.f) +
                      (unit.autospace_after ? autospace : 0.f);
    }
    prefix_autospace = autospace;
  }
};

struct LineSpan {
  std::size_t begin, end;  // units
  float width;             // ems after trimming
  bool paragraph_end;
};

char32_t DecodeUtf8(std::string_view s, std::size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (n == 0 || *i + n > s.size()) {
    *i += 1;
    return 0xFFFD;
  }
  char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += n;
  return c;
}

bool IsCjkPunctuation(char32_t c) {
  return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x2018 && c <= 0x201F) || c == 0x2014 || c == 0x2026 || c == 0x00B7 || c == 0x2022 ||
         c == 0x2027;
}

bool IsIgnorable(char32_t c) {
  return c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F) ||
         (c >= 0xE0100 && c <= 0xE01EF) || (c >= 0x0300 && c <= 0x036F);
}

// Justification stretches gaps next to Chinese characters and marks, and
// spaces, never the inside of a Latin word or a number.
bool JustifiableGap(const Unit& a, const Unit& b) {
  auto cjk = [](const Unit& u, char32_t c) {
    return IsHan(c) || u.punct != PunctKind::kNone || IsCjkPunctuation(c) || u.space;
  };
  return cjk(a, a.last) || cjk(b, b.first);
}

class TextEngineImpl final : public TextEngine {
 public:
  Status Init(const FontConfig& config) {
    memoize_han_ = config.memoize_han;
    Status s = fonts_.Open(config);
    if (!s.ok()) return s;
    language_ = hb_language_from_string("zh-Hans", -1);
    buffer_ = hb_buffer_create();
    UErrorCode err = U_ZERO_ERROR;
    line_breaker_.reset(icu::BreakIterator::createLineInstance(icu::Locale("zh"), err));
    if (U_FAILURE(err)) return Status::Error("ICU line breaking is unavailable");
    word_breaker_.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), err));
    if (U_FAILURE(err)) return Status::Error("ICU word breaking is unavailable");
    std::string names;
    for (const Face* f : fonts_.faces()) {
      names += (names.empty() ? "" : ", ") + f->family + " (" + f->file + " #" +
               std::to_string(f->index) + ")";
    }
    LogDebug("fonts: " + names);
    return Status();
  }

  ~TextEngineImpl() override {
    if (buffer_) hb_buffer_destroy(buffer_);
  }

  Layout LayOut(std::string_view utf8, const Style& style) override;

  std::vector<const Face*> faces() const override { return fonts_.faces(); }

  bool Rasterize(const Face* face, std::uint32_t glyph_id, float size_px,
                 GlyphBitmap* out) override {
    OpenFace* f = fonts_.Find(face);
    if (f == nullptr) return false;
    if (f->rendered_size != size_px) {
      if (FT_Set_Char_Size(f->ft, 0, static_cast<FT_F26Dot6>(std::lround(size_px * 64)), 72, 72)) {
        return false;
      }
      f->rendered_size = size_px;
    }
    if (FT_Load_Glyph(f->ft, glyph_id, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0) return false;
    if (FT_Render_Glyph(f->ft->glyph, FT_RENDER_MODE_NORMAL) != 0) return false;
    const FT_Bitmap& bm = f->ft->glyph->bitmap;
    out->width = static_cast<int>(bm.width);
    out->height = static_cast<int>(bm.rows);
    out->left = f->ft->glyph->bitmap_left;
    out->top = f->ft->glyph->bitmap_top;
    out->coverage.resize(static_cast<std::size_t>(out->width) * out->height);
    for (int y = 0; y < out->height; ++y) {
      const unsigned char* row = bm.buffer + static_cast<std::ptrdiff_t>(y) * bm.pitch;
      std::copy(row, row + out->width,
                out->coverage.begin() + static_cast<std::ptrdiff_t>(y) * out->width);
    }
    return true;
  }

  void ClearCaches(bool glyph_memo) override {
    cache_.clear();
    if (glyph_memo) {
      halt_cache_.clear();
      memo_.clear();
      pieces_.clear();
    }
  }

 private:
  // Shared, so that a caller keeps its shaped text alive when a later Shape()
  // call empties the bounded cache (a cut headline shapes many candidates).
  std::shared_ptr<Shaped> Shape(std::string_view text, bool bold, const std::string& language);
  // Runs are given as code point indices into cps_ (the text decoded once).
  void ShapeRun(Shaped& out, std::size_t cp_begin, std::size_t cp_end, OpenFace* face,
                hb_script_t script);
  void ShapeRunWhole(Shaped& out, std::size_t begin, std::size_t end, OpenFace* face,
                     hb_script_t script);
  void FinishRun(Shaped& out, std::size_t first_unit, OpenFace* face);
  struct ClusterGlyph {
    std::uint32_t cluster;
    ShapedGlyph glyph;
  };
  void HarfBuzzShape(std::string_view text, std::size_t begin, std::size_t end, OpenFace* face,
                     hb_script_t script, std::vector<ClusterGlyph>* glyphs);
  void AppendGlyphs(Shaped& out, std::size_t offset, std::size_t end,
                    const std::vector<ClusterGlyph>& glyphs);
  void ShapePiece(Shaped& out, std::size_t begin, std::size_t end, OpenFace* face);
  void FindHalf(Unit& unit, OpenFace* face);
  void FindBreaks(Shaped& shaped);
  void FindWords(Shaped& shaped);
  std::vector<LineSpan> Break(const Shaped& shaped, float width_em, float autospace) const;
  std::vector<LineSpan> Balance(Shaped& shaped, float width_em, float autospace,
                                std::size_t lines) const;
  void EvenOutLooseLines(const Shaped& shaped, float width_em, float autospace,
                         std::vector<LineSpan>* spans) const;
  LineSpan Measure(const Shaped& shaped, std::size_t a, std::size_t b, float autospace) const;
  Layout Position(const Shaped& shaped, const std::vector<LineSpan>& spans, const Style& style,
                  float size) const;
  Layout LayOutAtSize(std::string_view text, const Style& style, float size, int allowed_lines,
                      bool* fits);

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
  MemoPages& PagesFor(OpenFace* face) {
    if (memo_.size() <= static_cast<std::size_t>(face->slot)) memo_.resize(face->slot + 1);
    MemoPages& pages = memo_[static_cast<std::size_t>(face->slot)];
    if (pages.empty()) pages.resize(0x110000 / 256);
    return pages;
  }
  static GlyphMemo& Entry(MemoPages& pages, char32_t c) {
    auto& page = pages[(c >> 8) & 0x1FFF];
    if (!page) page = std::make_unique<MemoPage>();
    return (*page)[c & 0xFF];
  }
  bool Covers(OpenFace* face, char32_t c) {
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
  const GlyphMemo& Memo(MemoPages& pages, OpenFace* face, char32_t c);
  void ShapeRunMemoized(Shaped& out, std::size_t cp_begin, std::size_t cp_end, OpenFace* face);

  FontSet fonts_;
  bool memoize_han_ = true;
  std::vector<MemoPages> memo_;                                        // by face slot
  std::vector<Coverage> coverage_;                                     // by face slot
  std::unordered_map<std::string, std::vector<ClusterGlyph>> pieces_;  // face slot + text
  hb_language_t memo_language_ = nullptr;
  hb_language_t language_ = nullptr;
  hb_buffer_t* buffer_ = nullptr;
  // The text being shaped, decoded once: its code points and the byte offset
  // of each (plus the text's size at the end). Reused between texts.
  std::vector<char32_t> cps_;
  std::vector<std::uint32_t> cp_byte_;
  std::unique_ptr<icu::BreakIterator> line_breaker_;
  std::unique_ptr<icu::BreakIterator> word_breaker_;
  std::unordered_map<std::string, std::shared_ptr<Shaped>> cache_;
  std::unordered_map<std::uint64_t, std::pair<float, float>> halt_cache_;  // slot, char
};

std::shared_ptr<Shaped> TextEngineImpl::Shape(std::string_view text, bool bold,
                                              const std::string& language) {
  std::string key;
  key.reserve(text.size() + language.size() + 2);
  key.push_back(bold ? 'B' : 'R');
  key.append(language);
  key.push_back('\n');
  key.append(text);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  if (cache_.size() > 512) cache_.clear();  // bounded: a playlist's worth of texts

  language_ = hb_language_from_string(language.c_str(), static_cast<int>(language.size()));
  if (memo_language_ != language_) {  // the per-character caches hold one language
    memo_.clear();
    pieces_.clear();
    halt_cache_.clear();
    memo_language_ = language_;
  }
  auto shaped = std::make_unique<Shaped>();
  shaped->text = std::string(text);
  const std::string& s = shaped->text;
  cps_.clear();
  cp_byte_.clear();
  for (std::size_t i = 0; i < s.size();) {
    cp_byte_.push_back(static_cast<std::uint32_t>(i));
    cps_.push_back(DecodeUtf8(s, &i));
  }
  cp_byte_.push_back(static_cast<std::uint32_t>(s.size()));
  shaped->units.reserve(cps_.size() + 1);  // at most one unit per character
  shaped->glyphs.reserve(cps_.size() + 8);
  const auto& chain = fonts_.chain(bold);
  hb_unicode_funcs_t* ufuncs = hb_unicode_funcs_get_default();

  // Itemize into runs of one face and one script.
  std::size_t run_begin = 0;  // code points
  OpenFace* run_face = nullptr;
  hb_script_t run_script = HB_SCRIPT_INVALID;
  for (std::size_t at = 0; at < cps_.size(); ++at) {
    const char32_t c = cps_[at];
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
      ShapeRun(*shaped, run_begin, at, run_face, run_script);
      run_begin = at;
    }
    run_face = face;
    run_script = script;
  }
  if (run_face != nullptr) ShapeRun(*shaped, run_begin, cps_.size(), run_face, run_script);

  // Compress adjacent full-width marks: a closing mark before another mark,
  // and an opening mark after an opening mark, lose their blank half.
  auto& units = shaped->units;
  for (std::size_t u = 0; u + 1 < units.size(); ++u) {
    if (units[u].punct == PunctKind::kClosing && units[u + 1].punct != PunctKind::kNone) {
      units[u].compressed = true;
    }
    if (units[u + 1].punct == PunctKind::kOpening && units[u].punct == PunctKind::kOpening) {
      units[u + 1].compressed = true;
    }
  }
  // Autospace between Han and Latin letters or digits.
  for (std::size_t u = 0; u + 1 < units.size(); ++u) {
    char32_t a = units[u].last, b = units[u + 1].first;
    units[u].autospace_after = (IsHan(a) && IsLatinOrDigit(b)) || (IsLatinOrDigit(a) && IsHan(b));
  }
  FindBreaks(*shaped);
  auto [pos, inserted] = cache_.emplace(std::move(key), std::move(shaped));
  return pos->second;
}

const TextEngineImpl::GlyphMemo& TextEngineImpl::Memo(MemoPages& pages, OpenFace* face,
                                                      char32_t c) {
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

// Characters whose shape never depends on their neighbours in CJK fonts:
// ideographs and full-width marks. Digits, Latin, dashes and ellipses (which
// fonts join or kern) are shaped as runs.
bool Memoizable(char32_t c) {
  return IsHan(c) || FullWidthPunctKind(c) != PunctKind::kNone ||
         (c >= 0x3000 && c <= 0x303F && c != 0x3030) || (c >= 0xFF01 && c <= 0xFF5E);
}

// A Han run: ideographs and full-width marks from the memo (one unit per
// character), everything between them shaped by HarfBuzz as sub-runs.
void TextEngineImpl::ShapeRunMemoized(Shaped& out, std::size_t cp_begin, std::size_t cp_end,
                                      OpenFace* face) {
  MemoPages& pages = PagesFor(face);
  const std::size_t none = cp_end;
  std::size_t pending = none;  // start of a sub-run waiting for HarfBuzz
  for (std::size_t k = cp_begin; k < cp_end; ++k) {
    const char32_t c = cps_[k];
    const GlyphMemo* m = Memoizable(c) ? &Memo(pages, face, c) : nullptr;
    if (m == nullptr || m->state != 1) {
      if (pending == none) pending = k;
      continue;
    }
    if (pending != none) {
      ShapePiece(out, cp_byte_[pending], cp_byte_[k], face);
      pending = none;
    }
    Unit& unit = out.units.emplace_back();
    unit.begin = cp_byte_[k];
    unit.end = cp_byte_[k + 1];
    unit.glyph_begin = static_cast<std::uint32_t>(out.glyphs.size());
    unit.glyph_end = unit.glyph_begin + 1;
    unit.advance = m->advance;
    unit.first = unit.last = c;  // FinishRun need not decode it again
    out.glyphs.push_back({face, m->glyph_id, m->advance, m->x_offset, m->y_offset});
  }
  if (pending != none) ShapePiece(out, cp_byte_[pending], cp_byte_[cp_end], face);
}

void TextEngineImpl::ShapeRun(Shaped& out, std::size_t cp_begin, std::size_t cp_end, OpenFace* face,
                              hb_script_t script) {
  const std::size_t first_unit = out.units.size();
  if (memoize_han_ && script == HB_SCRIPT_HAN) {
    ShapeRunMemoized(out, cp_begin, cp_end, face);
  } else {
    ShapeRunWhole(out, cp_byte_[cp_begin], cp_byte_[cp_end], face, script);
  }
  FinishRun(out, first_unit, face);
}

void TextEngineImpl::ShapeRunWhole(Shaped& out, std::size_t begin, std::size_t end, OpenFace* face,
                                   hb_script_t script) {
  thread_local std::vector<ClusterGlyph> glyphs;
  glyphs.clear();
  HarfBuzzShape(std::string_view(out.text), begin, end, face, script, &glyphs);
  AppendGlyphs(out, 0, end, glyphs);
}

// Shapes text[begin, end) (the whole text as context) into glyphs whose
// clusters are byte offsets in text.
void TextEngineImpl::HarfBuzzShape(std::string_view text, std::size_t begin, std::size_t end,
                                   OpenFace* face, hb_script_t script,
                                   std::vector<ClusterGlyph>* glyphs) {
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

// Appends glyphs (clusters relative to `offset`) as units ending at `end`.
void TextEngineImpl::AppendGlyphs(Shaped& out, std::size_t offset, std::size_t end,
                                  const std::vector<ClusterGlyph>& glyphs) {
  const std::size_t first_unit = out.units.size();
  for (const ClusterGlyph& cg : glyphs) {
    std::uint32_t cluster = static_cast<std::uint32_t>(offset + cg.cluster);
    if (out.units.size() == first_unit || out.units.back().begin != cluster) {
      if (out.units.size() > first_unit) out.units.back().end = cluster;
      Unit unit;
      unit.begin = cluster;
      unit.glyph_begin = static_cast<std::uint32_t>(out.glyphs.size());
      out.units.push_back(unit);
    }
    out.glyphs.push_back(cg.glyph);
    Unit& unit = out.units.back();
    unit.glyph_end = static_cast<std::uint32_t>(out.glyphs.size());
    unit.advance += cg.glyph.advance;
  }
  if (out.units.size() > first_unit) out.units.back().end = static_cast<std::uint32_t>(end);
}

// A piece of a Han run between ideographs (digits, ASCII marks, dashes):
// shaped on its own once and reused, like a browser's word cache.
void TextEngineImpl::ShapePiece(Shaped& out, std::size_t begin, std::size_t end, OpenFace* face) {
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

// Fills in each new unit's characters (unless the memo path did) and
// punctuation metrics.
void TextEngineImpl::FinishRun(Shaped& out, std::size_t first_unit, OpenFace* face) {
  for (std::size_t u = first_unit; u < out.units.size(); ++u) {
    Unit& unit = out.units[u];
    if (unit.first == 0) {
      std::size_t i = unit.begin;
      unit.first = DecodeUtf8(out.text, &i);
      unit.last = unit.first;
      while (i < unit.end) unit.last = DecodeUtf8(out.text, &i);
    }
    unit.space = IsSpace(unit.first) && IsSpace(unit.last);
    unit.newline = unit.last == '\n';
    if (unit.newline) unit.advance = 0.f;
    unit.punct = FullWidthPunctKind(unit.first);
    if (unit.punct != PunctKind::kNone && unit.glyph_end - unit.glyph_begin == 1 &&
        unit.advance > 0.9f) {
      FindHalf(unit, face);
    } else {
      unit.punct = PunctKind::kNone;  // proportional quotes and the like
    }
  }
}

// The font's own half-width form (GPOS `halt`) where it has one.
void TextEngineImpl::FindHalf(Unit& unit, OpenFace* face) {
  const std::uint64_t key = (static_cast<std::uint64_t>(face->slot) << 32) | unit.first;
  auto it = halt_cache_.find(key);
  if (it == halt_cache_.end()) {
    hb_buffer_t* buf = hb_buffer_create();
    char32_t c = unit.first;
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
      half = unit.advance - pos[0].x_advance / face->upem;
      shift = pos[0].x_offset / face->upem;
    }
    hb_buffer_destroy(buf);
    if (half < 0.2f) {  // no halt in the font: halve by hand
      half = unit.advance / 2;
      shift = unit.punct == PunctKind::kOpening ? -half : 0.f;
    }
    it = halt_cache_.emplace(key, std::make_pair(half, shift)).first;
  }
  unit.half = it->second.first;
  unit.shift = it->second.second;
}

void TextEngineImpl::FindBreaks(Shaped& shaped) {
  auto& units = shaped.units;
  if (units.empty()) return;
  // ICU breaks UTF-16 faster than UTF-8 UText: convert once, keeping the
  // byte offset of each UTF-16 index.
  thread_local std::u16string u16;
  thread_local std::vector<std::uint32_t> byte_at;
  u16.clear();
  byte_at.clear();
  u16.reserve(cps_.size());
  byte_at.reserve(cps_.size() + 1);
  for (std::size_t k = 0; k < cps_.size(); ++k) {  // cps_ holds this text
    const std::size_t from = cp_byte_[k];
    char32_t c = cps_[k];
    if (c >= 0x10000) {
      u16.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      byte_at.push_back(static_cast<std::uint32_t>(from));
      c = 0xDC00 + ((c - 0x10000) & 0x3FF);
    }
    u16.push_back(static_cast<char16_t>(c));
    byte_at.push_back(static_cast<std::uint32_t>(from));
  }
  byte_at.push_back(static_cast<std::uint32_t>(shaped.text.size()));
  UErrorCode err = U_ZERO_ERROR;
  UText* ut = utext_openUChars(nullptr, u16.data(), static_cast<int64_t>(u16.size()), &err);
  line_breaker_->setText(ut, err);
  // ICU's positions and the units both run forward: merge them.
  std::size_t at = 0;
  for (int32_t p = line_breaker_->next(); p != icu::BreakIterator::DONE;
       p = line_breaker_->next()) {
    const std::uint32_t byte = byte_at[static_cast<std::size_t>(p)];
    while (at < units.size() && units[at].begin < byte) ++at;
    if (at < units.size() && units[at].begin == byte) units[at].can_break_before = true;
  }
  utext_close(ut);
  // clreq rules ICU misses, and Chinese quotation marks, which ICU treats as
  // ambiguous (QU) and never breaks around.
  for (std::size_t u = 1; u < units.size(); ++u) {
    char32_t prev = units[u - 1].last, next = units[u].first;
    bool& brk = units[u].can_break_before;
    bool prev_cjk = IsHan(prev) || units[u - 1].punct == PunctKind::kClosing;
    bool next_cjk = IsHan(next) || units[u].punct == PunctKind::kOpening;
    if ((next == 0x201C || next == 0x2018) && prev_cjk) brk = true;
    if ((prev == 0x201D || prev == 0x2019) && next_cjk) brk = true;
    if (NoLineStart(next) || NoLineEnd(prev)) brk = false;
    if (units[u - 1].newline) brk = true;
  }
}

void TextEngineImpl::FindWords(Shaped& shaped) {
  if (shaped.words_done) return;
  shaped.words_done = true;
  auto& units = shaped.units;
  std::vector<std::int32_t> unit_at(shaped.text.size() + 1, -1);
  for (std::size_t u = 0; u < units.size(); ++u)
    unit_at[units[u].begin] = static_cast<std::int32_t>(u);
  UErrorCode err = U_ZERO_ERROR;
  UText* ut =
      utext_openUTF8(nullptr, shaped.text.data(), static_cast<int64_t>(shaped.text.size()), &err);
  word_breaker_->setText(ut, err);
  for (int32_t p = word_breaker_->first(); p != icu::BreakIterator::DONE;
       p = word_breaker_->next()) {
    if (static_cast<std::size_t>(p) < shaped.text.size() && unit_at[p] >= 0) {
      units[unit_at[p]].word_start = true;
    }
  }
  utext_close(ut);
  // One-character Han words on both sides of a boundary: the word before
  // starts at u - 1 and the one after ends at u + 1.
  for (std::size_t u = 1; u + 1 < units.size(); ++u) {
    const bool single_before = units[u - 1].word_start || u == 1;
    const bool single_after = units[u + 1].word_start;
    if (units[u].word_start && single_before && single_after && IsHan(units[u - 1].last) &&
        IsHan(units[u].first)) {
      units[u].weak_word_start = true;
    }
  }
}

// Width of units [a, b) as one line: trailing spaces hang, a closing mark at
// the end and an opening mark at the start lose their blank half, and no
// autospace at the edges.
LineSpan TextEngineImpl::Measure(const Shaped& shaped, std::size_t a, std::size_t b,
                                 float autospace) const {
  const auto& units = shaped.units;
  std::size_t last = b;
  while (last > a && (units[last - 1].space || units[last - 1].newline)) --last;
  float w = 0.f;
  if (last > a) {
    w = shaped.prefix[last] - shaped.prefix[a];
    const Unit& first = units[a];
    const Unit& end = units[last - 1];
    if (end.autospace_after) w -= autospace;
    if (first.punct == PunctKind::kOpening && !first.compressed) w -= first.half;
    if (end.punct == PunctKind::kClosing && !end.compressed) w -= end.half;
  }
  return {a, b, w, b == units.size() || units[b - 1].newline};
}

std::vector<LineSpan> TextEngineImpl::Break(const Shaped& shaped, float width_em,
                                            float autospace) const {
  const auto& units = shaped.units;
  std::vector<LineSpan> lines;
  const std::size_t n = units.size();
  std::size_t a = 0;
  while (a < n) {
    // Scan forward keeping a running raw width; Measure only at break points.
    float raw = 0.f;
    std::size_t best = 0;
    std::size_t b = a + 1;
    for (; b <= n; ++b) {
      const Unit& prev = units[b - 1];
      raw += prev.advance - (prev.compressed ? prev.half : 0.f) +
             (prev.autospace_after ? autospace : 0.f);
      bool breakable = b == n || units[b].can_break_before;
      if (breakable) {
        // Cheap bound first: trimming removes at most 1 em plus autospace.
        if (raw - 1.f - autospace > width_em + kEpsilon && !prev.space) break;
        if (Measure(shaped, a, b, autospace).width <= width_em + kEpsilon) {
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
        if (Measure(shaped, a, c, autospace).width > width_em + kEpsilon) break;
        if (c == n || (!NoLineStart(units[c].first) && !NoLineEnd(units[c - 1].last))) fit = c;
      }
      best = fit;
    }
    lines.push_back(Measure(shaped, a, best, autospace));
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
void TextEngineImpl::EvenOutLooseLines(const Shaped& shaped, float width_em, float autospace,
                                       std::vector<LineSpan>* spans) const {
  const auto& units = shaped.units;
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
        if (units[u].can_break_before) cand.push_back(u);
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
          LineSpan span = Measure(shaped, cand[i], cand[j], autospace);
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
          better.push_back(Measure(shaped, cand[from[j]], cand[j], autospace));
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
// A break between two one-character words (see Unit::weak_word_start).
constexpr float kWeakWordBreakCost = 0.3f;

std::vector<LineSpan> TextEngineImpl::Balance(Shaped& shaped, float width_em, float autospace,
                                              std::size_t lines) const {
  const auto& units = shaped.units;
  const std::size_t n = units.size();
  std::vector<std::size_t> cand = {0};
  std::vector<int> depth(n + 1, 0);  // quotation/bracket nesting before each unit
  int d = 0;
  for (std::size_t u = 0; u < n; ++u) {
    depth[u] = d;
    if (units[u].punct == PunctKind::kOpening)
      ++d;
    else if (units[u].punct == PunctKind::kClosing &&
             (units[u].first == 0x201D || units[u].first == 0x2019 || units[u].first == 0xFF09 ||
              units[u].first == 0x300B || units[u].first == 0x300D || units[u].first == 0x300F ||
              units[u].first == 0x3011)) {
      d = std::max(0, d - 1);
    }
  }
  depth[n] = d;
  for (std::size_t u = 1; u < n; ++u) {
    const Unit& unit = units[u];
    bool latin_inside = IsLatinOrDigit(units[u - 1].last) && IsLatinOrDigit(unit.first);
    // Breaks inside a word are candidates too, at a high cost, so that a
    // solution exists wherever greedy breaking found one.
    if (unit.can_break_before && !latin_inside) cand.push_back(u);
  }
  cand.push_back(n);
  const std::size_t m = cand.size();
  float total = Measure(shaped, 0, n, autospace).width;
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
        LineSpan span = Measure(shaped, cand[i], cand[j], autospace);
        if (span.width > width_em + kEpsilon) continue;
        float dev = (span.width - target) / target;
        float c = dev * dev;
        std::size_t b = cand[j];
        if (b < n) {
          // Prefer breaks after punctuation or before an opening mark, and
          // not inside a quotation.
          if (units[b - 1].punct != PunctKind::kNone || units[b].punct == PunctKind::kOpening ||
              IsClauseEnd(units[b - 1].last)) {
            c -= 0.1f;
          }
          if (depth[b] > 0) c += 0.15f;
          const Unit& next = units[b];
          bool between_words = next.word_start || units[b - 1].punct != PunctKind::kNone ||
                               units[b - 1].space || next.punct == PunctKind::kOpening;
          if (!between_words) c += kWordSplitCost;
          if (next.weak_word_start) c += kWeakWordBreakCost;
        }
        if (cost[k - 1][i] + c < cost[k][j]) {
          cost[k][j] = cost[k - 1][i] + c;
          from[k][j] = i;
        }
      }
    }
  }
  if (cost[lines][m - 1] == kInf) return Break(shaped, width_em, autospace);
  std::vector<LineSpan> out(lines);
  std::size_t j = m - 1;
  for (std::size_t k = lines; k >= 1; --k) {
    std::size_t i = from[k][j];
    out[k - 1] = Measure(shaped, cand[i], cand[j], autospace);
    j = i;
  }
  return out;
}

Layout TextEngineImpl::Position(const Shaped& shaped, const std::vector<LineSpan>& spans,
                                const Style& style, float size) const {
  Layout layout;
  layout.text = shaped.text;
  layout.size_px = size;
  layout.line_advance = size * style.line_height;
  layout.ascent = kEmBoxAscent * size;
  layout.descent = (1.f - kEmBoxAscent) * size;
  const float autospace = style.autospace_em;
  const float half_leading = (layout.line_advance - size) / 2;
  const float width_em = style.box_width / size;
  const auto& units = shaped.units;
  layout.lines.reserve(spans.size());
  for (std::size_t li = 0; li < spans.size(); ++li) {
    const LineSpan& span = spans[li];
    Line line;
    line.text_begin = units[span.begin].begin;
    line.text_end = units[span.end - 1].end;
    line.baseline = static_cast<float>(li) * layout.line_advance + half_leading + layout.ascent;
    std::size_t last = span.end;
    while (last > span.begin && (units[last - 1].space || units[last - 1].newline)) --last;
    float extra = 0.f;  // justification per gap, ems
    if (style.align == Align::kJustify && !span.paragraph_end && last > span.begin) {
      int gaps = 0;
      for (std::size_t u = span.begin; u + 1 < last; ++u) {
        if (JustifiableGap(units[u], units[u + 1])) ++gaps;
      }
      if (gaps > 0) extra = std::max(0.f, width_em - span.width) / static_cast<float>(gaps);
    }
    float pen = 0.f;  // ems
    if (style.align == Align::kCenter) pen = (width_em - span.width) / 2;
    if (style.align == Align::kEnd) pen = width_em - span.width;
    if (last > span.begin) {
      line.glyphs.reserve(units[last - 1].glyph_end - units[span.begin].glyph_begin);
    }
    for (std::size_t u = span.begin; u < last; ++u) {
      const Unit& unit = units[u];
      bool halved = unit.compressed || (u == span.begin && unit.punct == PunctKind::kOpening) ||
                    (u + 1 == last && unit.punct == PunctKind::kClosing);
      float shift = halved ? unit.shift : 0.f;
      for (std::uint32_t g = unit.glyph_begin; g < unit.glyph_end; ++g) {
        const ShapedGlyph& sg = shaped.glyphs[g];
        PositionedGlyph pg;
        pg.face = &sg.face->info;
        pg.glyph_id = sg.glyph_id;
        pg.x = (pen + sg.x_offset + shift) * size;
        pg.y = line.baseline - sg.y_offset * size;
        pg.cluster_begin = unit.begin;
        pg.cluster_end = unit.end;
        line.glyphs.push_back(pg);
        pen += sg.advance;
      }
      if (halved) pen -= unit.half;
      if (u + 1 < last) {
        if (unit.autospace_after) pen += autospace;
        if (JustifiableGap(unit, units[u + 1])) pen += extra;
      }
    }
    line.width = (extra > 0.f ? width_em : span.width) * size;
    layout.width = std::max(layout.width, line.width);
    layout.lines.push_back(std::move(line));
  }
  layout.height = static_cast<float>(layout.lines.size()) * layout.line_advance;
  return layout;
}

bool SplitsWord(const Shaped& shaped, const std::vector<LineSpan>& spans) {
  const auto& units = shaped.units;
  for (std::size_t i = 1; i < spans.size(); ++i) {
    std::size_t b = spans[i].begin;
    if (b == 0 || b >= units.size()) continue;
    bool between = units[b].word_start || units[b - 1].punct != PunctKind::kNone ||
                   units[b - 1].space || units[b].punct == PunctKind::kOpening;
    if (!between) return true;
  }
  return false;
}

int AllowedLines(const Style& style, float size) {
  int allowed = style.max_lines > 0 ? style.max_lines : std::numeric_limits<int>::max();
  if (style.box_height > 0.f) {
    int by_height =
        static_cast<int>(std::floor(style.box_height / (size * style.line_height) + 1e-3f));
    allowed = std::min(allowed, by_height);
  }
  return allowed;
}

Layout TextEngineImpl::LayOutAtSize(std::string_view text, const Style& style, float size,
                                    int allowed_lines, bool* fits) {
  // Word boundaries are filled in lazily, hence a mutable shaped text.
  std::shared_ptr<Shaped> shaped_owner =
      Shape(text, style.role == FontRole::kHeadline, style.language);
  Shaped& shaped = *shaped_owner;
  const float width_em = style.box_width / size;
  std::vector<LineSpan> spans;
  shaped.EnsurePrefix(style.autospace_em);
  if (!shaped.units.empty()) {
    spans = Break(shaped, width_em, style.autospace_em);
    if (style.align == Align::kJustify && !style.balance) {
      EvenOutLooseLines(shaped, width_em, style.autospace_em, &spans);
    }
    if (style.balance && spans.size() >= 2 && spans.size() <= 6 && shaped.units.size() <= 600) {
      FindWords(shaped);
      const std::size_t lines = spans.size();
      spans = Balance(shaped, width_em, style.autospace_em, lines);
      // If every way to keep this many lines splits a word, one more line
      // (where allowed) is better for a headline.
      if (SplitsWord(shaped, spans) && static_cast<int>(lines) < allowed_lines && lines < 6) {
        auto more = Balance(shaped, width_em, style.autospace_em, lines + 1);
        if (more.size() == lines + 1 && !SplitsWord(shaped, more)) spans = std::move(more);
      }
    }
  }
  *fits = static_cast<int>(spans.size()) <= allowed_lines;
  Layout layout = Position(shaped, spans, style, size);
  layout.splits_word = style.balance && SplitsWord(shaped, spans);
  return layout;
}

char32_t CloserFor(char32_t open) {
  switch (open) {
    case 0x201C:
      return 0x201D;
    case 0x2018:
      return 0x2019;
    case 0xFF08:
      return 0xFF09;
    case 0x300A:
      return 0x300B;
    case 0x300C:
      return 0x300D;
    case 0x300E:
      return 0x300F;
    case 0x3010:
      return 0x3011;
    case 0x3014:
      return 0x3015;
    case 0x3016:
      return 0x3017;
    case 0x3008:
      return 0x3009;
    case '(':
      return ')';
    default:
      return 0;
  }
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// A place where a too-long text may be cut: keep text[0, end), then "……",
// then the closing marks of the quotations and brackets still open there.
struct CutPoint {
  std::size_t end;
  std::string closers;
  bool clause;  // at a sentence or clause end (else between words)
};

std::vector<CutPoint> CutPoints(std::string_view text) {
  std::vector<CutPoint> out;
  std::u32string open;  // the stack of opening marks
  std::size_t i = 0;
  char32_t prev = 0;
  auto closers = [&open]() {
    std::string s;
    for (auto it = open.rbegin(); it != open.rend(); ++it) AppendUtf8(s, CloserFor(*it));
    return s;
  };
  while (i < text.size()) {
    std::size_t at = i;
    char32_t c = DecodeUtf8(text, &i);
    if (CloserFor(c) != 0) {
      open.push_back(c);
    } else if (!open.empty() && CloserFor(open.back()) == c) {
      open.pop_back();
      if (prev == 0x3002 || prev == 0xFF01 || prev == 0xFF1F) out.push_back({i, closers(), true});
    } else if (IsClauseEnd(c)) {
      // Drop a pause mark before the ellipsis; keep ！ and ？.
      bool keep = c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
      if (at > 0) out.push_back({keep ? i : at, closers(), true});
    }
    prev = c;
  }
  return out;
}

Layout TextEngineImpl::LayOut(std::string_view utf8, const Style& style) {
  Style st = style;
  if (st.box_width <= 0.f) st.box_width = std::numeric_limits<float>::max() / 4;
  float lo = st.size_px, hi = st.size_px;
  if (st.min_size_px > 0.f && st.max_size_px >= st.min_size_px) {
    lo = st.min_size_px;
    hi = st.max_size_px;
  }
  if (hi <= 0.f) hi = lo = 16.f;
  bool fits = false;
  Layout layout = LayOutAtSize(utf8, st, hi, AllowedLines(st, hi), &fits);
  if (fits && !layout.splits_word) return layout;
  if (st.balance && lo < hi) {
    // A headline keeps its words whole before it keeps its size: step down
    // to the largest size that fits without splitting a word. Headlines are
    // short and already shaped, so each step only re-breaks.
    for (float size = hi - 1.f; size >= lo; size -= 1.f) {
      bool f = false;
      Layout l = LayOutAtSize(utf8, st, size, AllowedLines(st, size), &f);
      if (f && !l.splits_word) return l;
    }
  }
  if (fits) return layout;
  if (lo < hi) {
    // Largest whole-pixel step that fits; line counts grow as sizes grow.
    int steps = static_cast<int>(std::ceil(hi - lo));
    int good = -1;
    Layout best;
    int left = 1, right = steps;
    while (left <= right) {
      int mid = (left + right) / 2;
      float size = std::max(lo, hi - static_cast<float>(mid));
      bool f = false;
      Layout l = LayOutAtSize(utf8, st, size, AllowedLines(st, size), &f);
      if (f) {
        good = mid;
        best = std::move(l);
        right = mid - 1;
      } else {
        left = mid + 1;
      }
    }
    if (good >= 0) return best;
  }
  // Too long even at the smallest size: cut at the last sentence or clause
  // end that fits, close what is still open, and end with an ellipsis.
  const int allowed = AllowedLines(st, lo);
  Layout out;
  if (allowed > 0) {
    auto fits_cut = [&](const CutPoint& cut) {
      std::string text(utf8.substr(0, cut.end));
      text += "……";
      text += cut.closers;
      bool f = false;
      Layout l = LayOutAtSize(text, st, lo, allowed, &f);
      if (f && !l.lines.empty()) out = std::move(l);
      return f;
    };
    std::vector<CutPoint> cuts = CutPoints(utf8);
    // Clause ends past the visible text cannot fit; start near its end.
    Layout at_min = LayOutAtSize(utf8, st, lo, allowed, &fits);
    std::size_t visible = utf8.size();
    if (static_cast<int>(at_min.lines.size()) > allowed) {
      visible = at_min.lines[static_cast<std::size_t>(allowed - 1)].text_end;
    }
    bool done = false;
    for (auto it = cuts.rbegin(); it != cuts.rend() && !done; ++it) {
      if (it->end <= visible) done = fits_cut(*it);
    }
    if (!done) {
      // No clause end fits (one long clause): cut between words, where
      // ICU finds a word boundary that is also a line break opportunity.
      // Held by its own pointer: the fits_cut calls below shape more texts
      // and may empty the cache (found by tests/fuzz/text_layout_fuzz).
      std::shared_ptr<Shaped> shaped_owner =
          Shape(utf8, st.role == FontRole::kHeadline, st.language);
      Shaped& shaped = *shaped_owner;
      FindWords(shaped);
      const auto& units = shaped.units;
      for (std::size_t u = units.size(); u-- > 1 && !done;) {
        const Unit& unit = units[u];
        if (unit.begin > visible || !unit.word_start || !unit.can_break_before) continue;
        if (NoLineEnd(units[u - 1].last)) continue;
        CutPoint cut{unit.begin, "", false};
        std::u32string stack;
        for (std::size_t p = 0; p < cut.end;) {
          char32_t c = DecodeUtf8(utf8, &p);
          if (CloserFor(c) != 0) {
            stack.push_back(c);
          } else if (!stack.empty() && CloserFor(stack.back()) == c) {
            stack.pop_back();
          }
        }
        for (auto c = stack.rbegin(); c != stack.rend(); ++c)
          AppendUtf8(cut.closers, CloserFor(*c));
        done = fits_cut(cut);
      }
    }
  }
  out.truncated = true;
  if (out.lines.empty()) out.size_px = lo;
  return out;
}

}  // namespace

std::unique_ptr<TextEngine> TextEngine::Create(const FontConfig& config, Status* status) {
  auto engine = std::make_unique<TextEngineImpl>();
  Status s = engine->Init(config);
  if (status) *status = s;
  if (!s.ok()) return nullptr;
  return engine;
}

}  // namespace nb::text
