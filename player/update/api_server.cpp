#include "update/api_server.h"

#include <curl/curl.h>
#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/log.h"

namespace nb::update {
namespace {

using Json = nlohmann::json;

constexpr const char* kPlaylistPath = "/api/v1/playlist";
constexpr const char* kSignatureHeader = "X-Noticeboard-Signature";

void SetJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  // Messages can quote a refused file's bytes, which need not be UTF-8: a
  // strict dump would throw, and every answer quoting the last error (status
  // included) would be a 500 until the next error.
  res.set_content(body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n",
                  "application/json");
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

// ---- The connection guard --------------------------------------------------
// cpp-httplib serves a connection on one thread until the client is done, and
// its read timeout is per recv(): a client that sends a byte every few seconds,
// or endless header lines, keeps a thread (and memory) forever, and a handful
// of those starve every other request. So the server below reads and writes
// through a stream of our own that knows the request's deadlines and byte
// budget, runs connections on a pool that cuts the longest-stalled ones when
// others wait, and serves keep-alive itself (httplib's own loop would use its
// plain socket stream).

using SteadyClock = std::chrono::steady_clock;

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

std::int64_t Ns(std::chrono::milliseconds d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

struct Connection {
  explicit Connection(int socket) : fd(socket) {}
  const int fd;
  std::atomic<std::int64_t> request_started_ns{NowNs()};
  std::atomic<std::int64_t> last_byte_ns{NowNs()};
  std::atomic<bool> headers_done{false};
  std::atomic<bool> handling{false};  // a handler runs or its answer is written
  std::atomic<bool> waiting{false};   // for the client's next bytes
  std::atomic<bool> cut{false};       // set by the guard, read by the thread
};

// The connection the current server thread serves (handlers mark its phase).
thread_local Connection* tls_connection = nullptr;
// When the current server thread's connection was accepted.
thread_local std::int64_t tls_accepted_ns = 0;

void MarkHeadersDone() {
  if (tls_connection) tls_connection->headers_done = true;
}
void MarkHandling() {
  if (tls_connection) tls_connection->handling = true;
}

}  // namespace

class ApiConnectionGuard {
 public:
  explicit ApiConnectionGuard(const ApiLimits& limits) : limits_(limits) {}
  const ApiLimits& limits() const { return limits_; }

  // False when stopping: the connection is to be closed at once.
  bool Register(Connection* c) {
    std::lock_guard lock(mu_);
    ++stats_.accepted;
    if (stopping_) return false;
    live_.push_back(c);
    stats_.peak_connections = std::max(stats_.peak_connections, static_cast<int>(live_.size()));
    return true;
  }
  void Unregister(Connection* c) {
    std::lock_guard lock(mu_);
    live_.erase(std::remove(live_.begin(), live_.end(), c), live_.end());
  }
  // Cuts up to `count` connections that have kept the server waiting longest
  // (at least min_stall_to_cut), never one whose handler runs nor one whose
  // thread is busy with bytes it has. Waiting is counted from the start of
  // the request while its headers are incomplete (they come in one packet
  // from an honest client; a drip of bytes does not reset it), and from the
  // last byte in a body. The socket is only shut down here; its own thread
  // closes it after Unregister, so the descriptor cannot have been reused.
  int CutStalled(int count) {
    std::lock_guard lock(mu_);
    std::int64_t now = NowNs();
    int cut = 0;
    while (cut < count) {
      Connection* victim = nullptr;
      std::int64_t worst = Ns(limits_.min_stall_to_cut);
      for (Connection* c : live_) {
        if (c->cut || c->handling || !c->waiting) continue;
        // Bytes already there: its thread is late (a loaded machine), not
        // its client.
        char byte;
        if (::recv(c->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0) continue;
        std::int64_t stall = now - (c->headers_done ? c->last_byte_ns : c->request_started_ns);
        if (stall >= worst) {
          worst = stall;
          victim = c;
        }
      }
      if (!victim) break;
      victim->cut = true;
      ::shutdown(victim->fd, SHUT_RDWR);
      ++stats_.cut_to_make_room;
      ++cut;
    }
    return cut;
  }
  void CutAll() {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (Connection* c : live_) {
      c->cut = true;
      ::shutdown(c->fd, SHUT_RDWR);
    }
  }
  bool stopping() const {
    std::lock_guard lock(mu_);
    return stopping_;
  }
  void Count(long ApiConnectionStats::*field) {
    std::lock_guard lock(mu_);
    ++(stats_.*field);
  }
  void NoteThreads(int n) {
    std::lock_guard lock(mu_);
    stats_.peak_threads = std::max(stats_.peak_threads, n);
  }
  ApiConnectionStats stats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }

