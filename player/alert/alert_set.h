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
// - Snapshot() orders alerts most severe first, then the most recently
//   received first; an alert replaced in place (or by a CAP Update) keeps
//   the place of the one it replaces.
// - Events (what to log) come back from every change: received, replaced,
//   cancelled, expired, refused; an unknown id to cancel is an event of
//   kind kUnknown, not an error.
// - An alert that has already ended when it arrives also ends the alert
//   held under its id (the sender's last word is that it is over).
// - ReplaceOrigin leaves an alert the feed lists unchanged (same origin,
//   equal Alert) as it is: no event, the same window.
// - ExpireDue() removes alerts whose time is up; the caller calls it each
//   frame or at NextExpiry(). Apply, ReplaceOrigin and Cancel expire first
//   too, so their events may include expiries.
// - ToJson()/Restore() are for AlertStore: Restore takes what ToJson wrote
//   plus the wall clock now, drops alerts whose wall-clock end has passed,
//   and caps the rest at now + max_duration (a clock set backwards while
//   off must not keep an alert up for a year). Restored alerts keep the
//   origin they had (a feed can still cancel them); the events of Restore
//   name the origin "stored". An id already held is not restored (the newer
//   word wins).
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
  // As above; a document that is not what ToJson writes restores nothing,
  // and *error says why (AlertStore then moves the file aside). The
  // one-argument form gives that reason as a kRefused event.
  std::vector<AlertEvent> Restore(const std::string& json, std::string* error);

 private:
  struct Entry {
    ActiveAlert active;
    std::uint64_t sequence = 0;  // place in the order among equals: higher is newer
  };

  // All below hold mu_.
  void Upsert(const Alert& alert, const std::string& origin, std::vector<AlertEvent>* events);
  void CancelLocked(const std::string& id, const std::string& origin, const std::string& detail,
                    std::vector<AlertEvent>* events);
  void ExpireLocked(std::vector<AlertEvent>* events);
  std::vector<Entry>::iterator Find(const std::string& id);
  // A new snapshot with the next generation.
  void Publish();

  const Clock& clock_;
  AlertPolicy policy_;
  mutable std::mutex mu_;
  std::vector<Entry> entries_;
  bool changed_ = false;  // by the call under way: publish at its end
  std::uint64_t next_sequence_ = 1;
  std::shared_ptr<const AlertSnapshot> snapshot_;
};

}  // namespace nb::alert
