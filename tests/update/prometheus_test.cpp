// A real Prometheus (Debian's package) scraping a real `noticeboard play`
// (headless) over loopback, with the example rules of deploy/monitoring/
// loaded: the screen is up, its item count is what it plays, the rules load,
// and a critical urgent notice on the screen makes one of them fire.
// Skipped with a message where the package is missing.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "loopback.h"
#include "run_binary.h"
#include "test_dir.h"
#include "test_playlists.h"

namespace nb {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace std::chrono_literals;
using testing_support::CanConnect;
using testing_support::FreeLoopbackPort;
using testing_support::ReadWholeFile;

pid_t Spawn(std::vector<std::string> argv, const fs::path& log, const char* env_name = nullptr,
            const char* env_value = nullptr) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen(log.c_str(), "w", stderr);
    std::freopen(log.c_str(), "a", stdout);
    if (env_name) ::setenv(env_name, env_value, 1);
    std::vector<char*> c;
    for (auto& a : argv) c.push_back(a.data());
    c.push_back(nullptr);
    ::execvp(c[0], c.data());
    ::_exit(127);
  }
  return pid;
}

void Stop(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
}

class PrometheusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v prometheus >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "prometheus is not installed (package prometheus)";
    dir_ = testing_support::FreshTestDir("nb-prometheus");
  }
  void TearDown() override {
    Stop(prometheus_);
    Stop(play_);
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  // An instant query's first value, or nullopt.
  std::optional<double> Query(const std::string& promql) {
    httplib::Client c("127.0.0.1", prometheus_port_);
    auto r = c.Get("/api/v1/query", httplib::Params{{"query", promql}}, httplib::Headers{});
    if (!r || r->status != 200) return std::nullopt;
    Json body = Json::parse(r->body, nullptr, false);
    if (!body.is_object() || body["data"]["result"].empty()) return std::nullopt;
    return std::stod(body["data"]["result"][0]["value"][1].get<std::string>());
  }

  fs::path dir_;
  pid_t play_ = -1, prometheus_ = -1;
  int prometheus_port_ = 0;
};

TEST_F(PrometheusTest, ScrapesTheScreenLoadsTheExampleRulesAndOneFires) {
  const int api_port = FreeLoopbackPort();
  prometheus_port_ = FreeLoopbackPort();
  std::ofstream(dir_ / "token") << "0123456789abcdef0123456789abcdef\n";
  std::ofstream(dir_ / "playlist.json") << testing_support::SampleJson(3, "prom");
  std::ofstream(dir_ / "config.json")
      << "{\"name\": \"lobby-1\", \"state_dir\": \"" << (dir_ / "state").string()
      << "\", \"usb\": {\"enabled\": false}, \"api\": {\"enabled\": true, \"listen\": "
         "\"127.0.0.1:"
      << api_port << "\", \"token_file\": \"" << (dir_ / "token").string() << "\"}}";
  play_ = Spawn({NB_BINARY, "play", (dir_ / "playlist.json").string(), "--window", "320x180",
                 "--software", "--config", (dir_ / "config.json").string()},
                dir_ / "play.log");
  fs::copy_file(NB_SOURCE_DIR "/deploy/monitoring/noticeboard-rules.yml",
                dir_ / "noticeboard-rules.yml");
  std::ofstream(dir_ / "prometheus.yml")
      << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
         "rule_files:\n  - noticeboard-rules.yml\n"
         "scrape_configs:\n  - job_name: noticeboard\n    static_configs:\n"
         "      - targets: ['127.0.0.1:"
      << api_port << "']\n";
  prometheus_ = Spawn({"prometheus", "--config.file=" + (dir_ / "prometheus.yml").string(),
                       "--storage.tsdb.path=" + (dir_ / "tsdb").string(),
                       "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port_)},
                      dir_ / "prometheus.log");
  std::optional<double> up, items;
  for (int i = 0; i < 300 && !(up == 1.0 && items); ++i) {
    std::this_thread::sleep_for(100ms);
    if (!CanConnect(prometheus_port_)) continue;
    up = Query("up{job=\"noticeboard\"}");
    items = Query("noticeboard_playlist_items");
  }
  ASSERT_EQ(up, 1.0) << ReadWholeFile(dir_ / "prometheus.log") << ReadWholeFile(dir_ / "play.log");
  EXPECT_EQ(items, 3.0);
  EXPECT_EQ(Query("noticeboard_screen_info{name=\"lobby-1\"}"), 1.0);
  EXPECT_GT(Query("noticeboard_frames_total").value_or(0), 0);
  // The example rules loaded and evaluate without error.
  httplib::Client c("127.0.0.1", prometheus_port_);
  auto rules = c.Get("/api/v1/rules");
  ASSERT_TRUE(rules);
  Json body = Json::parse(rules->body);
  int loaded = 0;
  for (const auto& group : body["data"]["groups"]) {
    for (const auto& rule : group["rules"]) {
      ++loaded;
      EXPECT_NE(rule.value("health", ""), "err") << rule.dump();
    }
  }
  EXPECT_EQ(loaded, 6);

  // An example alert fires: a critical urgent notice on the screen raises
  // UrgentNoticeOnScreen within a few evaluations.
  httplib::Client screen("127.0.0.1", api_port);
  screen.set_bearer_token_auth("0123456789abcdef0123456789abcdef");
  auto posted = screen.Post(
      "/api/v1/alerts", R"({"id": "storm", "severity": "critical", "title": "今日停课", "for": "1h"})",
      "application/json");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  std::optional<double> firing;
  for (int i = 0; i < 200 && !firing; ++i) {
    std::this_thread::sleep_for(100ms);
    firing = Query("ALERTS{alertname=\"UrgentNoticeOnScreen\",alertstate=\"firing\"}");
  }
  EXPECT_EQ(firing, 1.0) << "the example rule did not fire";
  EXPECT_EQ(Query("noticeboard_alerts_active{severity=\"critical\"}"), 1.0);
}

}  // namespace
}  // namespace nb
