// GET /metrics (issue 19): the exposition itself (names, types, escaping,
// counters from totals), checked by Prometheus' own promtool where it is
// installed; the door (its own token, or loopback only); and the files in
// deploy/monitoring/ (rules checked by promtool, the dashboard and rules
// asking only for metrics the screen writes).
#include "update/metrics.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "state_folder_fixture.h"
#include "update/api_server.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using testing_support::ReadText;

bool HavePromtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

// promtool's verdict on a metrics text, and what it said.
int Promtool(const std::string& args, const std::string& stdin_text, std::string* said) {
  fs::path in = fs::temp_directory_path() / ("nb-promtool-" + std::to_string(::getpid()));
  std::ofstream(in) << stdin_text;
  std::string cmd = "promtool " + args + " < " + in.string() + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[512];
  while (p && std::fgets(buf, sizeof buf, p)) *said += buf;
  int rc = p ? ::pclose(p) : -1;
  fs::remove(in);
  return rc;
}

MetricsInput Sample() {
  MetricsInput in;
  in.version = "0.1.0";
  in.commit = "abc123";
  in.arch = "aarch64";
  in.screen_name = "lobby \"1\"\\north\nwing";  // every character the format escapes
  in.uptime_s = 3600.5;
  in.frames = 216000;
  in.slide_changes = 360;
  in.fps = 59.9;
  in.screen_on = true;
  in.updates.playlist_items = 15;
  in.updates.playlist_hash = std::string(64, 'f');
  in.updates.playlist_title = "天津教育";
  in.updates.applied_by_source = {{"pull", 3}, {"usb", 1}};
  in.updates.rejected_by_source = {{"push", 2}};
  in.updates.last_update_unix = 1765000000;
  in.pull.failures_by_kind = {{"timeout", 4}};
  in.alerts_by_severity = {{"critical", 1}};
  in.rss_bytes = 40 << 20;
  in.pss_bytes = 30 << 20;
  return in;
}

TEST(MetricsTest, TheExpositionHasEveryFamilyWithItsType) {
  const std::string text = RenderMetrics(Sample());
  for (const char* line : {
           "# TYPE noticeboard_frames_total counter", "noticeboard_frames_total 216000",
           "# TYPE noticeboard_fps gauge", "noticeboard_fps 59.9",
           "noticeboard_build_info{arch=\"aarch64\",commit=\"abc123\",version=\"0.1.0\"} 1",
           "noticeboard_playlist_items 15",
           "noticeboard_updates_total{outcome=\"accepted\",source=\"pull\"} 3",
           "noticeboard_updates_total{outcome=\"refused\",source=\"push\"} 2",
           "noticeboard_pull_errors_total{kind=\"timeout\"} 4",
           "noticeboard_alerts_active{severity=\"critical\"} 1",
           "noticeboard_alerts_active{severity=\"info\"} 0",
           "noticeboard_screen_on 1", "noticeboard_last_update_timestamp_seconds 1765000000",
           "noticeboard_playlist_info{hash=\"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\",title=\"天津教育\"} 1",
           "process_resident_memory_bytes 41943040", "noticeboard_process_pss_bytes 31457280"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  // Label values escaped as the format says: \" \\ and \n.
  EXPECT_NE(text.find("noticeboard_screen_info{name=\"lobby \\\"1\\\"\\\\north\\nwing\"} 1"),
            std::string::npos)
      << text;
  // Every sample's family has HELP and TYPE lines.
  std::set<std::string> typed;
  std::regex type_line("^# TYPE (\\w+) (counter|gauge)$");
  std::regex sample("^(\\w+)[{ ]");
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, type_line)) typed.insert(m[1]);
    if (!line.empty() && line[0] != '#' && std::regex_search(line, m, sample)) {
      EXPECT_TRUE(typed.count(m[1])) << "no TYPE before " << line;
    }
  }
  EXPECT_NE(text.find("# HELP noticeboard_uptime_seconds "), std::string::npos);
}

TEST(MetricsTest, UnknownMemoryIsLeftOutNotWrittenAsMinusOne) {
  MetricsInput in = Sample();
  in.rss_bytes = in.pss_bytes = -1;
  const std::string text = RenderMetrics(in);
  EXPECT_EQ(text.find("process_resident_memory_bytes"), std::string::npos);
  EXPECT_EQ(text.find("noticeboard_process_pss_bytes"), std::string::npos);
}

TEST(MetricsTest, PromtoolAcceptsTheExposition) {
  if (!HavePromtool()) GTEST_SKIP() << "promtool is not installed (package prometheus)";
  std::string said;
  EXPECT_EQ(Promtool("check metrics", RenderMetrics(Sample()), &said), 0) << said;
}

