// The active alerts: the clock rule at receipt, the monotonic clock after.
#include "alert/alert_set.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "alert/alert_json.h"
#include "base/time_format.h"

namespace nb::alert {
namespace {

using std::chrono::seconds;
using Json = nlohmann::json;

constexpr int kStoreVersion = 1;

// Whole seconds between two wall times (no nanosecond overflow for times
// centuries apart).
seconds SecondsBetween(WallTime from, WallTime to) {
  return std::chrono::floor<seconds>(to).time_since_epoch() -
         std::chrono::floor<seconds>(from).time_since_epoch();
}

std::string Describe(const Alert& alert) {
  std::string label = SeverityLabel(alert.severity);
  if (alert.status != AlertStatus::kActual)
    label += std::string("/") + AlertStatusLabel(alert.status);
  return label + " \"" + alert.title + "\"";
}

}  // namespace

const char* AlertEventName(AlertEvent::Kind kind) {
  switch (kind) {
    case AlertEvent::Kind::kReceived:
      return "received";
    case AlertEvent::Kind::kReplaced:
      return "replaced";
    case AlertEvent::Kind::kCancelled:
      return "cancelled";
    case AlertEvent::Kind::kExpired:
      return "expired";
    case AlertEvent::Kind::kRefused:
      return "refused";
    case AlertEvent::Kind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

AlertSet::AlertSet(const Clock& clock, AlertPolicy policy)
    : clock_(clock), policy_(policy), snapshot_(std::make_shared<AlertSnapshot>()) {}

std::vector<AlertEvent> AlertSet::Apply(const AlertMessage& message, const std::string& origin) {
  std::lock_guard lock(mu_);
  changed_ = false;
  std::vector<AlertEvent> events;
  ExpireLocked(&events);
  for (const Alert& alert : message.upserts) Upsert(alert, origin, &events);
  for (const std::string& id : message.cancels) CancelLocked(id, origin, "", &events);
  if (changed_) Publish();
  return events;
}

std::vector<AlertEvent> AlertSet::ReplaceOrigin(const AlertMessage& message,
                                                const std::string& origin) {
  std::lock_guard lock(mu_);
  changed_ = false;
  std::vector<AlertEvent> events;
  ExpireLocked(&events);
  std::set<std::string> listed;
  for (const Alert& alert : message.upserts) {
    listed.insert(alert.id);
    // The same alert fetched again keeps its window: a feed that changed
    // elsewhere must not extend the alerts it still lists.
    auto held = Find(alert.id);
    if (held != entries_.end() && held->active.origin == origin && held->active.alert == alert)
      continue;
    Upsert(alert, origin, &events);
  }
  for (const std::string& id : message.cancels) CancelLocked(id, origin, "", &events);
  std::vector<std::string> missing;
  for (const Entry& e : entries_) {
    if (e.active.origin == origin && !listed.count(e.active.alert.id))
      missing.push_back(e.active.alert.id);
  }
  for (const std::string& id : missing)
    CancelLocked(id, origin, "no longer in the " + origin + "'s set", &events);
  if (changed_) Publish();
  return events;
}

std::vector<AlertEvent> AlertSet::Cancel(const std::string& id, const std::string& origin) {
  std::lock_guard lock(mu_);
  changed_ = false;
  std::vector<AlertEvent> events;
  ExpireLocked(&events);
  CancelLocked(id, origin, "", &events);
  if (changed_) Publish();
  return events;
}

std::vector<AlertEvent> AlertSet::ExpireDue() {
  std::lock_guard lock(mu_);
  changed_ = false;
  std::vector<AlertEvent> events;
  ExpireLocked(&events);
  if (changed_) Publish();
  return events;
}

void AlertSet::Upsert(const Alert& alert, const std::string& origin,
                      std::vector<AlertEvent>* events) {
  using AE = AlertEvent;
  if (alert.status != AlertStatus::kActual && !policy_.show_exercises) {
    events->push_back({AE::Kind::kRefused, alert.id, origin,
                       Describe(alert) + " is " +
                           (alert.status == AlertStatus::kTest ? "a test" : "an exercise") +
                           ", and this screen shows none (the config's show_exercises is off)"});
    return;
  }
  const WallTime now = clock_.WallNow();
  const auto now_monotonic = clock_.MonotonicNow();
  seconds duration = policy_.default_duration;
  if (alert.duration) {
    duration = *alert.duration;
  } else if (alert.issued && alert.expires) {
    duration = SecondsBetween(*alert.issued, *alert.expires);
  } else if (alert.expires) {
    duration = SecondsBetween(now, *alert.expires);
  }
  duration = std::min(duration, policy_.max_duration);
  const WallTime latest = now + policy_.max_duration;
  const bool issued_ahead =
      alert.issued && SecondsBetween(now, *alert.issued) > policy_.clock_tolerance;
  WallTime ends;
  if (issued_ahead) {
    ends = now + duration;  // one of the two clocks is wrong: count from receipt
  } else if (alert.expires) {
    ends = *alert.expires;
  } else if (alert.issued) {
    ends = *alert.issued + duration;
  } else {
    ends = now + duration;
  }
  ends = std::min(ends, latest);

  auto held = Find(alert.id);
  if (ends <= now) {
    std::string detail = Describe(alert) + " ended before it arrived (it held until " +
                         LocalTimestamp(ends) + "; this screen's clock says " +
                         LocalTimestamp(now) + ")";
    if (held != entries_.end()) {
      detail += "; the alert held under this id ends too";
      entries_.erase(held);
      changed_ = true;
    }
    events->push_back({AE::Kind::kExpired, alert.id, origin, detail});
    return;
  }

  std::uint64_t sequence = held != entries_.end() ? held->sequence : 0;
  for (const std::string& replaced : alert.replaces) {
    auto old = Find(replaced);
    if (replaced == alert.id || old == entries_.end()) continue;
    if (sequence == 0) sequence = old->sequence;  // it takes the old one's place
    events->push_back({AE::Kind::kReplaced, replaced, origin, "replaced by " + alert.id});
    entries_.erase(old);
  }
  held = Find(alert.id);
  std::string detail = Describe(alert) + " until " + LocalTimestamp(ends);
  if (issued_ahead) {
    detail += " (its issue time " + LocalTimestamp(*alert.issued) +
              " is ahead of this screen's clock: held for its duration from now)";
  }
  Entry entry{
      {alert, origin, now, ends,
       now_monotonic + std::chrono::duration_cast<std::chrono::steady_clock::duration>(ends - now)},
      sequence != 0 ? sequence : next_sequence_++};
  if (held != entries_.end()) {
    events->push_back({AE::Kind::kReplaced, alert.id, origin, "updated in place: " + detail});
    *held = std::move(entry);
  } else {
    events->push_back({AE::Kind::kReceived, alert.id, origin, detail});
    entries_.push_back(std::move(entry));
  }
  changed_ = true;
}

void AlertSet::CancelLocked(const std::string& id, const std::string& origin,
                            const std::string& detail, std::vector<AlertEvent>* events) {
  auto held = Find(id);
  if (held == entries_.end()) {
    events->push_back({AlertEvent::Kind::kUnknown, id, origin, "no active alert has this id"});
    return;
  }
  events->push_back({AlertEvent::Kind::kCancelled, id, origin,
                     Describe(held->active.alert) +
                         (detail.empty() ? " (from " + held->active.origin + ")" : ": " + detail)});
  entries_.erase(held);
  changed_ = true;
}

void AlertSet::ExpireLocked(std::vector<AlertEvent>* events) {
  const auto now = clock_.MonotonicNow();
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->active.ends_monotonic > now) {
      ++it;
      continue;
    }
    events->push_back({AlertEvent::Kind::kExpired, it->active.alert.id, it->active.origin,
                       Describe(it->active.alert) + ": its time is up (until " +
                           LocalTimestamp(it->active.ends) + ")"});
    it = entries_.erase(it);
    changed_ = true;
  }
}

std::vector<AlertSet::Entry>::iterator AlertSet::Find(const std::string& id) {
  return std::find_if(entries_.begin(), entries_.end(),
                      [&](const Entry& e) { return e.active.alert.id == id; });
}

void AlertSet::Publish() {
  std::vector<const Entry*> order;
  for (const Entry& e : entries_) order.push_back(&e);
  std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    if (a->active.alert.severity != b->active.alert.severity)
      return a->active.alert.severity > b->active.alert.severity;
    return a->sequence > b->sequence;
  });
  auto snapshot = std::make_shared<AlertSnapshot>();
  snapshot->generation = snapshot_->generation + 1;
  for (const Entry* e : order) snapshot->alerts.push_back(e->active);
  snapshot_ = std::move(snapshot);
}

