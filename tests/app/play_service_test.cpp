// `noticeboard play` as the systemd unit runs it: sd_notify messages on
// NOTIFY_SOCKET (READY=1, WATCHDOG=1 while it plays) and screen power from
// the config (the off command run at once during off hours, nothing drawn).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "test_dir.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class PlayServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = nb::testing_support::FreshTestDir("nb-play-service");
    fs::create_directories(dir_ / "state");
  }
  void TearDown() override {
    if (sock_ >= 0) ::close(sock_);
    fs::remove_all(dir_);
  }

  // A datagram socket like systemd's notify socket.
  std::string OpenNotifySocket() {
    sock_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = (dir_ / "notify").string();
    EXPECT_LT(path.size(), sizeof(addr.sun_path));
    path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    EXPECT_EQ(::bind(sock_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    timeval tv{0, 100000};
    ::setsockopt(sock_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return path;
  }
  std::vector<std::string> Received() {
    std::vector<std::string> out;
    char buf[256];
    for (;;) {
      ssize_t n = ::recv(sock_, buf, sizeof(buf), MSG_DONTWAIT);
      if (n < 0) break;
      out.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

  pid_t Spawn(std::vector<std::string> args, std::vector<std::string> env) {
    // The dummy video driver, ahead of the inherited environment (the first
    // entry wins): offscreen loads Mesa's EGL, whose allocations
    // LeakSanitizer reports once SDL unloads it (asan preset).
    env.insert(env.begin(), "SDL_VIDEODRIVER=dummy");
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    args.insert(args.begin(), NB_BINARY);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    EXPECT_EQ(posix_spawn(&pid, NB_BINARY, nullptr, nullptr, argv.data(), envp.data()), 0);
    return pid;
  }
  static int Wait(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  fs::path dir_;
  int sock_ = -1;
};

TEST_F(PlayServiceTest, TellsSystemdItIsReadyAndPingsTheWatchdogWhilePlaying) {
  std::string notify = OpenNotifySocket();
  // A 1 s watchdog: pings every 0.5 s at the latest, also while the loop
  // sleeps between slides (no ticker movement in a 3-slide run of 1.2 s each).
  pid_t pid = Spawn({"play", NB_SOURCE_DIR "/playlists/tianjin-education.json", "--window",
                     "320x180", "--slide-seconds", "1.2", "--exit-after-slides", "2"},
                    {"NOTIFY_SOCKET=" + notify, "WATCHDOG_USEC=1000000"});
  ASSERT_GT(pid, 0);
  ASSERT_EQ(Wait(pid), 0);
  auto messages = Received();
  ASSERT_FALSE(messages.empty());
  int ready = 0, pings = 0;
  for (const auto& m : messages) {
    ready += m == "READY=1";
    pings += m == "WATCHDOG=1";
  }
  EXPECT_EQ(ready, 1);
  // 2.4 s of slides and more: at least one ping per half second.
  EXPECT_GE(pings, 4);
  EXPECT_EQ(messages.back(), "STOPPING=1");
}

TEST_F(PlayServiceTest, DuringOffHoursRunsTheOffCommandAndDrawsNothing) {
  fs::path marker = dir_ / "tv is off; touch injected";
  fs::path config = dir_ / "config.json";
  std::ofstream(config) << R"({
    "usb": {"enabled": false},
    "display": {
      "off_hours": [{"from": "00:00", "to": "00:00"}],
      "off_command": ["touch", ")"
                        << marker.string() << R"("],
      "on_command": ["touch", ")"
                        << (dir_ / "on").string() << R"("]
    }
  })";
  std::string notify = OpenNotifySocket();
  pid_t pid = Spawn({"play", NB_SOURCE_DIR "/playlists/tianjin-education.json", "--window",
                     "320x180", "--slide-seconds", "0.2", "--exit-after-slides", "2", "--config",
                     config.string(), "--state-dir", (dir_ / "state").string()},
                    {"NOTIFY_SOCKET=" + notify});
  ASSERT_GT(pid, 0);
  // Off all day: the command runs at start; the slides do not advance, so
  // --exit-after-slides never ends the run and the player waits for a stop.
  // Up to 60 s: the start-up (fonts, playlist) takes seconds under qemu on a
  // loaded machine; a passing run stops waiting as soon as the file is there.
  for (int i = 0; i < 3000 && !fs::exists(marker); ++i) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(fs::exists(marker)) << "the off command did not run";
  std::this_thread::sleep_for(1s);
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, WNOHANG), 0) << "play ended during off hours";
  ::kill(pid, SIGTERM);  // what systemctl stop sends
  EXPECT_EQ(Wait(pid), 0);
  EXPECT_FALSE(fs::exists(dir_ / "on"));
  auto messages = Received();
  EXPECT_NE(std::find(messages.begin(), messages.end(), "READY=1"), messages.end());
}

}  // namespace

// The unit can name the playlist and theme in the config alone: a PLAYLIST or
// --theme missing on the command line comes from there.
TEST_F(PlayServiceTest, TakesThePlaylistAndThemeFromTheConfig) {
  fs::path config = dir_ / "config.json";
  auto write_config = [&](const std::string& theme) {
    std::ofstream(config) << R"({"usb": {"enabled": false}, "playlist": ")" NB_SOURCE_DIR
                             R"(/playlists/tianjin-education.json", "theme": ")"
                          << theme << R"("})";
  };
  std::vector<std::string> args = {
      "play",     "--config", config.string(),   "--state-dir", (dir_ / "state").string(),
      "--window", "320x180",  "--slide-seconds", "0.2",         "--exit-after-slides",
      "1"};
  // A theme that does not exist: play must have read the config to know it.
  write_config((dir_ / "missing-theme.json").string());
  EXPECT_EQ(Wait(Spawn(args, {})), 1);
  // The built-in theme's file, named in the config: plays from the config's playlist.
  write_config(NB_SOURCE_DIR "/player/render/default-theme.json");
  EXPECT_EQ(Wait(Spawn(args, {})), 0);
  // No playlist anywhere is a usage error, not a black screen.
  EXPECT_EQ(Wait(Spawn({"play", "--window", "320x180"}, {})), 2);
}
