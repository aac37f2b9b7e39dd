#include "update/connection_guard.h"

#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <nlohmann/json.hpp>
#include <thread>

#include "update/connection_transport.h"

namespace nb::update {
namespace {

using Json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

std::int64_t Ns(std::chrono::milliseconds d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

}  // namespace

struct ApiConnection {
  explicit ApiConnection(int socket) : fd(socket) {}
  const int fd;
  std::atomic<std::int64_t> request_started_ns{NowNs()};
  std::atomic<std::int64_t> last_byte_ns{NowNs()};
  std::atomic<bool> headers_done{false};
  std::atomic<bool> handling{false};  // a handler runs or its answer is written
  std::atomic<bool> waiting{false};   // for the client's next bytes
  std::atomic<bool> cut{false};       // set by the guard, read by the thread
};

namespace {

// The connection the current server thread serves (handlers mark its phase).
thread_local ApiConnection* tls_connection = nullptr;
// When the current server thread's connection was accepted.
thread_local std::int64_t tls_accepted_ns = 0;

}  // namespace

void MarkHeadersDone() {
  if (tls_connection) tls_connection->headers_done = true;
}
void MarkHandling() {
  if (tls_connection) tls_connection->handling = true;
}

bool ApiConnectionGuard::Register(ApiConnection* c) {
  std::lock_guard lock(mu_);
  ++stats_.accepted;
  if (stopping_) return false;
  live_.push_back(c);
  stats_.peak_connections = std::max(stats_.peak_connections, static_cast<int>(live_.size()));
  return true;
}

void ApiConnectionGuard::Unregister(ApiConnection* c) {
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
int ApiConnectionGuard::CutStalled(int count) {
  std::lock_guard lock(mu_);
  std::int64_t now = NowNs();
  int cut = 0;
  while (cut < count) {
    ApiConnection* victim = nullptr;
    std::int64_t worst = Ns(limits_.min_stall_to_cut);
    for (ApiConnection* c : live_) {
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

void ApiConnectionGuard::CutAll() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  for (ApiConnection* c : live_) {
    c->cut = true;
    ::shutdown(c->fd, SHUT_RDWR);
  }
}

bool ApiConnectionGuard::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void ApiConnectionGuard::Count(long ApiConnectionStats::*field) {
  std::lock_guard lock(mu_);
  ++(stats_.*field);
}

void ApiConnectionGuard::NoteThreads(int n) {
  std::lock_guard lock(mu_);
  stats_.peak_threads = std::max(stats_.peak_threads, n);
}

ApiConnectionStats ApiConnectionGuard::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

namespace {

// A socket stream with the request's deadlines and byte budget, over the
// connection's transport (plain or TLS). It buffers reads (httplib reads
// headers a byte at a time) and keeps the buffer across the requests of a
// keep-alive connection.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(ApiConnection& conn, ApiConnectionGuard& guard, Transport& transport)
      : conn_(conn), guard_(guard), limits_(guard.limits()), transport_(transport) {}

  // The TLS handshake, within the header deadline like the request line:
  // a client that never finishes it is cut as a silent one is. A client
  // speaking plain HTTP to the HTTPS port is told to use https://.
  bool Handshake() {
    short want = POLLIN;
    if (!Wait(POLLIN)) return HandshakeTimedOut();
    unsigned char first = 0;
    if (::recv(conn_.fd, &first, 1, MSG_PEEK | MSG_DONTWAIT) == 1 && first >= 'A' && first <= 'Z') {
      AnswerPlain("this screen's API and console answer over HTTPS: use https:// in the address\n");
      return false;
    }
    for (;;) {
      int r = transport_.Handshake(&want);
      if (r != 0) return r == 1;
      if (!Wait(want)) return HandshakeTimedOut();
    }
  }
  // Ends the connection's session (TLS close_notify) unless it was cut.
  void Close() {
    if (!conn_.cut && !answered_) transport_.Close();
  }

  void StartRequest() {
    std::int64_t now = NowNs();
    conn_.request_started_ns = now;
    conn_.last_byte_ns = now;
    conn_.headers_done = false;
    conn_.handling = false;
    consumed_ = 0;
  }
  bool has_buffered_bytes() const { return pos_ < len_ || transport_.HasPending(); }
  // A limit answered the request itself; the connection must close.
  bool answered() const { return answered_; }

  bool is_readable() const override { return has_buffered_bytes() || Wait(POLLIN); }
  bool is_writable() const override { return !answered_ && Wait(POLLOUT); }

  ssize_t read(char* ptr, size_t size) override {
    if (answered_) return -1;
    if (pos_ == len_) {
      // Bytes TLS decrypted already need no wait; otherwise wait for what
      // the transport asks (TLS may need to write to read).
      short want = transport_.HasPending() ? 0 : POLLIN;
      ssize_t n;
      for (;;) {
        if (want && !Wait(want)) {
          OnTimeout();
          return -1;
        }
        n = transport_.Read(buf_, sizeof buf_, &want);
        if (n >= 0 || !want) break;
      }
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
    if (answered_) return -1;
    short want = POLLOUT;
    for (;;) {
      if (!Wait(want)) return -1;
      ssize_t n = transport_.Write(ptr, size, &want);
      if (n >= 0 || !want) return n;
    }
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

  bool HandshakeTimedOut() {
    if (!conn_.cut) guard_.Count(&ApiConnectionStats::timed_out);
    return false;
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
    short want;
    transport_.Write(text.data(), text.size(), &want);
    answered_ = true;
  }
  // Unencrypted, whatever the transport: for a client that sent plain HTTP.
  void AnswerPlain(const std::string& message) {
    std::string text =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
        std::to_string(message.size()) + "\r\nConnection: close\r\n\r\n" + message;
    ::send(conn_.fd, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    answered_ = true;
  }

  ApiConnection& conn_;
  ApiConnectionGuard& guard_;
  const ApiLimits& limits_;
  Transport& transport_;
  char buf_[16384];
  std::size_t pos_ = 0, len_ = 0;
  std::size_t consumed_ = 0;  // bytes of this request handed to httplib
  bool answered_ = false;
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
    // OpenSSL writes to the socket with write(), which raises SIGPIPE when
    // the client has gone: blocked here, it stays pending on this thread and
    // the write fails with EPIPE instead of ending the player.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
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

GuardedServer::GuardedServer(ApiConnectionGuard& guard) : guard_(guard) {
  new_task_queue = [&guard] { return new ConnectionPool(guard, guard.limits().max_connections); };
}

GuardedServer::~GuardedServer() = default;

Status GuardedServer::EnableTls(const std::string& cert_file, const std::string& key_file) {
  Status status;
  tls_ = TlsContext::Create(cert_file, key_file, &status);
  return status;
}

void GuardedServer::RaiseBacklog(int backlog) {
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, backlog);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  const ApiLimits& limits = guard_.limits();
  ApiConnection conn(sock);
  bool ok = false;
  // A connection that waited in the queue past the header limit: its
  // client has given up, or it is part of a flood.
  bool stale = NowNs() - tls_accepted_ns > Ns(limits.header_timeout);
  if (stale) guard_.Count(&ApiConnectionStats::timed_out);
  std::unique_ptr<Transport> transport = tls_ ? TlsTransport(*tls_, sock) : PlainTransport(sock);
  if (!stale && transport && guard_.Register(&conn)) {
    tls_connection = &conn;
    GuardedStream strm(conn, guard_, *transport);
    bool ready = !tls_ || strm.Handshake();
    for (int i = 0; ready && i < limits.keep_alive_max_requests; ++i) {
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
    strm.Close();
    tls_connection = nullptr;
    guard_.Unregister(&conn);
  }
  transport.reset();
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace nb::update
