// Faults of the state folder seen by a whole update: a full disk (ENOSPC), a
// failing card (EIO) and a folder the player may not write (EACCES), on the
// write that keeps the previous playlist and on the one that stores the new.
// Each must give a message naming the file and the cause, leave the old
// playlist on disk and on screen with no temp file behind, and the next
// update after the fault clears must succeed.
//
// Through the FileSystem interface (FaultInjectingFileSystem) for all three,
// over the push API too; and for real where the kernel can be made to fail:
// ENOSPC on a tiny tmpfs (private mount namespace) and EACCES in a read-only
// folder with the thread's capability to override permissions dropped.
#include <gtest/gtest.h>

#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fstream>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "state_folder_fixture.h"
#include "test_playlists.h"
#include "update/api_server.h"
#include "update/push_client.h"
#include "update/state_store.h"
#include "update/update_pipeline.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using testing_support::FaultInjectingFileSystem;
using testing_support::ReadText;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;
using testing_support::TestEnv;

constexpr const char* kToken = testing_support::kTestApiToken;

class StateDirFaultTest : public testing_support::StateFolderTest {
 protected:
  StateDirFaultTest() : StateFolderTest("nb-fault") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    fs::create_directories(dir_ / "state");
  }
  void TearDown() override {
    if (mounted_) ::umount2((dir_ / "state").c_str(), MNT_DETACH);
    fs::permissions(dir_ / "state", fs::perms::owner_all, fs::perm_options::add);
    StateFolderTest::TearDown();
  }

  void Open(Env& env) {
    OpenStore(env);
    OpenPipeline(env);
  }

  // Applies `json` and takes it off the mailbox, as the frame loop would.
  void Apply(const std::string& json) {
    UpdateResult r = pipeline_->Submit({UpdateSource::kPush, "client", json});
    ASSERT_EQ(r.outcome, UpdateOutcome::kApplied) << r.reason;
    pipeline_->mailbox().TakePlaylist();
    pipeline_->mailbox().TakeNotice();
  }

  std::vector<std::string> StateFiles() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_ / "state"))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  // The whole promise after a refused update: old playlist on disk, nothing
  // new on screen, the status still the old one with the error in it.
  void ExpectOldPlaylistKept(const playlist::Playlist& old, const std::string& reason) {
    EXPECT_EQ(Stored(), old);
    EXPECT_FALSE(pipeline_->mailbox().TakePlaylist());
    auto notice = pipeline_->mailbox().TakeNotice();
    ASSERT_TRUE(notice);
    EXPECT_EQ(notice->kind, NoticeKind::kRefused);
    EXPECT_NE(notice->text.find("，未更新；"), std::string::npos) << notice->text;
    UpdateStatus st = pipeline_->status();
    EXPECT_EQ(st.playlist_hash, PlaylistHash(old));
    EXPECT_EQ(st.last_error, reason);
    for (const std::string& name : StateFiles())
      EXPECT_TRUE(name == "current.json" || name == "previous.json") << "left behind: " << name;
  }

  bool mounted_ = false;
};

struct Fault {
  int err;
  int skip;  // 0: the write of the new current.json fails; 1: that of previous.json
};

std::string Describe(const Fault& f) {
  return std::string(std::strerror(f.err)) +
         (f.skip ? " keeping previous.json" : " storing current.json");
}

TEST_F(StateDirFaultTest, EachFaultNamesFileAndCauseAndKeepsTheOldPlaylist) {
  FaultInjectingFileSystem faulty(real_);
  TestEnv env(faulty);
  Open(env);
  Apply(SampleJson(2, "first"));
  Apply(SampleJson(3, "old"));
  const playlist::Playlist old = SamplePlaylist(3, "old");
  int attempt = 0;
  for (Fault f : {Fault{ENOSPC, 0}, Fault{ENOSPC, 1}, Fault{EIO, 0}, Fault{EIO, 1},
                  Fault{EACCES, 0}, Fault{EACCES, 1}}) {
    SCOPED_TRACE(Describe(f));
    faulty.FailWrites(f.err, 1, f.skip);
    std::string tag = "new" + std::to_string(attempt++);
    const std::string previous_before = ReadText(dir_ / "state" / "previous.json");
    UpdateResult r = pipeline_->Submit({UpdateSource::kPush, "client", SampleJson(5, tag)});
    EXPECT_EQ(r.outcome, UpdateOutcome::kStoreFailed);
    EXPECT_NE(r.reason.find(f.skip ? "previous.json" : "current.json"), std::string::npos)
        << r.reason;
    EXPECT_NE(r.reason.find(std::strerror(f.err)), std::string::npos) << r.reason;
    ExpectOldPlaylistKept(old, r.reason);
    // The one before it is kept too.
    EXPECT_EQ(ReadText(dir_ / "state" / "previous.json"), previous_before);

    // The fault has cleared: the same update now goes through.
    UpdateResult again = pipeline_->Submit({UpdateSource::kPush, "client", SampleJson(5, tag)});
    ASSERT_EQ(again.outcome, UpdateOutcome::kApplied) << again.reason;
    EXPECT_EQ(Stored(), SamplePlaylist(5, tag));
    auto shown = pipeline_->mailbox().TakePlaylist();
    ASSERT_TRUE(shown);
    EXPECT_EQ(*shown, SamplePlaylist(5, tag));
    pipeline_->mailbox().TakeNotice();
    // Put the old one back for the next round.
    Apply(SampleJson(3, "old"));
  }
}

