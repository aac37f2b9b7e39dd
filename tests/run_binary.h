// RunBinary: runs the real `noticeboard` (NB_BINARY) as a user would, with
// its output captured, for the tests of the commands.
//
// Contract: `stdin_text` (when set) is the program's standard input;
// `env` entries replace inherited variables of the same name (a shell, such
// as the cross build's emulator script, keeps only the last of two), and an
// inherited JOURNAL_STREAM is dropped so messages read as on a terminal;
// `new_session` runs it without a controlling terminal (setsid). Files go
// in `dir` and are removed afterwards.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace nb::testing_support {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

struct RunOptions {
  std::vector<std::string> env;
  std::optional<std::string> stdin_text;
  bool new_session = false;
};

inline std::string ReadWholeFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline RunResult RunBinary(std::vector<std::string> args, const std::filesystem::path& dir,
                           RunOptions options = {}) {
  namespace fs = std::filesystem;
  fs::path in = dir / ".stdin", out = dir / ".stdout", err = dir / ".stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.stdin_text) {
    std::ofstream(in, std::ios::binary) << *options.stdin_text;
    posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (options.new_session) posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  args.insert(args.begin(), NB_BINARY);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string>& env = options.env;
  const std::size_t given = env.size();
  auto named = [&](std::string_view var) {
    std::string_view name = var.substr(0, var.find('='));
    if (name == "JOURNAL_STREAM") return true;
    for (std::size_t i = 0; i < given; ++i) {
      if (std::string_view(env[i]).substr(0, env[i].find('=')) == name) return true;
    }
    return false;
  };
  for (char** e = environ; *e; ++e) {
    if (!named(*e)) env.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid;
  RunResult r;
  int rc = posix_spawn(&pid, NB_BINARY, &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    ADD_FAILURE() << "cannot run " << NB_BINARY;
    return r;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadWholeFile(out);
  r.err = ReadWholeFile(err);
  fs::remove(in);
  fs::remove(out);
  fs::remove(err);
  return r;
}

}  // namespace nb::testing_support
