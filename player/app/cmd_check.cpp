// `noticeboard check`: load and validate a playlist, report every problem.
#include <CLI/CLI.hpp>

#include <cmath>
#include <memory>
#include <string>

#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "bulletin/bulletin.h"
#include "playlist/playlist.h"

namespace nb::app {
namespace {

// "3 min 45 s", "1 h 2 min 5 s", "12.5 s".
std::string FormatDuration(double seconds) {
  long long tenths = std::llround(seconds * 10);
  long long whole = tenths / 10;
  std::string out;
  if (whole >= 3600) out += std::to_string(whole / 3600) + " h ";
  if (whole >= 60) out += std::to_string(whole / 60 % 60) + " min ";
  out += std::to_string(whole % 60);
  if (tenths % 10) out += "." + std::to_string(tenths % 10);
  return out + " s";
}

// A file that is no JSON but reads as a bulletin: the technician wants
// `build`, and a JSON syntax error on its first line would only confuse.
bool IsBulletin(const std::string& path, const std::vector<playlist::Diagnostic>& errors) {
  if (errors.size() != 1 || errors[0].message.rfind("JSON syntax error", 0) != 0) return false;
  std::string text;
  bulletin::Bulletin parsed;
  return Env::Default().fs().ReadFile(path, &text, playlist::kMaxFileBytes).ok() &&
         bulletin::ParseBulletin(text, path, &parsed).ok();
}

int RunCheck(const std::string& path) {
  std::vector<playlist::Diagnostic> errors;
  auto playlist = playlist::LoadPlaylistFile(Env::Default().fs(), path, &errors);
  if (!playlist && IsBulletin(path, errors)) {
    LogError(path + ": this looks like a bulletin (plain text), not a playlist (JSON): make a " +
             "playlist of it with \"noticeboard build " + path +
             " -o playlist.json\", then check that");
    return kExitInvalidInput;
  }
  if (!playlist) {
    for (const auto& e : errors) {
      // Syntax errors already name the file ("file:line:column").
      bool names_file = e.where.rfind(path, 0) == 0;
      LogError(names_file
                   ? e.ToString()
                   : path + ": " + (e.where.empty() ? "(top level)" : e.where) + ": " + e.message);
    }
    return kExitInvalidInput;
  }
  double cycle = 0;
  std::size_t disabled = 0;
  for (const auto& item : playlist->items) {
    if (item.enabled)
      cycle += playlist->DurationOf(item);
    else
      ++disabled;
  }
  std::string line = "ok: " + std::to_string(playlist->items.size()) + " items";
  if (disabled) line += " (" + std::to_string(disabled) + " disabled)";
  line += ", cycle " + FormatDuration(cycle);
  std::printf("%s\n", line.c_str());
  return kExitOk;
}

}  // namespace

void RegisterCheckCommand(CLI::App& app, CommandRegistry& registry) {
  auto path = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "check", "Validate a playlist; print every error, or the item count and cycle time");
  sub->add_option("PLAYLIST", *path, "The playlist JSON file")->required();
  registry.Add(sub, [path] { return RunCheck(*path); });
}

}  // namespace nb::app
