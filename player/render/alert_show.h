// AlertShow: which urgent notice (alert/alert.h) is on screen and how far it
// has faded in, independent of SDL and of real time, as Show is for slides.
//
// Contract:
// - Set() takes the newest snapshot of the active alerts (AlertSet). The
//   first alert to arrive fades in over fade_ms, a critical one cuts in at
//   once; once every alert has ended the layer fades out over fade_ms and
//   the bulletin comes back (Show holds its slides meanwhile).
// - An alert that was not in the previous snapshot goes on screen at once
//   (it is what just happened); otherwise the alert on screen stays (an
//   update with the same id replaces it in place). With several, each shows
//   for seconds_per_alert, in the snapshot's order (most severe first), then
//   the next, by a cut.
// - The picture changes only in Set() and Tick(); Tick() says when.
//   NextDeadline() is when Tick() next has something to do.
// - TakeShown() gives the ids that have come on screen since the last call
//   (for the log's "shown" line), once each per arrival.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alert/alert_set.h"
#include "base/env.h"

namespace nb::render {

struct AlertShowOptions {
  double seconds_per_alert = 15.0;
  double fade_ms = 400.0;
};

class AlertShow {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  AlertShow(const Clock& clock, AlertShowOptions options = {});

  void Set(std::shared_ptr<const alert::AlertSnapshot> snapshot);
  bool Tick();

  // Something is on screen (fading in, shown, or fading out).
  bool active() const { return shown_.has_value(); }
  // The alert covers the screen completely (no slide needs drawing).
  bool covering() const { return active() && mix_ >= 1.f; }
  // Fading in or out: every frame differs.
  bool fading() const { return active() && fade_ != Fade::kNone; }
  // The alert on screen (the last one while fading out), 1-based position
  // among the active ones and their count (0 while fading out).
  const alert::ActiveAlert* current() const { return shown_ ? &*shown_ : nullptr; }
  int position() const { return position_; }
  int count() const { return snapshot_ ? static_cast<int>(snapshot_->alerts.size()) : 0; }
  float mix() const { return mix_; }
  // The active alerts' titles, in order (the ticker carries them).
  std::vector<std::string> Titles() const;
  // The most severe active alert's severity, or nullopt when none is active.
  std::optional<alert::Severity> HighestSeverity() const;
  std::uint64_t generation() const { return snapshot_ ? snapshot_->generation : 0; }

  TimePoint NextDeadline() const;
  std::vector<std::string> TakeShown();

 private:
  enum class Fade { kNone, kIn, kOut };
  void ShowAt(std::size_t index, TimePoint now);

  const Clock& clock_;
  AlertShowOptions options_;
  std::shared_ptr<const alert::AlertSnapshot> snapshot_;
  std::optional<alert::ActiveAlert> shown_;
  int position_ = 0;
  float mix_ = 0.f;
  Fade fade_ = Fade::kNone;
  TimePoint fade_start_{};
  float fade_from_ = 0.f;
  TimePoint shown_since_{};
  std::vector<std::string> newly_shown_;
};

}  // namespace nb::render
