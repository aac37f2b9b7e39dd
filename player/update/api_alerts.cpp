#include "update/api_alerts.h"

#include <httplib.h>

#include "base/time_format.h"
#include "update/api_json.h"

namespace nb::update {
namespace {

using Json = nlohmann::json;

std::string MediaType(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  while (!media.empty() && media.front() == ' ') media.erase(media.begin());
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media;
}

}  // namespace

bool IsAlertContentType(const std::string& content_type) {
  const std::string media = MediaType(content_type);
  return media == "application/json" || media == "application/cap+xml" ||
         media == "application/xml" || media == "text/xml";
}

Json AlertsJson(const alert::AlertSnapshot& snapshot) {
  Json list = Json::array();
  for (const alert::ActiveAlert& a : snapshot.alerts) {
    Json item{{"id", a.alert.id},
              {"severity", alert::SeverityName(a.alert.severity)},
              {"label", alert::SeverityLabel(a.alert.severity)},
              {"title", a.alert.title},
              {"text", a.alert.text},
              {"source", a.alert.source},
              {"origin", a.origin},
              {"received", LocalTimestamp(a.received)},
              {"ends", LocalTimestamp(a.ends)}};
    if (a.alert.issued) item["issued"] = LocalTimestamp(*a.alert.issued);
    if (a.alert.status != alert::AlertStatus::kActual)
      item["exercise"] = alert::AlertStatusLabel(a.alert.status);
    list.push_back(std::move(item));
  }
  return list;
}

Json AlertEventsJson(const std::vector<alert::AlertEvent>& events) {
  Json list = Json::array();
  for (const alert::AlertEvent& e : events) {
    list.push_back({{"event", alert::AlertEventName(e.kind)}, {"id", e.id}, {"detail", e.detail}});
  }
  return list;
}

void SetAlertOutcome(httplib::Response& res, const AlertOutcome& outcome) {
  if (outcome.ok()) {
    Json body{{"ok", true}, {"events", AlertEventsJson(outcome.events)}};
    if (!outcome.stored)
      body["warning"] = "shown, but the state folder could not keep it: it ends with a restart";
    SetJson(res, 200, body);
    return;
  }
  int status = outcome.kind == AlertOutcome::Kind::kUnsigned ? 403 : 400;
  if (outcome.reason.rfind("no urgent notice with the id", 0) == 0) status = 404;
  SetJson(res, status,
          Json{{"ok", false},
               {"error", outcome.reason},
               {"events", AlertEventsJson(outcome.events)}});
}

void InstallAlertRoutes(httplib::Server& server, AlertIntake* intake) {
  server.Post(kApiAlertsPath, [intake](const httplib::Request& req, httplib::Response& res) {
    if (!intake) return SetError(res, 503, "urgent notices are not received here");
    AlertSubmission submission;
    submission.source = AlertSource::kApi;
    submission.who = "(from " + req.remote_addr + ")";
    submission.body = req.body;
    submission.type = req.get_header_value("Content-Type");
    std::string error;
    if (!SignatureFromHeader(req, &submission.signature, &error)) return SetError(res, 400, error);
    SetAlertOutcome(res, intake->Submit(submission));
  });
  server.Delete(R"(/api/v1/alerts/(.+))",
                [intake](const httplib::Request& req, httplib::Response& res) {
                  if (!intake) return SetError(res, 503, "urgent notices are not received here");
                  SetAlertOutcome(res, intake->Cancel(req.matches[1], AlertSource::kApi,
                                                      "(from " + req.remote_addr + ")"));
                });
  server.Get(kApiAlertsPath, [intake](const httplib::Request&, httplib::Response& res) {
    if (!intake) return SetError(res, 503, "urgent notices are not received here");
    SetJson(res, 200, Json{{"alerts", AlertsJson(*intake->Snapshot())}});
  });
}

}  // namespace nb::update
