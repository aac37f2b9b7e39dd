// `noticeboard passwd`: sets (or removes) a web console user's password in
// the password file (console/password_file.h). The console reads the file at
// each login, so nothing needs restarting.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/terminal_prompt.h"
#include "base/env.h"
#include "base/log.h"
#include "console/password_file.h"

namespace nb::app {
namespace {

struct PasswdArgs {
  std::string user = "admin";
  std::string role = "approver";
  std::string file = console::kDefaultPasswordFile;
  bool password_stdin = false;
  bool remove = false;
};

// The new password, from stdin or typed twice on the terminal.
bool ReadNewPassword(const PasswdArgs& args, std::string* password) {
  if (args.password_stdin) {
    if (!ReadLine(STDIN_FILENO, password)) {
      PrintError("noticeboard passwd: no password on standard input (one line expected)");
      return false;
    }
    return true;
  }
  std::vector<std::string> typed;
  if (!AskOnTerminal({"New password for " + args.user + ": ", "Type it again: "}, &typed)) {
    PrintError(
        "noticeboard passwd: no terminal to type the password on (or nothing typed); in a "
        "script, pass "
        "--password-stdin and give the password as one line on standard input");
    return false;
  }
  *password = typed[0];
  if (*password != typed[1]) {
    PrintError("noticeboard passwd: the two passwords differ; nothing was changed");
    return false;
  }
  return true;
}

// A file under /etc belongs to root: say so rather than leave "Permission
// denied" to be puzzled over.
void ReportWriteError(const Status& s) {
  std::string message = "noticeboard passwd: " + s.message();
  if (::geteuid() != 0 && s.message().find("ermission denied") != std::string::npos)
    message += " (run it as root: sudo noticeboard passwd ...)";
  PrintError(message);
}

int RunPasswd(const PasswdArgs& args) {
  FileSystem& fs = Env::Default().fs();
  if (Status s = console::CheckUserName(args.user); !s.ok()) {
    PrintError("noticeboard passwd: " + s.message());
    return kExitUsage;
  }
  if (args.remove) {
    if (Status s = console::DeleteUser(fs, args.file, args.user); !s.ok()) {
      ReportWriteError(s);
      return kExitInvalidInput;
    }
    std::cout << args.user << " removed from " << args.file
              << "; the web console refuses that name from the next login on\n";
    return kExitOk;
  }
  console::Role role = console::Role::kApprover;
  console::ParseRole(args.role, &role);  // CLI11 allowed only the two names
  std::string password;
  if (!ReadNewPassword(args, &password)) return kExitInvalidInput;
  if (Status s = console::CheckNewPassword(password); !s.ok()) {
    PrintError("noticeboard passwd: " + s.message() + "; nothing was changed");
    return kExitInvalidInput;
  }
  std::filesystem::path folder = std::filesystem::path(args.file).parent_path();
  if (!folder.empty()) {
    if (Status s = fs.CreateFolder(folder.string()); !s.ok()) {
      ReportWriteError(s);
      return kExitInvalidInput;
    }
  }
  Status s = console::SetUserPassword(fs, args.file, args.user, role, password);
  std::fill(password.begin(), password.end(), '\0');
  if (!s.ok()) {
    ReportWriteError(s);
    return kExitInvalidInput;
  }
  std::cout << "password set for " << args.user << " (" << console::RoleName(role) << ") in "
            << args.file << "; the web console (https://<this screen>:<port>/, the port of config.json's api.listen) accepts it now\n";
  return kExitOk;
}

}  // namespace

void RegisterPasswdCommand(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<PasswdArgs>();
  CLI::App* sub = app.add_subcommand("passwd", "Set a web console user's password");
  sub->add_option("--user", args->user, "The user's name (default admin)");
  sub->add_option("--role", args->role,
                  "What the user may do in the web console: editor or approver (default)")
      ->check(CLI::IsMember({"editor", "approver"}));
  sub->add_option("--file", args->file,
                  std::string("The password file (default ") + console::kDefaultPasswordFile + ")");
  sub->add_flag("--password-stdin", args->password_stdin,
                "Read the password as one line from standard input (scripts) instead of asking "
                "twice on the terminal");
  sub->add_flag("--delete", args->remove, "Remove the user instead");
  registry.Add(sub, [args] { return RunPasswd(*args); });
}

}  // namespace nb::app
