// PlaylistStore: where the update pipeline keeps the playlist it accepted.
//
// Contract:
// - Commit() takes a playlist that already passed ParsePlaylist and makes it
//   the current one; *changed is false when it was current already. A failed
//   Commit leaves the store as it was.
// - location() names where the playlist went, for the log.
// - Two kinds: StateStore (state_store.h), the state folder that survives a
//   restart, and MemoryPlaylistStore, for `play` without a state folder, so
//   that edits of the watched file take the same pipeline as every other
//   update and are only not written anywhere.
// - Thread-compatible: the pipeline serialises Commit().
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "base/status.h"
#include "playlist/playlist.h"

namespace nb::update {

class PlaylistStore {
 public:
  virtual ~PlaylistStore() = default;
  virtual Status Commit(const playlist::Playlist& playlist, const std::string& source,
                        bool* changed = nullptr) = 0;
  virtual std::string location() const = 0;
  // The playlist that was current before the last Commit that changed it,
  // if the store kept one (for "restore the previous playlist").
  virtual std::optional<playlist::Playlist> Previous() const = 0;
};

// Thread-safe, unlike the interface asks: a test or the status may look at
// it while the pipeline commits.
class MemoryPlaylistStore final : public PlaylistStore {
 public:
  Status Commit(const playlist::Playlist& playlist, const std::string& /*source*/,
                bool* changed = nullptr) override {
    std::lock_guard lock(mu_);
    const bool differs = !current_ || !(*current_ == playlist);
    if (differs) {
      previous_ = std::move(current_);
      current_ = playlist;
    }
    if (changed) *changed = differs;
    return Status();
  }
  std::string location() const override { return "memory (no state folder)"; }
  std::optional<playlist::Playlist> current() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  std::optional<playlist::Playlist> Previous() const override {
    std::lock_guard lock(mu_);
    return previous_;
  }

 private:
  mutable std::mutex mu_;
  std::optional<playlist::Playlist> current_;
  std::optional<playlist::Playlist> previous_;
};

}  // namespace nb::update
