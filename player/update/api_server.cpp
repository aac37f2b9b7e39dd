#include "update/api_server.h"

#include <httplib.h>
#include <sodium.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/log.h"
#include "update/api_alerts.h"
#include "update/api_json.h"
#include "update/connection_guard.h"

namespace nb::update {
namespace {

using Json = nlohmann::json;

// Constant-time comparison that does not leak the length either: both sides
// are hashed to 32 bytes first.
bool TokenMatches(const std::string& given, const std::string& expected) {
  unsigned char a[32], b[32];
  crypto_generichash(a, sizeof a, reinterpret_cast<const unsigned char*>(given.data()),
                     given.size(), nullptr, 0);
  crypto_generichash(b, sizeof b, reinterpret_cast<const unsigned char*>(expected.data()),
                     expected.size(), nullptr, 0);
  return sodium_memcmp(a, b, sizeof a) == 0;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// Errors httplib raises itself (413, 404, 400) get a JSON body too.
httplib::Server::HandlerResponse AnswerHttplibError(const httplib::Request&,
                                                    httplib::Response& res) {
  MarkHandling();
  if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  std::string message = res.status == 413   ? "the body is over the limit of 4 MiB (4194304 bytes)"
                        : res.status == 404 ? "no such endpoint"
                                            : "bad request";
  SetError(res, res.status, message);
  return httplib::Server::HandlerResponse::Handled;
}

void LogRequest(const httplib::Request& req, const httplib::Response& res) {
  // After a 401/403 the refused body stays unread and httplib takes it for
  // a next request on the same connection: no request line, so no entry.
  if (req.method.empty()) return;
  // The console's pages poll status and the screen every few seconds: only
  // what changes something, or fails, is worth a line in the journal.
  if (req.path.rfind("/api/", 0) != 0 && req.method == "GET" && res.status < 400) return;
  LogInfo("api: " + req.remote_addr + " " + req.method + " " + req.path + " → " +
          std::to_string(res.status));
}

constexpr int kListenBacklog = 128;

}  // namespace

ApiServer::ApiServer(Env& env, UpdatePipeline& pipeline, ApiOptions options, ApiCallbacks callbacks)
    : env_(env),
      pipeline_(pipeline),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)) {}

ApiServer::~ApiServer() { Stop(); }

ApiConnectionStats ApiServer::connection_stats() const {
  return guard_ ? guard_->stats() : ApiConnectionStats{};
}

bool ApiServer::RefuseEarly(const httplib::Request& req, httplib::Response& res) {
  // A refused client's body is never read: close the connection after the
  // answer rather than parse that body as the next request.
  auto refuse = [&res](int status, const std::string& message) {
    MarkHandling();
    res.set_header("Connection", "close");
    SetError(res, status, message);
    return true;
  };
  MarkHeadersDone();
  if (options_.token.empty()) return refuse(404, "the push API is off here");
  std::string auth = req.get_header_value("Authorization");
  if (auth.empty()) {
    res.set_header("WWW-Authenticate", "Bearer");
    return refuse(401, "no token: send the header \"Authorization: Bearer <token>\"");
  }
  const std::string prefix = "Bearer ";
  std::string given = auth.rfind(prefix, 0) == 0 ? Trim(auth.substr(prefix.size())) : "";
  if (!TokenMatches(given, options_.token)) return refuse(403, "wrong token");
  // The type first, before httplib reads the body: it parses a form body
  // itself, with a limit of 8 KB, and would answer 413 for an 11 KB
  // playlist sent with curl's default form type.
  if (req.method == "POST" && req.path == kApiAlertsPath) {
    const std::string type = req.get_header_value("Content-Type");
    if (!IsAlertContentType(type))
      return refuse(415, "expected Content-Type application/json (our alert format) or "
                         "application/cap+xml (CAP 1.2), found \"" + type + "\"");
  }
  if (req.method == "PUT" && req.path == kApiPlaylistPath) {
    const std::string type = req.get_header_value("Content-Type");
    if (Trim(type.substr(0, type.find(';'))) != "application/json")
      return refuse(415, "expected Content-Type application/json, found \"" + type +
                             "\" (with curl: -H 'Content-Type: application/json')");
  }
  // httplib would read (and drop) a declared body over the limit before
  // answering 413: refuse it unread.
  if (req.has_header("Content-Length")) {
    const std::string& length = req.get_header_value("Content-Length");
    char* end = nullptr;
    errno = 0;
    unsigned long long n = std::strtoull(length.c_str(), &end, 10);
    if (length.empty() || *end != '\0' || errno == ERANGE || length[0] == '-')
      return refuse(400, "Content-Length is not a number: \"" + length + "\"");
    if (n > kMaxUpdateBytes)
      return refuse(413, "the body (" + length + " bytes) is over the limit of 4 MiB (" +
                             std::to_string(kMaxUpdateBytes) + " bytes)");
  }
  return false;
}

