// The push API under abuse: a real ApiServer on a loopback port gets slow,
// silent, oversize and malformed requests on raw sockets. Status must keep
// answering while they are held open, every abusive connection must end with
// an allowed answer (or be closed) within the server's limits, and nothing
// may leak. NB_ABUSE_REQUESTS=10000 runs the full barrage (default 300);
// bench/api_abuse prints the figures of such a run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "api_abuse.h"
#include "state_folder_fixture.h"
#include "test_playlists.h"
#include "update/api_server.h"
#include "update/state_store.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing_support::AbuseReport;
using testing_support::ConnectLoopback;
using testing_support::ExchangeResult;
using testing_support::Median;
using testing_support::ProbeStatus;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;
using testing_support::StatusLatencies;

constexpr const char* kToken = testing_support::kTestApiToken;

class ApiAbuseTest : public testing_support::StateFolderTest {
 protected:
  ApiAbuseTest() : StateFolderTest("nb-abuse") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    OpenStore(env_);
    OpenPipeline(env_);
  }
  void TearDown() override {
    if (server_) server_->Stop();
    StateFolderTest::TearDown();
  }

  void StartServer(const ApiLimits& limits) {
    ApiOptions options;
    options.port = 0;
    options.token = kToken;
    options.limits = limits;
    server_ = std::make_unique<ApiServer>(env_, *pipeline_, options, ApiCallbacks{});
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.message();
  }

  // Opens a connection, sends `bytes` and keeps it open.
  int Hold(const std::string& bytes) {
    int fd = ConnectLoopback(server_->port());
    EXPECT_GE(fd, 0);
    if (fd >= 0 && !bytes.empty()) testing_support::SendSome(fd, bytes);
    held_.push_back(fd);
    return fd;
  }
  void CloseHeld() {
    for (int fd : held_)
      if (fd >= 0) ::close(fd);
    held_.clear();
  }

  ExchangeResult Exchange(const std::string& bytes, std::chrono::milliseconds patience) {
    auto start = testing_support::AbuseClock::now();
    int fd = ConnectLoopback(server_->port());
    EXPECT_GE(fd, 0);
    testing_support::SendSome(fd, bytes);
    ExchangeResult r = testing_support::ReadAnswer(fd, start, patience);
    ::close(fd);
    return r;
  }

  std::unique_ptr<ApiServer> server_;
  std::vector<int> held_;
};

std::string Auth() { return std::string("Authorization: Bearer ") + kToken + "\r\n"; }

// Slow and silent clients on every thread, and three times as many waiting:
// status still answers, and it is the guard cutting the stalled connections
// that makes room, not a timeout (the limits here are far longer than the
// client's patience).
TEST_F(ApiAbuseTest, StatusAnswersWhileSlowConnectionsHoldEveryThread) {
  ApiLimits limits;
  limits.max_connections = 4;
  limits.header_timeout = 60s;
  limits.request_timeout = 60s;
  limits.idle_timeout = 60s;
  StartServer(limits);
  for (int i = 0; i < 4; ++i) Hold("");
  for (int i = 0; i < 4; ++i) Hold("GET /api/v1/status HTTP/1.1\r\nHost: s\r\n");
  for (int i = 0; i < 4; ++i)
    Hold("PUT /api/v1/playlist HTTP/1.1\r\nHost: s\r\n" + Auth() +
         "Content-Type: application/json\r\nContent-Length: 900\r\n\r\n{\"version\"");
  // Let every thread be taken and the held connections stall.
  for (int i = 0; i < 200 && server_->connection_stats().peak_connections < 4; ++i)
    std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(2 * limits.min_stall_to_cut);

  for (int round = 0; round < 3; ++round) {
    ExchangeResult r = ProbeStatus(server_->port(), kToken, 20s);
    EXPECT_EQ(r.status, 200) << "round " << round << " after " << r.seconds << " s";
  }
  ApiConnectionStats stats = server_->connection_stats();
  EXPECT_EQ(stats.timed_out, 0);
  EXPECT_GE(stats.cut_to_make_room, 1);
  EXPECT_LE(stats.peak_threads, limits.max_connections);
  EXPECT_LE(stats.peak_connections, limits.max_connections);
  CloseHeld();
}

