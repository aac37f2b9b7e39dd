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
// - GET /api/v1/screenshot.png and POST /api/v1/next go to callbacks the
//   player provides (called on the server's threads; the player hands them
//   to its frame thread). Without a callback, or when it gives nothing: 503.
// - ApiServer and PushPlaylist are compiled into noticeboard-net.so (and
//   nb_update_net for tests); the executable reaches them through
//   update/net_module.h only. LoadApiToken is in nb_update.
// - Auth is checked before the body is read, so an unauthenticated client
//   cannot make the screen read 4 MiB.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "base/env.h"
#include "base/status.h"
#include "update/update_pipeline.h"

namespace httplib {
class Server;
}

namespace nb::update {

struct PlayerStatus {
  std::string item_id;
  std::string item_title;
  double fps = 0;
};

struct ApiCallbacks {
  std::function<PlayerStatus()> player_status;
  std::function<std::optional<std::string>()> screenshot_png;  // PNG bytes
  std::function<bool()> next;                                  // false: not possible now
};

struct ApiOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  std::string token;
};

// Reads the token file: its first line, trimmed; refuses an empty or short
// token (fewer than 16 characters) so a screen is never open by accident.
Status LoadApiToken(FileSystem& fs, const std::string& path, std::string* token);

class ApiServer {
 public:
  ApiServer(Env& env, UpdatePipeline& pipeline, ApiOptions options, ApiCallbacks callbacks);
  ~ApiServer();

  // Binds and starts serving on a thread of its own.
  Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  Env& env_;
  UpdatePipeline& pipeline_;
  ApiOptions options_;
  ApiCallbacks callbacks_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::chrono::steady_clock::time_point started_;
};

// The client side of `noticeboard push`: PUTs `body` to `url` (a screen's
// address such as http://lobby-1:8080, or the full /api/v1/playlist URL).
struct PushResult {
  long http_status = 0;  // 0: no answer
  std::string body;
  std::string error;  // transport error
};
PushResult PushPlaylist(const std::string& url, const std::string& body, const std::string& token,
                        const std::optional<std::string>& minisig_text,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace nb::update
