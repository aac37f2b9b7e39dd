// How the API server and the web console write JSON answers, in one place.
//
// Contract: SetJson() answers `body` pretty-printed, as application/json;
// bytes that are not UTF-8 (a refused file quoted in a message) become U+FFFD
// instead of failing the answer. SetError() answers {"ok": false, "error"}.
// ErrorsJson() lists diagnostics as [{"where", "message"}]. StatusJson() is
// what GET /api/v1/status and the console's status page both report. Compiled
// into the network module only (it includes httplib).
#pragma once

#include <httplib.h>
#include <sodium.h>

#include <cctype>
#include <optional>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <unistd.h>

#include <chrono>

#include "base/json_check.h"
#include "base/time_format.h"
#include "update/alert_intake.h"
#include "update/api_alerts.h"
#include "update/api_server.h"
#include "update/update_pipeline.h"

namespace nb::update {

inline void SetJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  // A strict dump would throw on a refused file's bytes, and every answer
  // quoting the last error (status included) would be a 500 until the next.
  res.set_content(body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                  "application/json");
}

inline void SetError(httplib::Response& res, int status, const std::string& message) {
  SetJson(res, status, nlohmann::json{{"ok", false}, {"error", message}});
}

inline nlohmann::json ErrorsJson(const std::vector<Diagnostic>& errors) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : errors) out.push_back({{"where", e.where}, {"message", e.message}});
  return out;
}

inline const char* OutcomeName(UpdateOutcome o) {
  switch (o) {
    case UpdateOutcome::kApplied:
      return "applied";
    case UpdateOutcome::kUnchanged:
      return "unchanged";
    case UpdateOutcome::kRejected:
      return "rejected";
    case UpdateOutcome::kStoreFailed:
      return "store_failed";
  }
  return "";
}

// The X-Noticeboard-Signature header (a .minisig file, base64 on one line)
// into *signature; nullopt when absent. False with *error when not base64.
inline bool SignatureFromHeader(const httplib::Request& req, std::optional<std::string>* signature,
                                std::string* error) {
  signature->reset();
  if (!req.has_header(kApiSignatureHeader)) return true;
  std::string b64 = req.get_header_value(kApiSignatureHeader);
  while (!b64.empty() && std::isspace(static_cast<unsigned char>(b64.back()))) b64.pop_back();
  while (!b64.empty() && std::isspace(static_cast<unsigned char>(b64.front()))) b64.erase(0, 1);
  std::string sig(b64.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(sig.data()), sig.size(), b64.data(),
                        b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    *error = std::string(kApiSignatureHeader) +
             " is not base64 (send the .minisig file base64-encoded on one line)";
    return false;
  }
  sig.resize(len);
  *signature = std::move(sig);
  return true;
}

inline std::string HostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

// Times are UTC (…Z) as before; "now" is the screen's local time with its
// offset, to compare with a wall clock.
inline nlohmann::json StatusJson(const UpdatePipeline& pipeline, const PlayerStatus& player,
                                 std::chrono::seconds uptime, const Clock& clock,
                                 const std::string& version,
                                 const AlertIntake* alerts = nullptr) {
  UpdateStatus st = pipeline.status();
  PullStatus pull = pipeline.pull_status();
  nlohmann::json out{
      {"playing", {{"id", player.item_id}, {"title", player.item_title}}},
      {"playlist",
       {{"title", st.playlist_title}, {"items", st.playlist_items}, {"hash", st.playlist_hash}}},
      {"last_update", {{"at", st.last_update_at}, {"source", st.last_update_source}}},
      {"last_error",
       {{"at", st.last_error_at},
        {"source", st.last_error_source},
        {"message", st.last_error},
        {"errors", ErrorsJson(st.last_errors)}}},
      {"updates", {{"applied", st.updates_applied}, {"rejected", st.updates_rejected}}},
      {"screen",
       {{"on", player.screen_on},
        {"width", player.width},
        {"height", player.height},
        {"off_hours", player.off_hours}}},
      {"uptime_s", uptime.count()},
      {"fps", player.fps},
      {"version", version},
      {"host", HostName()},
      {"now", LocalTimestamp(clock.WallNow())}};
  if (alerts) out["alerts"] = AlertsJson(*alerts->Snapshot());
  if (!pull.url.empty()) {
    out["pull"] = {{"url", pull.url},
                   {"last_checked_at", pull.last_checked_at},
                   {"last_ok_at", pull.last_ok_at},
                   {"next_at", pull.next_at},
                   {"last_error", pull.last_error},
                   {"network_failures", pull.network_failures}};
  }
  return out;
}

}  // namespace nb::update
