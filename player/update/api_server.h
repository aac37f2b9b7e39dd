// ApiServer: the push API of a screen (cpp-httplib), off unless configured.
//
// Contract:
// - Binds 127.0.0.1:8080 by default (config api.listen). Every request needs
//   "Authorization: Bearer <token>" (the token file's first line): none →
//   401, a wrong one → 403. The token is compared in constant time on fixed-
//   size hashes (sodium_memcmp) and never logged; the request log has method,
//   path, status and client address only.
// - PUT /api/v1/playlist, body the playlist JSON, Content-Type
//   application/json (else 415), at most 4 MiB (else 413). When trusted keys
//   are configured the signature goes in the header X-Noticeboard-Signature:
//   the whole playlist.json.minisig file, base64-encoded (one line). The body
//   goes through UpdatePipeline::Submit: 200 with a summary, 400 with the
//   validation errors (JSON pointers) or the signature's refusal, 500 when
//   the state folder cannot be written. The screen keeps playing in all cases.
// - GET /api/v1/status: what plays, the playlist's title/items/hash, the last
//   update and its source, the last error, uptime and fps.
// - /api/v1/alerts (POST, DELETE /{id}, GET): urgent notices, through
//   ApiCallbacks::alerts (update/api_alerts.h); the status lists the active
//   ones under "alerts".
// - GET /api/v1/screenshot.png and POST /api/v1/next go to callbacks the
//   player provides (called on the server's threads; the player hands them
//   to its frame thread). Without a callback, or when it gives nothing: 503.
// - With options.console.enabled, every path outside /api/ is the web
//   console's (console/console_routes.h), with its own authentication
//   (password and session, never the token); without it those paths are 404.
//   An empty token turns /api/v1/ off (404), for `noticeboard console`.
// - ApiServer is compiled into noticeboard-net.so (and nb_update_net for
//   tests); the executable reaches it through update/net_module.h only. The
//   client is update/push_client.h, the token file update/api_token.h.
// - Auth is checked before the body is read, so an unauthenticated client
//   cannot make the screen read 4 MiB. So is a Content-Length over 4 MiB
//   (413) or not a number (400): such a body is never read. A chunked body is
//   cut (413) once its bytes pass twice the limit (chunk framing included).
// - Abuse (ApiLimits): each connection has a thread of its own, at most
//   max_connections of them. The request line and headers must arrive whole
//   within header_timeout and within max_header_bytes (else 408 / 431 and the
//   connection closes); the whole request within request_timeout; no read or
//   write waits longer than idle_timeout; an idle keep-alive connection closes
//   after keep_alive_timeout. When every thread is taken and connections wait,
//   the connections stalled longest (no byte for the longest time, never one
//   whose handler runs) are cut, so slow or silent clients cannot starve
//   /api/v1/status (update/connection_guard.h). Stop() cuts every connection
//   and returns promptly.
// - With ApiOptions::tls_cert_file and tls_key_file set, Start() serves
//   HTTPS (TLS 1.2 or later) with them, inside the same connection guard:
//   the handshake is bounded by header_timeout. A pair that does not load
//   is an error of Start() naming the file.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "base/env.h"
#include "base/status.h"
#include "console/console_routes.h"
#include "update/update_pipeline.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace nb::update {

class AlertIntake;

inline constexpr const char* kApiPlaylistPath = "/api/v1/playlist";
inline constexpr const char* kApiSignatureHeader = "X-Noticeboard-Signature";

class ApiConnectionGuard;

struct PlayerStatus {
  std::string item_id;
  std::string item_title;
  double fps = 0;
  int width = 0, height = 0;  // the layout's size (portrait: taller than wide)
  bool screen_on = true;      // false in off hours
  std::string off_hours;      // the config's off hours, as staff read them
};

struct ApiCallbacks {
  std::function<PlayerStatus()> player_status;
  std::function<std::optional<std::string>()> screenshot_png;  // PNG bytes
  std::function<bool()> next;                                  // false: not possible now
  console::PreviewRenderer* preview = nullptr;  // the console's previews; null: none
  AlertIntake* alerts = nullptr;  // urgent notices (/api/v1/alerts); null: 503
};

struct ApiLimits {
  int max_connections = 32;  // served at once, one thread each
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};  // 4 MiB at 70 KB/s
  std::chrono::milliseconds idle_timeout{5'000};
  std::chrono::milliseconds keep_alive_timeout{2'000};
  int keep_alive_max_requests = 5;
  std::size_t max_header_bytes = 32 * 1024;
  // A connection stalled for less than this is never cut to make room (an
  // honest client's headers come in one packet, well within it on a LAN).
  std::chrono::milliseconds min_stall_to_cut{20};
};

struct ApiOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  std::string token;  // empty: /api/v1/ is off (a desktop console alone)
  ApiLimits limits;
  console::ConsoleOptions console;  // the web console at / (console_routes.h)
  // HTTPS (update/tls_identity.h): the module's StartApiServer resolves the
  // certificate (configured, or made in tls_state_dir) before Start().
  bool https = false;
  std::string tls_state_dir;
  // PEM files (update/tls_identity.h makes them); both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

// What the connection guard saw, for tests and the abuse bench.
struct ApiConnectionStats {
  long accepted = 0;
  long cut_to_make_room = 0;   // stalled connections cut under pressure
  long timed_out = 0;          // header, request or idle limit reached
  long header_too_large = 0;   // 431
  long request_too_large = 0;  // 413 from the guard (chunked bodies)
  int peak_connections = 0;    // served at once
  int peak_threads = 0;
};

class ApiServer {
 public:
  ApiServer(Env& env, UpdatePipeline& pipeline, ApiOptions options, ApiCallbacks callbacks);
  ~ApiServer();

  // Binds and starts serving on a thread of its own.
  Status Start();
  void Stop();
  int port() const { return port_; }
  // The web console's routes; null when it is off (tests look at its route table).
  console::ConsoleRoutes* console() { return console_.get(); }
  ApiConnectionStats connection_stats() const;

 private:
  // The checks made on the headers alone (token, declared body length);
  // true when the request is refused, with `res` holding the answer.
  bool RefuseEarly(const httplib::Request& req, httplib::Response& res);
  // The routes.
  void PutPlaylist(const httplib::Request& req, httplib::Response& res);
  void GetStatus(httplib::Response& res);
  void GetScreenshot(httplib::Response& res);
  void PostNext(httplib::Response& res);

  Env& env_;
  UpdatePipeline& pipeline_;
  ApiOptions options_;
  ApiCallbacks callbacks_;
  std::unique_ptr<console::ConsoleRoutes> console_;
  std::unique_ptr<ApiConnectionGuard> guard_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace nb::update
