// The bytes of one API connection, plain or TLS, under the connection
// guard's stream (connection_guard.h), which owns the deadlines.
//
// Contract:
// - Every call is non-blocking. When one cannot go on until the socket is
//   readable or writable, it returns -1 with *want set to POLLIN or POLLOUT:
//   the caller waits for that (within its deadlines) and calls again with the
//   same arguments. Any other -1 (*want 0) is the end of the connection; 0
//   from Read is the peer's orderly close.
// - PlainTransport is recv/send with MSG_DONTWAIT (and MSG_NOSIGNAL).
// - TlsTransport does the TLS handshake (Handshake(), until it returns 1),
//   then SSL_read/SSL_write; HasPending() is true when bytes already
//   decrypted wait to be read, so no poll of the socket is needed for them.
//   Writes to a closed peer can raise SIGPIPE: the connection threads block
//   it (connection_guard.cpp).
// - TlsContext is the server's certificate and key with TLS 1.2 at least;
//   Create() names the file at fault. Shared by all connections
//   (thread-safe, as OpenSSL's SSL_CTX is once set up).
// - Compiled into the network module only (OpenSSL).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "base/status.h"

using SSL_CTX = struct ssl_ctx_st;

namespace nb::update {

class Transport {
 public:
  virtual ~Transport() = default;
  virtual ssize_t Read(char* buf, std::size_t size, short* want) = 0;
  virtual ssize_t Write(const char* buf, std::size_t size, short* want) = 0;
  virtual bool HasPending() const = 0;
  // 1 when the connection is ready for requests, 0 with *want set, -1 when
  // it failed (a client that does not speak TLS, a protocol error).
  virtual int Handshake(short* want) = 0;
  // Ends the session politely when it can do so at once (TLS close_notify).
  virtual void Close() = 0;
};

std::unique_ptr<Transport> PlainTransport(int fd);

class TlsContext {
 public:
  ~TlsContext();
  static std::unique_ptr<TlsContext> Create(const std::string& cert_file,
                                            const std::string& key_file, Status* status);
  SSL_CTX* get() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

// Null when OpenSSL cannot make a session (out of memory).
std::unique_ptr<Transport> TlsTransport(TlsContext& context, int fd);

}  // namespace nb::update
