// Alert: an urgent notice (紧急通知, issue 15) that takes over the screen
// until it expires or is cancelled, and the messages that create, update and
// cancel alerts, whatever they came in (our JSON, alert/alert_json.h; CAP 1.2,
// alert/cap.h) and wherever they came from (API, console, USB, feed).
//
// Contract:
// - Severity has three levels, each with a design of its own on screen:
//   kInfo 提示 (calm blue), kWarning 警示 (amber), kCritical 紧急 (red).
//   Files spell them "info", "warning", "critical".
// - An AlertMessage is what one document says: upsert alerts (create, or
//   replace one with the same id, or replace the ids in `replaces`, as CAP's
//   Update does) and cancel ids. Times in a message are the sender's: they
//   are turned into the alert's own window by AlertSet (alert/alert_set.h),
//   which applies the clock rule; nothing else reads them as deadlines.
// - Text fields are valid UTF-8, trimmed, without control characters other
//   than line breaks in `text`; the parsers make them so or refuse.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nb::alert {

using WallTime = std::chrono::system_clock::time_point;

enum class Severity { kInfo = 0, kWarning = 1, kCritical = 2 };

// "info", "warning", "critical".
const char* SeverityName(Severity severity);
std::optional<Severity> SeverityFromName(std::string_view name);
// 提示, 警示, 紧急: what the screen and the console call them.
const char* SeverityLabel(Severity severity);

// CAP's status: an exercise or a test is shown only when the config says so,
// and then marked (演练 / 测试) so nobody leaves the building for a drill
// they did not know was one.
enum class AlertStatus { kActual, kExercise, kTest };
const char* AlertStatusLabel(AlertStatus status);  // "" / 演练 / 测试

struct Alert {
  std::string id;  // unique per sender; at most 200 bytes, printable
  Severity severity = Severity::kWarning;
  AlertStatus status = AlertStatus::kActual;
  std::string title;                // one line; required
  std::string text;                 // paragraphs separated by '\n'; may be empty
  std::string source;               // who sent it (CAP senderName), shown small; may be empty
  std::optional<WallTime> issued;   // the sender's clock
  std::optional<WallTime> expires;  // the sender's clock
  // A duration instead of an expiry ("for": "2h" in our JSON; the CLI's
  // --for), counted from `issued` when given (so that a feed fetched again
  // does not extend it), else from when the screen receives it.
  std::optional<std::chrono::seconds> duration;
  std::vector<std::string> replaces;  // ids this one replaces (CAP Update)

  bool operator==(const Alert&) const = default;
};

struct AlertMessage {
  std::vector<Alert> upserts;
  std::vector<std::string> cancels;
  // True for a feed document: it holds the whole set, so an alert from the
  // same feed that is not in it is cancelled (AlertSet::ReplaceOrigin).
  bool whole_set = false;
};

}  // namespace nb::alert
