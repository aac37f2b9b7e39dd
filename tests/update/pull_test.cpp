// Pull against a real nginx on loopback: the fixture writes a config for a
// free 127.0.0.1 port, starts nginx in the foreground and stops it at the end.
#include "update/pull.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/time_format.h"
#include "fault_injecting_fs.h"
#include "loopback.h"
#include "test_dir.h"
#include "test_playlists.h"
#include "update/state_store.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using testing_support::CanConnect;
using testing_support::FreeLoopbackPort;
using namespace std::chrono_literals;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;
using testing_support::TestEnv;

TEST(BackoffTest, GrowsExponentiallyUpToTheIntervalWithJitter) {
  const auto first = 5000ms, interval = 300000ms;
  EXPECT_EQ(BackoffDelay(0, first, interval, 0.7), interval);
  EXPECT_EQ(BackoffDelay(1, first, interval, 0.0), 5000ms);
  EXPECT_EQ(BackoffDelay(1, first, interval, 1.0), 2500ms);
  EXPECT_EQ(BackoffDelay(2, first, interval, 0.0), 10000ms);
  EXPECT_EQ(BackoffDelay(3, first, interval, 0.5), 15000ms);   // 20 s minus a quarter
  EXPECT_EQ(BackoffDelay(7, first, interval, 0.0), 300000ms);  // 320 s capped
  EXPECT_EQ(BackoffDelay(1000, first, interval, 0.0), 300000ms);
  // Jitter spreads a fleet that lost the network at the same moment.
  EXPECT_NE(BackoffDelay(4, first, interval, 0.1), BackoffDelay(4, first, interval, 0.9));
}

class PullTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* nginx = "/usr/sbin/nginx";
    if (::access(nginx, X_OK) != 0) return;
    prefix_ = fs::temp_directory_path() / ("nb-nginx-" + std::to_string(::getpid()));
    fs::remove_all(prefix_);
    fs::create_directories(prefix_ / "www" / "slow");
    fs::create_directories(prefix_ / "www" / "trunc");
    fs::create_directories(prefix_ / "tmp");
    port_ = FreeLoopbackPort();
    std::string p = prefix_.string();
    std::ofstream(prefix_ / "nginx.conf")
        << "daemon off;\nmaster_process off;\n"
           "error_log "
        << p << "/error.log info;\npid " << p
        << "/nginx.pid;\n"
           "events { worker_connections 64; }\n"
           "http {\n  access_log off;\n  default_type application/json;\n"
           "  include " NB_SOURCE_DIR "/deploy/monitoring/nginx-fleet-log.conf;\n"
           "  client_body_temp_path "
        << p << "/tmp/body; proxy_temp_path " << p
        << "/tmp/proxy;\n"
           "  fastcgi_temp_path "
        << p << "/tmp/fcgi; uwsgi_temp_path " << p
        << "/tmp/uwsgi;\n"
           "  scgi_temp_path "
        << p
        << "/tmp/scgi;\n"
           "  server {\n    listen 127.0.0.1:"
        << port_ << ";\n    root " << p
        << "/www;\n    access_log " << p << "/access.log noticeboard;\n"
           "    location = /error500 { return 500; }\n"
           "    location /slow/ { limit_rate 1k; }\n"
           "    location /trunc/ { sendfile off; output_buffers 1 4k; limit_rate 8k; }\n"
           "  }\n}\n";
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string conf = (prefix_ / "nginx.conf").string();
      ::execl(nginx, nginx, "-p", p.c_str(), "-c", conf.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !CanConnect(port_); ++i) std::this_thread::sleep_for(20ms);
    if (!CanConnect(port_)) {
      std::ifstream log(prefix_ / "error.log");
      startup_error_ = std::string(std::istreambuf_iterator<char>(log), {});
      return;
    }
    nginx_up_ = true;
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (!prefix_.empty()) fs::remove_all(prefix_);
  }

  void SetUp() override {
    if (pid_ <= 0) GTEST_SKIP() << "nginx is not installed (scripts/install-deps.sh)";
    ASSERT_TRUE(nginx_up_) << "nginx did not start: " << startup_error_;
    dir_ = nb::testing_support::FreshTestDir("nb-pull");
    store_ = std::make_unique<StateStore>(env_, (dir_ / "state").string());
    ASSERT_TRUE(store_->Open().ok());
    pipeline_ = std::make_unique<UpdatePipeline>(env_, *store_, std::vector<PublicKey>{});
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  static std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  static void Serve(const std::string& path, const std::string& text) {
    std::ofstream(prefix_ / "www" / path, std::ios::binary | std::ios::trunc) << text;
  }

  PullOptions Options(const std::string& path) {
    PullOptions o;
    o.url = Url(path);
    o.connect_timeout = 2000ms;
    o.timeout = 5000ms;
    o.interval = 60000ms;
    o.first_retry = 1000ms;
    return o;
  }

  // Puts playlist "good" (3 items) on screen through a first pull.
  void StartWithGoodPlaylist() {
    Serve("good.json", SampleJson(3, "good"));
    Puller first(env_, *pipeline_, Options("/good.json"), [] { return 0.0; });
    auto round = first.PollOnce();
    ASSERT_EQ(round.fetch.kind, FetchResult::Kind::kNew) << round.fetch.error;
    ASSERT_TRUE(round.update && round.update->outcome == UpdateOutcome::kApplied);
    pipeline_->mailbox().TakePlaylist();
  }

  void ExpectOldPlaylistStays() {
    std::vector<std::string> warnings;
    auto stored = store_->Load(&warnings);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->playlist, SamplePlaylist(3, "good"));
    EXPECT_FALSE(pipeline_->mailbox().TakePlaylist());
  }

  static inline fs::path prefix_;
  static inline int port_ = 0;
  static inline pid_t pid_ = -1;
  static inline bool nginx_up_ = false;
  static inline std::string startup_error_;
  fs::path dir_;
  PosixFileSystem real_;
  TestEnv env_{real_};
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<UpdatePipeline> pipeline_;
};

