#include "base/log.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace nb {
namespace {

std::mutex g_mutex;
bool g_debug = std::getenv("NOTICEBOARD_DEBUG") != nullptr;
const bool g_journal = std::getenv("JOURNAL_STREAM") != nullptr;

const char* Prefix(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return g_journal ? "<3>" : "error: ";
    case LogLevel::kWarning:
      return g_journal ? "<4>" : "warning: ";
    case LogLevel::kInfo:
      return g_journal ? "<6>" : "info: ";
    case LogLevel::kDebug:
      return g_journal ? "<7>" : "debug: ";
  }
  return "";
}

}  // namespace

void SetDebugLogging(bool enabled) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_debug = enabled;
}

namespace {

void WriteLine(std::string_view prefix, std::string_view message) {
  std::string line(prefix);
  for (char c : message) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void Log(LogLevel level, std::string_view message) {
  if (level == LogLevel::kDebug) {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (!g_debug) return;
  }
  WriteLine(Prefix(level), message);
}

void PrintError(std::string_view message) { WriteLine(g_journal ? "<3>" : "", message); }

}  // namespace nb
