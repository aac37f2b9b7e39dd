#include "base/env.h"
#include "test_dir.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

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

TEST_F(EnvTest, WriteWithModeSetsExactlyThatModeWhateverTheUmask) {
  std::string path = (dir_ / "secret").string();
  mode_t old_umask = ::umask(0);  // the most permissive: the mode must still hold
  Status s = fs_.WriteFileAtomicWithMode(path, "key", 0600, -1);
  ::umask(old_umask);
  ASSERT_TRUE(s.ok()) << s.message();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  // Replacing an existing file sets the mode again; the group is the
  // process's own, which it may always give.
  ASSERT_TRUE(fs_.WriteFileAtomicWithMode(path, "key2", 0640, static_cast<long>(::getegid())).ok());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_gid, ::getegid());
  std::string data;
  ASSERT_TRUE(fs_.ReadFile(path, &data, 100).ok());
  EXPECT_EQ(data, "key2");
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

TEST_F(EnvTest, CreateFolderMakesParentsAndAcceptsOneAlreadyThere) {
  std::string path = (dir_ / "a" / "b" / "c").string();
  ASSERT_TRUE(fs_.CreateFolder(path).ok());
  EXPECT_TRUE(fs::is_directory(path));
  EXPECT_TRUE(fs_.CreateFolder(path).ok());
}

TEST_F(EnvTest, CreateFolderWhereAFileIsNamesIt) {
  std::string path = (dir_ / "taken").string();
  std::ofstream(path) << "x";
  Status s = fs_.CreateFolder(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("taken"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("not a folder"), std::string::npos) << s.message();
}

TEST_F(EnvTest, ListFolderGivesSortedNamesWithoutDots) {
  std::ofstream(dir_ / "b.json") << "b";
  std::ofstream(dir_ / ".hidden") << "h";
  fs::create_directories(dir_ / "a-folder");
  std::vector<std::string> names = {"stale"};
  ASSERT_TRUE(fs_.ListFolder(dir_.string(), &names).ok());
  EXPECT_EQ(names, (std::vector<std::string>{".hidden", "a-folder", "b.json"}));

  Status s = fs_.ListFolder((dir_ / "missing").string(), &names);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing"), std::string::npos) << s.message();
}

TEST_F(EnvTest, FileSizeAndModifiedTimeAreTheFilesOwn) {
  std::string path = (dir_ / "sized.txt").string();
  ASSERT_TRUE(fs_.WriteFileAtomic(path, std::string(1234, 'x')).ok());
  std::uint64_t size = 0;
  ASSERT_TRUE(fs_.FileSize(path, &size).ok());
  EXPECT_EQ(size, 1234u);

  // 2025-12-01 09:00:00.5 UTC, set the way `touch -d` does.
  const timespec times[2] = {{1764579600, 500'000'000}, {1764579600, 500'000'000}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  std::chrono::system_clock::time_point mtime;
  ASSERT_TRUE(fs_.ModifiedTime(path, &mtime).ok());
  EXPECT_EQ(mtime, std::chrono::sys_days(std::chrono::year(2025) / 12 / 1) + std::chrono::hours(9) +
                       std::chrono::milliseconds(500));

  std::string missing = (dir_ / "gone.txt").string();
  Status s = fs_.FileSize(missing, &size);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("gone.txt"), std::string::npos) << s.message();
  s = fs_.ModifiedTime(missing, &mtime);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("gone.txt"), std::string::npos) << s.message();
}

// What WriteFileAtomic leaves when the process dies between creating its temp
// file and the rename: ".<name>.tmp-<8 hex digits>" (env.h). Only those go.
TEST_F(EnvTest, RemoveStaleTempFilesRemovesOnlyTheTempFilesOfAtomicWrites) {
  for (const char* name :
       {".current.json.tmp-1234abcd", ".current.json.new.tmp-5678ef90", "current.json", ".hidden",
        ".current.json.tmp-1234", "x.tmp-1234abcd", ".current.json.tmp-XYZ4abcd"})
    std::ofstream(dir_ / name) << "x";
  ASSERT_TRUE(fs_.RemoveStaleTempFiles(dir_.string()).ok());
  std::vector<std::string> names;
  ASSERT_TRUE(fs_.ListFolder(dir_.string(), &names).ok());
  EXPECT_EQ(names, (std::vector<std::string>{".current.json.tmp-1234", ".current.json.tmp-XYZ4abcd",
                                             ".hidden", "current.json", "x.tmp-1234abcd"}));
  EXPECT_FALSE(fs_.RemoveStaleTempFiles((dir_ / "missing").string()).ok());
}

TEST_F(EnvTest, AppendToFileAddsAtTheEndAndMakesAMissingFile) {
  const std::string path = (dir_ / "audit.log").string();
  ASSERT_TRUE(fs_.AppendToFile(path, "one\n").ok());
  ASSERT_TRUE(fs_.AppendToFile(path, "two\n").ok());
  std::string text;
  ASSERT_TRUE(fs_.ReadFile(path, &text, 100).ok());
  EXPECT_EQ(text, "one\ntwo\n");
  Status s = fs_.AppendToFile((dir_ / "missing" / "audit.log").string(), "x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing/audit.log"), std::string::npos) << s.message();
}

