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
#include "update/api_token.h"
#include "update/net_module.h"

namespace nb::app {
namespace {

struct RollbackArgs {
  std::string url;
  std::string token_file;
  std::string pin;
};

int RunRollback(const RollbackArgs& args) {
  std::string pin;
  if (!args.pin.empty() && !update::NormalizeFingerprint(args.pin, &pin)) {
    LogError("--pin " + args.pin +
             ": not a SHA-256 fingerprint; copy the one the screen shows (AB:CD:...)");
    return kExitUsage;
  }
  Env& env = Env::Default();
  std::string token;
  if (Status s = update::LoadApiToken(env.fs(), args.token_file, &token); !s.ok()) {
    LogError(s.message());
    return kExitUsage;
  }
  Status loaded;
  update::NetModule* net = update::LoadNetModule(&loaded);
  if (!net) {
    LogError("cannot send: " + loaded.message());
    return kExitInvalidInput;
  }
  update::PushResult r = net->Call(args.url, update::ApiCall{"POST", "/api/v1/rollback", "", ""},
                                   token, std::nullopt, std::chrono::seconds(30), args.pin);
  if (r.http_status == 0) {
    LogError("could not reach the screen: " + r.error);
    return kExitInvalidInput;
  }
  nlohmann::json answer = nlohmann::json::parse(r.body, nullptr, false);
  auto field = [&answer](const char* key) -> std::string {
    return answer.is_object() && answer.contains(key) && answer[key].is_string()
               ? answer[key].get<std::string>()
               : "";
  };
  if (r.http_status == 200) {
    LogInfo(args.url + ": the previous playlist is back, \"" + field("title") + "\", " +
            (answer.is_object() && answer.contains("items") ? answer["items"].dump() : "?") +
            " items (hash " + field("hash").substr(0, 16) + ")");
    return kExitOk;
  }
  LogError(args.url + " answered HTTP " + std::to_string(r.http_status) + ": " +
           (field("error").empty() ? r.body : field("error")));
  if (r.http_status == 401 || r.http_status == 403) LogError("check --token-file");
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
