// `noticeboard receive`: the update paths without a display. Receives
// playlists from USB sticks, the pull URL and the push API (as configured) and
// stores them in the state folder, where `noticeboard play
// STATE_DIR/current.json` picks them up by hot reload. For headless tests, and
// for setups where another process shows the playlist.
#include <signal.h>
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "update/config.h"
#include "update/update_service.h"

namespace nb::app {
namespace {

struct ReceiveArgs {
  std::string config = update::kDefaultConfigPath;
  std::string state_dir;
};

int RunReceive(const ReceiveArgs& args) {
  Env& env = Env::Default();
  std::vector<playlist::Diagnostic> errors;
  auto config = update::LoadConfigFile(env.fs(), args.config, &errors);
  if (!config) {
    for (const auto& e : errors) LogError(e.ToString());
    return kExitInvalidInput;
  }
  if (!args.state_dir.empty()) config->state_dir = args.state_dir;

  // Block the stop signals before any thread starts, then wait for one here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  update::UpdateService service(env, *config);
  std::optional<update::StoredPlaylist> initial;
  if (Status s = service.Open(&initial); !s.ok()) {
    LogError(s.message());
    return kExitInvalidInput;
  }
  // receive exists for its update paths: when the token turned the API off
  // and no other path is on, it would wait for nothing, so it stops (exit 1)
  // with the token's error above, where play would keep the screen going.
  const update::Config& active = service.config();
  if (config->api.enabled && !service.push_api_on() && !active.usb.enabled &&
      active.pull.url.empty()) {
    LogError("nothing to receive: the push API is the only update path in " + args.config +
             " and it is off");
    return kExitInvalidInput;
  }
  LogInfo(initial ? "current playlist: " + std::to_string(initial->playlist.items.size()) +
                        " items from " + (initial->source.empty() ? "?" : initial->source)
                  : "no playlist stored yet in " + config->state_dir);
  service.Start();
  int sig = 0;
  sigwait(&stop_signals, &sig);
  LogInfo("stopping");
  service.Stop();
  return kExitOk;
}

}  // namespace

void RegisterReceiveCommand(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<ReceiveArgs>();
  CLI::App* sub = app.add_subcommand(
      "receive",
      "Receive playlists (USB, pull, push API) into the state folder, without a display");
  sub->add_option("--config", args->config, "Config file (default /etc/noticeboard/config.json)");
  sub->add_option("--state-dir", args->state_dir,
                  "State folder, overriding the config (default /var/lib/noticeboard)");
  registry.Add(sub, [args] { return RunReceive(*args); });
}

}  // namespace nb::app
