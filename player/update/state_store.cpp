#include "update/state_store.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "base/log.h"
#include "base/time_format.h"

namespace nb::update {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The canonical playlist with the update record appended.
std::string StoredText(const playlist::Playlist& playlist, const std::string& source,
                       const std::string& at) {
  OrderedJson doc = OrderedJson::parse(playlist::ToJson(playlist));
  doc["x-update"] = {{"source", source}, {"committed_at", at}};
  return doc.dump(2) + "\n";
}

}  // namespace

StateStore::StateStore(Env& env, std::string dir) : env_(env), dir_(std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

Status StateStore::Open() {
  FileSystem& fs = env_.fs();
  if (Status s = fs.CreateFolder(dir_); !s.ok()) return s.Prefix("the state folder");
  // A crash mid-update leaves a temp file or a staged new playlist that never
  // became current (never a damaged playlist); sweep those away. Best effort:
  // Load() reads neither, and the next start tries again.
  (void)fs.RemoveStaleTempFiles(dir_);
  (void)fs.Remove(staged_path());
  return Status();
}

std::optional<StoredPlaylist> StateStore::LoadFile(const std::string& path,
                                                   std::string* why) const {
  std::string text;
  if (Status s = env_.fs().ReadFile(path, &text, playlist::kMaxFileBytes); !s.ok()) {
    *why = s.message();
    return std::nullopt;
  }
  std::vector<playlist::Diagnostic> errors;
  auto parsed = playlist::ParsePlaylist(text, path, &errors);
  if (!parsed) {
    *why = errors.empty() ? path + ": invalid" : errors.front().ToString();
    return std::nullopt;
  }
  StoredPlaylist out{std::move(*parsed), "", "", path};
  // The record is informative only; a hand-edited file without it is fine.
  OrderedJson doc = OrderedJson::parse(text, nullptr, false);
  if (doc.is_object() && doc.contains("x-update") && doc["x-update"].is_object()) {
    const auto& rec = doc["x-update"];
    if (rec.contains("source") && rec["source"].is_string()) out.source = rec["source"];
    if (rec.contains("committed_at") && rec["committed_at"].is_string())
      out.committed_at = rec["committed_at"];
  }
  return out;
}

std::optional<playlist::Playlist> StateStore::Previous() const {
  std::string why;
  if (!env_.fs().Exists(previous_path())) return std::nullopt;
  auto stored = LoadFile(previous_path(), &why);
  if (!stored) return std::nullopt;
  return std::move(stored->playlist);
}

std::optional<StoredPlaylist> StateStore::Load(std::vector<std::string>* warnings) const {
  std::string why_current, why_previous;
  bool has_current = env_.fs().Exists(current_path());
  if (has_current) {
    if (auto p = LoadFile(current_path(), &why_current)) return p;
  }
  if (env_.fs().Exists(previous_path())) {
    if (auto p = LoadFile(previous_path(), &why_previous)) {
      if (has_current) warnings->push_back(why_current + "; playing previous.json instead");
      return p;
    }
    warnings->push_back(why_previous);
  }
  if (has_current) warnings->push_back(why_current);
  return std::nullopt;
}

Status StateStore::Commit(const playlist::Playlist& playlist, const std::string& source,
                          bool* changed) {
  if (changed) *changed = false;
  std::string why;
  std::optional<StoredPlaylist> current;
  if (env_.fs().Exists(current_path())) current = LoadFile(current_path(), &why);
  if (current && current->playlist == playlist) return Status();

  // The new playlist is written in full beside current.json first, the old
  // one kept as previous.json second, and only then does the new one take
  // current.json's place (a rename, which needs no space). A full disk or an
  // I/O error in either write leaves both files as they were; if we stop
  // between the steps, current.json is the old or the new playlist.
  FileSystem& fs = env_.fs();
  const std::string staged = staged_path();
  std::string text = StoredText(playlist, source, UtcTimestamp(env_.clock().WallNow()));
  if (Status s = fs.WriteFileAtomic(staged, text); !s.ok()) {
    return s.Prefix("cannot store the new playlist");
  }
  if (current) {
    std::string old_text = StoredText(current->playlist, current->source, current->committed_at);
    if (Status s = fs.WriteFileAtomic(previous_path(), old_text); !s.ok()) {
      (void)fs.Remove(staged);
      return s.Prefix("cannot keep the previous playlist");
    }
  } else if (!why.empty()) {
    LogWarning(why + "; it will be replaced");
  }
  if (Status s = fs.Rename(staged, current_path()); !s.ok()) {
    (void)fs.Remove(staged);
    return s.Prefix("cannot store the new playlist");
  }
  if (changed) *changed = true;
  return Status();
}

}  // namespace nb::update
