// FilePlaylistStore: the store of `noticeboard console` on a desktop, where
// publishing means writing the playlist file being edited.
//
// Contract:
// - Commit() writes the canonical JSON to the file atomically (temp file,
//   fsync, rename), so the file is always whole: the old one or the new one.
//   A failed write (full disk, no permission) leaves it as it was.
// - The playlist the file held before the last changing Commit is kept in
//   memory for Previous() ("restore the previous playlist" while the console
//   runs); the one the file held at start counts as current.
// - With a signing key, each Commit also writes <file>.minisig for the bytes
//   it wrote (after the playlist: a reader that sees the new playlist with
//   the old signature refuses it and tries again), so a server folder the
//   screens pull from stays signed.
// - Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "base/env.h"
#include "update/playlist_store.h"
#include "update/signature.h"

namespace nb::update {

class FilePlaylistStore final : public PlaylistStore {
 public:
  FilePlaylistStore(FileSystem& fs, std::string path,
                    std::optional<playlist::Playlist> at_start = std::nullopt,
                    std::optional<SecretKey> key = std::nullopt)
      : fs_(fs), path_(std::move(path)), key_(std::move(key)), current_(std::move(at_start)) {}

  Status Commit(const playlist::Playlist& playlist, const std::string& /*source*/,
                bool* changed = nullptr) override {
    std::lock_guard lock(mu_);
    const bool differs = !current_ || !(*current_ == playlist);
    if (changed) *changed = differs;
    if (!differs) return Status();
    const std::string text = playlist::ToJson(playlist);
    if (Status s = fs_.WriteFileAtomic(path_, text); !s.ok())
      return s.Prefix("cannot write " + path_ + " (it is unchanged)");
    if (key_) {
      if (Status s = fs_.WriteFileAtomic(path_ + ".minisig",
                                         SignMinisig(text, *key_, "file:playlist.json"));
          !s.ok())
        return s.Prefix("wrote " + path_ + " but not its signature");
    }
    previous_ = std::move(current_);
    current_ = playlist;
    return Status();
  }
  std::string location() const override { return path_; }
  std::optional<playlist::Playlist> Previous() const override {
    std::lock_guard lock(mu_);
    return previous_;
  }
  std::optional<playlist::Playlist> current() const {
    std::lock_guard lock(mu_);
    return current_;
  }

 private:
  FileSystem& fs_;
  const std::string path_;
  const std::optional<SecretKey> key_;
  mutable std::mutex mu_;
  std::optional<playlist::Playlist> current_;
  std::optional<playlist::Playlist> previous_;
};

}  // namespace nb::update