TEST_F(PullTest, FirstFetchThenNotModifiedThenChangedContent) {
  Serve("p.json", SampleJson(5, "v1"));
  Puller puller(env_, *pipeline_, Options("/p.json"), [] { return 0.0; });
  auto r1 = puller.PollOnce();
  ASSERT_EQ(r1.fetch.kind, FetchResult::Kind::kNew) << r1.fetch.error;
  EXPECT_EQ(r1.fetch.http_status, 200);
  ASSERT_TRUE(r1.update);
  EXPECT_EQ(r1.update->outcome, UpdateOutcome::kApplied);
  EXPECT_EQ(r1.update->notice, "已从网络更新播放列表：5 条");
  EXPECT_EQ(r1.next_delay, 60000ms);
  auto posted = pipeline_->mailbox().TakePlaylist();
  ASSERT_TRUE(posted);
  EXPECT_EQ(*posted, SamplePlaylist(5, "v1"));

  auto r2 = puller.PollOnce();
  EXPECT_EQ(r2.fetch.kind, FetchResult::Kind::kNotModified) << r2.fetch.error;
  EXPECT_EQ(r2.fetch.http_status, 304);
  EXPECT_FALSE(r2.update);
  EXPECT_FALSE(pipeline_->mailbox().TakePlaylist());
  EXPECT_EQ(pipeline_->status().updates_applied, 1);

  Serve("p.json", SampleJson(8, "v2"));
  // nginx's ETag is mtime + size; make sure the mtime moves even within a second.
  fs::last_write_time(prefix_ / "www" / "p.json",
                      fs::last_write_time(prefix_ / "www" / "p.json") + 5s);
  auto r3 = puller.PollOnce();
  ASSERT_EQ(r3.fetch.kind, FetchResult::Kind::kNew) << r3.fetch.error;
  EXPECT_EQ(r3.update->outcome, UpdateOutcome::kApplied);
  posted = pipeline_->mailbox().TakePlaylist();
  ASSERT_TRUE(posted);
  EXPECT_EQ(*posted, SamplePlaylist(8, "v2"));
}