// Writers in several threads: every entry whole, none lost (O_APPEND).
TEST_F(EnvTest, AppendsFromSeveralThreadsNeverInterleave) {
  const std::string path = (dir_ / "audit.log").string();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i)
        ASSERT_TRUE(
            fs_.AppendToFile(path, std::string(200, static_cast<char>('a' + t)) + "\n").ok());
    });
  }
  for (auto& th : threads) th.join();
  std::string text;
  ASSERT_TRUE(fs_.ReadFile(path, &text, 1 << 20).ok());
  ASSERT_EQ(text.size(), 100u * 201);
  for (std::size_t at = 0; at < text.size(); at += 201) {
    EXPECT_EQ(text.substr(at, 200), std::string(200, text[at])) << "entry at " << at;
    EXPECT_EQ(text[at + 200], '\n');
  }
}

// A target that notes each call it gets.
class RecordingFileSystem final : public FileSystem {
 public:
  std::vector<std::string> calls;
  Status ReadFile(const std::string& path, std::string* out, std::size_t) override {
    *out = "read";
    return Note("ReadFile " + path);
  }
  Status WriteFileAtomic(const std::string& path, const std::string& data) override {
    return Note("WriteFileAtomic " + path + " " + data);
  }
  Status WriteFileAtomicWithMode(const std::string& path, const std::string& data, unsigned mode,
                                 long group_id) override {
    return Note("WriteFileAtomicWithMode " + path + " " + data + " " + std::to_string(mode) + " " +
                std::to_string(group_id));
  }
  Status AppendToFile(const std::string& path, const std::string& data) override {
    return Note("AppendToFile " + path + " " + data);
  }
  bool Exists(const std::string& path) override { return Note("Exists " + path).ok(); }
  Status Rename(const std::string& from, const std::string& to) override {
    return Note("Rename " + from + " " + to);
  }
  Status Remove(const std::string& path) override { return Note("Remove " + path); }
  Status CreateFolder(const std::string& path) override { return Note("CreateFolder " + path); }
  Status ListFolder(const std::string& path, std::vector<std::string>* names) override {
    *names = {"n"};
    return Note("ListFolder " + path);
  }
  Status FileSize(const std::string& path, std::uint64_t* size) override {
    *size = 7;
    return Note("FileSize " + path);
  }
  Status ModifiedTime(const std::string& path,
                      std::chrono::system_clock::time_point* time) override {
    *time = std::chrono::system_clock::time_point(std::chrono::seconds(42));
    return Note("ModifiedTime " + path);
  }
  Status RemoveStaleTempFiles(const std::string& folder) override {
    return Note("RemoveStaleTempFiles " + folder);
  }

 private:
  Status Note(std::string call) {
    calls.push_back(std::move(call));
    return Status();
  }
};

TEST(FileSystemWrapperTest, ForwardsEveryCallWithItsArgumentsAndResults) {
  RecordingFileSystem target;
  FileSystemWrapper wrapper(target);
  EXPECT_EQ(&wrapper.target(), &target);
  std::string data;
  std::vector<std::string> names;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point time;
  ASSERT_TRUE(wrapper.ReadFile("r", &data, 10).ok());
  ASSERT_TRUE(wrapper.WriteFileAtomic("w", "d").ok());
  ASSERT_TRUE(wrapper.WriteFileAtomicWithMode("wm", "d", 0640, 7).ok());
  ASSERT_TRUE(wrapper.AppendToFile("a", "line").ok());
  ASSERT_TRUE(wrapper.Exists("e"));
  ASSERT_TRUE(wrapper.Rename("from", "to").ok());
  ASSERT_TRUE(wrapper.Remove("x").ok());
  ASSERT_TRUE(wrapper.CreateFolder("c").ok());
  ASSERT_TRUE(wrapper.ListFolder("l", &names).ok());
  ASSERT_TRUE(wrapper.FileSize("s", &size).ok());
  ASSERT_TRUE(wrapper.ModifiedTime("m", &time).ok());
  ASSERT_TRUE(wrapper.RemoveStaleTempFiles("t").ok());
  EXPECT_EQ(target.calls,
            (std::vector<std::string>{
                "ReadFile r", "WriteFileAtomic w d", "WriteFileAtomicWithMode wm d 416 7",
                "AppendToFile a line", "Exists e", "Rename from to", "Remove x", "CreateFolder c",
                "ListFolder l", "FileSize s", "ModifiedTime m", "RemoveStaleTempFiles t"}));
  EXPECT_EQ(data, "read");
  EXPECT_EQ(names, std::vector<std::string>{"n"});
  EXPECT_EQ(size, 7u);
  EXPECT_EQ(time, std::chrono::system_clock::time_point(std::chrono::seconds(42)));
}

}  // namespace
}  // namespace nb
