#include "app/watchdog.h"

#include <systemd/sd-daemon.h>

#include "base/log.h"

namespace nb::app {

Watchdog::Watchdog(const Clock& clock, std::chrono::microseconds interval, Notify notify)
    : clock_(clock), interval_(interval), notify_(std::move(notify)) {}

std::unique_ptr<Watchdog> Watchdog::FromSystemd(const Clock& clock) {
  uint64_t usec = 0;
  // Keeps WATCHDOG_USEC in the environment (0): reading it again is harmless.
  int enabled = sd_watchdog_enabled(0, &usec);
  std::chrono::microseconds interval{enabled > 0 ? static_cast<long long>(usec) : 0};
  if (enabled > 0) {
    LogInfo("systemd watchdog: " + std::to_string(usec / 1000) + " ms, pinging every " +
            std::to_string(usec / 2000) + " ms");
  }
  return std::make_unique<Watchdog>(
      clock, interval, [](const std::string& message) { sd_notify(0, message.c_str()); });
}

void Watchdog::Ready() {
  if (ready_sent_) return;
  ready_sent_ = true;
  notify_("READY=1");
}

void Watchdog::Stopping() { notify_("STOPPING=1"); }

void Watchdog::Ping() {
  if (interval_.count() <= 0) return;
  auto now = clock_.MonotonicNow();
  if (pinged_ && now - last_ping_ < interval_ / 2) return;
  pinged_ = true;
  last_ping_ = now;
  notify_("WATCHDOG=1");
}

std::chrono::milliseconds Watchdog::UntilNextPing() const {
  using std::chrono::milliseconds;
  if (interval_.count() <= 0) return milliseconds(60000);
  if (!pinged_) return milliseconds(0);
  auto due = last_ping_ + interval_ / 2;
  auto left = std::chrono::duration_cast<milliseconds>(due - clock_.MonotonicNow());
  return std::max(left, milliseconds(0));
}

}  // namespace nb::app
