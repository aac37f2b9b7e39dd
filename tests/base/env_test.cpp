#include "base/env.h"
#include "test_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace nb {
namespace {

namespace fs = std::filesystem;

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = nb::testing_support::FreshTestDir("nb-env-test"); }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_);
  }
  fs::path dir_;
  PosixFileSystem fs_;
};

TEST_F(EnvTest, WriteThenReadRoundTrips) {
  std::string path = (dir_ / "a.json").string();
  ASSERT_TRUE(fs_.WriteFileAtomic(path, "hello").ok());
  std::string data;
  ASSERT_TRUE(fs_.ReadFile(path, &data, 100).ok());
  EXPECT_EQ(data, "hello");
  // Replacing leaves exactly one file and no temp files.
  ASSERT_TRUE(fs_.WriteFileAtomic(path, "world").ok());
  ASSERT_TRUE(fs_.ReadFile(path, &data, 100).ok());
  EXPECT_EQ(data, "world");
  int files = 0;
  for (auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(EnvTest, ReadRejectsFileOverLimitNamingIt) {
  std::string path = (dir_ / "big.txt").string();
  std::ofstream(path) << std::string(200, 'x');
  std::string data = "old";
  Status s = fs_.ReadFile(path, &data, 100);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("big.txt"), std::string::npos);
  EXPECT_NE(s.message().find("100 bytes"), std::string::npos);
  EXPECT_EQ(data, "old");
}

TEST_F(EnvTest, MissingFileNamesPath) {
  std::string data;
  Status s = fs_.ReadFile((dir_ / "nope.json").string(), &data, 100);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nope.json"), std::string::npos);
}

TEST_F(EnvTest, FailedWriteLeavesOldFileIntact) {
  if (::geteuid() == 0) {
    // Root ignores directory permissions; use a path whose folder is missing.
    Status s = fs_.WriteFileAtomic((dir_ / "missing" / "a.json").string(), "x");
    EXPECT_FALSE(s.ok());
    return;
  }
  std::string path = (dir_ / "a.json").string();
  ASSERT_TRUE(fs_.WriteFileAtomic(path, "old").ok());
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_FALSE(fs_.WriteFileAtomic(path, "new").ok());
  fs::permissions(dir_, fs::perms::owner_all);
  std::string data;
  ASSERT_TRUE(fs_.ReadFile(path, &data, 100).ok());
  EXPECT_EQ(data, "old");
}

}  // namespace
}  // namespace nb
