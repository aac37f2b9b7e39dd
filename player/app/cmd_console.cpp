// `noticeboard console PLAYLIST`: the web console on a desktop or an office
// PC, for a playlist file rather than a screen. The same pages and the same
// engine draw the previews; publishing writes the file (atomically, through
// the one update pipeline), and the pages offer it as a download for a USB
// stick. Runs until Ctrl+C.
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/player_setup.h"
#include "app/preview_renderer.h"
#include "app/terminal_prompt.h"
#include "base/env.h"
#include "base/log.h"
#include "console/password_file.h"
#include "playlist/schedule.h"
#include "update/config.h"
#include "update/file_playlist_store.h"
#include "update/net_module.h"
#include "update/signature.h"
#include "update/update_pipeline.h"

namespace nb::app {
namespace {

struct ConsoleArgs {
  std::string playlist;
  std::string listen = "127.0.0.1:8080";
  std::string password_file;
  std::string theme;
  std::string secret_key;
  std::string state_dir;
  bool plain_http = false;
};

// The approver's minisign key, its password asked on the terminal when it
// has one; nothing (after saying why) when it cannot be used.
bool LoadSigningKey(const std::string& file, std::optional<update::SecretKey>* key) {
  std::string text;
  if (Status s = Env::Default().fs().ReadFile(file, &text, 4096); !s.ok()) {
    PrintError("noticeboard console: --secret-key: " + s.message());
    return false;
  }
  std::string password;
  if (update::SecretKeyIsEncrypted(text)) {
    std::vector<std::string> typed;
    if (!AskOnTerminal({"Password of the signing key " + file + ": "}, &typed)) {
      PrintError("noticeboard console: " + file +
                 " is protected by a password and there is no terminal to type it on");
      return false;
    }
    password = typed[0];
  }
  update::SecretKey parsed;
  Status s = update::ParseSecretKey(text, password, file, &parsed);
  std::fill(password.begin(), password.end(), '\0');
  if (!s.ok()) {
    PrintError("noticeboard console: " + s.message());
    return false;
  }
  *key = parsed;
  return true;
}

// Where a desktop user's console keeps its password file and certificate:
// ~/.config/noticeboard (root: the screen's own /etc/noticeboard).
std::string UserConfigFolder() {
  if (geteuid() == 0) return "/etc/noticeboard";
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/noticeboard";
  const char* home = std::getenv("HOME");
  if (!home || !*home) {
    const passwd* pw = getpwuid(getuid());
    home = pw ? pw->pw_dir : "/tmp";
  }
  return std::string(home) + "/.config/noticeboard";
}

int RunConsole(const ConsoleArgs& args) {
  Env& env = Env::Default();
  const std::string cmd = "console";
  std::string host;
  int port = 0;
  if (!update::SplitListenAddress(args.listen, &host, &port)) {
    PrintError("noticeboard console: --listen " + args.listen +
               ": expected host:port such as 127.0.0.1:8080");
    return kExitUsage;
  }
  auto playlist = LoadPlaylistOrReport(cmd, args.playlist, nullptr);
  if (!playlist) return kExitInvalidInput;
  render::Theme theme;
  if (!LoadThemeOrReport(cmd, args.theme, &theme)) return kExitInvalidInput;

  const std::string folder = UserConfigFolder();
  const std::string password_file =
      args.password_file.empty() ? folder + "/console-passwords" : args.password_file;

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::optional<update::SecretKey> signing_key;
  if (!args.secret_key.empty() && !LoadSigningKey(args.secret_key, &signing_key))
    return kExitInvalidInput;
  update::FilePlaylistStore store(env.fs(), args.playlist, *playlist, signing_key);
  update::UpdatePipeline pipeline(env, store, {});
  pipeline.SetInitial(playlist, "file:" + args.playlist);
  SlidePreviewRenderer preview(theme, FontConfigFor(theme));

  update::ApiCallbacks callbacks;
  callbacks.preview = &preview;
  callbacks.player_status = [] {
    update::PlayerStatus status;
    status.width = 1920;
    status.height = 1080;
    return status;
  };
  // "The screen now" on a desktop: the first item that would play now.
  callbacks.screenshot_png = [&env, &pipeline, &preview]() -> std::optional<std::string> {
    auto current = pipeline.current();
    if (!current) return std::nullopt;
    auto playing = playlist::ItemsPlayingNow(*current, env.clock());
    if (playing.empty()) return std::nullopt;
    console::PreviewResult r = preview.Render(
        {playlist::ToJson(*current), static_cast<int>(playing.front()), 1920, 1080});
    if (r.kind != console::PreviewResult::Kind::kOk) return std::nullopt;
    return r.png;
  };

  update::ApiOptions options;
  options.host = host;
  options.port = port;
  options.console.enabled = true;
  options.console.password_file = password_file;
  options.console.desktop_file = args.playlist;
  options.console.signing_key = signing_key;
  // Drafts and the audit log (issue 22) beside the password file, the
  // office PC's own state folder, unless told otherwise.
  options.console.state_dir = args.state_dir.empty() ? folder : args.state_dir;
  options.https = !update::IsLoopbackHost(host) && !args.plain_http;
  options.tls_state_dir = folder;

  Status loaded;
  update::NetModule* net = update::LoadNetModule(&loaded);
  if (!net) {
    PrintError("noticeboard console: " + loaded.message());
    return kExitEnvironment;
  }
  Status started;
  auto server = net->StartApiServer(env, pipeline, options, callbacks, &started);
  if (!server) {
    PrintError("noticeboard console: " + started.message());
    return kExitEnvironment;
  }
  std::vector<console::ConsoleUser> users;
  console::LoadPasswordFile(env.fs(), password_file, &users);
  std::string shown_host = host == "0.0.0.0" || host == "::" ? "<this computer's address>" : host;
  std::cout << "The console for " << args.playlist << " is at " << (options.https ? "https" : "http")
            << "://" << shown_host << ":" << server->port() << "/\n";
  if (users.empty()) {
    std::cout << "No password yet: set one first with\n  noticeboard passwd --file "
              << password_file << "\n";
  }
  if (signing_key) {
    std::cout << "Publishing and exporting sign with key " << signing_key->Public().KeyIdHex()
              << " (" << args.playlist << ".minisig beside the file).\n";
  }
  std::cout << "Publishing there writes " << args.playlist << ". Stop with Ctrl+C.\n"
            << std::flush;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server->Stop();
  LogInfo("console stopped");
  return kExitOk;
}

}  // namespace

void RegisterConsoleCommand(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<ConsoleArgs>();
  CLI::App* sub = app.add_subcommand(
      "console", "Edit, preview and publish a playlist file in a web browser (the web console)");
  sub->add_option("playlist", args->playlist, "Playlist JSON file to edit (publishing writes it)")
      ->required();
  sub->add_option("--listen", args->listen,
                  "Address and port to serve (default 127.0.0.1:8080, this computer only; "
                  "0.0.0.0:8080 for other computers, over HTTPS)");
  sub->add_option("--password-file", args->password_file,
                  "Password file (default ~/.config/noticeboard/console-passwords; set one "
                  "with noticeboard passwd --file)");
  sub->add_option("--theme", args->theme, "Theme JSON file for the previews");
  sub->add_option("--secret-key", args->secret_key,
                  "An approver's minisign secret key: publishing and export sign with it, so "
                  "screens with trusted_keys accept the playlist");
  sub->add_option("--state-dir", args->state_dir,
                  "Folder for the drafts awaiting approval and the audit log (default "
                  "~/.config/noticeboard)");
  sub->add_flag("--plain-http", args->plain_http,
                "Serve plain HTTP on a network address (a trusted network only)");
  registry.Add(sub, [args] { return RunConsole(*args); });
}

}  // namespace nb::app