// A playlist published before its .minisig is refused; once the .minisig
// arrives the next round takes both, although the playlist itself has not
// changed (the server would answer 304 for it).
TEST_F(PullTest, ASignatureUploadedAfterItsPlaylistIsFetchedNextRound) {
  InitSodium();
  SecretKey key;
  crypto_sign_keypair(key.key.data() + 32, key.key.data());
  randombytes_buf(key.key_id.data(), key.key_id.size());
  pipeline_ = std::make_unique<UpdatePipeline>(env_, *store_, std::vector<PublicKey>{key.Public()});
  const std::string text = SampleJson(4, "signed");
  fs::remove(prefix_ / "www" / "late.json.minisig");
  Serve("late.json", text);
  Puller puller(env_, *pipeline_, Options("/late.json"), [] { return 0.0; });
  auto r1 = puller.PollOnce();
  ASSERT_EQ(r1.fetch.kind, FetchResult::Kind::kNew) << r1.fetch.error;
  ASSERT_TRUE(r1.update);
  EXPECT_EQ(r1.update->outcome, UpdateOutcome::kRejected);
  EXPECT_NE(r1.update->reason.find("no signature"), std::string::npos) << r1.update->reason;

  Serve("late.json.minisig", SignMinisig(text, key, "file:late.json"));
  auto r2 = puller.PollOnce();
  ASSERT_EQ(r2.fetch.kind, FetchResult::Kind::kNew) << "a 304 for the playlist: " << r2.fetch.error;
  ASSERT_TRUE(r2.update);
  EXPECT_EQ(r2.update->outcome, UpdateOutcome::kApplied) << r2.update->reason;
  // Once applied, an unchanged pair is 304 again.
  EXPECT_EQ(puller.PollOnce().fetch.kind, FetchResult::Kind::kNotModified);
}

// A restart must not undo a newer update from another path: the first pull
// after it is conditional too, so an unchanged server file is not applied
// again over what a USB stick brought meanwhile.
TEST_F(PullTest, ValidatorsSurviveARestartSoAnUnchangedFileIsNotAppliedAgain) {
  Serve("kept.json", SampleJson(9, "server"));
  PullOptions options = Options("/kept.json");
  options.validators_file = (dir_ / "state" / "pull-validators.json").string();
  {
    Puller before(env_, *pipeline_, options, [] { return 0.0; });
    auto r = before.PollOnce();
    ASSERT_TRUE(r.update && r.update->outcome == UpdateOutcome::kApplied);
  }
  // A stick brings 15 items.
  UpdateRequest stick;
  stick.source = UpdateSource::kUsb;
  stick.origin = "/media/stick/noticeboard/playlist.json";
  stick.bytes = SampleJson(15, "stick");
  ASSERT_TRUE(pipeline_->Submit(stick).ok());
  // The player restarts; the server's file is unchanged.
  Puller after(env_, *pipeline_, options, [] { return 0.0; });
  auto r = after.PollOnce();
  EXPECT_EQ(r.fetch.kind, FetchResult::Kind::kNotModified) << r.fetch.error;
  std::vector<std::string> warnings;
  EXPECT_EQ(store_->Load(&warnings)->playlist, SamplePlaylist(15, "stick"));
  // Another URL's validators are not used.
  PullOptions other = Options("/good.json");
  other.validators_file = options.validators_file;
  Serve("good.json", SampleJson(3, "good"));
  Puller elsewhere(env_, *pipeline_, other, [] { return 0.0; });
  EXPECT_EQ(elsewhere.PollOnce().fetch.kind, FetchResult::Kind::kNew);
}

