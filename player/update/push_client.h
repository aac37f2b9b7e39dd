// PushPlaylist: the client side of `noticeboard push` (libcurl).
//
// Contract:
// - PUTs `body` to a screen's push API (api_server.h): `url` is the screen's
//   address (http://lobby-1:8080) or the full /api/v1/playlist URL. Sends the
//   token as "Authorization: Bearer", and the signature, when given, as the
//   whole .minisig file base64-encoded in X-Noticeboard-Signature.
// - Returns the screen's answer (status and body) whatever the status; a
//   transfer that got no answer (no route, refused, timed out) has status 0
//   and `error` naming the address and the cause. Never throws.
// - Only http and https. An answer over 1 MiB is cut short (answers are
//   small).
// - Compiled into noticeboard-net.so (and nb_update_net for tests); the
//   executable reaches it through update/net_module.h only.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace nb::update {

struct PushResult {
  long http_status = 0;  // 0: no answer
  std::string body;
  std::string error;  // transport error
};

PushResult PushPlaylist(const std::string& url, const std::string& body, const std::string& token,
                        const std::optional<std::string>& minisig_text,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace nb::update
