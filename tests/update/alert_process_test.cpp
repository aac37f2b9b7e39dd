// Urgent notices end to end against the real `noticeboard play` (headless,
// SDL offscreen): posted to the API it is on screen (the screenshot is its
// red), kept across a restart; `noticeboard alert` sends, lists and cancels;
// a fleet's feed file shows and goes away when removed; in off hours a
// critical one turns the screen on and a lesser one waits.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "loopback.h"
#include "render/png.h"
#include "render/theme.h"
#include "run_binary.h"
#include "test_dir.h"
#include "test_playlists.h"

namespace nb {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace std::chrono_literals;
using testing_support::FreeLoopbackPort;
using testing_support::ReadWholeFile;
using testing_support::RunBinary;

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";
constexpr const char* kStorm =
    R"({"id": "storm", "severity": "critical", "title": "今日停课", "text": "受暴雨影响，今日全天停课。", "for": "2h"})";

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

class AlertProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing_support::FreshTestDir("nb-alert-play");
    port_ = FreeLoopbackPort();
    WriteText(dir_ / "token", std::string(kToken) + "\n");
    WriteText(dir_ / "playlist.json", testing_support::SampleJson(3, "file"));
  }
  void TearDown() override {
    Stop();
    if (feed_) {
      feed_->stop();
      feed_thread_.join();
    }
    fs::remove_all(dir_);
  }
  // The config, with `extra` members added at the top level.
  void WriteConfig(const std::string& extra = "") {
    WriteText(dir_ / "config.json",
              "{\"state_dir\": \"" + (dir_ / "state").string() +
                  "\", \"usb\": {\"enabled\": false}, \"api\": {\"enabled\": true, \"listen\": "
                  "\"127.0.0.1:" +
                  std::to_string(port_) + "\", \"token_file\": \"" + (dir_ / "token").string() +
                  "\"}" + extra + "}");
  }
  // `first_frame`: wait for it (in off hours it waits for the screen).
  void Start(bool first_frame = true) {
    std::vector<std::string> argv = {NB_BINARY,  "play", (dir_ / "playlist.json").string(),
                                     "--window", "480x270", "--software",
                                     "--config", (dir_ / "config.json").string()};
    log_ = dir_ / ("play-" + std::to_string(++starts_) + ".log");
    pid_ = ::fork();
    if (pid_ == 0) {
      std::freopen(log_.c_str(), "w", stderr);
      std::vector<char*> c;
      for (auto& a : argv) c.push_back(a.data());
      c.push_back(nullptr);
      ::execv(NB_BINARY, c.data());
      ::_exit(127);
    }
    if (first_frame) {
      ASSERT_TRUE(WaitForLog("first frame presented", 60s)) << ReadWholeFile(log_);
    }
  }
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  bool WaitForLog(const std::string& text, std::chrono::seconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (ReadWholeFile(log_).find(text) != std::string::npos) return true;
      if (pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  httplib::Client Api() {
    httplib::Client c("127.0.0.1", port_);
    c.set_bearer_token_auth(kToken);
    c.set_read_timeout(20s);
    return c;
  }
  // The share of the screenshot in `rgba`'s colour.
  double ShareOf(std::uint32_t rgba) {
    auto res = Api().Get("/api/v1/screenshot.png");
    if (!res || res->status != 200) return -1;
    WriteText(dir_ / "shot.png", res->body);
    PosixFileSystem pfs;
    render::Image image;
    if (!render::ReadPng(pfs, (dir_ / "shot.png").string(), &image).ok()) return -1;
    long n = 0;
    for (std::size_t i = 0; i + 3 < image.rgba.size(); i += 4) {
      if (image.rgba[i] == (rgba >> 24) && image.rgba[i + 1] == ((rgba >> 16) & 0xFF) &&
          image.rgba[i + 2] == ((rgba >> 8) & 0xFF))
        ++n;
    }
    return static_cast<double>(n) / (image.width * image.height);
  }
  // Polls `check` until true or the limit passes.
  template <typename F>
  bool Eventually(F check, std::chrono::seconds limit = 20s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (check()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  fs::path dir_, log_;
  int port_ = 0, starts_ = 0;
  pid_t pid_ = -1;
  std::unique_ptr<httplib::Server> feed_;
  std::thread feed_thread_;
};

const std::uint32_t kRed = render::DefaultTheme().colors.alert_critical_background;

TEST_F(AlertProcessTest, PostedItIsOnScreenAndSurvivesARestart) {
  WriteConfig();
  Start();
  EXPECT_LT(ShareOf(kRed), 0.01);
  auto res = Api().Post("/api/v1/alerts", kStorm, "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(Eventually([&] { return ShareOf(kRed) > 0.5; })) << ReadWholeFile(log_);
  EXPECT_TRUE(WaitForLog("alert received: storm", 5s)) << ReadWholeFile(log_);
  EXPECT_TRUE(WaitForLog("alert shown: storm", 5s)) << ReadWholeFile(log_);
  auto status = Api().Get("/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(Json::parse(status->body)["alerts"][0]["id"], "storm");
  // A power cut: the alert is there again at start.
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  Start();
  EXPECT_TRUE(Eventually([&] { return ShareOf(kRed) > 0.5; })) << ReadWholeFile(log_);
  EXPECT_NE(ReadWholeFile(log_).find("restored"), std::string::npos);
  // Cancelled: the bulletin comes back.
  auto gone = Api().Delete("/api/v1/alerts/storm");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 200) << gone->body;
  EXPECT_TRUE(Eventually([&] { return ShareOf(kRed) < 0.01; }));
  EXPECT_TRUE(WaitForLog("alert cancelled: storm", 5s));
}

TEST_F(AlertProcessTest, TheAlertCommandSendsListsAndCancels) {
  WriteConfig();
  Start();
  const std::string token = (dir_ / "token").string();
  auto sent = RunBinary({"alert", Url(), "--token-file", token, "--id", "drill", "--title",
                         "10:00 消防疏散演练", "--severity", "warning", "--for", "1h"},
                        dir_);
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.err.find("received drill"), std::string::npos) << sent.err;
  auto listed = RunBinary({"alert", Url(), "--token-file", token, "--list"}, dir_);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("drill\t警示\t10:00 消防疏散演练"), std::string::npos) << listed.out;
  // A typo is caught before anything is sent.
  auto typo = RunBinary({"alert", Url(), "--token-file", token, "--title", "x", "--severity",
                         "urgent"},
                        dir_);
  EXPECT_NE(typo.exit_code, 0);
  EXPECT_NE(typo.err.find("--severity urgent"), std::string::npos) << typo.err;
  auto cancelled = RunBinary({"alert", Url(), "--token-file", token, "--cancel", "drill"}, dir_);
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.err;
  auto again = RunBinary({"alert", Url(), "--token-file", token, "--cancel", "drill"}, dir_);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("404"), std::string::npos) << again.err;
}

TEST_F(AlertProcessTest, AFeedFileShowsWithinTheIntervalAndGoesAwayWhenRemoved) {
  std::mutex mu;
  std::string body = R"({"alerts": [)" + std::string(kStorm) + "]}";
  bool present = true;
  feed_ = std::make_unique<httplib::Server>();
  feed_->Get("/alerts.json", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mu);
    if (!present) {
      res.status = 404;
      return;
    }
    res.set_content(body, "application/json");
  });
  const int feed_port = feed_->bind_to_any_port("127.0.0.1");
  feed_thread_ = std::thread([this] { feed_->listen_after_bind(); });
  WriteConfig(", \"alerts\": {\"url\": \"http://127.0.0.1:" + std::to_string(feed_port) +
              "/alerts.json\", \"interval_s\": 5}");
  Start();
  EXPECT_TRUE(Eventually([&] { return ShareOf(kRed) > 0.5; }, 15s)) << ReadWholeFile(log_);
  {
    std::lock_guard lock(mu);
    present = false;
  }
  EXPECT_TRUE(Eventually([&] { return ShareOf(kRed) < 0.01; }, 15s)) << ReadWholeFile(log_);
  EXPECT_NE(ReadWholeFile(log_).find("is gone from its server"), std::string::npos);
}

