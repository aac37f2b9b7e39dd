#include "render/slide_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "playlist/schedule.h"

namespace nb::render {
namespace {

// The top y for a single-line layout whose em box should be centred on cy.
float CenteredTop(const text::Layout& layout, float cy) {
  float baseline = layout.lines.empty() ? layout.ascent : layout.lines.front().baseline;
  float ascent = std::fabs(layout.ascent), descent = std::fabs(layout.descent);
  return cy - (ascent + descent) / 2.f - (baseline - ascent);
}

// The layout's bottom, as the bottom of the em box of its last line.
float LayoutBottom(const text::Layout& layout) {
  if (layout.lines.empty()) return 0.f;
  return layout.lines.back().baseline + std::fabs(layout.descent);
}

// The space under an item slide's text, in margins: a notice goes there.
constexpr float kItemBottomMargin = 0.7f;

constexpr const char* kWeekdays[] = {"星期一", "星期二", "星期三", "星期四",
                                     "星期五", "星期六", "星期日"};

}  // namespace

std::string FormatChineseDate(const playlist::LocalDateTime& t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d年%d月%d日", t.year, t.month, t.day);
  return buf;
}

std::string FormatChineseClock(const playlist::LocalDateTime& t) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s %s %02d:%02d", FormatChineseDate(t).c_str(),
                kWeekdays[playlist::WeekdayOf(t.year, t.month, t.day)], t.hour, t.minute);
  return buf;
}

std::string FormatItemDate(const std::string& iso_date) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(iso_date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return iso_date;
  return FormatChineseDate({y, m, d, 0, 0, 0});
}

float FirstLineEmTop(const text::Layout& layout) {
  if (layout.lines.empty()) return 0.f;
  return layout.lines.front().baseline - std::fabs(layout.ascent);
}

ChromeGeometry SlideLayouter::Chrome(int width, int height) const {
  const Proportions& p = theme_.For(width, height);
  float w = static_cast<float>(width), h = static_cast<float>(height);
  ChromeGeometry g;
  g.margin = std::round(p.margin * h);
  float header_h = std::round(p.header_height * h);
  float ticker_h = theme_.ticker ? std::round(p.ticker_height * h) : 0.f;
  g.header = {0, 0, w, header_h};
  g.ticker = {0, h - ticker_h, w, ticker_h};
  g.body = {0, header_h, w, h - header_h - ticker_h};
  return g;
}

