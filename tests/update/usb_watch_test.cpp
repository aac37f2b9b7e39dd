// USB import with real mounts: the test enters its own mount namespace and
// mounts tmpfs "sticks" under a temporary root, as udev + systemd-mount would.
#include "update/state_store.h"
#include "update/usb_watch.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "state_folder_fixture.h"
#include "test_playlists.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing_support::ReadText;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

TEST(MountInfoTest, ParsesMountPointsAndUndoesEscapes) {
  std::string info =
      "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n"
      "63 43 8:17 / /media/pi/MY\\040STICK rw,nosuid - vfat /dev/sdb1 rw\n"
      "64 43 0:39 / /run/media/u/x rw - tmpfs none rw";
  auto points = ParseMountPoints(info);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0], "/");
  EXPECT_EQ(points[1], "/media/pi/MY STICK");
  EXPECT_EQ(points[2], "/run/media/u/x");
}

TEST(MountInfoTest, RootsMatchWholePathComponents) {
  std::vector<std::string> roots = {"/media", "/run/media/", "/mnt"};
  EXPECT_TRUE(IsUnderRoots("/media/pi/STICK", roots));
  EXPECT_TRUE(IsUnderRoots("/run/media/u/x", roots));
  EXPECT_TRUE(IsUnderRoots("/mnt/usb", roots));
  EXPECT_FALSE(IsUnderRoots("/media", roots));
  EXPECT_FALSE(IsUnderRoots("/mediax/stick", roots));
  EXPECT_FALSE(IsUnderRoots("/home/pi", roots));
}

class UsbWatchTest : public testing_support::StateFolderTest {
 protected:
  UsbWatchTest() : StateFolderTest("nb-usb") {}
  static void SetUpTestSuite() {
    // A private mount namespace: our mounts never leak into the system.
    if (::unshare(CLONE_NEWNS) != 0) {
      skip_reason_ = std::string("cannot create a mount namespace (") + std::strerror(errno) +
                     "); run as root or with CAP_SYS_ADMIN to test real mounts";
      return;
    }
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      skip_reason_ = std::string("cannot make / private: ") + std::strerror(errno);
      return;
    }
    mounting_ok_ = true;
  }

  void SetUp() override {
    if (!mounting_ok_) GTEST_SKIP() << skip_reason_;
    StateFolderTest::SetUp();
    fs::create_directories(dir_ / "media");
    fs::create_directories(dir_ / "elsewhere");
    OpenStore(env_);
    OpenPipeline(env_);
  }
  void TearDown() override {
    if (watch_) watch_->Stop();
    for (auto it = mounted_.rbegin(); it != mounted_.rend(); ++it)
      ::umount2(it->c_str(), MNT_DETACH);
    if (!dir_.empty()) StateFolderTest::TearDown();
  }

  // Prepares a tmpfs with `files` and mounts it at `where` in one step (a bind
  // of a staged tmpfs), so the watch sees a stick that already has its files.
  void InsertStick(const fs::path& where,
                   const std::vector<std::pair<std::string, std::string>>& files) {
    fs::path staging = dir_ / ("staging-" + std::to_string(mounted_.size()));
    fs::create_directories(staging);
    ASSERT_EQ(::mount("tmpfs", staging.c_str(), "tmpfs", 0, "size=8m"), 0) << std::strerror(errno);
    mounted_.push_back(staging.string());
    for (const auto& [name, text] : files) {
      fs::create_directories((staging / name).parent_path());
      std::ofstream(staging / name, std::ios::binary) << text;
    }
    fs::create_directories(where);
    ASSERT_EQ(::mount(staging.c_str(), where.c_str(), nullptr, MS_BIND, nullptr), 0)
        << std::strerror(errno);
    mounted_.push_back(where.string());
  }

  void StartWatch() {
    UsbWatch::Options options;
    options.roots = {(dir_ / "media").string()};
    watch_ = std::make_unique<UsbWatch>(faulty_, *pipeline_, options);
    ASSERT_TRUE(watch_->Start().ok());
  }

  std::optional<Notice> WaitForNotice() {
    for (int i = 0; i < 500; ++i) {
      if (auto n = pipeline_->mailbox().TakeNotice()) return n;
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }

  static inline bool mounting_ok_ = false;
  static inline std::string skip_reason_;
  std::unique_ptr<UsbWatch> watch_;
  std::vector<std::string> mounted_;
};

