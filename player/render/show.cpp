#include "render/show.h"

#include <algorithm>

#include "base/log.h"
#include "playlist/schedule.h"

namespace nb::render {
namespace {

// How often the idle slide re-checks the schedule.
constexpr double kIdleRecheckSeconds = 5.0;

std::chrono::steady_clock::duration Seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(s));
}

}  // namespace

Show::Show(const Clock& clock, std::shared_ptr<const playlist::Playlist> playlist,
           ShowOptions options)
    : clock_(clock), options_(options), playlist_(std::move(playlist)), alerts_(clock) {
  playing_ = playlist::ItemsPlayingNow(*playlist_, clock_);
  current_ = playing_.empty() ? SlideRef{playlist_, -1, 0, 0} : RefAt(0);
  slide_start_ = clock_.MonotonicNow();
}

void Show::Offer(std::shared_ptr<const playlist::Playlist> playlist) {
  pending_ = std::move(playlist);
}

void Show::Notice(std::string message, NoticeKind kind) {
  notice_ = std::move(message);
  notice_kind_ = kind;
  notice_until_ = clock_.MonotonicNow() + Seconds(options_.notice_seconds);
}

void Show::SetAlerts(std::shared_ptr<const alert::AlertSnapshot> snapshot) {
  alerts_.Set(std::move(snapshot));
  Hold(alerts_.active());
}

void Show::Hold(bool hold) {
  const bool was_frozen = frozen();
  held_ = hold;
  Freeze(was_frozen);
}

void Show::Next() { Boundary(+1); }
void Show::Previous() { Boundary(-1); }

void Show::TogglePause() {
  const bool was_frozen = frozen();
  paused_ = !paused_;
  Freeze(was_frozen);
}

// The slide timer stands still while paused or held: its start moves on by
// the time it stood.
void Show::Freeze(bool was_frozen) {
  if (frozen() == was_frozen) return;
  TimePoint now = clock_.MonotonicNow();
  if (frozen()) {
    frozen_at_ = now;
  } else {
    slide_start_ += now - frozen_at_;
  }
}

SlideRef Show::RefAt(std::size_t k) const {
  return SlideRef{playlist_, static_cast<int>(playing_[k]), static_cast<int>(k) + 1,
                  static_cast<int>(playing_.size())};
}

double Show::DurationOf(const SlideRef& ref) const {
  if (ref.idle()) return kIdleRecheckSeconds;
  if (options_.slide_seconds) return *options_.slide_seconds;
  return ref.playlist->DurationOf(*ref.item());
}

SlideRef Show::Upcoming() const {
  if (playing_.empty()) return SlideRef{playlist_, -1, 0, 0};
  if (current_.idle() || current_.playlist != playlist_) return RefAt(0);
  return RefAt(static_cast<std::size_t>(current_.position) % playing_.size());
}

void Show::Boundary(int direction) {
  SlideRef old = current_;
  if (pending_) {
    playlist_ = std::move(pending_);
    pending_.reset();
    LogInfo("playlist swapped in: " + std::to_string(playlist_->items.size()) + " items");
  }
  playing_ = playlist::ItemsPlayingNow(*playlist_, clock_);
  if (playing_.empty()) {
    StartSlide(SlideRef{playlist_, -1, 0, 0});
    return;
  }
  int n = static_cast<int>(playing_.size());
  // Where the slide on screen sits in the (possibly new) list of playing items.
  int base = -1;
  if (const playlist::Item* item = old.item()) {
    for (int k = 0; k < n; ++k) {
      if (playlist_->items[playing_[k]].id == item->id) base = k;
    }
    if (base < 0) {
      // Gone or unscheduled: the item that took its place comes next.
      int next = direction > 0 ? std::min(old.position - 1, n - 1) : old.position - 2;
      StartSlide(RefAt(static_cast<std::size_t>(((next % n) + n) % n)));
      return;
    }
  }
  int next = base < 0 ? (direction > 0 ? 0 : n - 1) : base + direction;
  StartSlide(RefAt(static_cast<std::size_t>(((next % n) + n) % n)));
}

void Show::StartSlide(SlideRef next) {
  TimePoint now = clock_.MonotonicNow();
  slide_start_ = now;
  if (frozen()) frozen_at_ = now;
  if (next == current_) return;
  const playlist::Transition& t = playlist_->transition;
  if (t.kind == playlist::TransitionKind::kCrossfade && t.ms > 0) {
    outgoing_ = current_;
    transition_start_ = now;
    transition_ms_ = t.ms;
    mix_ = 0.f;
  } else {
    outgoing_.reset();
    mix_ = 1.f;
  }
  current_ = std::move(next);
  ++slide_changes_;
}

bool Show::Tick() {
  TimePoint now = clock_.MonotonicNow();
  bool changed = false;
  if (outgoing_) {
    double elapsed_ms = std::chrono::duration<double, std::milli>(now - transition_start_).count();
    if (elapsed_ms >= transition_ms_) {
      outgoing_.reset();
      mix_ = 1.f;
    } else {
      mix_ = static_cast<float>(std::max(0.0, elapsed_ms / transition_ms_));
    }
    changed = true;
  }
  if (!notice_.empty() && now >= notice_until_) {
    notice_.clear();
    changed = true;
  }
  if (alerts_.Tick()) changed = true;
  Hold(alerts_.active());
  if (!frozen() && !outgoing_) {  // a crossfade always runs to its end
    bool idle_with_news = current_.idle() && pending_;
    if (idle_with_news || now >= slide_start_ + Seconds(DurationOf(current_))) {
      SlideRef before = current_;
      Boundary(+1);
      changed = changed || !(before == current_);
    }
  }
  return changed;
}

TimePoint Show::NextDeadline() const {
  TimePoint now = clock_.MonotonicNow();
  if (outgoing_) return now;
  TimePoint deadline = TimePoint::max();
  if (!frozen()) deadline = slide_start_ + Seconds(DurationOf(current_));
  if (!notice_.empty()) deadline = std::min(deadline, notice_until_);
  deadline = std::min(deadline, alerts_.NextDeadline());
  return deadline;
}

}  // namespace nb::render
