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
#include "app/screen_client.h"
#include "update/api_server.h"

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
  int exit_code = kExitOk;
  std::optional<ScreenAnswer> answer =
      CallScreen({args.url, args.token_file, args.pin, args.signature},
                 update::ApiCall{"PUT", update::kApiPlaylistPath, "application/json", body},
                 &exit_code);
  if (!answer) return exit_code;
  if (answer->http_status == 200) {
    const nlohmann::json& b = answer->body;
    LogInfo(args.playlist + " → " + args.url + ": " + answer->Field("outcome") + ", " +
            (b.is_object() && b.contains("items") ? b["items"].dump() : "?") + " items (hash " +
            answer->Field("hash").substr(0, 16) + ")");
    return kExitOk;
  }
  LogRefusal(args.url, *answer);
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