SlideLayout SlideLayouter::LayOutItem(const playlist::Item& item, const std::string& source_name,
                                      int position, int count, int width, int height) {
  const Proportions& p = theme_.For(width, height);
  const Colors& c = theme_.colors;
  float h = static_cast<float>(height);
  ChromeGeometry g = Chrome(width, height);
  SlideLayout slide;
  slide.width = width;
  slide.height = height;
  slide.background = c.background;

  // The text column: centred, at most max_line_chars em of summary text wide.
  float column_w =
      std::min(g.body.w - 2 * g.margin, std::round(p.max_line_chars * p.summary_max * h));
  float x = std::round((g.body.w - column_w) / 2);
  float top = g.body.y + std::round(g.margin * 0.8f);
  float bottom = g.body.y + g.body.h - std::round(g.margin * kItemBottomMargin);

  // A short accent bar marks the start of the item.
  float bar_h = std::max(3.f, std::round(0.008f * h));
  slide.rects.push_back({{x, top, std::round(0.07f * h), bar_h}, c.accent});
  float y = top + bar_h + std::round(0.03f * h);

  text::Style headline;
  headline.role = text::FontRole::kHeadline;
  headline.max_size_px = std::round(p.headline_max * h);
  headline.min_size_px = std::round(p.headline_min * h);
  headline.size_px = headline.max_size_px;
  headline.line_height = 1.32f;
  headline.box_width = column_w;
  headline.max_lines = p.headline_lines;
  headline.balance = true;
  PlacedText title{engine_.LayOut(item.title, headline), x, 0, c.headline};
  title.y = y - FirstLineEmTop(title.layout);
  y = title.y + LayoutBottom(title.layout);
  slide.texts.push_back(std::move(title));

  // Meta line: date and source, with the position at the right.
  text::Style meta;
  meta.size_px = std::round(p.meta_text * h);
  meta.autospace_em = 0.f;  // dates read 2025年12月1日, set solid as on print
  meta.box_width = column_w;
  meta.max_lines = 1;
  std::string meta_text = FormatItemDate(item.date);
  if (!source_name.empty()) meta_text += (meta_text.empty() ? "" : "  ·  ") + source_name;
  y += std::round(0.032f * h);
  float meta_top = y;
  PlacedText meta_line{engine_.LayOut(meta_text, meta), x, 0, c.meta};
  meta_line.y = meta_top - FirstLineEmTop(meta_line.layout);
  float meta_bottom = meta_line.y + LayoutBottom(meta_line.layout);
  slide.texts.push_back(std::move(meta_line));
  if (count > 1) {
    text::Style pos = meta;
    pos.align = text::Align::kEnd;
    PlacedText counter{
        engine_.LayOut(std::to_string(position) + " / " + std::to_string(count), pos), x, 0,
        c.meta};
    counter.y = meta_top - FirstLineEmTop(counter.layout);
    slide.texts.push_back(std::move(counter));
  }
  y = meta_bottom + std::round(0.028f * h);
  slide.rects.push_back({{x, y, column_w, std::max(1.f, std::round(0.0018f * h))}, c.rule});
  y += std::round(0.036f * h);

  // The summary takes the rest; the body stands in when there is no summary.
  const std::string& summary = item.summary.empty() ? item.body : item.summary;
  if (!summary.empty() && bottom - y > p.summary_min * h * 1.6f) {
    text::Style body;
    body.max_size_px = std::round(p.summary_max * h);
    body.min_size_px = std::round(p.summary_min * h);
    body.size_px = body.max_size_px;
    body.line_height = 1.62f;
    body.box_width = column_w;
    body.box_height = bottom - y;
    body.align = text::Align::kJustify;
    PlacedText text{engine_.LayOut(summary, body), x, 0, c.summary};
    text.y = y - FirstLineEmTop(text.layout);
    slide.truncated = text.layout.truncated;
    y = text.y + LayoutBottom(text.layout);
    slide.texts.push_back(std::move(text));
  }
  // A short item does not hang from the top with the rest of the page empty
  // (a portrait screen showed half a blank page): the block moves down by a
  // third of the space left, which sets it a little above the optical centre.
  float lower = std::round(std::max(0.f, bottom - y) / 3.f);
  for (FilledRect& r : slide.rects) r.rect.y += lower;
  for (PlacedText& t : slide.texts) t.y += lower;
  // Everything drawn lies in the text column between top and bottom; a little
  // slack covers glyph ink outside the em box. Every item slide of a screen
  // gets the same area, so a crossfade between two of them blends one
  // texture over the other and nothing else (exact to the last bit).
  float slack = std::round(0.02f * h);
  slide.content = {x - slack, top - slack, column_w + 2 * slack, bottom - top + 2 * slack};
  return slide;
}

SlideLayout SlideLayouter::LayOutIdle(const std::string& name, const playlist::LocalDateTime& now,
                                      int width, int height) {
  const Colors& c = theme_.colors;
  float w = static_cast<float>(width), h = static_cast<float>(height);
  bool portrait = height > width;
  float unit = portrait ? w * 0.92f : h;  // on portrait the width limits the composition
  SlideLayout slide;
  slide.width = width;
  slide.height = height;
  slide.background = c.idle_background;

  auto centred = [&](const std::string& s, text::FontRole role, float size, std::uint32_t rgba) {
    text::Style st;
    st.role = role;
    st.size_px = std::round(size);
    st.box_width = w * 0.9f;
    st.max_lines = 1;
    st.align = text::Align::kCenter;
    st.autospace_em = 0.f;  // a clock and a date, set solid
    return PlacedText{engine_.LayOut(s, st), w * 0.05f, 0, rgba};
  };
  char hm[16];
  std::snprintf(hm, sizeof hm, "%02d:%02d", now.hour, now.minute);
  PlacedText title = centred(name, text::FontRole::kHeadline, 0.075f * unit, c.idle_text);
  PlacedText time = centred(hm, text::FontRole::kHeadline, 0.2f * unit, c.idle_text);
  std::string date =
      FormatChineseDate(now) + " " + kWeekdays[playlist::WeekdayOf(now.year, now.month, now.day)];
  PlacedText day = centred(date, text::FontRole::kBody, 0.045f * unit, c.header_secondary);

  float cy = h * 0.5f;
  time.y = CenteredTop(time.layout, cy);
  title.y = CenteredTop(title.layout, cy - 0.23f * unit);
  day.y = CenteredTop(day.layout, cy + 0.19f * unit);
  float rule_w = std::round(0.09f * unit);
  slide.rects.push_back({{std::round((w - rule_w) / 2), std::round(cy - 0.15f * unit), rule_w,
                          std::max(3.f, std::round(0.008f * unit))},
                         c.accent});
  slide.texts.push_back(std::move(title));
  slide.texts.push_back(std::move(time));
  slide.texts.push_back(std::move(day));
  slide.content = {0, 0, w, h};
  return slide;
}

