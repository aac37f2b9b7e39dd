// PlayUpdates with a config whose push API token cannot be read: the API is
// off, the log says why and how to fix it, and the screen's updates go on.
#include "app/play_updates.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

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

}  // namespace
}  // namespace nb::app