TEST_F(PullTest, NotFoundAndServerErrorKeepTheOldPlaylistAndBackOff) {
  StartWithGoodPlaylist();
  Puller puller(env_, *pipeline_, Options("/missing.json"), [] { return 0.0; });
  auto r404 = puller.PollOnce();
  EXPECT_EQ(r404.fetch.kind, FetchResult::Kind::kFailed);
  EXPECT_EQ(r404.fetch.http_status, 404);
  EXPECT_NE(r404.fetch.error.find("HTTP 404 (not found)"), std::string::npos) << r404.fetch.error;
  EXPECT_EQ(r404.next_delay, 1000ms);
  auto again = puller.PollOnce();
  EXPECT_EQ(again.next_delay, 2000ms);
  EXPECT_EQ(puller.consecutive_failures(), 2);
  ExpectOldPlaylistStays();
  // Network trouble is the pull's, not a refused playlist.
  EXPECT_EQ(pipeline_->status().updates_rejected, 0);
  EXPECT_NE(pipeline_->pull_status().last_error.find("404"), std::string::npos);
  EXPECT_EQ(pipeline_->pull_status().network_failures, 2);
  // Network trouble stays off the lobby screen.
  auto notice = pipeline_->mailbox().TakeNotice();
  EXPECT_TRUE(!notice || notice->kind == NoticeKind::kSuccess);

  Puller p500(env_, *pipeline_, Options("/error500"), [] { return 0.0; });
  auto r500 = p500.PollOnce();
  EXPECT_EQ(r500.fetch.kind, FetchResult::Kind::kFailed);
  EXPECT_NE(r500.fetch.error.find("HTTP 500 (server error)"), std::string::npos);
  ExpectOldPlaylistStays();
}

// A network that came back must not keep showing the old error.
TEST_F(PullTest, TheStatusShowsARecoveredNetworkAsRecovered) {
  StartWithGoodPlaylist();
  const std::string ok_before = pipeline_->pull_status().last_ok_at;
  env_.clock_.Advance(std::chrono::seconds(30));
  Puller puller(env_, *pipeline_, Options("/flaky.json"), [] { return 0.0; });
  fs::remove(prefix_ / "www" / "flaky.json");
  puller.PollOnce();
  PullStatus down = pipeline_->pull_status();
  EXPECT_FALSE(down.last_error.empty());
  EXPECT_EQ(down.last_ok_at, ok_before);
  EXPECT_FALSE(down.next_at.empty());
  Serve("flaky.json", SampleJson(3, "good"));
  env_.clock_.Advance(std::chrono::seconds(30));
  puller.PollOnce();
  PullStatus up = pipeline_->pull_status();
  EXPECT_TRUE(up.last_error.empty()) << up.last_error;
  EXPECT_EQ(up.last_ok_at, up.last_checked_at);
  EXPECT_GT(up.last_checked_at, down.last_checked_at);
  EXPECT_EQ(up.network_failures, 1);
}

TEST_F(PullTest, SlowServerTimesOut) {
  StartWithGoodPlaylist();
  Serve("slow/p.json", SampleJson(300, "slow"));  // tens of KB at 1 KB/s
  PullOptions o = Options("/slow/p.json");
  o.timeout = 1500ms;
  Puller puller(env_, *pipeline_, o, [] { return 0.0; });
  auto r = puller.PollOnce();
  EXPECT_EQ(r.fetch.kind, FetchResult::Kind::kFailed);
  EXPECT_NE(r.fetch.error.find("timed out"), std::string::npos) << r.fetch.error;
  ExpectOldPlaylistStays();
}

TEST_F(PullTest, OversizeBodyIsStoppedAtTheLimit) {
  StartWithGoodPlaylist();
  Serve("big.json", std::string(kMaxUpdateBytes + 100, ' '));
  Puller puller(env_, *pipeline_, Options("/big.json"), [] { return 0.0; });
  auto r = puller.PollOnce();
  EXPECT_EQ(r.fetch.kind, FetchResult::Kind::kFailed);
  EXPECT_NE(r.fetch.error.find("larger than the limit of 4 MiB"), std::string::npos)
      << r.fetch.error;
  ExpectOldPlaylistStays();
}

