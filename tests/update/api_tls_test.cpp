// The push API over HTTPS: a real ApiServer with a certificate made by
// update/tls_identity.h, reached with httplib's SSL client, libcurl (the push
// client, with and without a pinned certificate), OpenSSL directly, and raw
// sockets for the clients that never finish a handshake.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "api_abuse.h"
#include "state_folder_fixture.h"
#include "test_playlists.h"
#include "update/api_server.h"
#include "update/push_client.h"
#include "update/tls_identity.h"

namespace nb::update {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;
using testing_support::ConnectLoopback;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

constexpr const char* kToken = testing_support::kTestApiToken;

// A TLS session of the test's own over a loopback connection (blocking).
class TlsClient {
 public:
  explicit TlsClient(int port) : fd_(ConnectLoopback(port)) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    connected_ = fd_ >= 0 && SSL_connect(ssl_) == 1;
  }
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }
  bool Send(const std::string& bytes) {
    return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) ==
           static_cast<int>(bytes.size());
  }
  // Everything until the server closes the session or the connection.
  std::string ReadToEnd() {
    std::string got;
    char buf[4096];
    for (;;) {
      int n = SSL_read(ssl_, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    ERR_clear_error();
    return got;
  }

 private:
  int fd_;
  SSL_CTX* ctx_;
  SSL* ssl_;
  bool connected_ = false;
};

class ApiTlsTest : public testing_support::StateFolderTest {
 protected:
  ApiTlsTest() : StateFolderTest("nb-api-tls") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    OpenStore(env_);
    OpenPipeline(env_);
    Status s = LoadOrCreateTlsIdentity(real_, (dir_ / "tls").string(), "", "", &identity_);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  void TearDown() override {
    if (server_) server_->Stop();
    StateFolderTest::TearDown();
  }

  void StartServer(ApiLimits limits = {}) {
    ApiOptions options;
    options.port = 0;
    options.token = kToken;
    options.limits = limits;
    options.tls_cert_file = identity_.cert_file;
    options.tls_key_file = identity_.key_file;
    server_ = std::make_unique<ApiServer>(env_, *pipeline_, options, ApiCallbacks{});
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.message();
    url_ = "https://127.0.0.1:" + std::to_string(server_->port());
  }

  // httplib's client, trusting the screen's certificate as its CA (the
  // certificate names 127.0.0.1, so the host check holds too).
  std::unique_ptr<httplib::SSLClient> Client() {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port());
    c->set_ca_cert_path(identity_.cert_file.c_str());
    c->enable_server_certificate_verification(true);
    c->set_bearer_token_auth(kToken);
    return c;
  }

  // A status request must still be answered (the server is not stuck).
  void ExpectStatusAnswers() {
    auto r = Client()->Get("/api/v1/status");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
  }

  TlsIdentity identity_;
  std::unique_ptr<ApiServer> server_;
  std::string url_;
};

TEST_F(ApiTlsTest, StatusOverHttpsAnswersWithTheTokenAndRefusesWithout) {
  StartServer();
  auto client = Client();
  for (int i = 0; i < 2; ++i) {  // twice: keep-alive over one TLS session
    auto r = client->Get("/api/v1/status");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(Json::parse(r->body).contains("uptime_s"));
  }
  httplib::SSLClient anonymous("127.0.0.1", server_->port());
  anonymous.enable_server_certificate_verification(false);
  auto r = anonymous.Get("/api/v1/status");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 401);
}

TEST_F(ApiTlsTest, PlainHttpToTheHttpsPortIsToldToUseHttps) {
  StartServer();
  int fd = ConnectLoopback(server_->port());
  ASSERT_GE(fd, 0);
  testing_support::SendSome(
      fd, "GET /api/v1/status HTTP/1.1\r\nHost: screen\r\nAuthorization: Bearer " +
              std::string(kToken) + "\r\n\r\n");
  std::string got;
  char buf[1024];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    got.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  EXPECT_EQ(got.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << got;
  EXPECT_NE(got.find("use https://"), std::string::npos) << got;
  httplib::Client plain("127.0.0.1", server_->port());
  auto r = plain.Get("/api/v1/status");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  ExpectStatusAnswers();
}

TEST_F(ApiTlsTest, ClientThatNeverFinishesTheHandshakeIsCutAfterTheHeaderTimeout) {
  ApiLimits limits;
  limits.header_timeout = 300ms;
  StartServer(limits);
  auto start = testing_support::AbuseClock::now();
  int silent = ConnectLoopback(server_->port());   // never sends a ClientHello
  int partial = ConnectLoopback(server_->port());  // half a record header, then nothing
  ASSERT_GE(silent, 0);
  ASSERT_GE(partial, 0);
  testing_support::SendSome(partial, std::string("\x16\x03\x01", 3));
  for (int fd : {silent, partial}) {
    testing_support::ExchangeResult r = testing_support::ReadAnswer(fd, start, 20s);
    EXPECT_FALSE(r.still_open);
    EXPECT_EQ(r.status, 0);  // closed without an answer: there is no session to answer in
    ::close(fd);
  }
  EXPECT_GE(server_->connection_stats().timed_out, 2);
  ExpectStatusAnswers();
}

TEST_F(ApiTlsTest, GuardsOwnAnswersGoThroughTls) {
  ApiLimits limits;
  limits.max_header_bytes = 2048;
  StartServer(limits);
  TlsClient client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET /api/v1/status HTTP/1.1\r\nHost: screen\r\nX-Pad: " +
                          std::string(4096, 'a') + "\r\n\r\n"));
  std::string answer = client.ReadToEnd();
  EXPECT_EQ(answer.rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0), 0u) << answer;
  EXPECT_EQ(server_->connection_stats().header_too_large, 1);
}