TEST_F(UsbWatchTest, StickWithAPlaylistIsImportedAndAnnounced) {
  StartWatch();
  InsertStick(dir_ / "media" / "STICK", {{"noticeboard/playlist.json", SampleJson(15)}});
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice) << "no notice after mounting the stick";
  EXPECT_EQ(notice->text, "已从U盘更新播放列表：15 条");
  EXPECT_EQ(notice->kind, NoticeKind::kSuccess);
  auto playlist = pipeline_->mailbox().TakePlaylist();
  ASSERT_TRUE(playlist);
  EXPECT_EQ(*playlist, SamplePlaylist(15));
  EXPECT_EQ(Stored(), SamplePlaylist(15));
  EXPECT_NE(pipeline_->status().last_update_source.find("/media/STICK/noticeboard/playlist.json"),
            std::string::npos);
}

TEST_F(UsbWatchTest, StickWithABulletinIsBuiltOnTheSpot) {
  std::ifstream in(NB_SOURCE_DIR "/playlists/tianjin-education.txt", std::ios::binary);
  std::string bulletin((std::istreambuf_iterator<char>(in)), {});
  StartWatch();
  InsertStick(dir_ / "media" / "u" / "BULLETIN", {{"noticeboard/bulletin.txt", bulletin}});
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text.rfind("已从U盘更新播放列表：", 0), 0u) << notice->text;
  auto playlist = pipeline_->mailbox().TakePlaylist();
  ASSERT_TRUE(playlist);
  EXPECT_GT(playlist->items.size(), 3u);
  EXPECT_EQ(playlist->title, "天津教育");
}

TEST_F(UsbWatchTest, BadStickShowsTheReasonAndKeepsTheOldPlaylist) {
  ASSERT_TRUE(pipeline_->Submit({UpdateSource::kPush, "setup", SampleJson(3)}).ok());
  pipeline_->mailbox().TakePlaylist();
  pipeline_->mailbox().TakeNotice();
  StartWatch();
  nlohmann::json doc = nlohmann::json::parse(SampleJson(4, "bad"));
  doc["defaults"]["duration_s"] = -5;
  std::string bad = doc.dump(2);
  InsertStick(dir_ / "media" / "BAD", {{"noticeboard/playlist.json", bad}});
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->kind, NoticeKind::kRefused);
  EXPECT_EQ(notice->text, "U盘中的播放列表有 1 处错误，未更新；详见管理页面或日志");
  // Where it is wrong goes to the staff, not the lobby.
  EXPECT_NE(pipeline_->status().last_error.find("/defaults/duration_s"), std::string::npos)
      << pipeline_->status().last_error;
  EXPECT_FALSE(pipeline_->mailbox().TakePlaylist());
  EXPECT_EQ(Stored(), SamplePlaylist(3));
}

TEST_F(UsbWatchTest, MountsOutsideTheRootsAndSticksWithoutOurFolderAreIgnored) {
  StartWatch();
  InsertStick(dir_ / "elsewhere" / "X", {{"noticeboard/playlist.json", SampleJson(2)}});
  InsertStick(dir_ / "media" / "PHOTOS", {{"DCIM/a.jpg", "jpeg"}});
  // A stick we do care about, last: once it is in, the others were seen too.
  InsertStick(dir_ / "media" / "GOOD", {{"noticeboard/playlist.json", SampleJson(5)}});
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text, "已从U盘更新播放列表：5 条");
  EXPECT_EQ(Stored(), SamplePlaylist(5));
  EXPECT_EQ(pipeline_->status().updates_applied, 1);
  EXPECT_EQ(pipeline_->status().updates_rejected, 0);
}