TEST_F(PullTest, TruncatedBodyIsRefused) {
  StartWithGoodPlaylist();
  std::string full = SampleJson(400, "trunc");
  ASSERT_GT(full.size(), 40000u);
  Serve("trunc/p.json", full);
  PullOptions o = Options("/trunc/p.json");
  o.timeout = 20000ms;
  Puller puller(env_, *pipeline_, o, [] { return 0.0; });
  // While nginx sends at 8 KB/s, the file shrinks under it (a copy replaced
  // in place): nginx has announced the full length and closes early.
  std::thread shrink([] {
    std::this_thread::sleep_for(700ms);
    fs::resize_file(prefix_ / "www" / "trunc" / "p.json", 10000);
  });
  auto r = puller.PollOnce();
  shrink.join();
  EXPECT_EQ(r.fetch.kind, FetchResult::Kind::kFailed);
  EXPECT_NE(r.fetch.error.find("cut off before the end"), std::string::npos) << r.fetch.error;
  ExpectOldPlaylistStays();
}

TEST_F(PullTest, InvalidJsonIsRefusedWithTheReason) {
  StartWithGoodPlaylist();
  std::string half = SampleJson(10, "half");
  half.resize(half.size() / 2);  // a half-uploaded file, served whole
  Serve("half.json", half);
  Puller puller(env_, *pipeline_, Options("/half.json"), [] { return 0.0; });
  auto r = puller.PollOnce();
  EXPECT_EQ(r.fetch.kind, FetchResult::Kind::kNew);
  ASSERT_TRUE(r.update);
  EXPECT_EQ(r.update->outcome, UpdateOutcome::kRejected);
  EXPECT_NE(r.update->reason.find("syntax error"), std::string::npos) << r.update->reason;
  // Bad content is news: the notice says so on screen.
  auto notice = pipeline_->mailbox().TakeNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->kind, NoticeKind::kRefused);
  EXPECT_EQ(notice->text, "网络上的播放列表格式有误，未更新；详见管理页面或日志");
  ExpectOldPlaylistStays();
  // Unchanged on the server: a 304, and no second complaint.
  auto r2 = puller.PollOnce();
  EXPECT_EQ(r2.fetch.kind, FetchResult::Kind::kNotModified);
}

TEST_F(PullTest, ThreadPullsAndStopsPromptly) {
  Serve("t.json", SampleJson(4, "thread"));
  PullOptions o = Options("/t.json");
  Puller puller(env_, *pipeline_, o);
  puller.Start();
  std::shared_ptr<const playlist::Playlist> got;
  for (int i = 0; i < 300 && !got; ++i) {
    got = pipeline_->mailbox().TakePlaylist();
    std::this_thread::sleep_for(10ms);
  }
  auto before = std::chrono::steady_clock::now();
  puller.Stop();  // the thread is waiting out a 60 s interval
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, SamplePlaylist(4, "thread"));
}

// Injected time for the puller's thread: each wait is recorded and moves the
// manual clock forward instead of sleeping; `between(n)` runs after the n-th
// wait (to change what the server serves); after `rounds` waits the thread is
// held until Stop().
class ScriptedWaiter final : public Waiter {
 public:
  ScriptedWaiter(ManualClock& clock, std::size_t rounds, std::function<void(std::size_t)> between)
      : clock_(clock), rounds_(rounds), between_(std::move(between)) {}
  bool Wait(std::chrono::milliseconds delay) override {
    std::unique_lock lock(mu_);
    if (stop_) return false;
    delays_.push_back(delay);
    clock_.Advance(delay);
    if (between_) between_(delays_.size());
    if (delays_.size() < rounds_) return true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return stop_; });
    return false;
  }
  void Stop() override {
    std::lock_guard lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  std::vector<std::chrono::milliseconds> AwaitRounds() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 60s, [this] { return delays_.size() >= rounds_; });
    return delays_;
  }

 private:
  ManualClock& clock_;
  std::size_t rounds_;
  std::function<void(std::size_t)> between_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<std::chrono::milliseconds> delays_;
};

