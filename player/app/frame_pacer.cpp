#include "app/frame_pacer.h"

#include <algorithm>

namespace nb::app {

FramePacer::FramePacer(Mode mode, Duration period)
    : state_(mode == Mode::kPace ? State::kPacing : State::kMeasuring), period_(period) {}

FramePacer::TimePoint FramePacer::Due(TimePoint now) {
  moving_ = true;
  if (state_ != State::kPacing) return now;
  // The first frame, or one more than a period late (the loop waited for an
  // event, or frames take longer than a period): the cadence starts again.
  if (!scheduled_ || now - next_ >= period_) next_ = now;
  scheduled_ = true;
  const TimePoint at = std::max(next_, now);
  next_ += period_;
  return at;
}

void FramePacer::Presented(TimePoint now) {
  if (state_ == State::kMeasuring && moving_ && was_moving_ && have_present_)
    samples_.push_back(now - last_present_);
  was_moving_ = moving_;
  moving_ = false;
  last_present_ = now;
  have_present_ = true;
  if (state_ == State::kMeasuring && static_cast<int>(samples_.size()) >= kSamples) Decide();
}

void FramePacer::Decide() {
  std::nth_element(samples_.begin(), samples_.begin() + samples_.size() / 2, samples_.end());
  measured_ = samples_[samples_.size() / 2];
  // Presents that wait for the display come a period apart (or a multiple,
  // when a frame misses one); presents that do not come as fast as frames
  // are drawn.
  state_ = measured_ * 4 < period_ * 3 ? State::kPacing : State::kTrustVsync;
  samples_ = {};
}

FramePacer::Duration RefreshPeriod(int hz) {
  if (hz < 20 || hz > 500) hz = 60;
  return std::chrono::duration_cast<FramePacer::Duration>(
      std::chrono::nanoseconds(1'000'000'000LL / hz));
}

}  // namespace nb::app
