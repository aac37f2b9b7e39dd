#include "update/state_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <random>

#include "fault_injecting_fs.h"
#include "test_dir.h"
#include "test_playlists.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using testing_support::FaultInjectingFileSystem;
using testing_support::SamplePlaylist;
using testing_support::TestEnv;

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = nb::testing_support::FreshTestDir("nb-state"); }
  void TearDown() override { fs::remove_all(dir_); }

  std::string ReadText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
  PosixFileSystem real_;
  FaultInjectingFileSystem faulty_{real_};
  TestEnv env_{faulty_};
};

TEST_F(StateStoreTest, FirstStartHasNothingAndOpenCreatesTheFolder) {
  StateStore store(env_, (dir_ / "state").string());
  ASSERT_TRUE(store.Open().ok());
  EXPECT_TRUE(fs::is_directory(dir_ / "state"));
  std::vector<std::string> warnings;
  EXPECT_FALSE(store.Load(&warnings).has_value());
  EXPECT_TRUE(warnings.empty());
}

TEST_F(StateStoreTest, CommitKeepsThePreviousGoodPlaylist) {
  StateStore store(env_, dir_.string());
  ASSERT_TRUE(store.Open().ok());
  bool changed = false;
  ASSERT_TRUE(store.Commit(SamplePlaylist(3, "a"), "usb:/media/a", &changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_FALSE(fs::exists(store.previous_path()));
  ASSERT_TRUE(store.Commit(SamplePlaylist(5, "b"), "push", &changed).ok());
  EXPECT_TRUE(changed);

  std::vector<std::string> warnings;
  auto loaded = store.Load(&warnings);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->playlist, SamplePlaylist(5, "b"));
  EXPECT_EQ(loaded->source, "push");
  EXPECT_EQ(loaded->committed_at, "2025-12-01T01:00:00Z");

  std::vector<playlist::Diagnostic> errors;
  auto previous = playlist::LoadPlaylistFile(real_, store.previous_path(), &errors);
  ASSERT_TRUE(previous) << (errors.empty() ? "" : errors[0].ToString());
  EXPECT_EQ(*previous, SamplePlaylist(3, "a"));
  EXPECT_NE(ReadText(store.previous_path()).find("usb:/media/a"), std::string::npos);
}

TEST_F(StateStoreTest, CommittingTheSamePlaylistChangesNothing) {
  StateStore store(env_, dir_.string());
  ASSERT_TRUE(store.Open().ok());
  ASSERT_TRUE(store.Commit(SamplePlaylist(3, "a"), "push").ok());
  ASSERT_TRUE(store.Commit(SamplePlaylist(4, "b"), "push").ok());
  int writes = faulty_.writes();
  bool changed = true;
  ASSERT_TRUE(store.Commit(SamplePlaylist(4, "b"), "pull", &changed).ok());
  EXPECT_FALSE(changed);
  EXPECT_EQ(faulty_.writes(), writes);
  std::vector<playlist::Diagnostic> errors;
  EXPECT_EQ(*playlist::LoadPlaylistFile(real_, store.previous_path(), &errors),
            SamplePlaylist(3, "a"));
}

// A full disk, a failing card and a read-only folder, on either of the two
// writes of a commit: the playlist on disk stays the old one, whole, and so
// does the one before it.
TEST_F(StateStoreTest, WriteFaultsLeaveTheOldPlaylist) {
  StateStore store(env_, dir_.string());
  ASSERT_TRUE(store.Open().ok());
  ASSERT_TRUE(store.Commit(SamplePlaylist(2, "z"), "push").ok());
  ASSERT_TRUE(store.Commit(SamplePlaylist(3, "a"), "push").ok());
  for (int err : {ENOSPC, EIO, EACCES}) {
    for (int skip : {0, 1}) {
      SCOPED_TRACE(std::string(std::strerror(err)) + " on write " + std::to_string(skip + 1));
      faulty_.FailWrites(err, 1, skip);
      Status s = store.Commit(SamplePlaylist(7, "new"), "usb:/media/x");
      ASSERT_FALSE(s.ok());
      EXPECT_NE(s.message().find(std::strerror(err)), std::string::npos) << s.message();
      std::vector<std::string> warnings;
      auto loaded = store.Load(&warnings);
      ASSERT_TRUE(loaded);
      EXPECT_EQ(loaded->playlist, SamplePlaylist(3, "a"));
      std::vector<playlist::Diagnostic> errors;
      EXPECT_EQ(*playlist::LoadPlaylistFile(real_, store.previous_path(), &errors),
                SamplePlaylist(2, "z"));
      EXPECT_FALSE(fs::exists(store.staged_path()));
    }
  }
  faulty_.FailWrites(0, 0);
  ASSERT_TRUE(store.Commit(SamplePlaylist(7, "new"), "push").ok());
  std::vector<std::string> warnings;
  EXPECT_EQ(store.Load(&warnings)->playlist, SamplePlaylist(7, "new"));
}

TEST_F(StateStoreTest, DamagedCurrentFallsBackToPreviousWithAWarning) {
  StateStore store(env_, dir_.string());
  ASSERT_TRUE(store.Open().ok());
  ASSERT_TRUE(store.Commit(SamplePlaylist(3, "a"), "push").ok());
  ASSERT_TRUE(store.Commit(SamplePlaylist(4, "b"), "push").ok());
  { std::ofstream(store.current_path(), std::ios::trunc) << "{\"version\": 1, \"ite"; }
  std::vector<std::string> warnings;
  auto loaded = store.Load(&warnings);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->playlist, SamplePlaylist(3, "a"));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("current.json"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("previous.json"), std::string::npos) << warnings[0];
}