TEST_F(UsbWatchTest, StickPulledOutMidReadChangesNothing) {
  ASSERT_TRUE(pipeline_->Submit({UpdateSource::kPush, "setup", SampleJson(3)}).ok());
  pipeline_->mailbox().TakePlaylist();
  pipeline_->mailbox().TakeNotice();
  // What the kernel answers once the device is gone: EIO on every read.
  faulty_.FailReadsUnder((dir_ / "media" / "GONE").string(), EIO);
  StartWatch();
  InsertStick(dir_ / "media" / "GONE", {{"noticeboard/playlist.json", SampleJson(9, "n")}});
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->kind, NoticeKind::kRefused);
  EXPECT_EQ(notice->text, "无法读取U盘中的播放列表，未更新；详见管理页面或日志");
  EXPECT_NE(pipeline_->status().last_error.find("Input/output error"), std::string::npos)
      << pipeline_->status().last_error;
  EXPECT_FALSE(pipeline_->mailbox().TakePlaylist());
  EXPECT_EQ(Stored(), SamplePlaylist(3));
}

TEST_F(UsbWatchTest, SignedStickIsAcceptedAndUnsignedRefusedWhenKeysAreConfigured) {
  if (!HaveMinisign()) GTEST_SKIP() << testing_support::kMinisignMissing;
  PublicKey k;
  fs::path file;
  ASSERT_NO_FATAL_FAILURE(SignPlaylist(SampleJson(6, "signed"), &k, &file));
  OpenPipeline(env_, {k});
  StartWatch();

  InsertStick(dir_ / "media" / "UNSIGNED", {{"noticeboard/playlist.json", SampleJson(2)}});
  auto refused = WaitForNotice();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->kind, NoticeKind::kRefused);
  EXPECT_EQ(refused->text, "U盘中的播放列表没有签名，未更新；详见管理页面或日志");
  EXPECT_NE(pipeline_->status().last_error.find(
                "no signature (.minisig) came with it, and this screen accepts only signed "
                "playlists"),
            std::string::npos)
      << pipeline_->status().last_error;
  EXPECT_FALSE(fs::exists(store_->current_path()));

  InsertStick(dir_ / "media" / "SIGNED",
              {{"noticeboard/playlist.json", ReadText(file)},
               {"noticeboard/playlist.json.minisig", ReadText(file.string() + ".minisig")}});
  auto accepted = WaitForNotice();
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->text, "已从U盘更新播放列表：6 条");
  EXPECT_EQ(Stored(), SamplePlaylist(6, "signed"));
}

TEST_F(UsbWatchTest, StickAlreadyInAtStartIsImported) {
  InsertStick(dir_ / "media" / "EARLY", {{"noticeboard/playlist.json", SampleJson(4)}});
  StartWatch();
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text, "已从U盘更新播放列表：4 条");
}

// What a stick made on a Windows PC looks like (issue 21, point 12): the
// folder's and the file's case do not matter; a near miss gets a line on
// screen naming what the file should be called; with a playlist and a
// bulletin both, the playlist is taken.
TEST_F(UsbWatchTest, FolderAndFileNamesMatchWhateverTheirCase) {
  StartWatch();
  InsertStick(dir_ / "media" / "WIN", {{"Noticeboard/PLAYLIST.JSON", SampleJson(6)}});
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text, "已从U盘更新播放列表：6 条");
}

TEST_F(UsbWatchTest, ANearMissNameIsNamedOnScreen) {
  StartWatch();
  InsertStick(dir_ / "media" / "MISS", {{"noticeboard/playlist.json.txt", SampleJson(3)},
                                         {"noticeboard/readme.txt", "x"}});
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->kind, NoticeKind::kRefused);
  EXPECT_NE(notice->text.find("没有 playlist.json 或 bulletin.txt"), std::string::npos)
      << notice->text;
  EXPECT_NE(notice->text.find("playlist.json.txt"), std::string::npos) << notice->text;
  EXPECT_FALSE(pipeline_->mailbox().TakePlaylist());
}

TEST_F(UsbWatchTest, WithAPlaylistAndABulletinThePlaylistWins) {
  StartWatch();
  InsertStick(dir_ / "media" / "BOTH",
              {{"noticeboard/playlist.json", SampleJson(5)},
               {"noticeboard/bulletin.txt", ReadText(NB_SOURCE_DIR "/playlists/tianjin-education.txt")}});
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text, "已从U盘更新播放列表：5 条");
  EXPECT_EQ(Stored(), SamplePlaylist(5));
}

}  // namespace
}  // namespace nb::update