TEST_F(PullTest, BackoffScheduleOfTheRunningThreadWithInjectedTime) {
  fs::remove(prefix_ / "www" / "sched.json");
  const auto start = env_.clock_.WallNow();
  // Four failed rounds (404), then the file appears: one success, then the
  // interval. The jitter's random numbers come in a fixed cycle.
  auto waiter = std::make_unique<ScriptedWaiter>(env_.clock_, 6, [](std::size_t n) {
    if (n == 4) Serve("sched.json", SampleJson(2, "sched"));
  });
  ScriptedWaiter* script = waiter.get();
  const double randoms[] = {0.0, 0.5, 1.0, 0.25, 0.9, 0.9};
  std::size_t next_random = 0;
  Puller puller(
      env_, *pipeline_, Options("/sched.json"),
      [&] { return randoms[next_random++ % std::size(randoms)]; }, std::move(waiter));
  auto before = std::chrono::steady_clock::now();
  puller.Start();
  std::vector<std::chrono::milliseconds> delays = script->AwaitRounds();
  puller.Stop();
  // Nothing slept for real: the schedule adds up to over two minutes.
  EXPECT_LT(std::chrono::steady_clock::now() - before, 30s);
  // first_retry 1 s, interval 60 s: 1 s·2^(n−1) less random·half of it.
  std::vector<std::chrono::milliseconds> expected = {1000ms, 1500ms,  2000ms,
                                                     7000ms, 60000ms, 60000ms};
  EXPECT_EQ(delays, expected);
  // The update was stamped with the injected time: after the four waits.
  EXPECT_EQ(pipeline_->status().last_update_at, UtcTimestamp(start + 11500ms));
  EXPECT_EQ(pipeline_->status().updates_applied, 1);
  auto got = pipeline_->mailbox().TakePlaylist();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, SamplePlaylist(2, "sched"));
}

// Issue 19: every pull is a heartbeat. The access log, in the format
// deploy/monitoring/nginx-fleet-log.conf gives, names the screen and the
// playlist it plays; deploy/monitoring/fleet-seen.sh lists the fleet from it
// and flags a screen that plays another playlist than the rest.
TEST_F(PullTest, EveryPullIsAHeartbeatInTheAccessLog) {
  Serve("fleet.json", SampleJson(3, "fleet"));
  PullOptions options = Options("/fleet.json");
  options.screen_name = "lobby 1";
  Puller puller(env_, *pipeline_, options, [] { return 0.0; });
  ASSERT_EQ(puller.PollOnce().fetch.kind, FetchResult::Kind::kNew);
  const std::string hash = pipeline_->status().playlist_hash;
  ASSERT_FALSE(hash.empty());
  ASSERT_EQ(puller.PollOnce().fetch.kind, FetchResult::Kind::kNotModified);
  // A second screen still on an older playlist.
  PullOptions other = Options("/fleet.json");
  other.screen_name = "gym";
  HttpFetcher gym(other);
  gym.SetHeartbeat("gym", std::string(64, 'a'));
  gym.Fetch();
  std::string log;
  for (int i = 0; i < 100; ++i) {  // nginx writes the line after answering
    std::ifstream in(prefix_ / "access.log");
    log.assign(std::istreambuf_iterator<char>(in), {});
    if (log.find("\"gym\"") != std::string::npos) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_NE(log.find("\"lobby 1\" " + hash + " 304 /fleet.json"), std::string::npos) << log;
  // The one-liner of DEPLOY.md over this log.
  const std::string cmd = NB_SOURCE_DIR "/deploy/monitoring/fleet-seen.sh " +
                          (prefix_ / "access.log").string() + " 15";
  FILE* out = ::popen(cmd.c_str(), "r");
  ASSERT_TRUE(out);
  std::string table;
  char buf[512];
  while (std::fgets(buf, sizeof buf, out)) table += buf;
  ASSERT_EQ(::pclose(out), 0) << table;
  EXPECT_NE(table.find("SCREEN"), std::string::npos) << table;
  // Two screens, one playlist each: a tie; whichever is not the fleet's is OLD.
  EXPECT_NE(table.find("lobby 1"), std::string::npos) << table;
  EXPECT_NE(table.find("gym"), std::string::npos) << table;
  EXPECT_NE(table.find(hash.substr(0, 16)), std::string::npos) << table;
  EXPECT_NE(table.find("OLD"), std::string::npos) << table;
  EXPECT_EQ(table.find("SILENT"), std::string::npos) << table;
}

}  // namespace
}  // namespace nb::update
