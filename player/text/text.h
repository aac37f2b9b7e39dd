// The Chinese text engine: fonts, shaping, line breaking, fitting, glyphs.
//
// Contract:
// - Input: a UTF-8 string and a Style (font role, pixel size or size range,
//   line height, box width and height, maximum lines, alignment).
// - Output: a Layout: lines of positioned glyphs, each glyph with its font
//   face, glyph id, x and y, and the byte range of the source text (cluster)
//   it comes from; each line with the byte range of the text it holds.
// - Fonts: Noto Sans CJK SC (Regular for body, Bold for headlines) found
//   through fontconfig for zh-cn, the Simplified Chinese face of a .ttc picked
//   by name, with a fallback chain so no character renders as .notdef. A
//   missing CJK font is an error at start-up naming fonts-noto-cjk.
// - Shaping: HarfBuzz (hb-ft), runs split by script and font coverage,
//   language zh-Hans, kern on.
// - Breaking: ICU's line BreakIterator for zh (strict) plus the clreq rules
//   ICU misses; Latin words and numbers never split; headlines balanced and
//   broken between words; no paragraph of two or more lines ends with a
//   line of one CJK character (孤字) where breaking can avoid it without
//   another line or a loose line (Line::lone says which rule kept one).
// - Punctuation: adjacent full-width punctuation compressed, line-end
//   punctuation trimmed, line-start opening brackets trimmed, justified body;
//   a re-broken paragraph compresses the marks inside a line (。，、 and
//   paired marks) to push a character in rather than spread the line
//   (Line::gap_em and Line::marks_compressed say what each line did).
// - Mixed scripts: autospace (1/8 em by default) between Han and Latin/digits,
//   never at a line edge.
// - Fitting: the largest size in [min_size_px, max_size_px] that fits the box
//   within max_lines; if none fits, the text is cut at the last sentence or
//   clause end that fits and ends with "……" (Layout::truncated).
// - Glyphs: TextEngine::Rasterize renders one glyph of a layout with
//   FreeType (render/glyph_atlas.h caches them in textures and draws
//   layouts).
// - Speed: a text is shaped once (in font units, cached per engine and
//   bounded) and then broken and positioned at any size, so fitting and
//   re-layout cost no reshaping; Han characters are shaped once per face.
// TextEngine is not thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/env.h"
#include "base/status.h"