// Over the push API the client is told 500 with the same reason, and status
// shows the old playlist and the error.
TEST_F(StateDirFaultTest, PushGets500AndStatusKeepsTheOldPlaylist) {
  FaultInjectingFileSystem faulty(real_);
  TestEnv env(faulty);
  Open(env);
  Apply(SampleJson(3, "old"));
  ApiOptions options;
  options.port = 0;
  options.token = kToken;
  ApiServer server(env, *pipeline_, options, {});
  ASSERT_TRUE(server.Start().ok());
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  for (int err : {ENOSPC, EIO, EACCES}) {
    SCOPED_TRACE(std::strerror(err));
    faulty.FailWrites(err, 1, 0);
    PushResult r = PushPlaylist(base, SampleJson(6, "pushed"), kToken, std::nullopt);
    EXPECT_EQ(r.http_status, 500) << r.error;
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body["outcome"], "store_failed");
    std::string error = body["error"];
    EXPECT_NE(error.find("current.json"), std::string::npos) << error;
    EXPECT_NE(error.find(std::strerror(err)), std::string::npos) << error;
    EXPECT_EQ(Stored(), SamplePlaylist(3, "old"));
    EXPECT_EQ(pipeline_->status().playlist_hash, PlaylistHash(SamplePlaylist(3, "old")));
  }
  PushResult ok = PushPlaylist(base, SampleJson(6, "pushed"), kToken, std::nullopt);
  EXPECT_EQ(ok.http_status, 200) << ok.body;
  EXPECT_EQ(Stored(), SamplePlaylist(6, "pushed"));
  server.Stop();
}

// A real full disk: a 64 KiB tmpfs as the state folder. The old playlist fits
// twice; the new one (about 200 KB) does not, so the kernel fails the write
// half-way and the half-written temp file must go.
TEST_F(StateDirFaultTest, RealFullDiskLeavesNoHalfWrittenFile) {
  if (::unshare(CLONE_NEWNS) != 0 ||
      ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    GTEST_SKIP() << "cannot create a private mount namespace (" << std::strerror(errno)
                 << "): run as root or with CAP_SYS_ADMIN to fill a real disk";
  }
  ASSERT_EQ(::mount("tmpfs", (dir_ / "state").c_str(), "tmpfs", 0, "size=64k"), 0)
      << std::strerror(errno);
  mounted_ = true;
  TestEnv env(real_);
  Open(env);
  Apply(SampleJson(3, "old"));
  const std::string big = SampleJson(900, "big");
  ASSERT_GT(big.size(), 100'000u);
  UpdateResult r = pipeline_->Submit({UpdateSource::kPush, "client", big});
  EXPECT_EQ(r.outcome, UpdateOutcome::kStoreFailed);
  EXPECT_NE(r.reason.find("current.json"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find(std::strerror(ENOSPC)), std::string::npos) << r.reason;
  ExpectOldPlaylistKept(SamplePlaylist(3, "old"), r.reason);

  // Space freed (the card grown): the same update goes through.
  ASSERT_EQ(::mount("tmpfs", (dir_ / "state").c_str(), "tmpfs", MS_REMOUNT, "size=4m"), 0)
      << std::strerror(errno);
  UpdateResult again = pipeline_->Submit({UpdateSource::kPush, "client", big});
  ASSERT_EQ(again.outcome, UpdateOutcome::kApplied) << again.reason;
  EXPECT_EQ(Stored(), SamplePlaylist(900, "big"));
}

// The capability sets of this thread (capget/capset act per thread).
struct ThreadCaps {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  bool Get() { return ::syscall(SYS_capget, &header, data) == 0; }
  bool Set() { return ::syscall(SYS_capset, &header, data) == 0; }
  void DropEffective(int cap) { data[cap / 32].effective &= ~(1u << (cap % 32)); }
};

// A real read-only state folder: the kernel's own EACCES. Root passes
// permission checks through CAP_DAC_OVERRIDE, so this thread drops it (and
// FOWNER) from its effective set for the fault, and takes it back after.
TEST_F(StateDirFaultTest, RealReadOnlyFolderIsNamedAndRecovers) {
  TestEnv env(real_);
  Open(env);
  Apply(SampleJson(3, "old"));
  ThreadCaps saved;
  ASSERT_TRUE(saved.Get()) << std::strerror(errno);
  ThreadCaps reduced = saved;
  reduced.DropEffective(CAP_DAC_OVERRIDE);
  reduced.DropEffective(CAP_DAC_READ_SEARCH);
  reduced.DropEffective(CAP_FOWNER);
  ASSERT_TRUE(reduced.Set()) << std::strerror(errno);
  fs::permissions(dir_ / "state", fs::perms::owner_read | fs::perms::owner_exec |
                                      fs::perms::group_read | fs::perms::group_exec |
                                      fs::perms::others_read | fs::perms::others_exec);
  UpdateResult r = pipeline_->Submit({UpdateSource::kPush, "client", SampleJson(5, "new")});
  fs::permissions(dir_ / "state", fs::perms::owner_all, fs::perm_options::add);
  ASSERT_TRUE(saved.Set()) << std::strerror(errno);

  EXPECT_EQ(r.outcome, UpdateOutcome::kStoreFailed);
  EXPECT_NE(r.reason.find("current.json"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find(std::strerror(EACCES)), std::string::npos) << r.reason;
  ExpectOldPlaylistKept(SamplePlaylist(3, "old"), r.reason);

  UpdateResult again = pipeline_->Submit({UpdateSource::kPush, "client", SampleJson(5, "new")});
  ASSERT_EQ(again.outcome, UpdateOutcome::kApplied) << again.reason;
  EXPECT_EQ(Stored(), SamplePlaylist(5, "new"));
}

}  // namespace
}  // namespace nb::update
