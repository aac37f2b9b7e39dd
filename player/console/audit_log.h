// AuditLog: who submitted, returned, approved, published or restored what,
// and when (issue 22): it answers "who put this on the lobby screen, and
// who approved it".
//
// Contract:
// - <folder>/audit.log holds one JSON object per line (JSON lines), appended
//   with FileSystem::AppendToFile (one O_APPEND write, then fsync). Nothing
//   here edits or removes an entry; the console has no route that does.
// - A crash mid-append can leave a last line without its newline (torn).
//   Read() skips it (and any line that is not an entry), and the next
//   Append() starts on a fresh line, so one torn entry never damages the
//   one after it.
// - A publish and its entries are all-or-nothing across a crash (SIGKILL,
//   power cut): the caller writes the entries to <folder>/audit.pending
//   (WriteFileAtomic) with BeginPending(), publishes, then calls
//   CommitPending() (append, then remove the pending file). At start-up,
//   Recover(hash of the playlist playing now) finishes what a crash
//   interrupted: when the pending entries' hash is the playing playlist's,
//   the publish happened and the entries are appended; otherwise it did not
//   and they are dropped. Either way the pending file goes, and the log says
//   which.
// - Csv() is the export for Excel and WPS: UTF-8 with a byte-order mark,
//   CRLF lines, every cell quoted, and a cell that starts with = + - @ (or a
//   tab or carriage return) prefixed with ' so a spreadsheet never runs it
//   as a formula (CSV injection).
// - Thread-safe: appends and the pending file are under one mutex.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"

namespace nb::console {

struct AuditEntry {
  std::string at;  // UTC ISO 8601
  std::string user;
  std::string action;    // submit, resubmit, return, approve, publish, restore
  std::string draft_id;  // empty for a direct publish and a restore
  int version = 0;       // the draft's version; 0 when none
  std::string hash;      // PlaylistHash of the playlist concerned
  std::string title;     // the playlist's title
  std::size_t items = 0;
  std::string note;  // the editor's note, or the approver's comment
  bool operator==(const AuditEntry&) const = default;
};

std::string AuditEntryJson(const AuditEntry& entry);  // one line, no newline
bool ParseAuditEntry(const std::string& line, AuditEntry* entry);

// What Recover() did.
enum class Recovery { kNothing, kAppended, kDropped };

class AuditLog {
 public:
  AuditLog(FileSystem& fs, std::string folder);

  Status Append(const std::vector<AuditEntry>& entries);
  // Every whole entry, oldest first.
  Status Read(std::vector<AuditEntry>* entries);

  // The two steps around a publish (see the contract). The entries must all
  // carry the hash of the playlist being published.
  Status BeginPending(const std::vector<AuditEntry>& entries);
  Status CommitPending();
  // The publish was refused: nothing happened, nothing is recorded.
  Status DropPending();
  // `playing_hash` empty: nothing plays, so no pending publish happened.
  // `recovered` gets the entries appended (kAppended).
  Recovery Recover(const std::string& playing_hash, std::vector<AuditEntry>* recovered = nullptr);

  std::string log_path() const { return folder_ + "/audit.log"; }
  std::string pending_path() const { return folder_ + "/audit.pending"; }

 private:
  Status AppendLocked(const std::vector<AuditEntry>& entries);

  FileSystem& fs_;
  const std::string folder_;
  std::mutex mu_;
  bool tail_checked_ = false;  // the file is known to end with a newline
};

// The CSV export (header row in Chinese), newest first as given.
std::string AuditCsv(const std::vector<AuditEntry>& entries);
// One cell, quoted and made safe (the contract's rules).
std::string CsvCell(const std::string& text);

}  // namespace nb::console
