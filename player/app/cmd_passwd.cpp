// `noticeboard passwd`: sets (or removes) a web console user's password in
// the password file (console/password_file.h). The console reads the file at
// each login, so nothing needs restarting.
#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/commands.h"
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

// The terminal's settings while echo is off, so that a signal (Ctrl-C)
// puts them back before the process ends: a shell left without echo looks
// broken to whoever typed.
int g_tty_fd = -1;
termios g_saved_tty{};

void RestoreTerminalAndDie(int sig) {
  if (g_tty_fd >= 0) ::tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_tty);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Reads a line from fd (the newline dropped); false at end of input.
bool ReadLine(int fd, std::string* line) {
  line->clear();
  char c;
  for (;;) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return !line->empty();
    if (c == '\n') return true;
    // A paste longer than any allowed password: stop collecting, the check
    // refuses it.
    if (line->size() <= 4096) line->push_back(c);
  }
}

// Asks on the terminal, not echoing what is typed.
bool Prompt(int tty, const std::string& question, std::string* answer) {
  (void)!::write(tty, question.data(), question.size());
  termios quiet = g_saved_tty;
  quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
  quiet.c_lflag |= ECHONL;  // the Enter still moves to a new line
  ::tcsetattr(tty, TCSAFLUSH, &quiet);
  bool ok = ReadLine(tty, answer);
  ::tcsetattr(tty, TCSAFLUSH, &g_saved_tty);
  if (!answer->empty() && answer->back() == '\r') answer->pop_back();
  return ok;
}

// The new password, from stdin or typed twice on the terminal.
bool ReadNewPassword(const PasswdArgs& args, std::string* password) {
  if (args.password_stdin) {
    if (!ReadLine(STDIN_FILENO, password)) {
      PrintError("noticeboard passwd: no password on standard input (one line expected)");
      return false;
    }
    if (!password->empty() && password->back() == '\r') password->pop_back();
    return true;
  }
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0 || ::tcgetattr(tty, &g_saved_tty) != 0) {
    if (tty >= 0) ::close(tty);
    PrintError(
        "noticeboard passwd: no terminal to type the password on; in a script, pass "
        "--password-stdin and give the password as one line on standard input");
    return false;
  }
  g_tty_fd = tty;
  struct sigaction restore {};
  restore.sa_handler = RestoreTerminalAndDie;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaction(sig, &restore, nullptr);
  std::string again;
  bool ok = Prompt(tty, "New password for " + args.user + ": ", password) &&
            Prompt(tty, "Type it again: ", &again);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(sig, SIG_DFL);
  g_tty_fd = -1;
  ::close(tty);
  if (!ok) {
    PrintError("noticeboard passwd: no password typed; nothing was changed");
    return false;
  }
  if (*password != again) {
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
            << args.file << "; the web console (https://<this screen>:8080/) accepts it now\n";
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
