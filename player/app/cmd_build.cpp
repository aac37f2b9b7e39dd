// `noticeboard build`: bulletin text → playlist JSON.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "base/time_format.h"
#include "bulletin/bulletin.h"

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

// A playlist given to `build` by mistake: JSON starts with { (a bulletin
// starts with its source's name).
bool IsJson(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

int RunBuild(const BuildArgs& args) {
  Env& env = Env::Default();
  std::string text;
  if (Status s = env.fs().ReadFile(args.bulletin, &text, kMaxBulletinBytes); !s.ok()) {
    LogError(s.message());
    return kExitInvalidInput;
  }
  if (IsJson(text)) {
    LogError(args.bulletin + ": this is already a playlist (JSON), not a bulletin: check it with " +
             "\"noticeboard check " + args.bulletin + "\"" +
             (args.output.empty() ? "" : "; " + args.output + " is unchanged"));
    return kExitInvalidInput;
  }
  bulletin::BuildOptions options;
  options.summary_chars = args.summary_chars;
  options.normalize = !args.no_normalize;
  bulletin::BuiltPlaylist built;
  Status built_ok = bulletin::BuildPlaylistJson(text, args.bulletin, options,
                                                UtcTimestamp(env.clock().WallNow()), &built);
  for (const auto& warning : built.warnings) LogWarning(warning);
  if (!built_ok.ok()) {
    // Never write a playlist the player would refuse.
    if (built.errors.empty()) {
      LogError(built_ok.message() +
               (args.output.empty() ? "" : "; " + args.output + " is unchanged"));
    } else {
      for (const auto& e : built.errors) LogError("built playlist is invalid: " + e.ToString());
      if (!args.output.empty()) LogError(args.output + " is unchanged");
    }
    return kExitInvalidInput;
  }
  const std::string& json = built.json;

  std::string target = args.output.empty() ? "stdout" : args.output;
  if (args.output.empty()) {
    std::fwrite(json.data(), 1, json.size(), stdout);
    std::fflush(stdout);
  } else if (Status s = env.fs().WriteFileAtomic(args.output, json); !s.ok()) {
    LogError(s.message());
    return kExitInvalidInput;
  }
  const std::size_t skipped = built.warnings.size();
  LogInfo("built " + std::to_string(built.items) + " items from " + BaseName(args.bulletin) +
          " → " + target +
          (skipped == 0 ? ""
                        : " (" + std::to_string(skipped) +
                              (skipped == 1 ? " line skipped)" : " lines skipped)")));
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
