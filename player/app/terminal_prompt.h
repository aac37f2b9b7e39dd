// TerminalPrompt: asking a person for a secret on the terminal (a console
// password for `noticeboard passwd`, a signing key's password for
// `noticeboard console`), without echoing what is typed.
//
// Contract:
// - AskOnTerminal() opens /dev/tty (so it works with stdin redirected),
//   turns echo off, asks each question in turn and puts the terminal back,
//   also when a signal (Ctrl-C) ends the process meanwhile: a shell left
//   without echo looks broken. False when there is no terminal or a line
//   did not come (end of input); answers lose their line ending.
// - ReadLine() reads one line from a file descriptor (stdin for scripts'
//   --password-stdin), at most a few KB kept.
#pragma once

#include <string>
#include <vector>

namespace nb::app {

bool ReadLine(int fd, std::string* line);
bool AskOnTerminal(const std::vector<std::string>& questions, std::vector<std::string>* answers);

}  // namespace nb::app