TEST(MetricsTest, MemoryComesFromSmapsRollup) {
  fs::path f = fs::temp_directory_path() / ("nb-smaps-" + std::to_string(::getpid()));
  std::ofstream(f) << "55d0c8a00000-7ffd3c5fe000 ---p 00000000 00:00 0    [rollup]\n"
                      "Rss:               39140 kB\nPss:               32730 kB\n"
                      "Pss_Anon:          20000 kB\n";
  ProcessMemory m = ReadProcessMemory(f.string());
  EXPECT_EQ(m.rss_bytes, 39140LL * 1024);
  EXPECT_EQ(m.pss_bytes, 32730LL * 1024);
  fs::remove(f);
  EXPECT_EQ(ReadProcessMemory("/nonexistent").rss_bytes, -1);
  EXPECT_GT(ReadProcessMemory().rss_bytes, 0);
}

// The rules pass promtool; the rules and the dashboard ask only for
// metrics the screen writes (a renamed metric would silence an alert).
TEST(MonitoringFilesTest, RulesAndDashboardUseOnlyOurMetrics) {
  const std::string dir = NB_SOURCE_DIR "/deploy/monitoring/";
  const std::string text = RenderMetrics(Sample());
  std::set<std::string> ours = {"up"};
  std::regex type_line("# TYPE (\\w+) ");
  for (std::sregex_iterator it(text.begin(), text.end(), type_line), end; it != end; ++it)
    ours.insert((*it)[1]);
  std::string exprs = ReadText(dir + "noticeboard-rules.yml");
  auto dashboard = nlohmann::json::parse(ReadText(dir + "grafana-dashboard.json"));
  for (const auto& panel : dashboard["panels"]) {
    for (const auto& target : panel["targets"]) exprs += "\n" + target["expr"].get<std::string>();
  }
  std::regex name("\\b((?:noticeboard|process)_\\w+)");
  int seen = 0;
  for (std::sregex_iterator it(exprs.begin(), exprs.end(), name), end; it != end; ++it, ++seen)
    EXPECT_TRUE(ours.count((*it)[1])) << (*it)[1] << " is not a metric the screen writes";
  EXPECT_GT(seen, 10);
  if (!HavePromtool()) GTEST_SKIP() << "promtool is not installed (package prometheus)";
  std::string said;
  EXPECT_EQ(Promtool("check rules " + dir + "noticeboard-rules.yml", "", &said), 0) << said;
}

// The door: loopback without a token; with a metrics token, that token and
// not the push token; off, 404; and it never reaches the console's door.
class MetricsDoorTest : public testing_support::StateFolderTest {
 protected:
  MetricsDoorTest() : StateFolderTest("nb-metrics") {}
  void Start(ApiOptions options) {
    OpenStore(env_);
    OpenPipeline(env_);
    options.port = 0;
    options.token = testing_support::kTestApiToken;
    options.screen_name = "lobby-1";
    ApiCallbacks callbacks;
    callbacks.player_status = [] {
      PlayerStatus s;
      s.frames = 1234;
      s.fps = 60;
      return s;
    };
    server_ = std::make_unique<ApiServer>(env_, *pipeline_, options, callbacks);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    if (server_) server_->Stop();
    StateFolderTest::TearDown();
  }
  httplib::Result Get(const std::string& token = "") {
    httplib::Client c("127.0.0.1", server_->port());
    if (!token.empty()) c.set_bearer_token_auth(token);
    return c.Get("/metrics");
  }
  PosixFileSystem fs_;
  testing_support::TestEnv env_{fs_};
  std::unique_ptr<ApiServer> server_;
};

TEST_F(MetricsDoorTest, LoopbackWithoutATokenWhenNoneIsSet) {
  ApiOptions options;
  options.console.enabled = true;  // / is the console's, /metrics is not
  Start(options);
  auto r = Get();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r->body.find("noticeboard_frames_total 1234"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("noticeboard_screen_info{name=\"lobby-1\"} 1"), std::string::npos);
}

TEST_F(MetricsDoorTest, WithATokenOnlyThatToken) {
  ApiOptions options;
  options.metrics_token = "metrics-token-0123456789abcdef01";
  Start(options);
  auto none = Get();
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  auto push = Get(testing_support::kTestApiToken);
  ASSERT_TRUE(push);
  EXPECT_EQ(push->status, 403) << "the push token opened the metrics";
  auto good = Get("metrics-token-0123456789abcdef01");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  // And the metrics token opens nothing else.
  httplib::Client c("127.0.0.1", server_->port());
  c.set_bearer_token_auth("metrics-token-0123456789abcdef01");
  auto status = c.Get("/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 403);
}

TEST_F(MetricsDoorTest, OffIs404) {
  ApiOptions options;
  options.metrics = false;
  Start(options);
  auto r = Get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

}  // namespace
}  // namespace nb::update
