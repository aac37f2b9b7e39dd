// The `noticeboard` command line: one binary, one subcommand per task.
//
// Contract: each subcommand lives in its own cmd_*.cpp and registers itself
// with Register*Command(), which adds a CLI11 subcommand (with --help) and
// the function that runs it (`version` alone lives in main.cpp, with the
// answer to an unknown command). Runners return an exit code:
//   0 success, 1 invalid input (a bad bulletin, playlist, file), 2 usage error
//   (an unknown command or option), 3 the machine cannot show anything (no
//   display, no window, no renderer: a driver, a cable, a permission), which
//   no edit of a playlist or config fixes.
#pragma once

#include <functional>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace nb::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalidInput = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitEnvironment = 3;

struct CommandRegistry {
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands;
  void Add(CLI::App* sub, std::function<int()> run) { commands.emplace_back(sub, std::move(run)); }
};

void RegisterBuildCommand(CLI::App& app, CommandRegistry& registry);
void RegisterCheckCommand(CLI::App& app, CommandRegistry& registry);
void RegisterCheckConfigCommand(CLI::App& app, CommandRegistry& registry);
void RegisterLayoutCommand(CLI::App& app, CommandRegistry& registry);
void RegisterRenderCommand(CLI::App& app, CommandRegistry& registry);
void RegisterPlayCommand(CLI::App& app, CommandRegistry& registry);
void RegisterPushCommand(CLI::App& app, CommandRegistry& registry);
void RegisterAlertCommand(CLI::App& app, CommandRegistry& registry);
void RegisterRollbackCommand(CLI::App& app, CommandRegistry& registry);
void RegisterReceiveCommand(CLI::App& app, CommandRegistry& registry);
void RegisterConsoleCommand(CLI::App& app, CommandRegistry& registry);
void RegisterPasswdCommand(CLI::App& app, CommandRegistry& registry);

}  // namespace nb::app
