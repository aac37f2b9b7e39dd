// `noticeboard receive` and `noticeboard push` as a user runs them: the real
// binary, a config file, a token file, and the state folder on disk.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "loopback.h"
#include "playlist/playlist.h"
#include "test_dir.h"
#include "test_playlists.h"

namespace nb {
namespace {

namespace fs = std::filesystem;
using testing_support::CanConnect;
using testing_support::FreeLoopbackPort;
using namespace std::chrono_literals;

// Runs a shell command; returns its exit code and its stderr+stdout.
int RunShell(const std::string& cmd, std::string* output) {
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  output->clear();
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) output->append(buf, n);
  int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class ReceiveCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = nb::testing_support::FreshTestDir("nb-receive");
    port_ = FreeLoopbackPort();
    std::ofstream(dir_ / "token") << "a1b2c3d4e5f60718293a4b5c6d7e8f90\n";
    std::ofstream(dir_ / "config.json")
        << "// written by the test\n{\n  \"state_dir\": \"" << (dir_ / "state").string()
        << "\",\n  \"usb\": {\"enabled\": false},\n  \"api\": {\"enabled\": true, \"listen\": "
        << "\"127.0.0.1:" << port_ << "\", \"token_file\": \"" << (dir_ / "token").string()
        << "\"}\n}\n";
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }

  void StartReceive() {
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string log = (dir_ / "receive.log").string();
      std::freopen(log.c_str(), "w", stderr);
      std::string config = (dir_ / "config.json").string();
      ::execl(NB_BINARY, NB_BINARY, "receive", "--config", config.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 250 && !CanConnect(port_); ++i) std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(CanConnect(port_)) << "receive did not start listening";
  }

  std::string Push(const fs::path& playlist, int* code, const std::string& token = "token") {
    std::string out;
    *code = RunShell(std::string(NB_BINARY) + " push http://127.0.0.1:" + std::to_string(port_) +
                         " " + playlist.string() + " --token-file " + (dir_ / token).string(),
                     &out);
    return out;
  }

  fs::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(ReceiveCommandTest, PushStoresThePlaylistAndReceiveStopsCleanly) {
  StartReceive();
  std::ofstream(dir_ / "p.json") << testing_support::SampleJson(12);
  int code = -1;
  std::string out = Push(dir_ / "p.json", &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("applied, 12 items"), std::string::npos) << out;

  PosixFileSystem fs;
  std::vector<playlist::Diagnostic> errors;
  auto stored = playlist::LoadPlaylistFile(fs, (dir_ / "state" / "current.json").string(), &errors);
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, testing_support::SamplePlaylist(12));

  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream log_in(dir_ / "receive.log");
  std::string log((std::istreambuf_iterator<char>(log_in)), {});
  EXPECT_NE(log.find("12 items stored"), std::string::npos) << log;
  // The token never reaches the log.
  EXPECT_EQ(log.find("a1b2c3d4e5f6"), std::string::npos) << log;
}

TEST_F(ReceiveCommandTest, PushRefusesBadInputAndBadTokensWithReasons) {
  StartReceive();
  std::ofstream(dir_ / "bad.json") << "{\"version\": 1, \"items\": [{\"id\": \"x\"}]}";
  int code = -1;
  std::string out = Push(dir_ / "bad.json", &code);
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("/items/0"), std::string::npos) << out;
  EXPECT_NE(out.find("not sent"), std::string::npos) << out;

  std::ofstream(dir_ / "wrong-token") << "ffffffffffffffffffffffffffffffff\n";
  std::ofstream(dir_ / "p.json") << testing_support::SampleJson(2);
  out = Push(dir_ / "p.json", &code, "wrong-token");
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("HTTP 403"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir_ / "state" / "current.json"));
}

TEST_F(ReceiveCommandTest, ConfigErrorsStopReceiveWithTheirPointer) {
  std::ofstream(dir_ / "config.json", std::ios::trunc)
      << "{\"state_dir\": \"" << dir_.string() << "/s\", \"pull\": {\"url\": \"x\"}, \"usbb\": {}}";
  std::string out;
  int code = RunShell(
      std::string(NB_BINARY) + " receive --config " + (dir_ / "config.json").string(), &out);
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("/usbb: unknown field \"usbb\"; did you mean \"usb\"?"), std::string::npos)
      << out;
  EXPECT_NE(out.find("/pull/url: expected an http:// or https:// address"), std::string::npos)
      << out;
}

// The API is receive's only path here: without its token there is nothing
// to wait for, so receive stops with the token's error (play plays on).
TEST_F(ReceiveCommandTest, MissingTokenWithNoOtherPathStopsWithTheFix) {
  fs::remove(dir_ / "token");
  std::string out;
  int code = RunShell(
      std::string(NB_BINARY) + " receive --config " + (dir_ / "config.json").string(), &out);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find((dir_ / "token").string()), std::string::npos) << out;
  EXPECT_NE(out.find("chown root:noticeboard"), std::string::npos) << out;
  EXPECT_NE(out.find("nothing to receive"), std::string::npos) << out;
}

}  // namespace
}  // namespace nb
