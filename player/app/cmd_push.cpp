// `noticeboard push`: sends a playlist to a screen's push API.
#include <CLI/CLI.hpp>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "playlist/playlist.h"
#include "update/api_token.h"
#include "update/net_module.h"

namespace nb::app {
namespace {

struct PushArgs {
  std::string url;
  std::string playlist;
  std::string token_file;
  std::string signature;
  std::string pin;  // SHA-256 fingerprint of the screen's certificate
};

int RunPush(const PushArgs& args) {
  std::string pin;
  if (!args.pin.empty() && !update::NormalizeFingerprint(args.pin, &pin)) {
    LogError(
        "--pin " + args.pin +
        ": not a SHA-256 fingerprint; copy the one the screen shows (32 pairs like AB:CD:...)");
    return kExitUsage;
  }
  Env& env = Env::Default();
  std::string body;
  if (Status s = env.fs().ReadFile(args.playlist, &body, update::kMaxUpdateBytes); !s.ok()) {
    LogError(s.message());
    return kExitInvalidInput;
  }
  // Check here first: the same validation the screen does, with the file's
  // own name in the messages, and no network round trip for a typo.
  std::vector<playlist::Diagnostic> errors;
  if (!playlist::ParsePlaylist(body, args.playlist, &errors)) {
    for (const auto& e : errors) LogError(e.ToString());
    LogError("not sent: the screen would refuse it");
    return kExitInvalidInput;
  }
  std::string token;
  if (Status s = update::LoadApiToken(env.fs(), args.token_file, &token); !s.ok()) {
    LogError(s.message());
    return kExitUsage;
  }
  std::optional<std::string> signature;
  if (!args.signature.empty()) {
    std::string sig;
    if (Status s = env.fs().ReadFile(args.signature, &sig, 64 * 1024); !s.ok()) {
      LogError(s.message());
      return kExitInvalidInput;
    }
    signature = std::move(sig);
  }

  Status loaded;
  update::NetModule* net = update::LoadNetModule(&loaded);
  if (!net) {
    LogError("cannot send: " + loaded.message());
    return kExitInvalidInput;
  }
  update::PushResult r =
      net->Push(args.url, body, token, signature, std::chrono::seconds(30), args.pin);
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
    LogInfo(args.playlist + " → " + args.url + ": " + field("outcome") + ", " +
            (answer.is_object() && answer.contains("items") ? answer["items"].dump() : "?") +
            " items (hash " + field("hash").substr(0, 16) + ")");
    return kExitOk;
  }
  std::string why = field("error").empty() ? r.body : field("error");
  LogError(args.url + " answered HTTP " + std::to_string(r.http_status) + ": " + why);
  if (answer.is_object() && answer.contains("errors") && answer["errors"].is_array()) {
    for (const auto& e : answer["errors"]) {
      if (e.is_object() && e.contains("where") && e.contains("message"))
        LogError("  " + e["where"].get<std::string>() + ": " + e["message"].get<std::string>());
    }
  }
  if (r.http_status == 401 || r.http_status == 403) LogError("check --token-file");
  // Good news, though the push failed: not an error line of its own.
  LogInfo("the screen keeps playing its current playlist");
  return kExitInvalidInput;
}

}  // namespace

void RegisterPushCommand(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<PushArgs>();
  CLI::App* sub = app.add_subcommand("push", "Send a playlist to a screen's push API");
  sub->add_option("URL", args->url,
                  "The screen, e.g. http://127.0.0.1:8080 or https://lobby-1:8080")
      ->required();
  sub->add_option("PLAYLIST", args->playlist, "The playlist file (JSON)")->required();
  sub->add_option("--token-file", args->token_file,
                  "File holding the screen's API token (its first line)")
      ->required();
  sub->add_option("--signature", args->signature,
                  "The playlist's minisign signature (PLAYLIST.minisig), for screens that "
                  "require signed playlists");
  sub->add_option("--pin", args->pin,
                  "For https: the SHA-256 fingerprint of the screen's certificate, as the screen "
                  "shows it (AB:CD:...); the token is sent only to a screen with that certificate");
  registry.Add(sub, [args] { return RunPush(*args); });
}

}  // namespace nb::app