namespace nb::text {

enum class FontRole { kHeadline, kBody };
enum class Align { kStart, kCenter, kEnd, kJustify };

// Which fonts to use. Empty fields mean "ask fontconfig"; a theme may name
// explicit font files. The defaults come from fonts/fonts.json.
struct FontConfig {
  std::string headline_file;  // explicit file for the headline (bold) role
  std::string body_file;      // explicit file for the body (regular) role
  std::string headline_family = "Noto Sans CJK SC";
  std::string body_family = "Noto Sans CJK SC";
  std::vector<std::string> fallback_families = {"DejaVu Sans"};
  // Shape each Han character once per face and language and reuse the
  // result (HarfBuzz's output for a lone character, locl included). Valid for
  // fonts without contextual lookups between ideographs, such as Noto CJK;
  // tests check it against shaping whole runs.
  bool memoize_han = true;
};

// Reads fonts/fonts.json (role -> family or file, fallback order) into
// *config. Fields absent from the file keep their defaults.
inline constexpr std::size_t kMaxFontConfigBytes = 1 << 20;
Status LoadFontConfig(FileSystem& fs, const std::string& path, FontConfig* config);
// The installed configuration: $NOTICEBOARD_FONTS, else fonts/fonts.json in
// the source tree, else /usr/share/noticeboard/fonts.json, else the defaults.
FontConfig DefaultFontConfig();

// One glyph rendered by FreeType: 8-bit coverage, `width` bytes per row.
struct GlyphBitmap {
  int width = 0;
  int height = 0;
  int left = 0;  // from the pen position to the bitmap's left edge
  int top = 0;   // from the baseline up to the bitmap's top edge
  std::vector<std::uint8_t> coverage;
};

// One opened font face (a file and a face index) at the engine's disposal.
struct Face {
  std::string file;
  int index = 0;
  std::string family;
  bool bold = false;
};

struct Style {
  FontRole role = FontRole::kBody;
  float size_px = 48.f;
  // A size range for fitting; when both are 0, size_px is used as is.
  float min_size_px = 0.f;
  float max_size_px = 0.f;
  float line_height = 1.5f;  // as a multiple of the size
  float box_width = 0.f;     // required: the line width in pixels
  float box_height = 0.f;    // 0: unbounded
  int max_lines = 0;         // 0: unbounded
  Align align = Align::kStart;
  bool balance = false;         // balance line lengths (headlines)
  float autospace_em = 0.125f;  // space between Han and Latin/digits
  // BCP 47 language for shaping: zh-Hans makes `locl` pick the Simplified
  // forms even from a pan-CJK face.
  std::string language = "zh-Hans";
};

// A paragraph's last line of one CJK character (孤字), punctuation aside.
// Line breaking avoids it in paragraphs of two or more lines; when it cannot,
// the value names the rule that gave way.
enum class LoneLine : std::uint8_t {
  kNo,        // not a lone last line (or a one-line paragraph)
  kMended,    // greedy breaking left one; re-breaking removed it
  kLooseGap,  // mending would spread a line past the loose-line limit
  kBreaks,    // no set of allowed breaks avoids it (line rules, whole words)
  kLines,     // mending needs more lines than the paragraph may take
};
const char* LoneLineName(LoneLine lone);

struct PositionedGlyph {
  const Face* face = nullptr;
  std::uint32_t glyph_id = 0;
  float x = 0.f;                    // pen x of the glyph origin, from the layout's left edge
  float y = 0.f;                    // baseline y, from the layout's top edge
  std::uint32_t cluster_begin = 0;  // byte range in Layout::text
  std::uint32_t cluster_end = 0;
};

struct Line {
  std::vector<PositionedGlyph> glyphs;
  std::uint32_t text_begin = 0;  // byte range in Layout::text
  std::uint32_t text_end = 0;
  float width = 0.f;     // inked advance width after trimming and spacing
  float baseline = 0.f;  // y of the baseline from the layout's top edge
  // What justification did to the line, so that loose lines can be counted:
  // the space added per gap (ems; 0 for a natural or unjustified line), and
  // the full-width marks inside the line whose blank half was compressed to
  // make room (how many, and the ems taken off them together).
  float gap_em = 0.f;
  int marks_compressed = 0;
  float compressed_em = 0.f;
  bool paragraph_end = false;  // the last line of a paragraph
  // On a paragraph's last line: whether it holds one CJK character only
  // (punctuation aside) and, if so, which rule kept it.
  LoneLine lone = LoneLine::kNo;
};

struct Layout {
  std::string text;  // the text laid out: the input, or its cut form ending in "……"
  float size_px = 0.f;
  float line_advance = 0.f;
  float ascent = 0.f;
  float descent = 0.f;
  float width = 0.f;   // widest line
  float height = 0.f;  // from the top of the first line to the bottom of the last
  bool truncated = false;
  bool splits_word = false;  // a balanced headline had to break inside a word
  std::vector<Line> lines;

  std::string_view LineText(const Line& line) const {
    return std::string_view(text).substr(line.text_begin, line.text_end - line.text_begin);
  }
};

class TextEngine {
 public:
  // Opens the fonts. On failure returns null and sets *status to a message
  // for people (for a missing CJK font: install fonts-noto-cjk).
  static std::unique_ptr<TextEngine> Create(const FontConfig& config, Status* status);
  virtual ~TextEngine() = default;

  virtual Layout LayOut(std::string_view utf8, const Style& style) = 0;
  // The faces in use, primary first, for diagnostics ("fonts: ...").
  virtual std::vector<const Face*> faces() const = 0;

  // Renders one glyph of one of faces() at size_px (used by render::GlyphAtlas).
  virtual bool Rasterize(const Face* face, std::uint32_t glyph_id, float size_px,
                         GlyphBitmap* out) = 0;
  // Drops cached shaping results (benchmarks measure cold layouts with it);
  // with glyph_memo also the per-character Han glyph memo.
  virtual void ClearCaches(bool glyph_memo = false) = 0;
};

// Frees what finding fonts keeps (fontconfig's configuration and caches,
// about 0.4 MB): for a process that has created its engines. Finding fonts
// again later loads it anew. Safe while another thread creates an engine
// (the web console's preview does).
void ReleaseFontDiscovery();

}  // namespace nb::text