std::shared_ptr<const AlertSnapshot> AlertSet::Snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

std::uint64_t AlertSet::generation() const {
  std::lock_guard lock(mu_);
  return snapshot_->generation;
}

std::optional<std::chrono::steady_clock::time_point> AlertSet::NextExpiry() const {
  std::lock_guard lock(mu_);
  std::optional<std::chrono::steady_clock::time_point> next;
  for (const Entry& e : entries_) {
    if (!next || e.active.ends_monotonic < *next) next = e.active.ends_monotonic;
  }
  return next;
}

bool AlertSet::empty() const {
  std::lock_guard lock(mu_);
  return entries_.empty();
}

std::string AlertSet::ToJson() const {
  std::lock_guard lock(mu_);
  std::vector<const Entry*> order;
  for (const Entry& e : entries_) order.push_back(&e);
  std::sort(order.begin(), order.end(),
            [](const Entry* a, const Entry* b) { return a->sequence < b->sequence; });
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Entry* e : order) {
    list.push_back({{"alert", nlohmann::ordered_json::parse(AlertToJson(e->active.alert))},
                    {"origin", e->active.origin},
                    {"received", UtcTimestamp(e->active.received)},
                    {"ends", UtcTimestamp(e->active.ends)}});
  }
  nlohmann::ordered_json doc = {{"version", kStoreVersion}, {"alerts", std::move(list)}};
  return doc.dump(1) + "\n";
}

