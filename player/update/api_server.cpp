#include "update/api_server.h"

#include <curl/curl.h>
#include <httplib.h>
#include <sodium.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "base/log.h"

namespace nb::update {
namespace {

using Json = nlohmann::json;

constexpr const char* kPlaylistPath = "/api/v1/playlist";
constexpr const char* kSignatureHeader = "X-Noticeboard-Signature";

void SetJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(2) + "\n", "application/json");
}

void SetError(httplib::Response& res, int status, const std::string& message) {
  SetJson(res, status, Json{{"ok", false}, {"error", message}});
}

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

const char* OutcomeName(UpdateOutcome o) {
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

}  // namespace

ApiServer::ApiServer(Env& env, UpdatePipeline& pipeline, ApiOptions options, ApiCallbacks callbacks)
    : env_(env),
      pipeline_(pipeline),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)) {}

ApiServer::~ApiServer() { Stop(); }

Status ApiServer::Start() {
  if (sodium_init() < 0) return Status::Error("libsodium cannot start");
  if (options_.token.empty()) return Status::Error("the API needs a token");
  started_ = env_.clock().MonotonicNow();
  server_ = std::make_unique<httplib::Server>();
  httplib::Server& svr = *server_;
  svr.set_payload_max_length(kMaxUpdateBytes);
  svr.set_read_timeout(std::chrono::seconds(30));

  // Authentication before anything else, before the body is read.
  svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    // A refused client's body is never read: close the connection after the
    // answer rather than parse that body as the next request.
    auto refuse = [&res](int status, const std::string& message) {
      res.set_header("Connection", "close");
      SetError(res, status, message);
      return httplib::Server::HandlerResponse::Handled;
    };
    std::string auth = req.get_header_value("Authorization");
    if (auth.empty()) {
      res.set_header("WWW-Authenticate", "Bearer");
      return refuse(401, "no token: send the header \"Authorization: Bearer <token>\"");
    }
    const std::string prefix = "Bearer ";
    std::string given = auth.rfind(prefix, 0) == 0 ? Trim(auth.substr(prefix.size())) : "";
    if (!TokenMatches(given, options_.token)) return refuse(403, "wrong token");
    // Answered here, before httplib looks for a body: `curl -X POST` sends
    // none and no Content-Length either.
    if (req.method == "POST" && req.path == "/api/v1/next") {
      if (!callbacks_.next || !callbacks_.next()) {
        SetError(res, 503, "the player cannot skip now");
      } else {
        SetJson(res, 200, Json{{"ok", true}});
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Errors httplib raises itself (413, 404, 400) get a JSON body too.
  svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string message = res.status == 413 ? "the body is over the limit of 4 MiB (4194304 bytes)"
                          : res.status == 404 ? "no such endpoint"
                                              : "bad request";
    SetError(res, res.status, message);
    return httplib::Server::HandlerResponse::Handled;
  }));
  svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    // After a 401/403 the refused body stays unread and httplib takes it for
    // a next request on the same connection: no request line, so no entry.
    if (req.method.empty()) return;
    LogInfo("api: " + req.remote_addr + " " + req.method + " " + req.path + " → " +
            std::to_string(res.status));
  });

  svr.Put(kPlaylistPath, [this](const httplib::Request& req, httplib::Response& res) {
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
    if (req.has_header(kSignatureHeader)) {
      std::string b64 = Trim(req.get_header_value(kSignatureHeader));
      std::string sig(b64.size(), '\0');
      std::size_t len = 0;
      if (sodium_base642bin(reinterpret_cast<unsigned char*>(sig.data()), sig.size(), b64.data(),
                            b64.size(), nullptr, &len, nullptr,
                            sodium_base64_VARIANT_ORIGINAL) != 0) {
        SetError(res, 400,
                 std::string(kSignatureHeader) +
                     " is not base64 (send the .minisig file base64-encoded on one line)");
        return;
      }
      sig.resize(len);
      request.signature = std::move(sig);
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
    Json errors = Json::array();
    for (const auto& e : result.errors)
      errors.push_back({{"where", e.where}, {"message", e.message}});
    SetJson(res, result.outcome == UpdateOutcome::kStoreFailed ? 500 : 400,
            Json{{"ok", false},
                 {"outcome", OutcomeName(result.outcome)},
                 {"error", result.reason},
                 {"errors", errors}});
  });

  svr.Get("/api/v1/status", [this](const httplib::Request&, httplib::Response& res) {
    UpdateStatus st = pipeline_.status();
    PlayerStatus player = callbacks_.player_status ? callbacks_.player_status() : PlayerStatus{};
    auto uptime =
        std::chrono::duration_cast<std::chrono::seconds>(env_.clock().MonotonicNow() - started_);
    SetJson(res, 200,
            Json{{"playing", {{"id", player.item_id}, {"title", player.item_title}}},
                 {"playlist",
                  {{"title", st.playlist_title},
                   {"items", st.playlist_items},
                   {"hash", st.playlist_hash}}},
                 {"last_update", {{"at", st.last_update_at}, {"source", st.last_update_source}}},
                 {"last_error",
                  {{"at", st.last_error_at},
                   {"source", st.last_error_source},
                   {"message", st.last_error}}},
                 {"updates", {{"applied", st.updates_applied}, {"rejected", st.updates_rejected}}},
                 {"uptime_s", uptime.count()},
                 {"fps", player.fps}});
  });

  svr.Get("/api/v1/screenshot.png", [this](const httplib::Request&, httplib::Response& res) {
    std::optional<std::string> png;
    if (callbacks_.screenshot_png) png = callbacks_.screenshot_png();
    if (!png) {
      SetError(res, 503, "no frame to show yet");
      return;
    }
    res.set_header("Cache-Control", "no-store");
    res.set_content(*png, "image/png");
  });

  bool bound = options_.port == 0 ? (port_ = svr.bind_to_any_port(options_.host)) > 0
                                  : svr.bind_to_port(options_.host, options_.port);
  if (!bound) {
    server_.reset();
    return Status::Error("API: cannot listen on " + options_.host + ":" +
                         std::to_string(options_.port) + " (in use, or not an address here)");
  }
  if (options_.port != 0) port_ = options_.port;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  LogInfo("API listening on " + options_.host + ":" + std::to_string(port_));
  return Status();
}

void ApiServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

namespace {
std::size_t CollectBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() > 1024 * 1024) return 0;  // answers are small
  out->append(data, size * count);
  return size * count;
}
}  // namespace

PushResult PushPlaylist(const std::string& url, const std::string& body, const std::string& token,
                        const std::optional<std::string>& minisig_text,
                        std::chrono::milliseconds timeout) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  PushResult result;
  std::string target = url;
  if (target.find("/api/v1/playlist") == std::string::npos) {
    while (!target.empty() && target.back() == '/') target.pop_back();
    target += kPlaylistPath;
  }
  CURL* curl = curl_easy_init();
  if (!curl) {
    result.error = "cannot start a transfer (libcurl)";
    return result;
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  if (minisig_text) {
    std::string b64(sodium_base64_ENCODED_LEN(minisig_text->size(), sodium_base64_VARIANT_ORIGINAL),
                    '\0');
    sodium_bin2base64(b64.data(), b64.size(),
                      reinterpret_cast<const unsigned char*>(minisig_text->data()),
                      minisig_text->size(), sodium_base64_VARIANT_ORIGINAL);
    b64.resize(std::strlen(b64.c_str()));
    headers = curl_slist_append(headers, (std::string(kSignatureHeader) + ": " + b64).c_str());
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, target.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.http_status);
  if (code != CURLE_OK && result.http_status == 0)
    result.error = target + ": " + (errbuf[0] ? errbuf : curl_easy_strerror(code));
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace nb::update
