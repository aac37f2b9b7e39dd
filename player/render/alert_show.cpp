#include "render/alert_show.h"

#include <algorithm>
#include <set>

namespace nb::render {
namespace {

std::chrono::steady_clock::duration Milliseconds(double ms) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double, std::milli>(ms));
}

}  // namespace

AlertShow::AlertShow(const Clock& clock, AlertShowOptions options)
    : clock_(clock), options_(options) {}

void AlertShow::ShowAt(std::size_t index, TimePoint now) {
  const alert::ActiveAlert& next = snapshot_->alerts[index];
  if (!shown_ || shown_->alert.id != next.alert.id) newly_shown_.push_back(next.alert.id);
  shown_ = next;
  position_ = static_cast<int>(index) + 1;
  shown_since_ = now;
}

void AlertShow::Set(std::shared_ptr<const alert::AlertSnapshot> snapshot) {
  if (snapshot && snapshot_ && snapshot->generation == snapshot_->generation) return;
  const TimePoint now = clock_.MonotonicNow();
  std::set<std::string> before;
  if (snapshot_) {
    for (const alert::ActiveAlert& a : snapshot_->alerts) before.insert(a.alert.id);
  }
  snapshot_ = std::move(snapshot);
  const bool any = snapshot_ && !snapshot_->alerts.empty();
  if (!any) {
    if (shown_ && fade_ != Fade::kOut) {
      fade_from_ = mix_;
      fade_ = Fade::kOut;
      fade_start_ = now;
      position_ = 0;
    }
    return;
  }
  const auto& alerts = snapshot_->alerts;
  // A newcomer first; else the one on screen, wherever it sits now; else
  // the most severe.
  std::optional<std::size_t> pick;
  for (std::size_t i = 0; i < alerts.size() && !pick; ++i) {
    if (!before.count(alerts[i].alert.id)) pick = i;
  }
  const bool newcomer = pick.has_value();
  for (std::size_t i = 0; i < alerts.size() && !pick; ++i) {
    if (shown_ && alerts[i].alert.id == shown_->alert.id) pick = i;
  }
  const std::string on_screen = shown_ && fade_ != Fade::kOut ? shown_->alert.id : "";
  const TimePoint since = shown_since_;
  ShowAt(pick.value_or(0), now);
  if (!newcomer && !on_screen.empty() && shown_->alert.id == on_screen) {
    shown_since_ = since;  // replaced in place: its turn goes on
  }
  if (mix_ >= 1.f && fade_ == Fade::kNone) return;
  if (shown_->alert.severity == alert::Severity::kCritical) {
    mix_ = 1.f;  // a critical alert cuts in
    fade_ = Fade::kNone;
    return;
  }
  if (fade_ != Fade::kIn) {
    fade_from_ = mix_;
    fade_ = Fade::kIn;
    fade_start_ = now;
  }
}

bool AlertShow::Tick() {
  if (!shown_) return false;
  const TimePoint now = clock_.MonotonicNow();
  bool changed = false;
  if (fade_ != Fade::kNone) {
    const double elapsed = std::chrono::duration<double, std::milli>(now - fade_start_).count();
    const float t = static_cast<float>(std::clamp(elapsed / options_.fade_ms, 0.0, 1.0));
    if (fade_ == Fade::kIn) {
      mix_ = fade_from_ + (1.f - fade_from_) * t;
    } else {
      mix_ = fade_from_ * (1.f - t);
    }
    if (t >= 1.f) {
      if (fade_ == Fade::kOut) {
        shown_.reset();
        mix_ = 0.f;
      }
      fade_ = Fade::kNone;
    }
    changed = true;
  }
  if (shown_ && fade_ != Fade::kOut && count() > 1 &&
      now >= shown_since_ + Milliseconds(options_.seconds_per_alert * 1000.0)) {
    ShowAt(static_cast<std::size_t>(position_) % snapshot_->alerts.size(), now);
    changed = true;
  }
  return changed;
}

std::vector<std::string> AlertShow::Titles() const {
  std::vector<std::string> titles;
  if (!snapshot_) return titles;
  for (const alert::ActiveAlert& a : snapshot_->alerts) titles.push_back(a.alert.title);
  return titles;
}

std::optional<alert::Severity> AlertShow::HighestSeverity() const {
  if (!snapshot_ || snapshot_->alerts.empty()) return std::nullopt;
  alert::Severity highest = alert::Severity::kInfo;
  for (const alert::ActiveAlert& a : snapshot_->alerts) highest = std::max(highest, a.alert.severity);
  return highest;
}

AlertShow::TimePoint AlertShow::NextDeadline() const {
  if (!shown_) return TimePoint::max();
  if (fade_ != Fade::kNone) return clock_.MonotonicNow();
  if (count() > 1) return shown_since_ + Milliseconds(options_.seconds_per_alert * 1000.0);
  return TimePoint::max();
}

std::vector<std::string> AlertShow::TakeShown() {
  std::vector<std::string> out;
  out.swap(newly_shown_);
  return out;
}

}  // namespace nb::render