TEST_F(AlertProcessTest, InOffHoursACriticalAlertTurnsTheScreenOnALesserOneWaits) {
  const std::string on = (dir_ / "on").string(), off = (dir_ / "off").string();
  WriteConfig(R"(, "display": {"off_hours": [{"from": "00:00", "to": "00:00"}],
                 "off_command": ["sh", "-c", "echo off >> )" +
              (dir_ / "power").string() + R"("], "on_command": ["sh", "-c", "echo on >> )" +
              (dir_ / "power").string() + R"("]})");
  Start(/*first_frame=*/false);  // it waits for the screen to come on
  ASSERT_TRUE(WaitForLog("screen off", 30s)) << ReadWholeFile(log_);
  ASSERT_TRUE(Eventually([&] { return testing_support::CanConnect(port_); }));
  auto res = Api().Post("/api/v1/alerts",
                        R"({"id": "heat", "severity": "warning", "title": "高温预警", "for": "1h"})",
                        "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(ReadWholeFile(log_).find("turns the screen on"), std::string::npos)
      << "a warning waits for the morning";
  res = Api().Post("/api/v1/alerts", kStorm, "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(WaitForLog("an urgent notice turns the screen on", 5s)) << ReadWholeFile(log_);
  EXPECT_TRUE(WaitForLog("first frame presented", 10s)) << ReadWholeFile(log_);
  EXPECT_TRUE(Eventually([&] { return ShareOf(kRed) > 0.5; }));
  EXPECT_TRUE(Eventually([&] { return ReadWholeFile(dir_ / "power") == "off\non\n"; }))
      << ReadWholeFile(dir_ / "power");
  // Cancelled: off hours again, the screen off.
  ASSERT_TRUE(Api().Delete("/api/v1/alerts/storm"));
  EXPECT_TRUE(Eventually([&] { return ReadWholeFile(dir_ / "power") == "off\non\noff\n"; }))
      << ReadWholeFile(dir_ / "power");
}

}  // namespace
}  // namespace nb
