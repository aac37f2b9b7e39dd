#include "render/alert_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "playlist/schedule.h"

namespace nb::render {
namespace {

float LayoutBottom(const text::Layout& layout) {
  if (layout.lines.empty()) return 0.f;
  return layout.lines.back().baseline + std::fabs(layout.descent);
}

// "12月8日 07:00", or "07:00" on the day `now` is.
std::string ShortTime(alert::WallTime t, const playlist::LocalDateTime& now) {
  playlist::LocalDateTime l = playlist::ToLocalDateTime(t);
  char buf[48];
  if (l.year == now.year && l.month == now.month && l.day == now.day) {
    std::snprintf(buf, sizeof buf, "%02d:%02d", l.hour, l.minute);
  } else if (l.year == now.year) {
    std::snprintf(buf, sizeof buf, "%d月%d日 %02d:%02d", l.month, l.day, l.hour, l.minute);
  } else {
    std::snprintf(buf, sizeof buf, "%d年%d月%d日 %02d:%02d", l.year, l.month, l.day, l.hour,
                  l.minute);
  }
  return buf;
}

// Text colour at a fraction of its strength over the background, for the
// footer: same hue, quieter.
std::uint32_t Blend(std::uint32_t fg, std::uint32_t bg, float t) {
  auto channel = [&](int shift) {
    float a = static_cast<float>((fg >> shift) & 0xFF), b = static_cast<float>((bg >> shift) & 0xFF);
    return static_cast<std::uint32_t>(std::lround(b + (a - b) * t)) << shift;
  };
  return channel(24) | channel(16) | channel(8) | 0xFF;
}

}  // namespace

std::uint32_t AlertBackground(const Theme& theme, alert::Severity severity) {
  switch (severity) {
    case alert::Severity::kInfo:
      return theme.colors.alert_info_background;
    case alert::Severity::kWarning:
      return theme.colors.alert_warning_background;
    case alert::Severity::kCritical:
      break;
  }
  return theme.colors.alert_critical_background;
}

std::uint32_t AlertText(const Theme& theme, alert::Severity severity) {
  switch (severity) {
    case alert::Severity::kInfo:
      return theme.colors.alert_info_text;
    case alert::Severity::kWarning:
      return theme.colors.alert_warning_text;
    case alert::Severity::kCritical:
      break;
  }
  return theme.colors.alert_critical_text;
}

SlideLayout LayOutAlert(SlideLayouter& layouter, const alert::ActiveAlert& active, int position,
                        int count, const playlist::LocalDateTime& now, int width, int height) {
  const Theme& theme = layouter.theme();
  text::TextEngine& engine = layouter.engine();
  const alert::Alert& a = active.alert;
  const float w = static_cast<float>(width), h = static_cast<float>(height);
  const bool portrait = height > width;
  // On a portrait screen the width limits the composition.
  const float unit = portrait ? w * 1.25f : h;
  const ChromeGeometry g = layouter.Chrome(width, height);
  const std::uint32_t bg = AlertBackground(theme, a.severity);
  const std::uint32_t fg = AlertText(theme, a.severity);

  SlideLayout slide;
  slide.width = width;
  slide.height = height;
  slide.background = bg;
  const float margin = std::round(0.07f * unit);
  const float column_w = w - 2 * margin;
  const float x = margin;
  const float bottom = g.ticker.h > 0 ? g.ticker.y : h;
  float y = std::round(0.06f * unit);

  // The label: the severity (and 演练 / 测试) in a box of the text colour.
  text::Style label_style;
  label_style.role = text::FontRole::kHeadline;
  label_style.size_px = std::round(0.05f * unit);
  label_style.box_width = column_w;
  label_style.max_lines = 1;
  label_style.autospace_em = 0.f;
  std::string label = std::string(alert::SeverityLabel(a.severity)) + "通知";
  if (a.status != alert::AlertStatus::kActual) {
    label += std::string("（") + alert::AlertStatusLabel(a.status) + "）";
  }
  PlacedText label_text{engine.LayOut(label, label_style), 0, 0, bg};
  const float em = label_style.size_px;
  const float pad_x = std::round(em * 0.55f), pad_y = std::round(em * 0.28f);
  const RectF label_box{x, y, std::round(label_text.layout.width + 2 * pad_x),
                        std::round(em + 2 * pad_y)};
  slide.rects.push_back({label_box, fg});
  label_text.x = x + pad_x;
  label_text.y = y + pad_y - FirstLineEmTop(label_text.layout);
  slide.texts.push_back(std::move(label_text));
  if (count > 1) {
    text::Style pos = label_style;
    pos.role = text::FontRole::kBody;
    pos.size_px = std::round(0.036f * unit);
    pos.align = text::Align::kEnd;
    PlacedText counter{
        engine.LayOut(std::to_string(position) + " / " + std::to_string(count), pos), x, 0, fg};
    counter.y = y + (label_box.h - pos.size_px) / 2 - FirstLineEmTop(counter.layout);
    slide.texts.push_back(std::move(counter));
  }
  y += label_box.h + std::round(0.05f * unit);

  // The footer first: the title and text take what it leaves.
  text::Style foot;
  foot.size_px = std::round(0.032f * unit);
  foot.box_width = column_w;
  foot.max_lines = 2;
  foot.autospace_em = 0.f;
  std::vector<std::string> parts = {"发布 " + ShortTime(a.issued.value_or(active.received), now),
                                    "有效至 " + ShortTime(active.ends, now)};
  if (!a.source.empty()) parts.push_back("来源：" + a.source);
  std::string footer;
  for (const std::string& part : parts) footer += (footer.empty() ? "" : "　") + part;
  text::Layout foot_layout = engine.LayOut(footer, foot);
  if (foot_layout.lines.size() > 1 || foot_layout.truncated) {
    // Too narrow for one line (portrait): a part per line, never a name split.
    foot.max_lines = static_cast<int>(parts.size());
    footer.clear();
    for (const std::string& part : parts) footer += (footer.empty() ? "" : "\n") + part;
    foot_layout = engine.LayOut(footer, foot);
  }
  PlacedText foot_text{std::move(foot_layout), x, 0, Blend(fg, bg, 0.8f)};
  const float foot_h = LayoutBottom(foot_text.layout) - FirstLineEmTop(foot_text.layout);
  const float foot_top = bottom - std::round(0.05f * unit) - foot_h;
  foot_text.y = foot_top - FirstLineEmTop(foot_text.layout);
  const float rule_y = foot_top - std::round(0.03f * unit);
  slide.rects.push_back({{x, rule_y, column_w, std::max(2.f, std::round(0.003f * unit))},
                         Blend(fg, bg, 0.45f)});
  slide.texts.push_back(std::move(foot_text));
  const float text_bottom = rule_y - std::round(0.035f * unit);

  // The title: as large as fits, up to three balanced lines; with a text
  // under it, at most half of the space.
  text::Style title;
  title.role = text::FontRole::kHeadline;
  title.max_size_px = std::round(0.13f * unit);
  title.min_size_px = std::round(0.06f * unit);
  title.size_px = title.max_size_px;
  title.line_height = 1.25f;
  title.box_width = column_w;
  title.box_height = a.text.empty() ? text_bottom - y : std::round((text_bottom - y) * 0.5f);
  title.max_lines = 3;
  title.balance = true;
  PlacedText title_text{engine.LayOut(a.title, title), x, 0, fg};
  title_text.y = y - FirstLineEmTop(title_text.layout);
  y = title_text.y + LayoutBottom(title_text.layout);
  slide.truncated = title_text.layout.truncated;
  slide.texts.push_back(std::move(title_text));

  if (!a.text.empty()) {
    y += std::round(0.06f * unit);
    text::Style body;
    body.max_size_px = std::round(0.065f * unit);
    body.min_size_px = std::round(0.034f * unit);
    body.size_px = body.max_size_px;
    body.line_height = 1.5f;
    body.box_width = column_w;
    body.box_height = std::max(1.f, text_bottom - y);
    body.align = text::Align::kJustify;
    PlacedText body_text{engine.LayOut(a.text, body), x, 0, fg};
    body_text.y = y - FirstLineEmTop(body_text.layout);
    slide.truncated = slide.truncated || body_text.layout.truncated;
    slide.texts.push_back(std::move(body_text));
  }
  slide.content = {0, 0, w, bottom};
  return slide;
}

}  // namespace nb::render
