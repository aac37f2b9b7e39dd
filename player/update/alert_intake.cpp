#include "update/alert_intake.h"

#include "alert/alert_json.h"
#include "alert/cap.h"
#include "base/log.h"

namespace nb::update {
namespace {

std::string Describe(const alert::AlertEvent& e, const std::string& who) {
  std::string line = std::string("alert ") + alert::AlertEventName(e.kind) + ": " + e.id;
  if (!e.detail.empty()) line += " (" + e.detail + ")";
  line += ", from " + e.origin;
  if (!who.empty()) line += " " + who;
  return line;
}

}  // namespace

const char* AlertSourceName(AlertSource source) {
  switch (source) {
    case AlertSource::kApi:
      return "api";
    case AlertSource::kConsole:
      return "console";
    case AlertSource::kUsb:
      return "usb";
    case AlertSource::kFeed:
      break;
  }
  return "feed";
}

AlertIntake::AlertIntake(Env& env, std::vector<PublicKey> trusted_keys, alert::AlertPolicy policy,
                         std::string state_dir)
    : env_(env), trusted_keys_(std::move(trusted_keys)), set_(env.clock(), policy) {
  if (!state_dir.empty()) store_ = std::make_unique<alert::AlertStore>(env.fs(), state_dir);
}

void AlertIntake::Open() {
  if (!store_) return;
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<alert::AlertEvent> dropped = store_->Load(set_);
  Logged(dropped, store_->path());
  auto snapshot = set_.Snapshot();
  if (!snapshot->alerts.empty()) {
    LogInfo(std::to_string(snapshot->alerts.size()) + " urgent notice(s) restored from " +
            store_->path());
  }
  // Dropped ones are gone from the file too.
  if (!dropped.empty()) Changed();
}

void AlertIntake::SetWake(std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(wake_mu_);
  wake_ = std::move(wake);
}

bool AlertIntake::signatures_required(AlertSource source) const {
  return !trusted_keys_.empty() && source != AlertSource::kConsole;
}

void AlertIntake::Logged(const std::vector<alert::AlertEvent>& events, const std::string& who) {
  for (const alert::AlertEvent& e : events) {
    std::string line = Describe(e, who);
    if (e.kind == alert::AlertEvent::Kind::kRefused) {
      LogWarning(line);
    } else {
      LogInfo(line);
    }
  }
}

bool AlertIntake::Changed() {
  bool stored = true;
  if (store_) {
    if (Status s = store_->Save(set_); !s.ok()) {
      LogError("urgent notices: " + s.message() +
               "; the notices show now but will not survive a restart");
      stored = false;
    }
  }
  std::function<void()> wake;
  {
    std::lock_guard<std::mutex> lock(wake_mu_);
    wake = wake_;
  }
  if (wake) wake();
  return stored;
}

AlertOutcome AlertIntake::Submit(const AlertSubmission& submission) {
  AlertOutcome out;
  const std::string origin = AlertSourceName(submission.source);
  auto refuse = [&](AlertOutcome::Kind kind, std::string reason) {
    out.kind = kind;
    out.reason = std::move(reason);
    LogWarning("alert refused, from " + origin + " " + submission.who + ": " + out.reason +
               "; the screen shows what it showed");
    return out;
  };
  if (submission.body.size() > alert::kMaxAlertDocumentBytes) {
    return refuse(AlertOutcome::Kind::kRefused,
                  "the alert is " + std::to_string(submission.body.size() / 1024) +
                      " KB; at most " + std::to_string(alert::kMaxAlertDocumentBytes / 1024) +
                      " KB is taken");
  }
  if (signatures_required(submission.source)) {
    if (!submission.signature) {
      return refuse(AlertOutcome::Kind::kUnsigned,
                    "this screen accepts only signed alerts (trusted_keys is set) and none "
                    "came with it: sign it with minisign and send the .minisig too");
    }
    if (Status s = VerifySignature(submission.body, *submission.signature, trusted_keys_,
                                   "the alert");
        !s.ok()) {
      return refuse(AlertOutcome::Kind::kUnsigned, s.message());
    }
  }
  std::string error;
  std::optional<alert::AlertMessage> message =
      alert::ParseAlertDocument(submission.body, submission.type, &error);
  if (!message) return refuse(AlertOutcome::Kind::kRefused, error);

  std::lock_guard<std::mutex> lock(mu_);
  out.events = message->whole_set ? set_.ReplaceOrigin(*message, origin)
                                  : set_.Apply(*message, origin);
  Logged(out.events, submission.who);
  bool refused_all = !out.events.empty();
  for (const alert::AlertEvent& e : out.events) {
    if (e.kind != alert::AlertEvent::Kind::kRefused &&
        e.kind != alert::AlertEvent::Kind::kExpired) {
      refused_all = false;
    }
  }
  if (refused_all && !message->whole_set) {
    out.kind = AlertOutcome::Kind::kRefused;
    out.reason = out.events.front().id + ": " + out.events.front().detail;
    return out;
  }
  out.kind = AlertOutcome::Kind::kAccepted;
  out.stored = Changed();
  return out;
}

AlertOutcome AlertIntake::Cancel(const std::string& id, AlertSource source,
                                 const std::string& who) {
  AlertOutcome out;
  std::lock_guard<std::mutex> lock(mu_);
  out.events = set_.Cancel(id, AlertSourceName(source));
  Logged(out.events, who);
  out.kind = AlertOutcome::Kind::kAccepted;
  for (const alert::AlertEvent& e : out.events) {
    if (e.kind == alert::AlertEvent::Kind::kUnknown) {
      out.kind = AlertOutcome::Kind::kRefused;
      out.reason = "no urgent notice with the id \"" + id + "\" is active";
      return out;
    }
  }
  out.stored = Changed();
  return out;
}

void AlertIntake::EndFeed(const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  alert::AlertMessage empty;
  empty.whole_set = true;
  std::vector<alert::AlertEvent> events =
      set_.ReplaceOrigin(empty, AlertSourceName(AlertSource::kFeed));
  if (events.empty()) return;
  LogInfo("alert feed " + url + " is gone from its server: its notices end");
  Logged(events, url);
  Changed();
}

void AlertIntake::ExpireDue() {
  auto next = set_.NextExpiry();
  if (!next || env_.clock().MonotonicNow() < *next) return;
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<alert::AlertEvent> events = set_.ExpireDue();
  if (events.empty()) return;
  Logged(events, "");
  Changed();
}

}  // namespace nb::update
