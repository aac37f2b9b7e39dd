// Slide layout: where everything on a slide goes, for a screen size and theme.
//
// Contract:
// - Pure geometry and text layout (TextEngine), no SDL: the same input gives
//   the same layout, so slides can be laid out ahead of time and cached.
// - A slide is: headline (bold, 1-3 balanced lines, fitted between the
//   theme's sizes), a meta line (date in Chinese and the source name, with the
//   slide's position), a rule, and the summary fitted to the rest (justified,
//   cut at a sentence end with "……" when it cannot fit). A block shorter
//   than the page sits a third of the way down the space it leaves.
// - The header band (name and clock) and the ticker are "chrome", laid out
//   separately because they stay put during a crossfade.
// - A notice is one line in the strip an item slide leaves free between its
//   text (which ends margin * 0.7 above the ticker) and the ticker, at the
//   right: it covers no headline, summary, header or ticker text. Its
//   colours come from its kind.
// - Landscape and portrait screens get their own proportions from the theme;
//   the text column never exceeds max_line_chars em.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/notice_kind.h"
#include "playlist/playlist.h"
#include "render/theme.h"
#include "text/text.h"

namespace nb::render {

struct RectF {
  float x = 0, y = 0, w = 0, h = 0;
};

struct FilledRect {
  RectF rect;
  std::uint32_t rgba = 0;
};

struct PlacedText {
  text::Layout layout;
  float x = 0, y = 0;  // top-left of the layout
  std::uint32_t rgba = 0;
};

// Everything drawn into one slide texture, in drawing order.
struct SlideLayout {
  int width = 0, height = 0;
  std::uint32_t background = 0;
  std::vector<FilledRect> rects;
  std::vector<PlacedText> texts;
  bool truncated = false;  // the summary had to be cut
  // Where the slide differs from its plain background (a crossfade between
  // two slides of the same background only needs to blend the union).
  RectF content;
};

// The screen's fixed frame around slides.
struct ChromeGeometry {
  RectF header;  // empty when there is no header band
  RectF ticker;  // empty when the ticker is off
  RectF body;    // what slides may use
  float margin = 0;
};

// The top of the em box of a layout's first line, from the layout's top.
float FirstLineEmTop(const text::Layout& layout);

// Chinese date and clock strings.
std::string FormatChineseDate(const playlist::LocalDateTime& t);  // 2026年11月28日
std::string FormatChineseClock(const playlist::LocalDateTime& t);  // 2026年11月28日 星期六 14:38
std::string FormatItemDate(const std::string& iso_date);           // 2025-12-01 -> 2025年12月1日

class SlideLayouter {
 public:
  SlideLayouter(text::TextEngine& engine, const Theme& theme) : engine_(engine), theme_(theme) {}

  ChromeGeometry Chrome(int width, int height) const;

  // One item's slide. position/count give "3 / 7".
  SlideLayout LayOutItem(const playlist::Item& item, const std::string& source_name, int position,
                         int count, int width, int height);
  // Shown when nothing is scheduled: the name and a large clock.
  SlideLayout LayOutIdle(const std::string& name, const playlist::LocalDateTime& now, int width,
                         int height);

  // Header band contents: name at the left (or top), clock at the right.
  PlacedText LayOutHeaderName(const std::string& name, int width, int height);
  PlacedText LayOutHeaderClock(const playlist::LocalDateTime& now, int width, int height);

  // One ticker entry (headline or marker) on a single line.
  text::Layout LayOutTickerText(const std::string& text, int width, int height);
  // The ticker's label ("要闻"; "通知" while alerts are on), centred in the
  // band's height at its left; *label_width is the width of the label's box.
  PlacedText LayOutTickerLabel(const std::string& label, int width, int height,
                               float* label_width);

  // An on-screen notice box: one line between the slide's text and the
  // ticker, at the right, in the colours of its kind.
  void LayOutNotice(const std::string& message, NoticeKind kind, int width, int height,
                    FilledRect* box, PlacedText* text);

  const Theme& theme() const { return theme_; }
  text::TextEngine& engine() { return engine_; }

 private:
  text::TextEngine& engine_;
  const Theme& theme_;
};

}  // namespace nb::render
