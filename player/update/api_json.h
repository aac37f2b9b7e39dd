// How the API server and the web console write JSON answers, in one place.
//
// Contract: SetJson() answers `body` pretty-printed, as application/json;
// bytes that are not UTF-8 (a refused file quoted in a message) become U+FFFD
// instead of failing the answer. SetError() answers {"ok": false, "error"}.
// ErrorsJson() lists diagnostics as [{"where", "message"}]. Compiled into the
// network module only (it includes httplib).
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/json_check.h"
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

}  // namespace nb::update
