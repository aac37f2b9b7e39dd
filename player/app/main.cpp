// noticeboard: builds, checks, lays out, renders and plays school bulletin
// playlists. See commands.h for the subcommands and exit codes.
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>
#include <string>

#include "app/commands.h"
#include "base/log.h"

int main(int argc, char** argv) {
  CLI::App app{"Noticeboard: a digital-signage player for school lobby screens"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "noticeboard " NB_VERSION);

  nb::app::CommandRegistry registry;
  nb::app::RegisterBuildCommand(app, registry);
  nb::app::RegisterCheckCommand(app, registry);
  nb::app::RegisterLayoutCommand(app, registry);
  nb::app::RegisterRenderCommand(app, registry);
  nb::app::RegisterPlayCommand(app, registry);
  nb::app::RegisterPushCommand(app, registry);
  nb::app::RegisterReceiveCommand(app, registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
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
