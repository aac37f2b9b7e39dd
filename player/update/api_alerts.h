// The push API's urgent notices (issue 15), beside api_server.h's playlist:
//
//   POST   /api/v1/alerts        create, or update by id; our JSON
//                                (application/json) or CAP 1.2
//                                (application/cap+xml, application/xml)
//   DELETE /api/v1/alerts/{id}   cancel
//   GET    /api/v1/alerts        the active ones with their ids
//
// Contract:
// - The token is checked first, as for every /api/v1/ request (ApiServer).
//   A POST's Content-Type is checked before its body is read (415), and a
//   body over the alert limit is refused unread (413).
// - A POST goes through AlertIntake::Submit with the signature, when
//   trusted keys are set, in X-Noticeboard-Signature (as for playlists):
//   200 {"ok", "events"}; 400 with the reason (a malformed or hostile
//   document, an alert that had already ended); 403 unsigned or a bad
//   signature. DELETE of an id not active: 404. Without an AlertIntake
//   (a desktop console): 503.
// - AlertsJson() is the list GET answers and /api/v1/status carries under
//   "alerts" (the console shows the same).
// - Compiled into the network module (it includes httplib).
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "alert/alert_set.h"
#include "update/alert_intake.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace nb::update {

inline constexpr const char* kApiAlertsPath = "/api/v1/alerts";

// True for a media type an alert may be posted as.
bool IsAlertContentType(const std::string& content_type);

nlohmann::json AlertsJson(const alert::AlertSnapshot& snapshot);
nlohmann::json AlertEventsJson(const std::vector<alert::AlertEvent>& events);
// The answer to an AlertIntake outcome (status and body).
void SetAlertOutcome(httplib::Response& res, const AlertOutcome& outcome);

void InstallAlertRoutes(httplib::Server& server, AlertIntake* intake);

}  // namespace nb::update
