// PushPlaylist: the client side of `noticeboard push` and `noticeboard
// alert` (libcurl).
//
// Contract:
// - CallScreenApi() sends one request of the screen's API (api_server.h):
//   PUT /api/v1/playlist for push, POST and DELETE /api/v1/alerts for
//   alert, with everything below. PushPlaylist() is its PUT of a playlist.
// - PUTs `body` to a screen's push API (api_server.h): `url` is the screen's
//   address (http://lobby-1:8080) or the full /api/v1/playlist URL. Sends the
//   token as "Authorization: Bearer", and the signature, when given, as the
//   whole .minisig file base64-encoded in X-Noticeboard-Signature.
// - Returns the screen's answer (status and body) whatever the status; a
//   transfer that got no answer (no route, refused, timed out) has status 0
//   and `error` naming the address and the cause. Never throws.
// - Only http and https. An answer over 1 MiB is cut short (answers are
//   small).
// - https: the certificate is checked against the system's CAs and the host
//   name, unless `pin_sha256` is given: then the screen is accepted only when
//   the SHA-256 fingerprint of its certificate (the leaf; "AB:CD:..." as
//   update/tls_identity.h prints it, case and colons aside) is that one, and
//   no CA or name is checked (a screen's own certificate is self-signed and
//   reached by any of its addresses). A mismatch ends the handshake: no
//   request, so no token, reaches that server. A pin with an http:// URL is
//   an error. The error of a certificate no CA vouches for says to pass the
//   fingerprint the screen shows.
// - Compiled into noticeboard-net.so (and nb_update_net for tests); the
//   executable reaches it through update/net_module.h only.
#pragma once

#include <cctype>
#include <chrono>
#include <optional>
#include <string>

namespace nb::update {

struct PushResult {
  long http_status = 0;  // 0: no answer
  std::string body;
  std::string error;  // transport error
};

struct ApiCall {
  std::string method = "PUT";
  std::string path = "/api/v1/playlist";  // appended to a bare screen address
  std::string content_type = "application/json";
  std::string body;
};

PushResult CallScreenApi(const std::string& url, const ApiCall& call, const std::string& token,
                         const std::optional<std::string>& minisig_text,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30),
                         const std::string& pin_sha256 = "");

PushResult PushPlaylist(const std::string& url, const std::string& body, const std::string& token,
                        const std::optional<std::string>& minisig_text,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30),
                        const std::string& pin_sha256 = "");

// The 64 upper-case hex digits of a fingerprint given as "AB:CD:...",
// "abcd..." or with spaces; false when it is not 32 bytes of hex. Inline:
// `noticeboard push` checks --pin before it loads the network module.
inline bool NormalizeFingerprint(const std::string& text, std::string* hex) {
  std::string out;
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (out.size() != 64) return false;
  *hex = std::move(out);
  return true;
}

}  // namespace nb::update
