// StateStore: the state directory that holds the playlist on screen
// (current.json) and the one before it (previous.json).
//
// Contract:
// - The directory defaults to /var/lib/noticeboard (--state-dir elsewhere).
// - Commit() takes a playlist that already passed ParsePlaylist and writes its
//   canonical JSON (plus an "x-update" record of source and time, which the
//   playlist format ignores): the new one is written in full as
//   current.json.new, the old current.json is copied to previous.json, and
//   current.json.new is renamed to current.json. Each write is a temp file,
//   fsync, rename and a folder fsync, so a crash or power cut at any point
//   leaves current.json valid (old or new), and a failed write (a full disk)
//   leaves both files as they were. Committing the playlist already current
//   changes nothing (previous.json is kept).
// - Load() returns current.json, or previous.json when current.json is missing
//   or unreadable (with a warning naming why), or nothing at all on a first
//   start. Files in the folder are never trusted blindly: they are re-validated.
// - Thread-compatible: callers serialise Commit() (UpdatePipeline does).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "playlist/playlist.h"
#include "update/playlist_store.h"

namespace nb::update {

inline constexpr const char* kDefaultStateDir = "/var/lib/noticeboard";

struct StoredPlaylist {
  playlist::Playlist playlist;
  std::string source;        // "usb:/media/stick", "pull:https://…", "push", "file:…"
  std::string committed_at;  // UTC, ISO 8601
  std::string path;          // the file it came from
};

class StateStore final : public PlaylistStore {
 public:
  StateStore(Env& env, std::string dir);

  // Creates the folder when missing.
  Status Open();

  // The playlist to start with; warnings (e.g. current.json damaged, fell back
  // to previous.json) are appended to *warnings.
  std::optional<StoredPlaylist> Load(std::vector<std::string>* warnings) const;

  // Makes `playlist` current; the old current becomes previous. *changed is
  // false when it was already current.
  Status Commit(const playlist::Playlist& playlist, const std::string& source,
                bool* changed = nullptr) override;
  std::string location() const override { return current_path(); }
  // previous.json, re-validated; nothing when missing or unreadable.
  std::optional<playlist::Playlist> Previous() const override;

  const std::string& dir() const { return dir_; }
  std::string current_path() const { return dir_ + "/current.json"; }
  std::string previous_path() const { return dir_ + "/previous.json"; }
  // The new playlist, written in full before it becomes current.json.
  std::string staged_path() const { return dir_ + "/current.json.new"; }

 private:
  std::optional<StoredPlaylist> LoadFile(const std::string& path, std::string* why) const;

  Env& env_;
  std::string dir_;
};

}  // namespace nb::update
