#include "render/ticker.h"

#include <chrono>
#include <cmath>
#include <string>

#include "base/log.h"
#include "render/draw_ops.h"

namespace nb::render {

Ticker::Ticker(SDL_Renderer* renderer, GlyphAtlas& atlas, SlideLayouter& layouter,
               const Theme& theme, const Clock& clock)
    : renderer_(renderer),
      atlas_(atlas),
      layouter_(layouter),
      theme_(theme),
      clock_(clock),
      epoch_(clock.MonotonicNow()) {}

void Ticker::SetSize(int width, int height) {
  width_ = width;
  height_ = height;
  playlist_ = nullptr;
  label_w_ = 0;
}

bool Ticker::AlertMode(const Show& show) const {
  return show.alerts().active() && show.alerts().count() > 0;
}

bool Ticker::Stale(const Show& show) const {
  if (AlertMode(show)) return alert_generation_ != show.alerts().generation();
  return alert_generation_ != 0 || playlist_ != show.playlist().get() || items_ != show.playing();
}

double Ticker::Travelled() const {
  const float speed = theme_.ticker_speed * static_cast<float>(height_);  // px per second
  const double t = std::chrono::duration<double>(clock_.MonotonicNow() - epoch_).count();
  return t * speed;
}

double Ticker::Offset(double travelled) const {
  return Complete() ? std::fmod(travelled, static_cast<double>(length_)) : travelled;
}

void Ticker::Rebuild(const Show& show) {
  auto started = std::chrono::steady_clock::now();
  playlist_ = show.playlist().get();
  items_ = show.playing();
  titles_.clear();
  const std::uint64_t was = alert_generation_;
  if (AlertMode(show)) {
    alert_generation_ = show.alerts().generation();
    titles_ = show.alerts().Titles();
  } else {
    alert_generation_ = 0;
    for (std::size_t i : items_) titles_.push_back(show.playlist()->items[i].title);
  }
  // Alerts coming or going: their titles (or the headlines again) scroll in
  // from the right edge at once.
  if (was != alert_generation_) epoch_ = clock_.MonotonicNow();
  entries_.clear();
  length_ = 0;
  next_ = 0;
  ChromeGeometry g = layouter_.Chrome(width_, height_);
  marker_ = layouter_.LayOutTickerText(theme_.ticker_marker, width_, height_);
  atlas_.Prepare(marker_);
  // Only what fills the band now; the rest is laid out as it scrolls in.
  Extend(g.ticker.w);
  LayOutLabel();
  LogDebug("ticker: " + std::to_string(next_) + " headlines laid out in " +
           std::to_string(
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                   .count()) +
           " ms");
}

void Ticker::LayOutLabel() {
  const bool alert = alert_generation_ != 0;
  if (label_w_ > 0 && label_alert_ == alert) return;  // laid out for this size already
  label_alert_ = alert;
  label_ = layouter_.LayOutTickerLabel(alert ? "通知" : "要闻", width_, height_, &label_w_);
  atlas_.Prepare(label_.layout);
}

void Ticker::KeepLabel() {
  if (label_w_ > 0) atlas_.Prepare(label_.layout);
}

void Ticker::Extend(float upto) {
  const Proportions& p = theme_.For(width_, height_);
  float gap = std::round(std::round(p.ticker_text * height_) * 1.2f);
  while (next_ < titles_.size() && length_ < upto) {
    const std::string& title = titles_[next_++];
    Entry entry{layouter_.LayOutTickerText(title, width_, height_), length_, false};
    atlas_.Prepare(entry.layout);
    length_ += entry.layout.width + gap;
    entries_.push_back(std::move(entry));
    entries_.push_back({marker_, length_, true});
    length_ += marker_.width + gap;
  }
}

void Ticker::PrepareAhead(const Show& show) {
  if (!theme_.ticker || !show.playlist()) return;
  if (Stale(show)) Rebuild(show);
  ChromeGeometry g = layouter_.Chrome(width_, height_);
  const float speed = theme_.ticker_speed * static_cast<float>(height_);  // px per second
  const double travelled = Travelled();
  // Long enough for a whole transition starting with the next frame.
  const double ahead = speed * (show.playlist()->transition.ms / 1000.0 + 1.0);
  if (!Complete()) Extend(static_cast<float>(travelled + g.ticker.w + ahead));
  if (entries_.empty() || length_ <= 0) return;
  const double from = Offset(travelled);
  const double to = from + g.ticker.w + ahead;
  for (const Entry& e : entries_) {  // (a label's width of slack on the left)
    for (double x : {static_cast<double>(e.x), static_cast<double>(e.x) + length_}) {
      if (x + e.layout.width + label_w_ >= from && x <= to) {
        atlas_.Prepare(e.layout);
        break;
      }
    }
  }
}

void Ticker::Draw(const Show& show, const RectF& band, float alpha, bool first_frame) {
  if (first_frame && Stale(show)) {
    // The first frame: the band and its label; the headlines follow a frame later.
    FillRect(renderer_, band, theme_.colors.ticker_background, alpha);
    LayOutLabel();
    FillRect(renderer_, {band.x, band.y, label_w_, band.h}, theme_.colors.accent, alpha);
    atlas_.Draw(label_.layout, label_.x, label_.y, WithAlpha(label_.rgba, alpha));
    return;
  }
  if (Stale(show)) Rebuild(show);
  FillRect(renderer_, band, theme_.colors.ticker_background, alpha);
  if (entries_.empty() || length_ <= 0) return;
  const double travelled = Travelled();
  if (!Complete()) Extend(static_cast<float>(travelled) + band.w);
  const float offset = static_cast<float>(Offset(travelled));
  const bool complete = Complete();
  float left = band.x + label_w_;
  SDL_Rect clip{static_cast<int>(left), static_cast<int>(band.y),
                static_cast<int>(band.w - label_w_), static_cast<int>(band.h)};
  {
    ClipScope clipped(renderer_, clip);
    const text::Layout& first = entries_.front().layout;
    float em_h = std::fabs(first.ascent) + std::fabs(first.descent);
    // Start the text just off the right edge, so a new playlist scrolls in.
    float start = left + std::round(0.5f * em_h);
    for (float base = start - offset; !clipped.empty() && base < band.x + band.w;
         base += complete ? length_ : 1e9f) {
      for (const Entry& e : entries_) {
        float x = base + e.x;
        if (x > band.x + band.w || x + e.layout.width < left) continue;
        float cy = band.y + band.h / 2;
        float y = cy - em_h / 2 - FirstLineEmTop(e.layout);
        atlas_.Draw(
            e.layout, x, y,
            WithAlpha(e.marker ? theme_.colors.ticker_marker : theme_.colors.ticker_text, alpha));
      }
    }
  }
  // The label sits over the start of the band, with a thin accent edge.
  FillRect(renderer_, {band.x, band.y, label_w_, band.h}, theme_.colors.accent, alpha);
  atlas_.Draw(label_.layout, label_.x, label_.y, WithAlpha(label_.rgba, alpha));
}

}  // namespace nb::render
