#include "update/connection_transport.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace nb::update {
namespace {

class Plain final : public Transport {
 public:
  explicit Plain(int fd) : fd_(fd) {}

  ssize_t Read(char* buf, std::size_t size, short* want) override {
    *want = 0;
    ssize_t n;
    do {
      n = ::recv(fd_, buf, size, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) *want = POLLIN;
    return n;
  }
  ssize_t Write(const char* buf, std::size_t size, short* want) override {
    *want = 0;
    ssize_t n;
    do {
      n = ::send(fd_, buf, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) *want = POLLOUT;
    return n;
  }
  bool HasPending() const override { return false; }
  int Handshake(short* want) override {
    *want = 0;
    return 1;
  }
  void Close() override {}

 private:
  const int fd_;
};

// What an SSL call that returned `ret` asks for: -1 with *want set when it
// would block, else -1 (failed) or 0 (the peer closed the session).
ssize_t Blocked(SSL* ssl, int ret, short* want) {
  switch (SSL_get_error(ssl, ret)) {
    case SSL_ERROR_WANT_READ:
      *want = POLLIN;
      return -1;
    case SSL_ERROR_WANT_WRITE:
      *want = POLLOUT;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      return -1;
  }
}

class Tls final : public Transport {
 public:
  explicit Tls(SSL* ssl) : ssl_(ssl) {}
  ~Tls() override { SSL_free(ssl_); }

  ssize_t Read(char* buf, std::size_t size, short* want) override {
    *want = 0;
    ERR_clear_error();  // SSL_get_error reads this thread's queue
    int n = SSL_read(ssl_, buf, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
    return n > 0 ? n : Blocked(ssl_, n, want);
  }
  // Whole buffer or nothing (no partial writes): a call that would block is
  // repeated with the same arguments, as OpenSSL requires.
  ssize_t Write(const char* buf, std::size_t size, short* want) override {
    *want = 0;
    if (size == 0) return 0;
    ERR_clear_error();
    int n = SSL_write(ssl_, buf, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
    if (n > 0) return n;
    Blocked(ssl_, n, want);
    return -1;
  }
  bool HasPending() const override { return SSL_pending(ssl_) > 0; }
  int Handshake(short* want) override {
    *want = 0;
    ERR_clear_error();
    int r = SSL_accept(ssl_);
    if (r == 1) {
      ready_ = true;
      return 1;
    }
    Blocked(ssl_, r, want);
    return *want ? 0 : -1;
  }
  void Close() override {
    if (!ready_) return;
    ERR_clear_error();
    SSL_shutdown(ssl_);  // one non-blocking try: close_notify, no wait for the peer's
  }

 private:
  SSL* const ssl_;
  bool ready_ = false;
};

std::string OpenSslReason() {
  unsigned long e = ERR_peek_last_error();
  const char* reason = e ? ERR_reason_error_string(e) : nullptr;
  ERR_clear_error();
  return reason ? reason : "unknown error";
}

}  // namespace

std::unique_ptr<Transport> PlainTransport(int fd) { return std::make_unique<Plain>(fd); }

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

std::unique_ptr<TlsContext> TlsContext::Create(const std::string& cert_file,
                                               const std::string& key_file, Status* status) {
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) {
    *status = Status::Error("HTTPS cannot start: " + OpenSslReason());
    return nullptr;
  }
  std::unique_ptr<TlsContext> context(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // No resumption: each connection does a full handshake, and nothing about
  // past sessions is kept (tickets would need a key kept and rotated).
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    *status = Status::Error(cert_file + ": cannot use it as the HTTPS certificate (" +
                            OpenSslReason() + ")");
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    *status =
        Status::Error(key_file + ": cannot use it as the HTTPS key (" + OpenSslReason() + ")");
    return nullptr;
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    *status =
        Status::Error(key_file + ": this key does not belong to the certificate " + cert_file);
    ERR_clear_error();
    return nullptr;
  }
  *status = Status();
  return context;
}

std::unique_ptr<Transport> TlsTransport(TlsContext& context, int fd) {
  SSL* ssl = SSL_new(context.get());
  if (!ssl) return nullptr;
  auto tls = std::make_unique<Tls>(ssl);
  // OpenSSL reads and writes the socket itself: it must never block there.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 || SSL_set_fd(ssl, fd) != 1)
    return nullptr;
  return tls;
}

}  // namespace nb::update