TEST_F(ApiTlsTest, StopReturnsPromptlyWithStalledTlsClients) {
  ApiLimits limits;  // long limits: only Stop() can end these connections
  limits.header_timeout = 60s;
  limits.idle_timeout = 60s;
  StartServer(limits);
  int in_handshake = ConnectLoopback(server_->port());
  testing_support::SendSome(in_handshake, std::string("\x16\x03\x01", 3));
  TlsClient after_handshake(server_->port());
  ASSERT_TRUE(after_handshake.connected());
  ASSERT_TRUE(after_handshake.Send("GET /api/v1/sta"));
  for (int i = 0; i < 500 && server_->connection_stats().accepted < 2; ++i)
    std::this_thread::sleep_for(10ms);
  auto before = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 10s);
  EXPECT_EQ(after_handshake.ReadToEnd(), "");
  ::close(in_handshake);
}

TEST_F(ApiTlsTest, PushWithTheScreensFingerprintIsApplied) {
  StartServer();
  PushResult r =
      PushPlaylist(url_, SampleJson(3), kToken, std::nullopt, 30s, identity_.sha256_fingerprint);
  ASSERT_EQ(r.http_status, 200) << r.error << r.body;
  EXPECT_EQ(Json::parse(r.body)["outcome"], "applied");
  EXPECT_EQ(Stored(), SamplePlaylist(3));
  // Lower case without colons is the same fingerprint.
  std::string bare;
  for (char c : identity_.sha256_fingerprint)
    if (c != ':') bare += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  r = PushPlaylist(url_, SampleJson(4), kToken, std::nullopt, 30s, bare);
  EXPECT_EQ(r.http_status, 200) << r.error << r.body;
}

TEST_F(ApiTlsTest, PushWithAnotherFingerprintSendsNothing) {
  StartServer();
  std::string wrong = identity_.sha256_fingerprint;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  PushResult r = PushPlaylist(url_, SampleJson(3), kToken, std::nullopt, 30s, wrong);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_NE(
      r.error.find("the screen's certificate has the fingerprint " + identity_.sha256_fingerprint +
                   ", not the pinned " + wrong + "; nothing was sent"),
      std::string::npos)
      << r.error;
  // The client got as far as the handshake and no request reached the
  // pipeline (nor any handler: the session never started).
  EXPECT_GE(server_->connection_stats().accepted, 1);
  UpdateStatus st = pipeline_->status();
  EXPECT_EQ(st.updates_applied, 0);
  EXPECT_EQ(st.updates_rejected, 0);
  std::vector<std::string> warnings;
  EXPECT_FALSE(store_->Load(&warnings));
}

TEST_F(ApiTlsTest, PushWithoutAPinRefusesTheSelfSignedCertificateAndSaysWhatToDo) {
  StartServer();
  PushResult r = PushPlaylist(url_, SampleJson(3), kToken, std::nullopt, 30s);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_NE(r.error.find("with --pin"), std::string::npos) << r.error;
  EXPECT_EQ(pipeline_->status().updates_applied, 0);
  // A pin is for https only, and must be a SHA-256 fingerprint.
  r = PushPlaylist("http://127.0.0.1:1", SampleJson(3), kToken, std::nullopt, 30s,
                   identity_.sha256_fingerprint);
  EXPECT_NE(r.error.find("needs an https:// address"), std::string::npos) << r.error;
  r = PushPlaylist(url_, SampleJson(3), kToken, std::nullopt, 30s, "AB:CD");
  EXPECT_NE(r.error.find("is not a SHA-256 fingerprint"), std::string::npos) << r.error;
}

TEST_F(ApiTlsTest, AKeyThatIsNotTheCertificatesStopsStart) {
  TlsIdentity other;
  ASSERT_TRUE(LoadOrCreateTlsIdentity(real_, (dir_ / "other").string(), "", "", &other).ok());
  ApiOptions options;
  options.port = 0;
  options.token = kToken;
  options.tls_cert_file = identity_.cert_file;
  options.tls_key_file = other.key_file;
  ApiServer server(env_, *pipeline_, options, ApiCallbacks{});
  Status s = server.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(other.key_file), std::string::npos) << s.message();
}

}  // namespace
}  // namespace nb::update
