// `noticeboard check-config [FILE]`: everything a screen's config names,
// checked before a restart: the config itself, the theme, the playlist file,
// the API's token, the console's password file and signing key, the
// certificate. Every problem is reported (exit 1), or one line says what the
// screen will do (exit 0). Reads only; starts nothing.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/player_setup.h"
#include "base/env.h"
#include "base/log.h"
#include "console/password_file.h"
#include "playlist/playlist.h"
#include "render/theme.h"
#include "update/api_token.h"
#include "update/config.h"
#include "update/signature.h"

namespace nb::app {
namespace {

int RunCheckConfig(const std::string& path) {
  FileSystem& fs = Env::Default().fs();
  std::vector<Diagnostic> errors;
  auto config = update::LoadConfigFile(fs, path, &errors);
  if (!config) {
    for (const auto& e : errors) LogError(e.ToString());
    return kExitInvalidInput;
  }
  int problems = 0;
  auto problem = [&](const std::string& message) {
    LogError(path + ": " + message);
    ++problems;
  };
  render::Theme theme;
  if (!LoadThemeOrReport("check-config", config->theme, &theme)) ++problems;
  if (!config->playlist.empty()) {
    std::vector<Diagnostic> playlist_errors;
    if (!playlist::LoadPlaylistFile(fs, config->playlist, &playlist_errors)) {
      problem("playlist " + config->playlist + ": " +
              (playlist_errors.empty() ? "unusable" : playlist_errors.front().ToString()) +
              " (the screen plays its stored playlist or waits for an update)");
    }
  }
  for (std::size_t i = 0; i < config->trusted_keys.size(); ++i) {
    update::PublicKey key;
    if (Status s = update::ParsePublicKey(config->trusted_keys[i], &key); !s.ok())
      problem("/trusted_keys/" + std::to_string(i) + ": " + s.message());
  }
  const update::ApiConfig& api = config->api;
  std::string host;
  int port = 0;
  update::SplitListenAddress(api.listen, &host, &port);
  const bool https = !update::IsLoopbackHost(host) && !api.plain_http;
  if (api.enabled) {
    std::string token;
    if (Status s = update::LoadApiToken(fs, api.token_file, &token); !s.ok())
      problem("/api/token_file: " + s.message() + " (the push API would be off)");
    if (api.console) {
      std::vector<console::ConsoleUser> users;
      if (Status s = console::LoadPasswordFile(fs, api.password_file, &users); !s.ok()) {
        problem("/api/password_file: " + s.message());
      } else if (users.empty()) {
        LogWarning(path + ": the web console has no password yet: sudo noticeboard passwd");
      }
      if (!api.signing_key.empty()) {
        std::string text;
        update::SecretKey key;
        Status s = fs.ReadFile(api.signing_key, &text, 4096);
        if (s.ok() && update::SecretKeyIsEncrypted(text))
          s = Status::Error(api.signing_key + " is protected by a password (a screen cannot "
                                             "type one: minisign -G -W)");
        else if (s.ok())
          s = update::ParseSecretKey(text, "", api.signing_key, &key);
        if (!s.ok()) problem("/api/signing_key: " + s.message());
      }
    }
    for (const std::string* file : {&api.tls_cert, &api.tls_key}) {
      if (!file->empty() && !fs.Exists(*file))
        problem((file == &api.tls_cert ? "/api/tls_cert: " : "/api/tls_key: ") + *file +
                " does not exist");
    }
  }
  if (problems > 0) {
    LogError(path + ": " + std::to_string(problems) + " problem(s); fix them before a restart");
    return kExitInvalidInput;
  }
  std::string summary = "ok: " + path + ": USB " + (config->usb.enabled ? "on" : "off") +
                        ", pull " + (config->pull.url.empty() ? "off" : config->pull.url) +
                        ", API ";
  if (api.enabled) {
    summary += api.listen + (https ? " over HTTPS" : " over plain HTTP") +
               (api.console ? ", web console on" : ", web console off");
  } else {
    summary += "off";
  }
  summary += ", " + std::to_string(config->trusted_keys.size()) + " trusted key(s), " +
             std::to_string(config->display.off_hours.size()) + " off-hours period(s)";
  std::cout << summary << "\n";
  return kExitOk;
}

}  // namespace

void RegisterCheckConfigCommand(CLI::App& app, CommandRegistry& registry) {
  auto path = std::make_shared<std::string>(update::kDefaultConfigPath);
  CLI::App* sub = app.add_subcommand(
      "check-config", "Check a screen's config and every file it names, before a restart");
  sub->add_option("config", *path, "Config file (default /etc/noticeboard/config.json)");
  registry.Add(sub, [path] { return RunCheckConfig(*path); });
}

}  // namespace nb::app