Status ApiServer::Start() {
  if (sodium_init() < 0) return Status::Error("libsodium cannot start");
  if (options_.token.empty() && !options_.console.enabled)
    return Status::Error("the API needs a token");
  started_ = env_.clock().MonotonicNow();
  guard_ = std::make_unique<ApiConnectionGuard>(options_.limits);
  auto guarded = std::make_unique<GuardedServer>(*guard_);
  const bool https = !options_.tls_cert_file.empty() || !options_.tls_key_file.empty();
  if (https) {
    if (options_.tls_cert_file.empty() || options_.tls_key_file.empty())
      return Status::Error("API: HTTPS needs both a certificate and its key");
    if (Status s = guarded->EnableTls(options_.tls_cert_file, options_.tls_key_file); !s.ok())
      return s.Prefix("API");
  }
  server_ = std::move(guarded);
  httplib::Server& svr = *server_;
  svr.set_payload_max_length(kMaxUpdateBytes);
  // Our stream enforces these; httplib also puts them on accepted sockets.
  svr.set_read_timeout(options_.limits.idle_timeout);
  svr.set_write_timeout(options_.limits.idle_timeout);

  // Authentication before anything else, before the body is read, and
  // before a client that asked ("Expect: 100-continue", as curl does for
  // large bodies) is told to send it.
  if (options_.console.enabled) {
    console::ConsoleHooks hooks{callbacks_.player_status, callbacks_.screenshot_png,
                                callbacks_.preview, callbacks_.alerts};
    console_ = std::make_unique<console::ConsoleRoutes>(env_, pipeline_, options_.console, hooks);
    console_->Install(svr);
  }
  // Which door a request knocks at: the console's (session) or /api/ (token).
  auto refuse_early = [this](const httplib::Request& req, httplib::Response& res) {
    if (console::ConsoleRoutes::Handles(req)) {
      if (console_) return console_->RefuseEarly(req, res);
      MarkHandling();
      res.set_header("Connection", "close");
      SetError(res, 404, "no such endpoint (the web console is off: config api.console)");
      return true;
    }
    return RefuseEarly(req, res);
  };
  svr.set_expect_100_continue_handler(
      [refuse_early](const httplib::Request& req, httplib::Response& res) {
        return refuse_early(req, res) ? res.status : 100;
      });
  svr.set_pre_routing_handler([this, refuse_early](const httplib::Request& req,
                                                   httplib::Response& res) {
    if (refuse_early(req, res)) return httplib::Server::HandlerResponse::Handled;
    // Answered here, before httplib looks for a body: `curl -X POST` sends
    // none and no Content-Length either.
    if (req.method == "POST" && req.path == "/api/v1/next") {
      PostNext(res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  svr.set_error_handler(httplib::Server::HandlerWithResponse(AnswerHttplibError));
  svr.set_logger(LogRequest);
  svr.Put(kApiPlaylistPath,
          [this](const httplib::Request& req, httplib::Response& res) { PutPlaylist(req, res); });
  InstallAlertRoutes(svr, callbacks_.alerts);
  svr.Get("/api/v1/status",
          [this](const httplib::Request&, httplib::Response& res) { GetStatus(res); });
  svr.Get("/api/v1/screenshot.png",
          [this](const httplib::Request&, httplib::Response& res) { GetScreenshot(res); });

  bool bound = options_.port == 0 ? (port_ = svr.bind_to_any_port(options_.host)) > 0
                                  : svr.bind_to_port(options_.host, options_.port);
  if (!bound) {
    server_.reset();
    return Status::Error("API: cannot listen on " + options_.host + ":" +
                         std::to_string(options_.port) + " (in use, or not an address here)");
  }
  if (options_.port != 0) port_ = options_.port;
  static_cast<GuardedServer&>(svr).RaiseBacklog(kListenBacklog);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() does nothing before the server runs: wait for it, so that a quick
  // Stop() cannot leave the listening thread to run forever.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  LogInfo(std::string("API listening on ") + (https ? "https://" : "http://") + options_.host +
          ":" + std::to_string(port_));
  return Status();
}

void ApiServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
  console_.reset();
}  // guard_ stays: its figures outlive the server

void ApiServer::PostNext(httplib::Response& res) {
  MarkHandling();
  if (!callbacks_.next || !callbacks_.next()) {
    SetError(res, 503, "the player cannot skip now");
  } else {
    SetJson(res, 200, Json{{"ok", true}});
  }
}

void ApiServer::PutPlaylist(const httplib::Request& req, httplib::Response& res) {
  MarkHandling();
  std::string type = req.get_header_value("Content-Type");
  std::string media = Trim(type.substr(0, type.find(';')));
  if (media != "application/json") {
    SetError(res, 415, "expected Content-Type application/json, found \"" + type + "\"");
    return;
  }
  UpdateRequest request;
  request.source = UpdateSource::kPush;
  // Messages append ":line:col" to the origin: the brackets keep them apart
  // from the address ("pushed playlist (from 127.0.0.1):26:38: ...").
  request.origin = "pushed playlist (from " + req.remote_addr + ")";
  request.bytes = req.body;
  std::string error;
  if (!SignatureFromHeader(req, &request.signature, &error)) {
    SetError(res, 400, error);
    return;
  }
  UpdateResult result = pipeline_.Submit(request);
  if (result.ok()) {
    SetJson(res, 200,
            Json{{"ok", true},
                 {"outcome", OutcomeName(result.outcome)},
                 {"items", result.playlist->items.size()},
                 {"title", result.playlist->title},
                 {"hash", PlaylistHash(*result.playlist)},
                 {"notice", result.notice}});
    return;
  }
  Json errors = ErrorsJson(result.errors);
  SetJson(res, result.outcome == UpdateOutcome::kStoreFailed ? 500 : 400,
          Json{{"ok", false},
               {"outcome", OutcomeName(result.outcome)},
               {"error", result.reason},
               {"errors", errors}});
}

void ApiServer::GetStatus(httplib::Response& res) {
  MarkHandling();
  PlayerStatus player = callbacks_.player_status ? callbacks_.player_status() : PlayerStatus{};
  auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(env_.clock().MonotonicNow() - started_);
  SetJson(res, 200,
          StatusJson(pipeline_, player, uptime, env_.clock(), NB_UPDATE_VERSION, callbacks_.alerts));
}

void ApiServer::GetScreenshot(httplib::Response& res) {
  MarkHandling();
  std::optional<std::string> png;
  if (callbacks_.screenshot_png) png = callbacks_.screenshot_png();
  if (!png) {
    SetError(res, 503, "no frame to show yet");
    return;
  }
  res.set_header("Cache-Control", "no-store");
  res.set_content(*png, "image/png");
}

}  // namespace nb::update
