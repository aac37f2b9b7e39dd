// TextEngine: shaping once per text in font units (cached), then breaking,
// spacing and fitting at any size by scaling, so that trying sizes while
// fitting costs no reshaping. The stages live in shaping, break_opportunities,
// line_breaking (with its lone_lines pass), positioning and fitting; this
// file runs them in order and keeps the shaped texts.
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/log.h"
#include "text/break_opportunities.h"
#include "text/fitting.h"
#include "text/fonts.h"
#include "text/glyph_raster.h"
#include "text/line_breaking.h"
#include "text/lone_lines.h"
#include "text/positioning.h"
#include "text/shaping.h"
#include "text/text.h"

namespace nb::text {

namespace {

class TextEngineImpl final : public TextEngine, private SizedLayouter {
 public:
  Status Init(const FontConfig& config) {
    Status s = fonts_.Open(config);
    if (!s.ok()) return s;
    shaper_ = std::make_unique<Shaper>(fonts_, config.memoize_han);
    s = breaks_.Init();
    if (!s.ok()) return s;
    std::string names;
    for (const Face* f : fonts_.faces()) {
      names += (names.empty() ? "" : ", ") + f->family + " (" + f->file + " #" +
               std::to_string(f->index) + ")";
    }
    LogDebug("fonts: " + names);
    return Status();
  }

  Layout LayOut(std::string_view utf8, const Style& style) override {
    return FitToBox(utf8, style, *this);
  }

  std::vector<const Face*> faces() const override { return fonts_.faces(); }

  bool Rasterize(const Face* face, std::uint32_t glyph_id, float size_px,
                 GlyphBitmap* out) override {
    OpenFace* f = fonts_.Find(face);
    return f != nullptr && RasterizeGlyph(f, glyph_id, size_px, out);
  }

  void ClearCaches(bool glyph_memo) override {
    cache_.clear();
    if (glyph_memo) shaper_->ClearMemo();
  }

 private:
  // Shared, so that a caller keeps its shaped text alive when a later Shape()
  // call empties the bounded cache (a cut headline shapes many candidates).
  std::shared_ptr<ShapedText> Shape(std::string_view text, bool bold, const std::string& language);

  Layout LayOutAtSize(std::string_view text, const Style& style, float size, int allowed_lines,
                      bool* fits) override;
  std::shared_ptr<const ShapedText> ShapeWithWords(std::string_view text,
                                                   const Style& style) override;

  FontSet fonts_;
  std::unique_ptr<Shaper> shaper_;
  BreakFinder breaks_;
  DecodedText decoded_;  // the text being shaped; reused between texts
  std::unordered_map<std::string, std::shared_ptr<ShapedText>> cache_;
};

std::shared_ptr<ShapedText> TextEngineImpl::Shape(std::string_view text, bool bold,
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

  decoded_.Assign(text);
  std::shared_ptr<ShapedText> shaped = shaper_->Shape(text, decoded_, bold, language);
  breaks_.FindLineBreaks(decoded_, shaped.get());
  auto [pos, inserted] = cache_.emplace(std::move(key), std::move(shaped));
  return pos->second;
}

Layout TextEngineImpl::LayOutAtSize(std::string_view text, const Style& style, float size,
                                    int allowed_lines, bool* fits) {
  // Word boundaries are filled in lazily, hence a mutable shaped text.
  std::shared_ptr<ShapedText> shaped_owner =
      Shape(text, style.role == FontRole::kHeadline, style.language);
  ShapedText& shaped = *shaped_owner;
  const float width_em = style.box_width / size;
  std::vector<LineSpan> spans;
  shaped.EnsurePrefix(style.autospace_em);
  if (!shaped.clusters.empty()) {
    spans = BreakGreedy(shaped, width_em, style.autospace_em);
    if (style.align == Align::kJustify && !style.balance) {
      EvenOutLooseLines(shaped, width_em, style.autospace_em, &spans);
    }
    if (!style.balance) {
      MendLoneLastLines(shaped, width_em, style.autospace_em, style.align == Align::kJustify,
                        &spans);
    }
    if (style.balance && spans.size() >= 2 && spans.size() <= 6 && shaped.clusters.size() <= 600) {
      breaks_.FindWords(&shaped);
      const std::size_t lines = spans.size();
      spans = BalanceLines(shaped, width_em, style.autospace_em, lines);
      // If every way to keep this many lines splits a word, one more line
      // (where allowed) is better for a headline.
      if (SplitsWord(shaped, spans) && static_cast<int>(lines) < allowed_lines && lines < 6) {
        auto more = BalanceLines(shaped, width_em, style.autospace_em, lines + 1);
        if (more.size() == lines + 1 && !SplitsWord(shaped, more)) spans = std::move(more);
      }
      // Nor should it end with a lone character: one more line, where
      // allowed, when balancing could not avoid it.
      const LineSpan& end = spans.back();
      if (IsLoneLine(shaped, end.begin, end.end) && static_cast<int>(lines) < allowed_lines &&
          lines < 6) {
        auto more = BalanceLines(shaped, width_em, style.autospace_em, lines + 1);
        if (more.size() == lines + 1 && !SplitsWord(shaped, more) &&
            !IsLoneLine(shaped, more.back().begin, more.back().end)) {
          spans = std::move(more);
        }
      }
    }
    if (style.balance) MarkLoneLastLines(shaped, &spans);
  }
  *fits = static_cast<int>(spans.size()) <= allowed_lines;
  Layout layout = PositionLines(shaped, spans, style, size);
  layout.splits_word = style.balance && SplitsWord(shaped, spans);
  return layout;
}

std::shared_ptr<const ShapedText> TextEngineImpl::ShapeWithWords(std::string_view text,
                                                                 const Style& style) {
  std::shared_ptr<ShapedText> shaped =
      Shape(text, style.role == FontRole::kHeadline, style.language);
  breaks_.FindWords(shaped.get());
  return shaped;
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
