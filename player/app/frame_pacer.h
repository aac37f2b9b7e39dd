// FramePacer: when the next frame of a moving picture (ticker, crossfade,
// fade) may be drawn, so that `play` draws at the display's refresh rate
// whether or not its presents wait for the display.
//
// Contract:
// - With presents that wait for the display's refresh (a real vsync), the
//   present itself paces the loop: Due() returns `now` and nothing waits.
// - With presents that return at once (SDL's dummy and offscreen drivers,
//   the software renderer on any driver, a GL driver that ignores its swap
//   interval, a KMS driver without page-flip waits) frames are due one
//   period apart: Due() returns the time the next one may start.
// - Which of the two holds is either known when the pacer is made (kPace)
//   or measured (kMeasure): over the first kSamples intervals between
//   presents of consecutive moving frames, drawn unpaced, a median shorter
//   than three quarters of a period means the presents do not wait, and
//   pacing starts; otherwise the vsync is trusted. The decision is made
//   once. Intervals broken by a wait for an event (nothing moving) are not
//   samples.
// - Pure: time comes in as arguments, so that tests drive it with a fake
//   clock; RealTimeWaiter (app/frame_loop.h) does the sleeping.
#pragma once

#include <chrono>
#include <vector>

namespace nb::app {

class FramePacer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;
  enum class Mode { kPace, kMeasure };
  static constexpr int kSamples = 20;

  FramePacer(Mode mode, Duration period);

  // A moving frame is about to be drawn at `now`: the time it may start.
  TimePoint Due(TimePoint now);
  // That frame's present returned at `now`.
  void Presented(TimePoint now);

  bool pacing() const { return state_ == State::kPacing; }
  bool measuring() const { return state_ == State::kMeasuring; }
  Duration period() const { return period_; }
  // The median interval that decided (zero before a decision, or when known).
  Duration measured() const { return measured_; }

 private:
  enum class State { kMeasuring, kPacing, kTrustVsync };
  void Decide();

  State state_;
  Duration period_;
  TimePoint next_{};
  bool scheduled_ = false;   // next_ holds a frame time
  bool moving_ = false;      // Due() came since the last present
  bool was_moving_ = false;  // and before the last present
  TimePoint last_present_{};
  bool have_present_ = false;
  std::vector<Duration> samples_;
  Duration measured_{};
};

// The refresh period for a refresh rate in Hz: 1/60 s when the rate is
// unknown (0) or implausible.
FramePacer::Duration RefreshPeriod(int hz);

}  // namespace nb::app
