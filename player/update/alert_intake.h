// AlertIntake: the one way an urgent notice (alert/alert.h) reaches the
// screen, whatever brought it: the API (POST/DELETE /api/v1/alerts, and
// `noticeboard alert`, its client), the web console, a USB stick
// (noticeboard/alert.json or .xml) or the fleet's alert feed (alerts.url).
//
// Contract:
// - Submit() runs, in order: size limit → signature, when trusted keys are
//   configured and the origin is the API, USB or the feed (the playlist's
//   policy; the console's approvers have passwords) → parse (our JSON or
//   CAP 1.2, by Content-Type or file name: alert/cap.h) → the AlertSet's
//   clock rule → the store (<state>/alerts.json, written atomically; memory
//   only without a state folder) → wake the frame loop. A refusal changes
//   nothing: the alerts on screen stay as they were and the bulletin plays
//   on; the outcome says why in one line for the caller, and the log too.
// - A feed's document is the whole set of the feed's alerts: one that is
//   missing from it is cancelled (AlertSet::ReplaceOrigin).
// - Changes are serialised and each is saved before the frame thread can
//   see it, so what a restart restores is what was on screen. A store that
//   cannot be written is logged; the alert still shows (an alert must not
//   wait for a full disk), and the outcome says it will not survive a
//   restart.
// - Every event (received, replaced, cancelled, expired, refused) is one
//   log line with the alert's id, title and its origin (and who: a client
//   address, a console user, a file).
// - Thread-safe. ExpireDue() is the frame thread's, once per round.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alert/alert_set.h"
#include "alert/alert_store.h"
#include "base/env.h"
#include "update/signature.h"

namespace nb::update {

// Where an alert came from: also the origin an AlertSet keeps.
enum class AlertSource { kApi, kConsole, kUsb, kFeed };
const char* AlertSourceName(AlertSource source);  // "api", "console", "usb", "feed"

struct AlertSubmission {
  AlertSource source = AlertSource::kApi;
  std::string who;       // a client address, a console user, a file, a URL
  std::string body;
  std::string type;      // Content-Type, or the file's name (".xml" → CAP)
  std::optional<std::string> signature;  // the .minisig file's text
};

struct AlertOutcome {
  enum class Kind { kAccepted, kRefused, kUnsigned };
  Kind kind = Kind::kRefused;
  std::string reason;  // one line, when refused
  std::vector<alert::AlertEvent> events;
  bool stored = true;  // false: shown, but the state folder could not keep it
  bool ok() const { return kind == Kind::kAccepted; }
};

class AlertIntake {
 public:
  // `state_dir` empty: memory only.
  AlertIntake(Env& env, std::vector<PublicKey> trusted_keys, alert::AlertPolicy policy,
              std::string state_dir);

  // Restores the stored alerts (those that ended while the screen was off
  // are dropped and logged).
  void Open();
  // Called after every change (e.g. push an SDL event); any thread.
  void SetWake(std::function<void()> wake);

  AlertOutcome Submit(const AlertSubmission& submission);
  AlertOutcome Cancel(const std::string& id, AlertSource source, const std::string& who);
  void ExpireDue();
  // The feed's file is gone from its server: the feed's alerts end.
  void EndFeed(const std::string& url);

  std::shared_ptr<const alert::AlertSnapshot> Snapshot() const { return set_.Snapshot(); }
  bool signatures_required(AlertSource source) const;

 private:
  void Logged(const std::vector<alert::AlertEvent>& events, const std::string& who);
  // Saves and wakes after a change; false when the store failed.
  bool Changed();

  Env& env_;
  std::vector<PublicKey> trusted_keys_;
  alert::AlertSet set_;
  std::unique_ptr<alert::AlertStore> store_;
  std::mutex mu_;  // one change at a time, saved before the next
  std::mutex wake_mu_;
  std::function<void()> wake_;
};

}  // namespace nb::update
