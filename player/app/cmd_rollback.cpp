// `noticeboard rollback`: puts the playlist before the current one back on a
// screen (POST /api/v1/rollback), through the screen's pipeline like any
// update: for the day a wrong playlist went out.
#include <CLI/CLI.hpp>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "app/screen_client.h"

namespace nb::app {
namespace {

struct RollbackArgs {
  std::string url;
  std::string token_file;
  std::string pin;
};

int RunRollback(const RollbackArgs& args) {
  int exit_code = kExitOk;
  std::optional<ScreenAnswer> answer =
      CallScreen({args.url, args.token_file, args.pin, ""},
                 update::ApiCall{"POST", "/api/v1/rollback", "", ""}, &exit_code);
  if (!answer) return exit_code;
  if (answer->http_status == 200) {
    const nlohmann::json& b = answer->body;
    LogInfo(args.url + ": the previous playlist is back, \"" + answer->Field("title") + "\", " +
            (b.is_object() && b.contains("items") ? b["items"].dump() : "?") + " items (hash " +
            answer->Field("hash").substr(0, 16) + ")");
    return kExitOk;
  }
  LogRefusal(args.url, *answer);
  LogInfo("the screen keeps playing its current playlist");
  return kExitInvalidInput;
}

}  // namespace

void RegisterRollbackCommand(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<RollbackArgs>();
  CLI::App* sub = app.add_subcommand(
      "rollback", "Put the playlist before the current one back on a screen (its push API)");
  sub->add_option("URL", args->url,
                  "The screen, e.g. http://127.0.0.1:8080 or https://lobby-1:8080")
      ->required();
  sub->add_option("--token-file", args->token_file,
                  "File holding the screen's API token (its first line)")
      ->required();
  sub->add_option("--pin", args->pin,
                  "For https: the SHA-256 fingerprint of the screen's certificate (AB:CD:...)");
  registry.Add(sub, [args] { return RunRollback(*args); });
}

}  // namespace nb::app
