// The audit log (audit_log.h): JSON lines, appended; a pending file makes a
// publish and its entries one step across a crash.
#include "console/audit_log.h"

#include <nlohmann/json.hpp>

#include "base/log.h"

namespace nb::console {
namespace {

using Json = nlohmann::json;

// 64 MiB is some 200,000 entries: decades of a school's approvals.
constexpr std::size_t kMaxLogBytes = 64 * 1024 * 1024;
constexpr std::size_t kMaxPendingBytes = 1024 * 1024;

std::string Lines(const std::vector<AuditEntry>& entries) {
  std::string text;
  for (const AuditEntry& e : entries) text += AuditEntryJson(e) + "\n";
  return text;
}

// The whole lines of `text` that are entries; a last line without its
// newline is torn and left out.
std::vector<AuditEntry> ParseLines(const std::string& text) {
  std::vector<AuditEntry> entries;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) break;  // torn
    AuditEntry e;
    if (ParseAuditEntry(text.substr(at, end - at), &e)) entries.push_back(std::move(e));
    at = end + 1;
  }
  return entries;
}

}  // namespace

std::string AuditEntryJson(const AuditEntry& e) {
  return Json{{"at", e.at},          {"user", e.user},       {"action", e.action},
              {"draft", e.draft_id}, {"version", e.version}, {"hash", e.hash},
              {"title", e.title},    {"items", e.items},     {"note", e.note}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool ParseAuditEntry(const std::string& line, AuditEntry* e) {
  Json j = Json::parse(line, nullptr, false);
  if (!j.is_object()) return false;
  try {
    e->at = j.at("at").get<std::string>();
    e->user = j.at("user").get<std::string>();
    e->action = j.at("action").get<std::string>();
    e->draft_id = j.value("draft", "");
    e->version = j.value("version", 0);
    e->hash = j.value("hash", "");
    e->title = j.value("title", "");
    e->items = j.value("items", std::size_t{0});
    e->note = j.value("note", "");
  } catch (const Json::exception&) {
    return false;
  }
  return true;
}

AuditLog::AuditLog(FileSystem& fs, std::string folder) : fs_(fs), folder_(std::move(folder)) {}

Status AuditLog::AppendLocked(const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return Status();
  if (Status s = fs_.CreateFolder(folder_); !s.ok()) return s;
  std::string text = Lines(entries);
  if (!tail_checked_ && fs_.Exists(log_path())) {
    // A torn last line (a crash mid-append) must not swallow this entry.
    std::string old;
    if (Status s = fs_.ReadFile(log_path(), &old, kMaxLogBytes); !s.ok()) return s;
    if (!old.empty() && old.back() != '\n') {
      LogWarning("audit log: " + log_path() +
                 " ended in a torn line (a crash while writing); it is skipped");
      text = "\n" + text;
    }
  }
  if (Status s = fs_.AppendToFile(log_path(), text); !s.ok()) {
    tail_checked_ = false;  // a failed write may have left part of a line
    return s;
  }
  tail_checked_ = true;
  return Status();
}

Status AuditLog::Append(const std::vector<AuditEntry>& entries) {
  std::lock_guard lock(mu_);
  return AppendLocked(entries);
}

Status AuditLog::Read(std::vector<AuditEntry>* entries) {
  std::lock_guard lock(mu_);
  entries->clear();
  if (!fs_.Exists(log_path())) return Status();
  std::string text;
  if (Status s = fs_.ReadFile(log_path(), &text, kMaxLogBytes); !s.ok()) return s;
  *entries = ParseLines(text);
  return Status();
}

Status AuditLog::BeginPending(const std::vector<AuditEntry>& entries) {
  std::lock_guard lock(mu_);
  if (Status s = fs_.CreateFolder(folder_); !s.ok()) return s;
  return fs_.WriteFileAtomic(pending_path(), Lines(entries));
}

Status AuditLog::CommitPending() {
  std::lock_guard lock(mu_);
  std::string text;
  if (Status s = fs_.ReadFile(pending_path(), &text, kMaxPendingBytes); !s.ok()) return s;
  if (Status s = AppendLocked(ParseLines(text)); !s.ok()) return s;
  return fs_.Remove(pending_path());
}

Status AuditLog::DropPending() {
  std::lock_guard lock(mu_);
  return fs_.Remove(pending_path());
}

Recovery AuditLog::Recover(const std::string& playing_hash, std::vector<AuditEntry>* recovered) {
  std::lock_guard lock(mu_);
  if (!fs_.Exists(pending_path())) return Recovery::kNothing;
  std::string text;
  std::vector<AuditEntry> entries;
  if (Status s = fs_.ReadFile(pending_path(), &text, kMaxPendingBytes); s.ok())
    entries = ParseLines(text);
  const bool happened =
      !entries.empty() && !playing_hash.empty() && entries.front().hash == playing_hash;
  if (happened) {
    if (Status s = AppendLocked(entries); !s.ok()) {
      // Kept for the next start: the entries are not lost.
      LogError("audit log: the interrupted publish's entries could not be added: " + s.message());
      return Recovery::kNothing;
    }
    LogWarning("audit log: the console stopped during a publish, after the playlist " +
               playing_hash.substr(0, 16) + " went on screen; its " +
               std::to_string(entries.size()) + " entries are now in " + log_path());
    if (recovered) *recovered = entries;
  } else {
    LogWarning(
        "audit log: the console stopped during a publish that did not happen (the screen "
        "kept its playlist); its pending entries are dropped");
  }
  if (Status s = fs_.Remove(pending_path()); !s.ok()) LogError("audit log: " + s.message());
  return happened ? Recovery::kAppended : Recovery::kDropped;
}

std::string CsvCell(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r'))
    cell = "'" + cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string AuditCsv(const std::vector<AuditEntry>& entries) {
  std::string out = "\xEF\xBB\xBF";  // BOM: Excel and WPS then read UTF-8
  auto row = [&out](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      out += CsvCell(cells[i]);
    }
    out += "\r\n";
  };
  row({"时间 (UTC)", "用户", "操作", "草稿编号", "版本", "播放列表", "条目数", "说明", "校验值"});
  for (const AuditEntry& e : entries) {
    row({e.at, e.user, e.action, e.draft_id, e.version ? std::to_string(e.version) : "", e.title,
         std::to_string(e.items), e.note, e.hash});
  }
  return out;
}

}  // namespace nb::console
