// `noticeboard build`: bulletin text → playlist JSON.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "base/time_format.h"
#include "bulletin/bulletin.h"
#include "playlist/playlist.h"

namespace nb::app {
namespace {

// A bulletin is a few hundred kilobytes; anything far larger is a wrong file.
constexpr std::size_t kMaxBulletinBytes = 16 * 1024 * 1024;

struct BuildArgs {
  std::string bulletin;
  std::string output;
  int summary_chars = bulletin::kDefaultSummaryChars;
  bool no_normalize = false;
};

std::string BaseName(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

int RunBuild(const BuildArgs& args) {
  Env& env = Env::Default();
  std::string text;
  if (Status s = env.fs().ReadFile(args.bulletin, &text, kMaxBulletinBytes); !s.ok()) {
    LogError(s.message());
    return kExitInvalidInput;
  }
  bulletin::Bulletin parsed;
  if (Status s = bulletin::ParseBulletin(text, args.bulletin, &parsed); !s.ok()) {
    LogError(s.message() + (args.output.empty() ? "" : "; " + args.output + " is unchanged"));
    return kExitInvalidInput;
  }
  for (const auto& skipped : parsed.skipped) {
    LogWarning(args.bulletin + ":" + std::to_string(skipped.line) +
               ": skipped, not part of any item: " + skipped.text);
  }
  bulletin::BuildOptions options;
  options.summary_chars = args.summary_chars;
  options.normalize = !args.no_normalize;
  playlist::Playlist playlist =
      bulletin::MakePlaylist(parsed, options, UtcTimestamp(env.clock().WallNow()));
  std::string json = playlist::ToJson(playlist);

  // Never write a playlist the player would refuse.
  std::vector<playlist::Diagnostic> errors;
  if (!playlist::ParsePlaylist(json, args.output.empty() ? "output" : args.output, &errors)) {
    for (const auto& e : errors) LogError("built playlist is invalid: " + e.ToString());
    if (!args.output.empty()) LogError(args.output + " is unchanged");
    return kExitInvalidInput;
  }

  std::string target = args.output.empty() ? "stdout" : args.output;
  if (args.output.empty()) {
    std::fwrite(json.data(), 1, json.size(), stdout);
    std::fflush(stdout);
  } else if (Status s = env.fs().WriteFileAtomic(args.output, json); !s.ok()) {
    LogError(s.message());
    return kExitInvalidInput;
  }
  LogInfo("built " + std::to_string(playlist.items.size()) + " items from " +
          BaseName(args.bulletin) + " → " + target +
          (parsed.skipped.empty()
               ? ""
               : " (" + std::to_string(parsed.skipped.size()) +
                     (parsed.skipped.size() == 1 ? " line skipped)" : " lines skipped)")));
  return kExitOk;
}

}  // namespace

void RegisterBuildCommand(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<BuildArgs>();
  CLI::App* sub = app.add_subcommand("build", "Turn a bulletin (text) into a playlist (JSON)");
  sub->add_option("BULLETIN", args->bulletin, "The bulletin text file, UTF-8")->required();
  sub->add_option("-o,--output", args->output,
                  "Playlist file to write (atomically); without it the JSON goes to stdout");
  sub->add_option("--summary-chars", args->summary_chars,
                  "Longest summary, in characters (default 100)")
      ->check(CLI::Range(10, 10000));
  sub->add_flag("--no-normalize", args->no_normalize,
                "Keep ASCII punctuation in Chinese text as it is (no full-width ，；：？！（）)");
  registry.Add(sub, [args] { return RunBuild(*args); });
}

}  // namespace nb::app
