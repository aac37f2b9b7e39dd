// Watchdog: tells systemd that `play` is up (READY=1) and still drawing
// (WATCHDOG=1), so that a stalled frame loop gets the player restarted.
//
// Contract:
// - FromSystemd() reads the watchdog interval systemd set for this process
//   (WatchdogSec= in the unit, through sd_watchdog_enabled); outside systemd,
//   or without WatchdogSec, Ping() sends nothing and UntilNextPing() is long.
//   Notifications go through sd_notify, which is a no-op without
//   NOTIFY_SOCKET, so `play` in a terminal is unaffected.
// - Ping() is called once per frame-loop round, on the frame thread: a stalled
//   loop is exactly what must stop the pings. It sends WATCHDOG=1 when half
//   the interval has passed since the last one (the first call sends at once).
// - UntilNextPing() is how long the loop may sleep before it must come round
//   to ping again; the loop caps its waits with it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "base/env.h"

namespace nb::app {

class Watchdog {
 public:
  // Sends one sd_notify-style message, e.g. "WATCHDOG=1".
  using Notify = std::function<void(const std::string&)>;

  // interval zero: no watchdog (READY=1 and STOPPING=1 are still sent).
  Watchdog(const Clock& clock, std::chrono::microseconds interval, Notify notify);
  static std::unique_ptr<Watchdog> FromSystemd(const Clock& clock);

  void Ready();     // the first frame is on screen (or the screen is off by schedule)
  void Stopping();  // a clean exit is under way
  void Ping();
  std::chrono::milliseconds UntilNextPing() const;
  std::chrono::microseconds interval() const { return interval_; }

 private:
  const Clock& clock_;
  std::chrono::microseconds interval_;
  Notify notify_;
  bool ready_sent_ = false;
  bool pinged_ = false;
  std::chrono::steady_clock::time_point last_ping_{};
};

}  // namespace nb::app