PlacedText SlideLayouter::LayOutHeaderName(const std::string& name, int width, int height) {
  const Proportions& p = theme_.For(width, height);
  ChromeGeometry g = Chrome(width, height);
  float h = static_cast<float>(height);
  bool portrait = height > width;
  text::Style st;
  st.role = text::FontRole::kHeadline;
  st.size_px = std::round(p.header_text * h);
  st.box_width = portrait ? g.header.w - 2 * g.margin : (g.header.w - 2 * g.margin) * 0.5f;
  st.max_lines = 1;
  PlacedText t{engine_.LayOut(name, st), g.margin, 0, theme_.colors.header_text};
  float cy = portrait ? g.header.h * 0.36f : g.header.h * 0.5f;
  t.y = CenteredTop(t.layout, cy);
  return t;
}

PlacedText SlideLayouter::LayOutHeaderClock(const playlist::LocalDateTime& now, int width,
                                            int height) {
  const Proportions& p = theme_.For(width, height);
  ChromeGeometry g = Chrome(width, height);
  float h = static_cast<float>(height);
  bool portrait = height > width;
  text::Style st;
  st.size_px = std::round(p.clock_text * h);
  st.autospace_em = 0.f;  // 2026年11月28日 星期六 14:38, set solid
  st.box_width = g.header.w - 2 * g.margin;
  st.max_lines = 1;
  st.align = portrait ? text::Align::kStart : text::Align::kEnd;
  PlacedText t{engine_.LayOut(FormatChineseClock(now), st), g.margin, 0,
               theme_.colors.header_secondary};
  float cy = portrait ? g.header.h * 0.7f : g.header.h * 0.5f;
  t.y = CenteredTop(t.layout, cy);
  return t;
}

text::Layout SlideLayouter::LayOutTickerText(const std::string& s, int width, int height) {
  const Proportions& p = theme_.For(width, height);
  text::Style st;
  st.size_px = std::round(p.ticker_text * static_cast<float>(height));
  st.box_width = 1e7f;  // one line however long
  st.max_lines = 1;
  return engine_.LayOut(s, st);
}

PlacedText SlideLayouter::LayOutTickerLabel(const std::string& text, int width, int height,
                                            float* label_width) {
  ChromeGeometry g = Chrome(width, height);
  const Proportions& p = theme_.For(width, height);
  float em = std::round(p.ticker_text * height);
  text::Style st;
  st.role = text::FontRole::kHeadline;
  st.size_px = em;
  st.box_width = 1e6f;
  st.max_lines = 1;
  PlacedText label;
  label.layout = engine_.LayOut(text, st);
  float pad = std::round(em * 0.8f);
  *label_width = std::round(label.layout.width + 2 * pad);
  label.x = pad;
  float cy = g.ticker.y + g.ticker.h / 2;
  label.y = cy - (std::fabs(label.layout.ascent) + std::fabs(label.layout.descent)) / 2 -
            FirstLineEmTop(label.layout);
  label.rgba = theme_.colors.header_text;
  return label;
}

void SlideLayouter::LayOutNotice(const std::string& message, NoticeKind kind, int width, int height,
                                 FilledRect* box, PlacedText* placed) {
  const Proportions& p = theme_.For(width, height);
  const Colors& c = theme_.colors;
  ChromeGeometry g = Chrome(width, height);
  float h = static_cast<float>(height);
  // The strip LayOutItem leaves under its text: from `bottom` to the ticker,
  // less a clearance above and below.
  float strip = std::round(g.margin * kItemBottomMargin);
  float clear = std::max(2.f, std::round(strip * 0.1f));
  float box_h = std::max(strip - 2 * clear, std::round(0.024f * h));
  // The meta line's size when the strip is tall enough (a third of the box
  // is padding), never below two thirds of it.
  float size = std::min(std::round(p.meta_text * h), std::floor(box_h / 1.5f));
  size = std::max(size, std::round(p.meta_text * h * 0.66f));
  text::Style st;
  st.size_px = size;
  st.min_size_px = std::round(size * 0.8f);
  st.max_size_px = size;
  st.box_width = g.body.w - 2 * g.margin - 2 * std::round(size * 0.7f);
  st.max_lines = 1;
  text::Layout layout = engine_.LayOut(message, st);
  float pad_x = std::round(size * 0.7f);
  float box_w = std::round(layout.width + 2 * pad_x);
  float bx = g.body.w - g.margin - box_w;
  float by = g.body.y + g.body.h - clear - box_h;
  bool refused = kind == NoticeKind::kRefused;
  *box = {{std::round(bx), std::round(by), box_w, box_h},
          refused ? c.notice_refused_background : c.notice_success_background};
  *placed = PlacedText{std::move(layout), std::round(bx) + pad_x, 0,
                       refused ? c.notice_refused_text : c.notice_success_text};
  placed->y = std::round(CenteredTop(placed->layout, std::round(by) + box_h / 2));
}

}  // namespace nb::render
