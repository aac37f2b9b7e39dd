#include "app/terminal_prompt.h"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

namespace nb::app {
namespace {

// The terminal's settings while echo is off, for the signal handler.
int g_tty_fd = -1;
termios g_saved_tty{};

void RestoreTerminalAndDie(int sig) {
  if (g_tty_fd >= 0) ::tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_tty);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

bool AskQuietly(int tty, const std::string& question, std::string* answer) {
  (void)!::write(tty, question.data(), question.size());
  termios quiet = g_saved_tty;
  quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
  quiet.c_lflag |= ECHONL;  // the Enter still moves to a new line
  ::tcsetattr(tty, TCSAFLUSH, &quiet);
  bool ok = ReadLine(tty, answer);
  ::tcsetattr(tty, TCSAFLUSH, &g_saved_tty);
  return ok;
}

}  // namespace

bool ReadLine(int fd, std::string* line) {
  line->clear();
  char c;
  for (;;) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (c == '\n') {
      if (!line->empty() && line->back() == '\r') line->pop_back();
      return true;
    }
    // A paste longer than any allowed secret: stop collecting, the caller's
    // check refuses it.
    if (line->size() <= 4096) line->push_back(c);
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return !line->empty();
}

bool AskOnTerminal(const std::vector<std::string>& questions, std::vector<std::string>* answers) {
  answers->clear();
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0 || ::tcgetattr(tty, &g_saved_tty) != 0) {
    if (tty >= 0) ::close(tty);
    return false;
  }
  g_tty_fd = tty;
  struct sigaction restore {};
  restore.sa_handler = RestoreTerminalAndDie;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaction(sig, &restore, nullptr);
  bool ok = true;
  for (const std::string& q : questions) {
    std::string answer;
    ok = ok && AskQuietly(tty, q, &answer);
    answers->push_back(std::move(answer));
  }
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(sig, SIG_DFL);
  g_tty_fd = -1;
  ::close(tty);
  return ok;
}

}  // namespace nb::app
