#include "app/player_setup.h"

#include <cstdio>
#include <ctime>

#include "base/log.h"

namespace nb::app {

std::shared_ptr<const playlist::Playlist> LoadPlaylistOrReport(const std::string& command,
                                                               const std::string& path,
                                                               std::string* text) {
  std::string data;
  Status read = Env::Default().fs().ReadFile(path, &data, playlist::kMaxFileBytes);
  if (!read.ok()) {
    PrintError("noticeboard " + command + ": " + read.message());
    return nullptr;
  }
  std::vector<playlist::Diagnostic> errors;
  std::optional<playlist::Playlist> p = playlist::ParsePlaylist(data, path, &errors);
  if (!p) {
    for (const auto& e : errors) PrintError("noticeboard " + command + ": " + e.ToString());
    if (errors.empty()) PrintError("noticeboard " + command + ": " + path + ": invalid");
    return nullptr;
  }
  if (text) *text = std::move(data);
  return std::make_shared<const playlist::Playlist>(std::move(*p));
}

bool LoadThemeOrReport(const std::string& command, const std::string& path, render::Theme* theme) {
  if (path.empty()) {
    *theme = render::DefaultTheme();
    return true;
  }
  Status s = render::LoadThemeFile(Env::Default().fs(), path, theme);
  if (!s.ok()) {
    PrintError("noticeboard " + command + ": " + s.message());
    return false;
  }
  return true;
}

text::FontConfig FontConfigFor(const render::Theme& theme) {
  text::FontConfig config = text::DefaultFontConfig();
  if (!theme.headline_font_file.empty()) config.headline_file = theme.headline_font_file;
  if (!theme.body_font_file.empty()) config.body_file = theme.body_font_file;
  if (!theme.headline_family.empty()) config.headline_family = theme.headline_family;
  if (!theme.body_family.empty()) config.body_family = theme.body_family;
  return config;
}

std::unique_ptr<text::TextEngine> CreateEngineOrReport(const std::string& command,
                                                       const render::Theme& theme) {
  Status status;
  auto engine = text::TextEngine::Create(FontConfigFor(theme), &status);
  if (!engine) PrintError("noticeboard " + command + ": " + status.message());
  return engine;
}

std::optional<std::chrono::system_clock::time_point> ParseLocalTime(const std::string& text) {
  std::tm tm{};
  int sec = 0;
  char tail = 0;
  int n = std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                      &tm.tm_hour, &tm.tm_min, &sec, &tail);
  if (!(n == 3 || n == 5 || n == 6) || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
      tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 ||
      sec < 0 || sec > 59) {
    return std::nullopt;
  }
  if (n == 3 && text.size() != 10) return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_sec = sec;
  tm.tm_isdst = -1;
  std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

bool ParseSize(const std::string& text, int* width, int* height) {
  char tail = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", width, height, &tail) != 2) return false;
  return *width >= 64 && *height >= 64 && *width <= 8192 && *height <= 8192;
}

}  // namespace nb::app
