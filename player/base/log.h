// Logging to stderr, one line per event, with a level prefix.
//
// Contract: under systemd (JOURNAL_STREAM is set) each line starts with the
// sd-daemon priority prefix ("<3>", "<4>", "<6>", "<7>") so journald records
// the level; on a terminal the prefix is the level's word ("error: "). Lines
// never contain a newline: embedded newlines are replaced so one event stays
// one journal entry. Thread-safe.
#pragma once

#include <string_view>

namespace nb {

enum class LogLevel { kError, kWarning, kInfo, kDebug };

void Log(LogLevel level, std::string_view message);
inline void LogError(std::string_view m) { Log(LogLevel::kError, m); }
inline void LogWarning(std::string_view m) { Log(LogLevel::kWarning, m); }
inline void LogInfo(std::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogDebug(std::string_view m) { Log(LogLevel::kDebug, m); }

// An error for the person at the terminal, in the command's own words
// ("noticeboard play: cannot open the display: ..."): printed as written on a
// terminal, and under systemd after "<3>", so that `journalctl -p warning`
// shows why a screen is black. One line, as for Log().
void PrintError(std::string_view message);

// Debug lines are dropped unless enabled (by --verbose or NOTICEBOARD_DEBUG=1).
void SetDebugLogging(bool enabled);

}  // namespace nb
