// ScreenClient: what `noticeboard push`, `alert` and `rollback` share to
// talk to a screen's API: the --pin check, the token file, an optional
// signature file, the network module, the call, and the answer read as JSON.
//
// Contract:
// - CallScreen() does those steps in that order and stops at the first that
//   fails, after logging why in words for school IT staff; *exit_code is
//   then kExitUsage (a bad --pin, an unreadable token file) or
//   kExitInvalidInput (a signature file that cannot be read, the module
//   missing, no answer from the screen). An answer of any HTTP status is
//   returned: the caller decides what it means.
// - LogRefusal() logs a non-200 answer: its error, each of its "errors"
//   (JSON pointer and message), and the token hint on 401 and 403.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "update/push_client.h"

namespace nb::app {

struct ScreenClientArgs {
  std::string url;
  std::string token_file;
  std::string pin;             // empty: the system's CAs check an https screen
  std::string signature_file;  // empty: none sent
};

struct ScreenAnswer {
  long http_status = 0;
  std::string raw;
  nlohmann::json body;  // discarded (not an object) when raw is not JSON
  // A string member of the body, or "".
  std::string Field(const char* key) const;
};

std::optional<ScreenAnswer> CallScreen(const ScreenClientArgs& args, const update::ApiCall& call,
                                       int* exit_code);
void LogRefusal(const std::string& url, const ScreenAnswer& answer);

}  // namespace nb::app