std::vector<AlertEvent> AlertSet::Restore(const std::string& json) {
  std::string error;
  std::vector<AlertEvent> events = Restore(json, &error);
  if (!error.empty()) events.push_back({AlertEvent::Kind::kRefused, "", "stored", error});
  return events;
}

std::vector<AlertEvent> AlertSet::Restore(const std::string& json, std::string* error) {
  error->clear();
  struct Stored {
    Alert alert;
    std::string origin;
    WallTime received, ends;
  };
  std::vector<Stored> stored;
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("version") ||
      doc["version"] != kStoreVersion || !doc.contains("alerts") || !doc["alerts"].is_array()) {
    *error = "not a store of alerts (expected {\"version\": 1, \"alerts\": [...]})";
    return {};
  }
  for (std::size_t i = 0; i < doc["alerts"].size(); ++i) {
    const Json& e = doc["alerts"][i];
    std::string where = "alert " + std::to_string(i + 1) + ": ";
    if (!e.is_object() || !e.contains("alert") || !e.contains("origin") ||
        !e["origin"].is_string() || !e.contains("received") || !e["received"].is_string() ||
        !e.contains("ends") || !e["ends"].is_string()) {
      *error = where + "expected alert, origin, received and ends";
      return {};
    }
    std::string why;
    std::optional<AlertMessage> message = ParseAlertJson(e["alert"].dump(), &why);
    if (!message || message->upserts.size() != 1) {
      *error = where + (why.empty() ? "expected one alert" : why);
      return {};
    }
    auto received = ParseTimestamp(e["received"].get<std::string>(), &why);
    auto ends = ParseTimestamp(e["ends"].get<std::string>(), &why);
    if (!received || !ends) {
      *error = where + "received, ends: " + why;
      return {};
    }
    stored.push_back({message->upserts.front(), e["origin"].get<std::string>(), *received, *ends});
  }

  std::lock_guard lock(mu_);
  changed_ = false;
  std::vector<AlertEvent> events;
  ExpireLocked(&events);
  const WallTime now = clock_.WallNow();
  const auto now_monotonic = clock_.MonotonicNow();
  for (Stored& s : stored) {
    if (s.ends <= now) {
      events.push_back({AlertEvent::Kind::kExpired, s.alert.id, "stored",
                        Describe(s.alert) + " ended while the player was off (at " +
                            LocalTimestamp(s.ends) + ")"});
      continue;
    }
    if (Find(s.alert.id) != entries_.end()) continue;  // a newer word since start-up wins
    // A clock set backwards while off must not stretch an alert to a year.
    WallTime ends = std::min(s.ends, now + policy_.max_duration);
    entries_.push_back(
        {{std::move(s.alert), s.origin, s.received, ends,
          now_monotonic +
              std::chrono::duration_cast<std::chrono::steady_clock::duration>(ends - now)},
         next_sequence_++});
    changed_ = true;
  }
  if (changed_) Publish();
  return events;
}

}  // namespace nb::alert
