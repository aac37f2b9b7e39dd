// The push API's connection guard: what stands between cpp-httplib and the
// sockets so that slow, silent or oversize clients cannot starve the others.
//
// cpp-httplib serves a connection on one thread until the client is done, and
// its read timeout is per recv(): a client that sends a byte every few seconds,
// or endless header lines, keeps a thread (and memory) forever, and a handful
// of those starve every other request. So GuardedServer reads and writes
// through a stream of our own that knows the request's deadlines and byte
// budget, runs connections on a pool that cuts the longest-stalled ones when
// others wait, and serves keep-alive itself (httplib's own loop would use its
// plain socket stream).
//
// Contract (the limits are ApiLimits, api_server.h):
// - A connection gets a thread of its own, at most max_connections at once;
//   beyond that connections wait, and while they wait the connections stalled
//   longest are cut (ApiConnectionGuard::CutStalled), never one whose handler
//   runs.
// - The request line and headers must arrive whole within header_timeout and
//   within max_header_bytes (else 408 / 431, answered by the guard, and the
//   connection closes); the whole request within request_timeout; no read or
//   write waits longer than idle_timeout; an idle keep-alive connection closes
//   after keep_alive_timeout or keep_alive_max_requests. A chunked body is cut
//   (413) once its bytes pass twice the update limit.
// - Handlers call MarkHeadersDone() once the headers are read and
//   MarkHandling() when they start to answer, on the server's thread: a
//   connection whose handler runs is never cut to make room.
// - CutAll() cuts every connection and refuses new ones (Stop()).
// - With EnableTls() every connection is HTTPS: the TLS handshake must end
//   within header_timeout (else it is cut and counted as timed out), then
//   the same limits hold on the decrypted bytes, and the guard's own answers
//   (408 / 431 / 413) go through TLS too. A client speaking plain HTTP to it
//   gets a plain 400 saying to use https://. Without it, plain HTTP.
// - Thread-safe. Compiled into the network module only (it includes httplib).
#pragma once

#include <httplib.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "update/api_server.h"

namespace nb::update {

// One connection as the guard sees it (connection_guard.cpp).
struct ApiConnection;
class TlsContext;

// The phase of the request on the connection the calling thread serves.
void MarkHeadersDone();
void MarkHandling();

class ApiConnectionGuard {
 public:
  explicit ApiConnectionGuard(const ApiLimits& limits) : limits_(limits) {}
  const ApiLimits& limits() const { return limits_; }

  // False when stopping: the connection is to be closed at once.
  bool Register(ApiConnection* c);
  void Unregister(ApiConnection* c);
  // Cuts up to `count` connections that have kept the server waiting longest;
  // returns how many it cut.
  int CutStalled(int count);
  void CutAll();
  bool stopping() const;
  void Count(long ApiConnectionStats::*field);
  void NoteThreads(int n);
  ApiConnectionStats stats() const;

 private:
  const ApiLimits limits_;
  mutable std::mutex mu_;
  std::vector<ApiConnection*> live_;
  bool stopping_ = false;
  ApiConnectionStats stats_;
};

// httplib's server with the guard's connection loop and connection pool.
class GuardedServer final : public httplib::Server {
 public:
  explicit GuardedServer(ApiConnectionGuard& guard);
  ~GuardedServer() override;

  // Serves HTTPS with this PEM certificate (chain) and key, TLS 1.2 at
  // least; before listening. The error names the file at fault.
  Status EnableTls(const std::string& cert_file, const std::string& key_file);

  // httplib listens with a backlog of 5: under a burst of connections the
  // kernel drops handshakes, and a client then waits for a SYN-ACK
  // retransmission (1 s, 3 s, 7 s...) before it is even accepted.
  void RaiseBacklog(int backlog);

 private:
  // The per-connection entry point httplib calls on a pool thread.
  bool process_and_close_socket(socket_t sock) override;

  ApiConnectionGuard& guard_;
  std::unique_ptr<TlsContext> tls_;  // null: plain HTTP
};

}  // namespace nb::update
