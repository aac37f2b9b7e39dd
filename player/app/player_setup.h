// What `play` and `render` share: loading the playlist and theme with
// messages for people, opening the fonts the theme asks for, and parsing a
// local time (render --at) and a screen size.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/env.h"
#include "playlist/playlist.h"
#include "render/theme.h"
#include "text/text.h"

namespace nb::app {

// Loads and validates; on failure prints every problem to stderr, prefixed
// with `command`, and returns null.
std::shared_ptr<const playlist::Playlist> LoadPlaylistOrReport(const std::string& command,
                                                               const std::string& path,
                                                               std::string* text);
// The default theme, or the file's on top of it; false after printing why.
bool LoadThemeOrReport(const std::string& command, const std::string& path, render::Theme* theme);
// The fonts the player uses: fonts/fonts.json's (text::DefaultFontConfig),
// with the theme's overrides.
text::FontConfig FontConfigFor(const render::Theme& theme);
// Opens the fonts of FontConfigFor(theme).
std::unique_ptr<text::TextEngine> CreateEngineOrReport(const std::string& command,
                                                       const render::Theme& theme);

// "2025-12-01T09:00" or "2025-12-01T09:00:30" or "2025-12-01" as local time.
std::optional<std::chrono::system_clock::time_point> ParseLocalTime(const std::string& text);
// "1920x1080".
bool ParseSize(const std::string& text, int* width, int* height);

}  // namespace nb::app
