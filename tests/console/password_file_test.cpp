#include "console/password_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "test_dir.h"

namespace nb::console {
namespace {

namespace fs = std::filesystem;

// Hashing costs a fraction of a second: tests share a few hashes.
const std::string& HashOf(const std::string& password) {
  static std::map<std::string, std::string> hashes;
  auto& hash = hashes[password];
  if (hash.empty()) {
    EXPECT_TRUE(HashPassword(password, &hash).ok());
  }
  return hash;
}

TEST(PasswordFileTest, ParsesUsersSkippingCommentsAndBlankLines) {
  std::string text = "# who may log in\n\nalice:editor:" + HashOf("correct horse") +
                     "\r\nbob.b-2:approver:" + HashOf("battery staple") + "\n";
  std::vector<ConsoleUser> users;
  Status s = ParsePasswordFile(text, "pw", &users);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "alice");
  EXPECT_EQ(users[0].role, Role::kEditor);
  EXPECT_EQ(users[0].hash, HashOf("correct horse"));
  EXPECT_EQ(users[1].name, "bob.b-2");
  EXPECT_EQ(users[1].role, Role::kApprover);
}

TEST(PasswordFileTest, ParseErrorsNameTheFileAndLine) {
  const std::string good = "alice:editor:" + HashOf("correct horse") + "\n";
  struct Case {
    std::string text;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {good + "# note\nbob\n", "/etc/pw:3: expected NAME:ROLE:HASH"},
           {good + "bob:admin:" + HashOf("correct horse") + "\n",
            "/etc/pw:2: the role is \"admin\""},
           {"b b:editor:" + HashOf("correct horse") + "\n",
            "/etc/pw:1: \"b b\" cannot be a user name"},
           {"bob:editor:plaintext\n", "/etc/pw:1: the password hash of bob"},
           {good + good, "/etc/pw:2: alice is listed twice"},
       }) {
    std::vector<ConsoleUser> users;
    Status s = ParsePasswordFile(c.text, "/etc/pw", &users);
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_NE(s.message().find(c.expected), std::string::npos) << s.message();
  }
}

TEST(PasswordFileTest, HashVerifiesItsPasswordAndNoOther) {
  const std::string& hash = HashOf("correct horse");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyPassword(hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horsE"));
  EXPECT_FALSE(VerifyPassword(hash, ""));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse"));
  // A salt of its own each time: the same password hashes differently.
  std::string again;
  ASSERT_TRUE(HashPassword("correct horse", &again).ok());
  EXPECT_NE(again, hash);
  EXPECT_TRUE(VerifyPassword(again, "correct horse"));
}

TEST(PasswordFileTest, ShortOrOverlongPasswordsAndBadNamesAreRefused) {
  std::string hash;
  Status s = HashPassword("1234567", &hash);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("at least 8 characters"), std::string::npos) << s.message();
  EXPECT_TRUE(CheckNewPassword("12345678").ok());
  // Characters, not bytes: eight Chinese characters are enough, seven not.
  EXPECT_TRUE(CheckNewPassword("天津市教育委员会").ok());
  EXPECT_FALSE(CheckNewPassword("天津市教育委员").ok());
  EXPECT_FALSE(CheckNewPassword(std::string(1025, 'x')).ok());
  EXPECT_TRUE(CheckUserName("admin").ok());
  EXPECT_TRUE(CheckUserName(std::string(32, 'a')).ok());
  EXPECT_FALSE(CheckUserName(std::string(33, 'a')).ok());
  EXPECT_FALSE(CheckUserName("").ok());
  EXPECT_FALSE(CheckUserName("ad:min").ok());
  EXPECT_FALSE(CheckUserName("李").ok());
}

TEST(PasswordFileTest, RoleNamesRoundTrip) {
  Role role = Role::kApprover;
  ASSERT_TRUE(ParseRole(RoleName(Role::kEditor), &role));
  EXPECT_EQ(role, Role::kEditor);
  ASSERT_TRUE(ParseRole(RoleName(Role::kApprover), &role));
  EXPECT_EQ(role, Role::kApprover);
  EXPECT_FALSE(ParseRole("Editor", &role));
}

class PasswordFileOnDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = nb::testing_support::FreshTestDir("nb-pwfile");
    path_ = (dir_ / "console-passwords").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<ConsoleUser> Load() {
    std::vector<ConsoleUser> users;
    Status s = LoadPasswordFile(fs_, path_, &users);
    EXPECT_TRUE(s.ok()) << s.message();
    return users;
  }
  std::string Text() {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path dir_;
  std::string path_;
  PosixFileSystem fs_;
};

TEST_F(PasswordFileOnDiskTest, MissingFileIsNoUserYet) {
  std::vector<ConsoleUser> users{ConsoleUser{}};
  ASSERT_TRUE(LoadPasswordFile(fs_, path_, &users).ok());
  EXPECT_TRUE(users.empty());
}

TEST_F(PasswordFileOnDiskTest, SetUserPasswordKeepsOthersAndReplacesOne) {
  ASSERT_TRUE(SetUserPassword(fs_, path_, "alice", Role::kEditor, "alice-password").ok());
  ASSERT_TRUE(SetUserPassword(fs_, path_, "bob", Role::kApprover, "bob-password").ok());
  // An administrator's own comment survives later changes.
  std::ofstream(path_, std::ios::app) << "# bob is the head teacher\n";
  std::string bob_hash = Load()[1].hash;

  Status s = SetUserPassword(fs_, path_, "alice", Role::kApprover, "alice-new-password");
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<ConsoleUser> users = Load();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "alice");
  EXPECT_EQ(users[0].role, Role::kApprover);
  EXPECT_TRUE(VerifyPassword(users[0].hash, "alice-new-password"));
  EXPECT_FALSE(VerifyPassword(users[0].hash, "alice-password"));
  EXPECT_EQ(users[1].name, "bob");
  EXPECT_EQ(users[1].hash, bob_hash);
  EXPECT_NE(Text().find("# bob is the head teacher\n"), std::string::npos);
  // The password itself is nowhere in the file.
  EXPECT_EQ(Text().find("alice-new-password"), std::string::npos);

  ASSERT_TRUE(DeleteUser(fs_, path_, "alice").ok());
  users = Load();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].name, "bob");
  Status missing = DeleteUser(fs_, path_, "alice");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("no user alice in " + path_), std::string::npos);
}

TEST_F(PasswordFileOnDiskTest, FileIsMode0640WithNoTempFileLeft) {
  ::umask(0);  // the most permissive: the file's mode must not follow it
  Status s = SetUserPassword(fs_, path_, "admin", Role::kApprover, "a good password");
  ::umask(022);
  ASSERT_TRUE(s.ok()) << s.message();
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"console-passwords"});
}

TEST_F(PasswordFileOnDiskTest, BrokenFileIsLeftAloneAndNamed) {
  std::ofstream(path_) << "alice:editor:" << HashOf("correct horse") << "\nnonsense\n";
  Status s = SetUserPassword(fs_, path_, "bob", Role::kApprover, "bob-password");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path_ + ":2:"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("nothing was changed"), std::string::npos) << s.message();
  EXPECT_NE(Text().find("nonsense"), std::string::npos);
}

}  // namespace
}  // namespace nb::console
