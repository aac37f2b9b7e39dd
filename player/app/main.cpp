// noticeboard: builds, checks, lays out, renders and plays school bulletin
// playlists. See commands.h for the subcommands and exit codes.
#include <CLI/CLI.hpp>

#include "app/commands.h"

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
    int code = app.exit(e);  // prints help, version or the usage error
    return code == 0 ? nb::app::kExitOk : nb::app::kExitUsage;
  }
  for (auto& [sub, run] : registry.commands) {
    if (sub->parsed()) return run();
  }
  return nb::app::kExitUsage;
}
