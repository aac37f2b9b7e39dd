// The console's urgent notices (issues 15 and 22): every signed-in user sees
// the active ones (in the status); approvers alone send and cancel them,
// through the screen's one AlertIntake, and each is recorded in the audit
// log as an approval is.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "alert/alert_json.h"
#include "base/log.h"
#include "base/time_format.h"
#include "console/console_routes.h"
#include "update/alert_intake.h"
#include "update/api_alerts.h"
#include "update/api_json.h"

namespace nb::console {
namespace {

using Json = nlohmann::json;
using update::SetError;
using update::SetJson;

std::string StringField(const Json& body, const char* key) {
  return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
}

}  // namespace

bool ConsoleRoutes::HaveAlerts(httplib::Response& res) {
  if (hooks_.alerts) return true;
  SetError(res, 503, "这里不接收紧急通知（电脑上的预览没有屏幕）");
  return false;
}

// One audit line for an alert sent or cancelled; a failure to write it is
// logged (the alert itself is already up: it must not wait for a disk).
void ConsoleRoutes::RecordAlert(const std::string& user, const char* action,
                                const std::string& note) {
  if (!approval_) return;
  AuditEntry entry;
  entry.at = UtcTimestamp(env_.clock().WallNow());
  entry.user = user;
  entry.action = action;
  entry.note = note;
  if (Status s = approval_->audit().Append({entry}); !s.ok())
    LogError("audit log: " + s.message() + " (urgent notice " + note + ")");
}

void ConsoleRoutes::PostAlertSend(const httplib::Request& req, httplib::Response& res) {
  if (!HaveAlerts(res)) return;
  auto session = SessionOf(req);
  Json body = Json::parse(req.body, nullptr, false);
  if (!body.is_object()) return SetError(res, 400, "请求的内容无法读取");
  alert::Alert a;
  a.id = StringField(body, "id");
  if (a.id.empty()) {
    // Unique enough for one screen, and readable in the log.
    a.id = "console-" + UtcTimestamp(env_.clock().WallNow());
    for (char& c : a.id) {
      if (c == ':') c = '-';
    }
  }
  a.title = StringField(body, "title");
  a.text = StringField(body, "text");
  a.source = StringField(body, "source");
  auto severity = alert::SeverityFromName(StringField(body, "severity"));
  if (!severity) return SetError(res, 400, "请选择紧急程度（提示、警示或紧急）");
  a.severity = *severity;
  if (a.title.empty()) return SetError(res, 400, "请填写标题");
  a.issued = env_.clock().WallNow();
  const std::string duration = StringField(body, "for");
  if (!duration.empty()) {
    a.duration = alert::ParseDuration(duration);
    if (!a.duration) return SetError(res, 400, "显示时长无法识别：" + duration);
  }
  update::AlertSubmission submission;
  submission.source = update::AlertSource::kConsole;
  submission.who = Origin(*session, req);
  submission.body = alert::AlertToJson(a);
  submission.type = "application/json";
  update::AlertOutcome outcome = hooks_.alerts->Submit(submission);
  if (outcome.ok()) {
    RecordAlert(session->user, "alert",
                std::string(alert::SeverityLabel(a.severity)) + "：" + a.title + "（" + a.id +
                    (duration.empty() ? "" : "，" + duration) + "）");
  }
  update::SetAlertOutcome(res, outcome);
}

void ConsoleRoutes::PostAlertCancel(const httplib::Request& req, httplib::Response& res) {
  if (!HaveAlerts(res)) return;
  auto session = SessionOf(req);
  Json body = Json::parse(req.body, nullptr, false);
  const std::string id = body.is_object() ? StringField(body, "id") : "";
  if (id.empty()) return SetError(res, 400, "没有指定要取消的紧急通知");
  std::string title;
  for (const auto& a : hooks_.alerts->Snapshot()->alerts) {
    if (a.alert.id == id) title = a.alert.title;
  }
  update::AlertOutcome outcome =
      hooks_.alerts->Cancel(id, update::AlertSource::kConsole, Origin(*session, req));
  if (outcome.ok()) RecordAlert(session->user, "alert-cancel", title + "（" + id + "）");
  update::SetAlertOutcome(res, outcome);
}

}  // namespace nb::console
