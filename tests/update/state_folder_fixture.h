// StateFolderTest: the fixture the update tests share. A fresh folder of the
// test's own (FreshTestDir), the real file system behind a fault-injecting one
// and a TestEnv with a ManualClock on that, and, when the test asks, a
// StateStore on <folder>/state and an UpdatePipeline on the store, and a
// playlist signed with a fresh minisign key. The folder is removed after the
// test.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fault_injecting_fs.h"
#include "test_dir.h"
#include "update/signature.h"
#include "update/state_store.h"
#include "update/update_pipeline.h"

namespace nb::testing_support {

// The push API's token in the tests.
inline constexpr const char* kTestApiToken = "3f9a2c1b0d8e7f6a5b4c3d2e1f0a9b8c";

inline constexpr const char* kMinisignMissing =
    "minisign is not installed (scripts/install-deps.sh)";

// A file's bytes, as written (empty when it cannot be read).
inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class StateFolderTest : public ::testing::Test {
 protected:
  // `prefix` names the test's folder: <tmp>/<prefix>-<pid>-<test name>.
  explicit StateFolderTest(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override { dir_ = FreshTestDir(prefix_); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // store_: <dir_>/state, opened through `env`.
  void OpenStore(Env& env) {
    store_ = std::make_unique<update::StateStore>(env, (dir_ / "state").string());
    Status s = store_->Open();
    ASSERT_TRUE(s.ok()) << s.message();
  }
  // pipeline_: on store_, through `env`, trusting `keys`.
  void OpenPipeline(Env& env, std::vector<update::PublicKey> keys = {}) {
    pipeline_ = std::make_unique<update::UpdatePipeline>(env, *store_, std::move(keys));
  }

  // The playlist the store holds now; something must be stored.
  playlist::Playlist Stored() {
    std::vector<std::string> warnings;
    auto p = store_->Load(&warnings);
    EXPECT_TRUE(p) << "nothing stored";
    return p ? p->playlist : playlist::Playlist{};
  }

  static bool HaveMinisign() { return std::system("command -v minisign >/dev/null 2>&1") == 0; }
  // Makes a key pair with the minisign CLI in dir_, writes `json` as
  // <dir_>/playlist.json and signs it (playlist.json.minisig beside it).
  void SignPlaylist(const std::string& json, update::PublicKey* key, std::filesystem::path* file) {
    std::string secret = (dir_ / "k.key").string(), pub = (dir_ / "k.pub").string();
    ASSERT_EQ(
        std::system(("minisign -G -W -f -p " + pub + " -s " + secret + " >/dev/null").c_str()), 0);
    *file = dir_ / "playlist.json";
    std::ofstream(*file, std::ios::binary) << json;
    ASSERT_EQ(
        std::system(("minisign -S -s " + secret + " -m " + file->string() + " >/dev/null").c_str()),
        0);
    ASSERT_TRUE(update::ParsePublicKey(ReadText(pub), key).ok());
  }

  std::filesystem::path dir_;
  PosixFileSystem real_;
  FaultInjectingFileSystem faulty_{real_};
  TestEnv env_{faulty_};
  std::unique_ptr<update::StateStore> store_;
  std::unique_ptr<update::UpdatePipeline> pipeline_;

 private:
  std::string prefix_;
};

}  // namespace nb::testing_support
