// AlertSet: the alerts active on this screen, with the clock rule that turns
// a sender's times into how long each one holds.
//
// Contract:
// - Thread-safe: the network threads apply messages, the frame thread takes
//   snapshots. Every change bumps the snapshot's generation.
// - Each alert is kept with its origin ("api", "console", "usb", "feed",
//   "stored"); an id is one alert whatever its origin: an upsert with the
//   same id replaces it in place (and takes the new origin).
// - The clock rule, at receipt (now = the wall clock when applied):
//   * duration: `duration` if given; else expires − issued when both are
//     given; else expires − now when only expires is; else
//     policy.default_duration. Never more than policy.max_duration.
//   * When the sender's issued time is more than policy.clock_tolerance
//     ahead of now (the sender's clock or ours is wrong; a Pi without a
//     clock battery boots in the past), the alert holds for its duration
//     from now. Otherwise it ends at the sender's expires if given, else
//     issued + duration (receipt + duration when neither time is given),
//     capped at now + max_duration. An alert that has already ended is
//     refused (event kExpired, "ended before it arrived").
//   * Once accepted, the alert ends after its remaining time has passed on
//     the MONOTONIC clock: setting or correcting the wall clock later
//     neither keeps it up forever nor drops it at once. The wall-clock end
//     (`ends`) is only for display and for the store.
// - Exercises and tests are refused unless policy.show_exercises.
// - Active() and Snapshot() order alerts most severe first, then the most
//   recently received first.
// - Events (what to log) come back from every change: received, replaced,
//   cancelled, expired, refused; an unknown id to cancel is an event of
//   kind kUnknown, not an error.
// - ExpireDue() removes alerts whose time is up; the caller calls it each
//   frame or at NextExpiry().
// - ToJson()/Restore() are for AlertStore: Restore takes what ToJson wrote
//   plus the wall clock now, drops alerts whose wall-clock end has passed,
//   and caps the rest at now + max_duration (a clock set backwards while
//   off must not keep an alert up for a year).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alert/alert.h"
#include "base/env.h"

namespace nb::alert {

struct AlertPolicy {
  std::chrono::seconds default_duration{2 * 3600};
  std::chrono::seconds max_duration{24 * 3600};
  std::chrono::seconds clock_tolerance{5 * 60};
  bool show_exercises = false;
};

struct ActiveAlert {
  Alert alert;
  std::string origin;
  WallTime received;
  WallTime ends;  // for display ("至 18:00") and the store
  std::chrono::steady_clock::time_point ends_monotonic;
};

struct AlertSnapshot {
  std::uint64_t generation = 0;
  std::vector<ActiveAlert> alerts;  // ordered as above
};

struct AlertEvent {
  enum class Kind { kReceived, kReplaced, kCancelled, kExpired, kRefused, kUnknown };
  Kind kind;
  std::string id;
  std::string origin;
  std::string detail;  // why refused, what replaced it, ...
};
const char* AlertEventName(AlertEvent::Kind kind);  // "received", ...

class AlertSet {
 public:
  AlertSet(const Clock& clock, AlertPolicy policy);

  std::vector<AlertEvent> Apply(const AlertMessage& message, const std::string& origin);
  // A feed's whole set: Apply, then cancel every alert of `origin` that is
  // not in `message`.
  std::vector<AlertEvent> ReplaceOrigin(const AlertMessage& message, const std::string& origin);
  std::vector<AlertEvent> Cancel(const std::string& id, const std::string& origin);
  std::vector<AlertEvent> ExpireDue();

  std::shared_ptr<const AlertSnapshot> Snapshot() const;
  std::uint64_t generation() const;
  std::optional<std::chrono::steady_clock::time_point> NextExpiry() const;
  bool empty() const;

  std::string ToJson() const;
  std::vector<AlertEvent> Restore(const std::string& json);

 private:
  // ... (the helper implementing this fills in)
  const Clock& clock_;
  AlertPolicy policy_;
  mutable std::mutex mu_;
  std::shared_ptr<const AlertSnapshot> snapshot_;
};

}  // namespace nb::alert
