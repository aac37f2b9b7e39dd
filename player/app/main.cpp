// noticeboard: builds, checks, lays out, renders and plays school bulletin
// playlists. See commands.h for the subcommands and exit codes.
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "base/log.h"
#include "base/names.h"

namespace {

constexpr const char* kVersionText = "noticeboard " NB_VERSION;

// CLI11 answers a mistyped command with "A subcommand is required": name the
// word it did not know, and the command meant (or all of them).
int ReportUnknownCommand(const CLI::App& app, const std::string& word) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  std::string message = "noticeboard: unknown command \"" + word + "\"";
  if (std::string near = nb::NearestName(word, commands); !near.empty()) {
    message += "; did you mean \"" + near + "\"?";
  } else {
    message += "; the commands are:";
    for (const auto& name : commands) message += " " + name;
    message += " (noticeboard --help describes them)";
  }
  nb::PrintError(message);
  return nb::app::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Noticeboard: a digital-signage player for school lobby screens"};
  app.require_subcommand(1);
  app.set_version_flag("-V,--version", kVersionText);

  nb::app::CommandRegistry registry;
  nb::app::RegisterBuildCommand(app, registry);
  nb::app::RegisterCheckCommand(app, registry);
  nb::app::RegisterCheckConfigCommand(app, registry);
  nb::app::RegisterLayoutCommand(app, registry);
  nb::app::RegisterRenderCommand(app, registry);
  nb::app::RegisterPlayCommand(app, registry);
  nb::app::RegisterPushCommand(app, registry);
  nb::app::RegisterAlertCommand(app, registry);
  nb::app::RegisterRollbackCommand(app, registry);
  nb::app::RegisterReceiveCommand(app, registry);
  nb::app::RegisterConsoleCommand(app, registry);
  nb::app::RegisterPasswdCommand(app, registry);
  registry.Add(app.add_subcommand("version", "Print the version (as --version)"), [] {
    std::cout << kVersionText << "\n";
    return nb::app::kExitOk;
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A word where a command belongs that is none of them (CLI11 keeps it
    // among the arguments it did not use).
    std::vector<std::string> unused = app.remaining();
    if (app.get_subcommands().empty() && !unused.empty() && !unused.front().empty() &&
        unused.front()[0] != '-') {
      return ReportUnknownCommand(app, unused.front());
    }
    // Help and version go to stdout; a usage error (e.g. a bad option in
    // the unit's NOTICEBOARD_OPTIONS) is an error line like any other.
    std::ostringstream usage_error;
    int code = app.exit(e, std::cout, usage_error);
    std::istringstream lines(usage_error.str());
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) nb::PrintError(line);
    }
    return code == 0 ? nb::app::kExitOk : nb::app::kExitUsage;
  }
  for (auto& [sub, run] : registry.commands) {
    if (sub->parsed()) return run();
  }
  return nb::app::kExitUsage;
}
