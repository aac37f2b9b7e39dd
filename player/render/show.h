// Show: the slide-show state machine, independent of SDL and of real time.
//
// Contract:
// - Plays the items whose schedule covers now (playlist/schedule.h), in
//   playlist order, each for its duration; the schedule is re-evaluated at
//   every slide boundary. When nothing plays, the idle slide is shown and the
//   schedule is re-checked every few seconds.
// - A new playlist offered with Offer() replaces the current one at the next
//   slide boundary (immediately when idle or when nothing was playing). The
//   show continues from the item that was on screen when it still exists in
//   the new playlist (matched by id), otherwise from the same position.
// - Next()/Previous() make a boundary at once; Pause() freezes the timer.
// - Transitions: a crossfade of the playlist's length, or a cut.
// - Notices (e.g. "the new playlist is invalid") stay for notice_seconds;
//   their kind (base/notice_kind.h) gives their colours.
// - Urgent notices (render/alert_show.h) take over from the slides: while
//   one is on screen the slide timer is held (the bulletin continues where
//   it was once the last alert has faded out) and a new playlist waits for
//   that boundary. Next()/Previous() still move the slides underneath.
// - Time comes from an injected Clock: monotonic for timing, wall for the
//   schedule. Call Tick() before drawing each frame.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "base/env.h"
#include "base/notice_kind.h"
#include "playlist/playlist.h"
#include "render/alert_show.h"

namespace nb::render {

using TimePoint = std::chrono::steady_clock::time_point;

// One slide: an item of a playlist, or the idle slide (index < 0).
struct SlideRef {
  std::shared_ptr<const playlist::Playlist> playlist;
  int index = -1;
  int position = 0;  // 1-based among the items playing now
  int count = 0;

  bool idle() const { return index < 0; }
  const playlist::Item* item() const { return idle() ? nullptr : &playlist->items[index]; }
  bool operator==(const SlideRef& o) const {
    return playlist == o.playlist && index == o.index && position == o.position && count == o.count;
  }
};

struct ShowOptions {
  std::optional<double> slide_seconds;  // overrides every item's duration (tests, benchmarks)
  float notice_seconds = 10.f;
};

class Show {
 public:
  Show(const Clock& clock, std::shared_ptr<const playlist::Playlist> playlist,
       ShowOptions options = {});

  // Offers a new, valid playlist; it is swapped in at the next boundary.
  void Offer(std::shared_ptr<const playlist::Playlist> playlist);
  void Notice(std::string message, NoticeKind kind);

  // The newest snapshot of the active alerts (the frame thread's copy).
  void SetAlerts(std::shared_ptr<const alert::AlertSnapshot> snapshot);
  const AlertShow& alerts() const { return alerts_; }
  AlertShow& alerts() { return alerts_; }

  void Next();
  void Previous();
  void TogglePause();
  bool paused() const { return paused_; }

  // Advances the state to the clock's now. Returns true if the picture changed
  // in a way that needs a redraw (a new slide, a notice appearing or leaving).
  bool Tick();

  const SlideRef& current() const { return current_; }
  // During a transition: the slide fading out, and the progress in [0, 1].
  const std::optional<SlideRef>& outgoing() const { return outgoing_; }
  float mix() const { return mix_; }
  bool transitioning() const { return outgoing_.has_value(); }
  // The slide an automatic advance would show next (to prepare it ahead).
  SlideRef Upcoming() const;
  const std::shared_ptr<const playlist::Playlist>& playlist() const { return playlist_; }
  // The indices of the items playing now, evaluated at the last boundary.
  const std::vector<std::size_t>& playing() const { return playing_; }
  // The notice on screen, empty when there is none.
  const std::string& notice() const { return notice_; }
  NoticeKind notice_kind() const { return notice_kind_; }

  // When Tick() next has something to do (end of slide, notice expiry).
  TimePoint NextDeadline() const;
  // Slide changes so far (for accelerated runs and benchmarks).
  int slide_changes() const { return slide_changes_; }

 private:
  void Boundary(int direction);
  // Holds or releases the slide timer while an alert is on screen.
  void Hold(bool hold);
  bool frozen() const { return paused_ || held_; }
  void Freeze(bool was_frozen);
  void StartSlide(SlideRef next);
  double DurationOf(const SlideRef& ref) const;
  SlideRef RefAt(std::size_t playing_position) const;

  const Clock& clock_;
  ShowOptions options_;
  std::shared_ptr<const playlist::Playlist> playlist_;
  std::shared_ptr<const playlist::Playlist> pending_;
  std::vector<std::size_t> playing_;
  SlideRef current_;
  std::optional<SlideRef> outgoing_;
  float mix_ = 1.f;
  TimePoint slide_start_{};
  TimePoint transition_start_{};
  double transition_ms_ = 0;
  bool paused_ = false;
  std::string notice_;
  NoticeKind notice_kind_ = NoticeKind::kSuccess;
  TimePoint notice_until_{};
  int slide_changes_ = 0;
  AlertShow alerts_;
  bool held_ = false;
  TimePoint frozen_at_{};
};

}  // namespace nb::render
