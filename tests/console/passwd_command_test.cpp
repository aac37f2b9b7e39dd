// `noticeboard passwd`, run as a user would (the real binary, NB_BINARY).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "console/password_file.h"
#include "run_binary.h"
#include "test_dir.h"


namespace nb::console {
namespace {

namespace fs = std::filesystem;

using testing_support::RunResult;

class PasswdCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = nb::testing_support::FreshTestDir("nb-passwd");
    file_ = (dir_ / "etc" / "console-passwords").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `noticeboard passwd ARGS` with `input` on its standard input and no
  // controlling terminal to fall back on (setsid).
  RunResult Run(std::vector<std::string> args, const std::string& input) {
    args.insert(args.begin(), "passwd");
    testing_support::RunOptions options;
    options.stdin_text = input;
    options.new_session = true;
    return testing_support::RunBinary(std::move(args), dir_, options);
  }

  std::vector<ConsoleUser> Users() {
    std::vector<ConsoleUser> users;
    Status s = LoadPasswordFile(fs_, file_, &users);
    EXPECT_TRUE(s.ok()) << s.message();
    return users;
  }

  fs::path dir_;
  std::string file_;
  PosixFileSystem fs_;
};

TEST_F(PasswdCommandTest, SetsPasswordsFromStandardInput) {
  RunResult r = Run({"--file", file_, "--password-stdin"}, "first password\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "password set for admin (approver) in " + file_ +
                       "; the web console (https://<this screen>:<port>/, the port of "
                       "config.json's api.listen) accepts it now\n");
  r = Run({"--file", file_, "--user", "teacher", "--role", "editor", "--password-stdin"},
          "教务处的密码很长\r\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<ConsoleUser> users = Users();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "admin");
  EXPECT_EQ(users[0].role, Role::kApprover);
  EXPECT_TRUE(VerifyPassword(users[0].hash, "first password"));
  EXPECT_EQ(users[1].name, "teacher");
  EXPECT_EQ(users[1].role, Role::kEditor);
  EXPECT_TRUE(VerifyPassword(users[1].hash, "教务处的密码很长"));
  struct stat st {};
  ASSERT_EQ(::stat(file_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);

  r = Run({"--file", file_, "--user", "teacher", "--delete"}, "");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Users().size(), 1u);
}

TEST_F(PasswdCommandTest, RefusesAShortPasswordAndChangesNothing) {
  RunResult r = Run({"--file", file_, "--password-stdin"}, "short\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the password is too short: use at least 8 characters; nothing was changed"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(file_));
}

TEST_F(PasswdCommandTest, WithoutATerminalItSaysToUsePasswordStdin) {
  RunResult r = Run({"--file", file_}, "a good password\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no terminal to type the password on"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--password-stdin"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(file_));
}

TEST_F(PasswdCommandTest, BadNamesAndRolesAreUsageErrors) {
  RunResult r = Run({"--file", file_, "--user", "head teacher", "--password-stdin"}, "x\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("\"head teacher\" cannot be a user name"), std::string::npos) << r.err;
  r = Run({"--file", file_, "--role", "admin", "--password-stdin"}, "a good password\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(file_));
}

}  // namespace
}  // namespace nb::console