 private:
  const ApiLimits limits_;
  mutable std::mutex mu_;
  std::vector<Connection*> live_;
  bool stopping_ = false;
  ApiConnectionStats stats_;
};

namespace {

// A socket stream with the request's deadlines and byte budget. It buffers
// reads (httplib reads headers a byte at a time) and keeps the buffer across
// the requests of a keep-alive connection.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(Connection& conn, ApiConnectionGuard& guard)
      : conn_(conn), guard_(guard), limits_(guard.limits()) {}

  void StartRequest() {
    std::int64_t now = NowNs();
    conn_.request_started_ns = now;
    conn_.last_byte_ns = now;
    conn_.headers_done = false;
    conn_.handling = false;
    consumed_ = 0;
  }
  bool has_buffered_bytes() const { return pos_ < len_; }
  // A limit answered the request itself; the connection must close.
  bool answered() const { return answered_; }

  bool is_readable() const override { return has_buffered_bytes() || Wait(POLLIN); }
  bool is_writable() const override { return !answered_ && Wait(POLLOUT); }

  ssize_t read(char* ptr, size_t size) override {
    if (answered_) return -1;
    if (pos_ == len_) {
      if (!Wait(POLLIN)) {
        OnTimeout();
        return -1;
      }
      ssize_t n;
      do {
        n = ::recv(conn_.fd, buf_, sizeof buf_, MSG_DONTWAIT);
      } while (n < 0 && errno == EINTR);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return read(ptr, size);
      if (n <= 0) return n;
      conn_.last_byte_ns = NowNs();
      pos_ = 0;
      len_ = static_cast<std::size_t>(n);
    }
    std::size_t n = std::min(size, len_ - pos_);
    consumed_ += n;
    if (!conn_.headers_done && consumed_ > limits_.max_header_bytes) {
      guard_.Count(&ApiConnectionStats::header_too_large);
      Answer(431, "Request Header Fields Too Large",
             "the request line and headers are over the limit of " +
                 std::to_string(limits_.max_header_bytes) + " bytes");
      return -1;
    }
    // Only a chunked body can get here (a Content-Length over the limit is
    // refused before the body is read); chunk framing may double its size.
    if (consumed_ > limits_.max_header_bytes + 2 * kMaxUpdateBytes) {
      guard_.Count(&ApiConnectionStats::request_too_large);
      Answer(413, "Payload Too Large", "the body is over the limit of 4 MiB (4194304 bytes)");
      return -1;
    }
    std::memcpy(ptr, buf_ + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (answered_ || !Wait(POLLOUT)) return -1;
    ssize_t n;
    do {
      n = ::send(conn_.fd, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return write(ptr, size);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(conn_.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
    AddressOf(addr, len, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(conn_.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
    AddressOf(addr, len, ip, port);
  }
  socket_t socket() const override { return conn_.fd; }

 private:
  static void AddressOf(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
    char host[NI_MAXHOST] = {0};
    char serv[NI_MAXSERV] = {0};
    if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, serv,
                      sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(serv);
    }
  }

  // Waits until the socket is ready, but not past the idle limit nor the
  // request's deadline (headers, then the whole request).
  bool Wait(short events) const {
    if (events == POLLIN) conn_.waiting = true;
    bool ready = WaitUntilReady(events);
    conn_.waiting = false;
    return ready;
  }
  bool WaitUntilReady(short events) const {
    for (;;) {
      std::int64_t deadline =
          conn_.request_started_ns +
          Ns(conn_.headers_done ? limits_.request_timeout : limits_.header_timeout);
      std::int64_t remaining = std::min(Ns(limits_.idle_timeout), deadline - NowNs());
      if (remaining <= 0) return false;
      pollfd p{conn_.fd, events, 0};
      int r = ::poll(&p, 1, static_cast<int>((remaining + 999'999) / 1'000'000));
      if (r > 0) return true;  // errors and hang-ups show in recv/send
      if (r == 0) return false;
      if (errno != EINTR) return false;
    }
  }

  void OnTimeout() {
    if (conn_.cut) return;
    guard_.Count(&ApiConnectionStats::timed_out);
    // A silent (or idle keep-alive) connection just closes; a request cut
    // off half-way is told why.
    if (consumed_ > 0 && !conn_.handling)
      Answer(408, "Request Timeout", "the request did not arrive in time");
  }

  // Writes a whole answer of its own (best effort) and ends the connection.
  void Answer(int status, const char* reason, const std::string& message) {
    std::string body = Json{{"ok", false}, {"error", message}}.dump(2) + "\n";
    std::string text =
        "HTTP/1.1 " + std::to_string(status) + " " + reason +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    ::send(conn_.fd, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    answered_ = true;
  }

  Connection& conn_;
  ApiConnectionGuard& guard_;
  const ApiLimits& limits_;
  char buf_[16384];
  std::size_t pos_ = 0, len_ = 0;
  std::size_t consumed_ = 0;  // bytes of this request handed to httplib
  bool answered_ = false;
};

// httplib's server with our connection loop: process_and_close_socket is the
// per-connection entry point httplib calls on a pool thread.
class GuardedServer final : public httplib::Server {
 public:
  explicit GuardedServer(ApiConnectionGuard& guard) : guard_(guard) {}

  // httplib listens with a backlog of 5: under a burst of connections the
  // kernel drops handshakes, and a client then waits for a SYN-ACK
  // retransmission (1 s, 3 s, 7 s...) before it is even accepted.
  void RaiseBacklog(int backlog) {
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, backlog);
  }

 private:
  bool process_and_close_socket(socket_t sock) override {
    const ApiLimits& limits = guard_.limits();
    Connection conn(sock);
    bool ok = false;
    // A connection that waited in the queue past the header limit: its
    // client has given up, or it is part of a flood.
    bool stale = NowNs() - tls_accepted_ns > Ns(limits.header_timeout);
    if (stale) guard_.Count(&ApiConnectionStats::timed_out);
    if (!stale && guard_.Register(&conn)) {
      tls_connection = &conn;
      GuardedStream strm(conn, guard_);
      for (int i = 0; i < limits.keep_alive_max_requests; ++i) {
        if (i > 0 && !strm.has_buffered_bytes()) {
          conn.request_started_ns = NowNs();
          conn.headers_done = false;
          conn.waiting = true;
          pollfd p{sock, POLLIN, 0};
          int r;
          do {
            r = ::poll(&p, 1, static_cast<int>(limits.keep_alive_timeout.count()));
          } while (r < 0 && errno == EINTR);
          conn.waiting = false;
          if (r <= 0) break;
        }
        if (svr_sock_ == INVALID_SOCKET) break;  // stopping
        strm.StartRequest();
        bool closed = false;
        ok = process_request(strm, i + 1 == limits.keep_alive_max_requests, closed, nullptr);
        conn.handling = false;
        if (!ok || closed || strm.answered()) break;
      }
      tls_connection = nullptr;
      guard_.Unregister(&conn);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }

  ApiConnectionGuard& guard_;
};

// A thread per connection up to max_connections; beyond that connections
// wait, and while they wait the longest-stalled served ones are cut.
class ConnectionPool final : public httplib::TaskQueue {
 public:
  ConnectionPool(ApiConnectionGuard& guard, int max_threads)
      : guard_(guard), max_threads_(std::max(1, max_threads)) {
    cutter_ = std::thread([this] { CutWhileWaiting(); });
  }
  ~ConnectionPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::int64_t accepted = NowNs();
    std::unique_lock lock(mu_);
    jobs_.push_back([fn = std::move(fn), accepted] {
      tls_accepted_ns = accepted;
      fn();
    });
    if (idle_ < static_cast<int>(jobs_.size()) &&
        static_cast<int>(workers_.size()) < max_threads_) {
      workers_.emplace_back([this] { Work(); });
      guard_.NoteThreads(static_cast<int>(workers_.size()));
    }
    int waiting = Waiting();
    lock.unlock();
    work_.notify_one();
    if (waiting > 0) {
      guard_.CutStalled(waiting);
      cut_.notify_one();
    }
  }

  void shutdown() override {
    {
      std::lock_guard lock(mu_);
      if (shut_down_) return;
      shut_down_ = true;
    }
    guard_.CutAll();
    work_.notify_all();
    cut_.notify_all();
    for (auto& t : workers_) t.join();
    cutter_.join();
  }

 private:
  // Connections with no thread to serve them (mu_ held).
  int Waiting() const {
    if (static_cast<int>(workers_.size()) < max_threads_) return 0;
    return std::max(0, static_cast<int>(jobs_.size()) - idle_);
  }

  void Work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mu_);
        ++idle_;
        work_.wait(lock, [this] { return !jobs_.empty() || shut_down_; });
        --idle_;
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  // While connections wait, served ones keep stalling into the cut: look
  // again every 10 ms. Sleeps while nothing waits.
  void CutWhileWaiting() {
    std::unique_lock lock(mu_);
    for (;;) {
      cut_.wait(lock, [this] { return shut_down_ || Waiting() > 0; });
      if (shut_down_) return;
      int waiting = Waiting();
      lock.unlock();
      guard_.CutStalled(waiting);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      lock.lock();
    }
  }

  ApiConnectionGuard& guard_;
  const int max_threads_;
  std::mutex mu_;
  std::condition_variable work_, cut_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  std::thread cutter_;
  int idle_ = 0;
  bool shut_down_ = false;
};

}  // namespace

constexpr int kListenBacklog = 128;

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
  std::string auth = req.get_header_value("Authorization");
  if (auth.empty()) {
    res.set_header("WWW-Authenticate", "Bearer");
    return refuse(401, "no token: send the header \"Authorization: Bearer <token>\"");
  }
  const std::string prefix = "Bearer ";
  std::string given = auth.rfind(prefix, 0) == 0 ? Trim(auth.substr(prefix.size())) : "";
  if (!TokenMatches(given, options_.token)) return refuse(403, "wrong token");
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
  if (options_.token.empty()) return Status::Error("the API needs a token");
  started_ = env_.clock().MonotonicNow();
  guard_ = std::make_unique<ApiConnectionGuard>(options_.limits);
  server_ = std::make_unique<GuardedServer>(*guard_);
  httplib::Server& svr = *server_;
  svr.new_task_queue = [this] {
    return new ConnectionPool(*guard_, options_.limits.max_connections);
  };
  svr.set_payload_max_length(kMaxUpdateBytes);
  // Our stream enforces these; httplib also puts them on accepted sockets.
  svr.set_read_timeout(options_.limits.idle_timeout);
  svr.set_write_timeout(options_.limits.idle_timeout);

  // Authentication before anything else, before the body is read, and
  // before a client that asked ("Expect: 100-continue", as curl does for
  // large bodies) is told to send it.
  svr.set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
    return RefuseEarly(req, res) ? res.status : 100;
  });
  svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (RefuseEarly(req, res)) return httplib::Server::HandlerResponse::Handled;
    // Answered here, before httplib looks for a body: `curl -X POST` sends
    // none and no Content-Length either.
    if (req.method == "POST" && req.path == "/api/v1/next") {
      MarkHandling();
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
    MarkHandling();
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
    MarkHandling();
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
    MarkHandling();
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
  static_cast<GuardedServer&>(svr).RaiseBacklog(kListenBacklog);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() does nothing before the server runs: wait for it, so that a quick
  // Stop() cannot leave the listening thread to run forever.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  LogInfo("API listening on " + options_.host + ":" + std::to_string(port_));
  return Status();
}

void ApiServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}  // guard_ stays: its figures outlive the server

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
