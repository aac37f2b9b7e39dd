// PlayUpdates with a config whose push API token cannot be read: the API is
// off, the log says why and how to fix it, and the screen's updates go on.
// And the config's "notices", applied where the frame loop takes them.
#include "app/play_updates.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "base/manual_clock.h"
#include "playlist/playlist.h"
#include "test_dir.h"

namespace nb::app {
namespace {

namespace fs = std::filesystem;

class PlayUpdatesTokenTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing_support::FreshTestDir("nb-play-updates"); }
  void TearDown() override { fs::remove_all(dir_); }

  // API on, USB on (watching a folder of the test's own), state in dir_.
  update::Config ConfigWithTokenFile(const fs::path& token_file) {
    update::Config config;
    config.state_dir = (dir_ / "state").string();
    config.usb.enabled = true;
    fs::create_directories(dir_ / "media");
    config.usb.watch.roots = {(dir_ / "media").string()};
    config.api.enabled = true;
    config.api.listen = "127.0.0.1:0";
    config.api.token_file = token_file.string();
    return config;
  }

  fs::path dir_;
};

TEST_F(PlayUpdatesTokenTest, UnreadableTokenTurnsOnlyTheApiOffAndNamesTheFix) {
  // Root reads through chmod 000, so the unreadable files are a missing one
  // and a folder (what a mistaken path gives).
  fs::create_directories(dir_ / "a-folder");
  for (const fs::path& token : {dir_ / "missing-token", dir_ / "a-folder"}) {
    update::Config config = ConfigWithTokenFile(token);
    ::testing::internal::CaptureStderr();
    std::unique_ptr<PlayUpdates> updates = PlayUpdates::Create(&config, "", "");
    std::string log = ::testing::internal::GetCapturedStderr();
    ASSERT_NE(updates, nullptr) << log;  // the screen plays on
    EXPECT_EQ(updates->api_port(), 0) << log;
    // At error priority: "error: " on a terminal, "<3>" under systemd.
    EXPECT_TRUE(log.find("error: ") != std::string::npos || log.find("<3>") != std::string::npos)
        << log;
    EXPECT_NE(log.find(token.string()), std::string::npos) << log;
    EXPECT_NE(log.find("push API is off"), std::string::npos) << log;
    EXPECT_NE(log.find("sudo chown root:noticeboard " + token.string() + " && sudo chmod 640 " +
                       token.string()),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("USB import is off"), std::string::npos) << log;
  }
}

using PlayUpdatesNoticesTest = PlayUpdatesTokenTest;  // a test folder of its own

// "notices": "success" keeps a refusal off the screen, not out of the status.
TEST_F(PlayUpdatesNoticesTest, NoticesSuccessShowsUpdatesButNotRefusals) {
  update::Config config;
  config.state_dir = (dir_ / "state").string();
  config.usb.enabled = false;
  config.notices = update::NoticePolicy::kSuccess;
  std::unique_ptr<PlayUpdates> updates = PlayUpdates::Create(&config, "", "");
  ASSERT_NE(updates, nullptr);
  playlist::Playlist p;
  p.title = "天津教育";
  p.items.push_back({});
  p.items[0].id = "a";
  p.items[0].title = "通知";
  ManualClock clock;
  render::Show show(clock, std::make_shared<const playlist::Playlist>(p));

  EXPECT_FALSE(updates->pipeline().Submit({update::UpdateSource::kUsb, "s", "{"}).ok());
  updates->Frame(show, 1);
  EXPECT_TRUE(show.notice().empty()) << show.notice();
  EXPECT_EQ(updates->pipeline().status().updates_rejected, 1);
  EXPECT_FALSE(updates->pipeline().status().last_error.empty());

  p.items[0].title = "新通知";
  ASSERT_TRUE(
      updates->pipeline().Submit({update::UpdateSource::kUsb, "s", playlist::ToJson(p)}).ok());
  updates->Frame(show, 2);
  EXPECT_EQ(show.notice(), "已从U盘更新播放列表：1 条");
  EXPECT_EQ(show.notice_kind(), NoticeKind::kSuccess);
}

}  // namespace
}  // namespace nb::app