TEST_F(StateStoreTest, OpenSweepsTempFilesLeftByACrash) {
  fs::create_directories(dir_);
  { std::ofstream(dir_ / ".current.json.tmp-1234abcd") << "{\"half"; }
  { std::ofstream(dir_ / ".current.json.new.tmp-5678abcd") << "{\"half"; }
  StateStore store(env_, dir_.string());
  // A new playlist staged whole that never became current (stopped before
  // the rename): the old one stays current, the staged one goes.
  ASSERT_TRUE(store.Commit(SamplePlaylist(3, "a"), "push").ok());
  { std::ofstream(store.staged_path()) << "{\"version\": 1}"; }
  StateStore reopened(env_, dir_.string());
  ASSERT_TRUE(reopened.Open().ok());
  EXPECT_FALSE(fs::exists(dir_ / ".current.json.tmp-1234abcd"));
  EXPECT_FALSE(fs::exists(dir_ / ".current.json.new.tmp-5678abcd"));
  EXPECT_FALSE(fs::exists(reopened.staged_path()));
  std::vector<std::string> warnings;
  EXPECT_EQ(reopened.Load(&warnings)->playlist, SamplePlaylist(3, "a"));
}

// The real thing: a child process commits 200 playlists in a row and is
// killed with SIGKILL at a random moment; whatever is on disk must be a whole,
// valid playlist, one of those committed. Repeated with different moments.
TEST_F(StateStoreTest, SigkillDuringCommitsNeverLeavesAnInvalidPlaylist) {
  std::mt19937 rng(20251201);
  int killed_mid_run = 0;
  for (int round = 0; round < 12; ++round) {
    fs::remove_all(dir_);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      PosixFileSystem fs_real;
      TestEnv env(fs_real);
      StateStore store(env, dir_.string());
      if (!store.Open().ok()) ::_exit(3);
      for (int i = 0; i < 200; ++i) {
        if (!store.Commit(SamplePlaylist(1 + i % 7, "u" + std::to_string(i)), "push").ok())
          ::_exit(4);
      }
      ::_exit(0);
    }
    ::usleep(std::uniform_int_distribution<int>(1000, 60000)(rng));
    ::kill(pid, SIGKILL);
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    if (WIFSIGNALED(wstatus)) ++killed_mid_run;
    if (WIFEXITED(wstatus)) {
      ASSERT_EQ(WEXITSTATUS(wstatus), 0);
    }

    PosixFileSystem fs_real;
    TestEnv env(fs_real);
    StateStore store(env, dir_.string());
    ASSERT_TRUE(store.Open().ok());
    for (const auto& path : {store.current_path(), store.previous_path()}) {
      if (!fs::exists(path)) continue;
      std::vector<playlist::Diagnostic> errors;
      auto p = playlist::LoadPlaylistFile(fs_real, path, &errors);
      ASSERT_TRUE(p) << "round " << round << ": " << path << ": " << errors[0].ToString();
      ASSERT_FALSE(p->items.empty());
      EXPECT_EQ(p->items[0].id.substr(0, 1), "u");
    }
    std::vector<std::string> warnings;
    auto loaded = store.Load(&warnings);
    if (fs::exists(store.current_path())) {
      ASSERT_TRUE(loaded);
      EXPECT_TRUE(warnings.empty()) << warnings[0];
    }
  }
  // The moments must actually fall inside the run for the test to mean something.
  EXPECT_GE(killed_mid_run, 6);
}

}  // namespace
}  // namespace nb::update