// Each limit answers with its own status and closes the connection.
TEST_F(ApiAbuseTest, LimitsAnswerWithTheirOwnStatus) {
  ApiLimits limits;
  limits.header_timeout = 1s;
  limits.request_timeout = 2s;
  limits.idle_timeout = 1s;
  StartServer(limits);
  const std::string put = "PUT /api/v1/playlist HTTP/1.1\r\nHost: s\r\n" + Auth() +
                          "Content-Type: application/json\r\n";

  std::string many = "GET /api/v1/status HTTP/1.1\r\nHost: s\r\n" + Auth();
  for (int i = 0; i < 6000; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(Exchange(many + "\r\n", 10s).status, 431);

  // Refused before the body is read, however long the declared body is.
  ExchangeResult huge = Exchange(put + "Content-Length: 99000000000\r\n\r\n", 10s);
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(Exchange(put + "Content-Length: -5\r\n\r\n", 10s).status, 400);

  // A body that never finishes: 408 once the idle limit passes.
  ExchangeResult stalled = Exchange(put + "Content-Length: 900\r\n\r\n{\"version\"", 10s);
  EXPECT_EQ(stalled.status, 408);
  // Half a request line, then nothing: 408 at the header limit.
  EXPECT_EQ(Exchange("PUT /api/v1/pla", 10s).status, 408);
  // Nothing at all: closed without a word.
  ExchangeResult silent = Exchange("", 10s);
  EXPECT_EQ(silent.status, 0);
  EXPECT_FALSE(silent.still_open);

  // A chunked body has no Content-Length to refuse early; httplib itself
  // would read it without end. 9 MiB of chunks: 413, and nothing stored.
  std::string chunked = put + "Transfer-Encoding: chunked\r\n\r\n";
  std::string chunk(65536, ' ');
  for (int i = 0; i < 144; ++i) chunked += "10000\r\n" + chunk + "\r\n";
  ExchangeResult endless = Exchange(chunked, 20s);
  EXPECT_TRUE(endless.status == 413 || endless.status == -1) << endless.status;
  EXPECT_FALSE(fs::exists(store_->current_path()));

  ApiConnectionStats stats = server_->connection_stats();
  EXPECT_GE(stats.header_too_large, 1);
  EXPECT_EQ(stats.request_too_large, 1);  // the chunked body, cut by the guard
  EXPECT_GE(stats.timed_out, 3);
  // And after all that, a good push still works.
  std::string body = SampleJson(3);
  ExchangeResult good =
      Exchange(put + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body, 10s);
  EXPECT_EQ(good.status, 200);
}

int AbuseRequests() {
  const char* env = std::getenv("NB_ABUSE_REQUESTS");
  return env ? std::atoi(env) : 300;
}

// The barrage: every case of api_abuse.h over 16 connections at once against
// 8 threads, with a prober on status. Status latency is compared with the
// same server's usual latency, measured first.
// A client that asks before sending its body ("Expect: 100-continue", what
// curl does for bodies over 1 KiB) is refused on its headers: no
// "100 Continue" for a missing or wrong token or an oversized body, only for
// a good request, which then goes through.
TEST_F(ApiAbuseTest, ExpectContinueIsAnsweredOnlyAfterTheChecks) {
  StartServer(ApiLimits{});
  const std::string body = SampleJson(3, "continued");
  auto head = [&](const std::string& auth, std::size_t length) {
    return "PUT /api/v1/playlist HTTP/1.1\r\nHost: s\r\n" + auth +
           "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
           std::to_string(length) + "\r\n\r\n";
  };
  // The first bytes the server sends back, waiting up to two seconds.
  auto first_answer = [&](const std::string& bytes, int fd) {
    testing_support::SendSome(fd, bytes);
    std::string got;
    for (int i = 0; i < 20 && got.find("\r\n\r\n") == std::string::npos; ++i) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got.substr(0, got.find("\r\n"));
  };
  struct Case {
    std::string auth;
    std::size_t length;
    const char* expected;
  };
  for (const Case& c :
       {Case{"", body.size(), "HTTP/1.1 401"},
        Case{"Authorization: Bearer not-the-token-at-all\r\n", body.size(), "HTTP/1.1 403"},
        Case{Auth(), 99000000, "HTTP/1.1 413"}}) {
    int fd = ConnectLoopback(server_->port());
    ASSERT_GE(fd, 0);
    std::string line = first_answer(head(c.auth, c.length), fd);
    EXPECT_EQ(line.rfind(c.expected, 0), 0u) << c.expected << ", got: " << line;
    ::close(fd);
  }
  int fd = ConnectLoopback(server_->port());
  ASSERT_GE(fd, 0);
  std::string line = first_answer(head(Auth(), body.size()), fd);
  EXPECT_EQ(line, "HTTP/1.1 100 Continue");
  testing_support::SendSome(fd, body);
  ExchangeResult r = testing_support::ReadAnswer(fd, testing_support::AbuseClock::now(), 5s);
  EXPECT_EQ(r.status, 200);
  ::close(fd);
  std::vector<std::string> warnings;
  EXPECT_EQ(store_->Load(&warnings)->playlist, SamplePlaylist(3, "continued"));
}

TEST_F(ApiAbuseTest, BarrageLeavesStatusAnsweringAndNothingLeaks) {
  ASSERT_TRUE(pipeline_->Submit({UpdateSource::kPush, "setup", SampleJson(4, "kept")}).ok());
  int fds_before = testing_support::OpenFileDescriptors();
  ApiLimits limits;
  limits.max_connections = 8;
  limits.header_timeout = 1s;
  limits.request_timeout = 3s;
  limits.idle_timeout = 500ms;
  limits.keep_alive_timeout = 500ms;
  StartServer(limits);

  std::vector<double> usual = StatusLatencies(server_->port(), kToken, 30);
  ASSERT_EQ(usual.size(), 30u);
  AbuseReport report =
      testing_support::RunAbuse(server_->port(), kToken, AbuseRequests(), 16, 5s, 20ms);
  std::vector<double> after = StatusLatencies(server_->port(), kToken, 30);

  std::ostringstream figures;
  for (const auto& [name, counts] : report.outcomes) {
    figures << name << ":";
    for (const auto& [status, n] : counts) figures << " " << status << "×" << n;
    figures << "\n";
  }
  figures << "status median usual " << Median(usual) * 1e3 << " ms, during "
          << Median(report.status_seconds) * 1e3 << " ms (" << report.status_seconds.size()
          << " probes), after " << Median(after) * 1e3 << " ms\n";
  ApiConnectionStats stats = server_->connection_stats();
  figures << "accepted " << stats.accepted << ", cut " << stats.cut_to_make_room << ", timed out "
          << stats.timed_out << ", 431 " << stats.header_too_large << ", peak connections "
          << stats.peak_connections << ", peak threads " << stats.peak_threads;
  std::cout << figures.str() << std::endl;

  for (const auto& [name, n] : report.wrong) ADD_FAILURE() << name << ": " << n << " wrong answers";
  EXPECT_EQ(report.still_open, 0);
  EXPECT_EQ(report.connect_failed, 0);
  EXPECT_EQ(report.status_failures, 0);
  EXPECT_FALSE(report.status_seconds.empty());
  // Generous factors: the machine is shared, and during the barrage status
  // may wait for slow connections to stall long enough to be cut.
  EXPECT_LT(Median(report.status_seconds), 100 * Median(usual)) << figures.str();
  ASSERT_EQ(after.size(), 30u);
  EXPECT_LT(Median(after), 10 * Median(usual)) << figures.str();
  EXPECT_LE(stats.peak_threads, limits.max_connections);

  // Nothing stored, nothing left behind, no descriptor leaked.
  std::vector<std::string> warnings;
  EXPECT_EQ(store_->Load(&warnings)->playlist, SamplePlaylist(4, "kept"));
  for (const auto& e : fs::directory_iterator(dir_ / "state"))
    EXPECT_TRUE(e.path().filename() == "current.json") << e.path();
  server_->Stop();
  EXPECT_EQ(testing_support::OpenFileDescriptors(), fds_before);
}

}  // namespace
}  // namespace nb::update
