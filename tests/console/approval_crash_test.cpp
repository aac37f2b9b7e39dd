// The audit log survives a SIGKILL in the middle of an approval (issue 22):
// either the whole entry and the publish, or neither. The real
// `noticeboard console` is killed with a real SIGKILL at the two places
// that matter (NB_CONSOLE_CRASH_AT, console/approval.h): after the pending
// entry is written but before the publish, and after the publish but before
// the entry reaches the log. Started again, it finishes or drops the entry.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "run_binary.h"
#include "test_dir.h"
#include "update/test_playlists.h"

namespace nb::console {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing_support::ReadWholeFile;
using testing_support::RunBinary;
using testing_support::SampleJson;

constexpr const char* kPassword = "approval-test-42";

int FreePort() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(s);
  return ntohs(a.sin_port);
}

class ApprovalCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing_support::FreshTestDir("nb-approval-crash");
    state_ = dir_ / "noticeboard";  // the desktop console's own folder (--state-dir)
    fs::create_directories(state_);
    playlist_ = dir_ / "playlist.json";
    std::ofstream(playlist_) << SampleJson(2, "old");
    for (auto [user, role] : {std::pair{"li", "editor"}, std::pair{"wang", "approver"}}) {
      auto r = RunBinary({"passwd", "--file", (state_ / "console-passwords").string(), "--user",
                          user, "--role", role, "--password-stdin"},
                         dir_, {.stdin_text = std::string(kPassword) + "\n"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  void TearDown() override {
    if (pid_ > 0) Stop(SIGKILL);
    fs::remove_all(dir_);
  }

  // `noticeboard console` in the background; `crash_at` sets NB_CONSOLE_CRASH_AT.
  void Start(const std::string& crash_at = "") {
    port_ = FreePort();
    std::vector<std::string> args = {NB_BINARY,
                                     "console",
                                     playlist_.string(),
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port_),
                                     "--password-file",
                                     (state_ / "console-passwords").string(),
                                     "--state-dir",
                                     state_.string()};
    std::vector<std::string> env = {"XDG_CONFIG_HOME=" + dir_.string(),
                                    "SDL_VIDEODRIVER=offscreen"};
    if (!crash_at.empty()) env.push_back("NB_CONSOLE_CRASH_AT=" + crash_at);
    for (char** e = environ; *e; ++e) {
      std::string_view v = *e;
      if (v.rfind("XDG_CONFIG_HOME=", 0) && v.rfind("NB_CONSOLE_CRASH_AT=", 0)) env.emplace_back(v);
    }
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    for (auto& e : env) envp.push_back(e.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = (dir_ / "console.log").string();
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ASSERT_EQ(posix_spawn(&pid_, NB_BINARY, &actions, nullptr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      httplib::Client c("127.0.0.1", port_);
      if (auto r = c.Get("/console/api/session"); r && r->status == 200) break;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << ReadWholeFile(log);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  // The process's end: the signal that ended it, or 0 when it exited.
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  int Stop(int sig = SIGTERM) {
    ::kill(pid_, sig);
    return Wait();
  }

  // Logged in as `user`: the headers its page sends.
  httplib::Headers As(const std::string& user) {
    httplib::Client c("127.0.0.1", port_);
    const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
    auto r = c.Post("/console/api/login", {{"Origin", origin}},
                    Json{{"user", user}, {"password", kPassword}}.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    if (!r || r->status != 200) return {};
    std::string cookie = r->get_header_value("Set-Cookie");
    return {{"Origin", origin},
            {"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", Json::parse(r->body)["csrf"].get<std::string>()}};
  }
  std::string Submit() {
    httplib::Client c("127.0.0.1", port_);
    auto r =
        c.Post("/console/api/drafts/submit", As("li"),
               Json{{"playlist", Json::parse(SampleJson(3, "new"))}, {"note", "请审核"}}.dump(),
               "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    return r && r->status == 200 ? Json::parse(r->body)["draft"]["id"].get<std::string>() : "";
  }
  // Approves; the console dies during it, so no answer comes.
  void ApproveAndDie(const std::string& id) {
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Post("/console/api/drafts/approve", As("wang"),
                    Json{{"id", id}, {"version", 1}}.dump(), "application/json");
    EXPECT_FALSE(r && r->status == 200) << "the console answered: " << r->body;
    EXPECT_EQ(Wait(), SIGKILL) << ReadWholeFile(dir_ / "console.log");
  }
  std::vector<Json> AuditLog() {
    std::vector<Json> lines;
    std::istringstream in(ReadWholeFile(state_ / "audit.log"));
    for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
    return lines;
  }
  std::string DraftState(const std::string& id) {
    return Json::parse(ReadWholeFile(state_ / "drafts" / (id + ".json")))["state"];
  }

  fs::path dir_, state_, playlist_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(ApprovalCrashTest, KilledAfterThePublishTheEntryIsWrittenAtTheNextStart) {
  Start("after-publish");
  const std::string id = Submit();
  ApproveAndDie(id);
  // Published, but the entry only pending.
  EXPECT_EQ(ReadWholeFile(playlist_), SampleJson(3, "new"));
  EXPECT_TRUE(fs::exists(state_ / "audit.pending"));
  ASSERT_EQ(AuditLog().size(), 1u);  // the submit
  Start();
  EXPECT_FALSE(fs::exists(state_ / "audit.pending"));
  auto log = AuditLog();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1]["action"], "approve");
  EXPECT_EQ(log[1]["user"], "wang");
  EXPECT_EQ(log[1]["draft"], id);
  EXPECT_EQ(DraftState(id), "approved");
  EXPECT_EQ(Stop(), 0);
  EXPECT_NE(ReadWholeFile(dir_ / "console.log").find("after the playlist"), std::string::npos);
}

TEST_F(ApprovalCrashTest, KilledBeforeThePublishNeitherHappens) {
  Start("after-pending");
  const std::string id = Submit();
  ApproveAndDie(id);
  EXPECT_EQ(ReadWholeFile(playlist_), SampleJson(2, "old"));
  EXPECT_TRUE(fs::exists(state_ / "audit.pending"));
  Start();
  EXPECT_FALSE(fs::exists(state_ / "audit.pending"));
  auto log = AuditLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["action"], "submit");
  EXPECT_EQ(DraftState(id), "submitted");  // still waiting; it can be approved again
  EXPECT_EQ(Stop(), 0);
  EXPECT_NE(ReadWholeFile(dir_ / "console.log").find("did not happen"), std::string::npos);
}

}  // namespace
}  // namespace nb::console
