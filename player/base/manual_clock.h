// ManualClock: a Clock that moves only when told. Tests drive schedules,
// slides and deadlines with it; `render --at` pins the wall time with it; the
// soak jumps it to the next deadline instead of sleeping.
//
// Contract:
// - Starts at the wall time and monotonic time given (by default Monday
//   2025-12-01 09:00 UTC, and one hour past the monotonic clock's zero) and
//   stays there until Advance, SetWall or SetMonotonic.
// - Advance moves both clocks on by the same amount, as time passing does.
//   SetWall moves the wall clock alone (set by hand, corrected by NTP), in
//   either direction; SetMonotonic moves the monotonic clock alone.
// - Thread-safe: one thread may advance it while others read it.
// - Local time (schedules, the header clock, off hours) is not the clock's:
//   it is the process's time zone, TZ as localtime_r reads it.
//   PinTimeZone sets it for the whole process, so that a fixed wall time
//   reads as the same local time on every machine.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include "base/env.h"

namespace nb {

class ManualClock final : public Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using MonotonicTime = std::chrono::steady_clock::time_point;

  static constexpr WallTime kDefaultWall =
      std::chrono::sys_days(std::chrono::year(2025) / 12 / 1) + std::chrono::hours(9);
  static constexpr MonotonicTime kDefaultMonotonic{std::chrono::hours(1)};

  explicit ManualClock(WallTime wall = kDefaultWall, MonotonicTime monotonic = kDefaultMonotonic)
      : wall_(wall.time_since_epoch().count()), monotonic_(monotonic.time_since_epoch().count()) {}

  WallTime WallNow() const override { return WallTime(WallTime::duration(wall_.load())); }
  MonotonicTime MonotonicNow() const override {
    return MonotonicTime(MonotonicTime::duration(monotonic_.load()));
  }

  void Advance(std::chrono::nanoseconds d) {
    wall_ += std::chrono::duration_cast<WallTime::duration>(d).count();
    monotonic_ += std::chrono::duration_cast<MonotonicTime::duration>(d).count();
  }
  void SetWall(WallTime wall) { wall_ = wall.time_since_epoch().count(); }
  void SetMonotonic(MonotonicTime monotonic) { monotonic_ = monotonic.time_since_epoch().count(); }

 private:
  // Counts of the clocks' own ticks: lock-free atomics.
  std::atomic<WallTime::rep> wall_;
  std::atomic<MonotonicTime::rep> monotonic_;
};

// Sets the process's time zone ("UTC", "Asia/Shanghai"). Not thread-safe
// (setenv): call it before threads start.
inline void PinTimeZone(const char* time_zone) {
  ::setenv("TZ", time_zone, 1);
  ::tzset();
}

}  // namespace nb
