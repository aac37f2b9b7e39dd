// FileWatch and PlaylistReloader: hot reload of the playlist file.
//
// Contract:
// - FileWatch watches one file through inotify on its folder, so that both
//   an editor's write-to-temp-and-rename (IN_MOVED_TO) and a plain copy or
//   write in place (IN_CLOSE_WRITE, i.e. only once the writer is done) count.
//   Deleting the file is not a change: the last good playlist keeps playing.
// - PlaylistReloader runs one thread that waits on the watch, lets a burst of
//   events settle, then loads and validates the file (off the frame thread).
//   Results are queued for the frame thread, which takes them with Take() and
//   swaps a valid playlist in at the next slide boundary. An invalid file
//   gives an error result with the reason (also logged); an unchanged file
//   gives nothing. `wake` is called after each result so an idle frame loop
//   can wake up (e.g. by pushing an SDL event).
// - With SubmitTo(pipeline) (play with a state folder), a changed file goes
//   through the UpdatePipeline instead, like every other update path:
//   validated, stored in the state folder, handed to the pipeline's mailbox
//   for the slide boundary, announced; Take() then gives nothing. Without it
//   (no state folder) results are queued for Take() as above.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/env.h"
#include "base/status.h"
#include "playlist/playlist.h"

namespace nb::update {

class FileWatch {
 public:
  // Starts watching `path` (which need not exist yet; its folder must).
  static std::unique_ptr<FileWatch> Create(const std::string& path, Status* status);
  virtual ~FileWatch() = default;

  // Waits up to `timeout` for a change of the file. Returns true when the file
  // changed, false on timeout or after Interrupt().
  virtual bool WaitForChange(std::chrono::milliseconds timeout) = 0;
  // Makes a pending or the next WaitForChange() return at once (thread-safe).
  virtual void Interrupt() = 0;
};

class UpdatePipeline;

struct ReloadResult {
  std::shared_ptr<const playlist::Playlist> playlist;  // set when valid
  std::string error;                                   // set when invalid
};

class PlaylistReloader {
 public:
  PlaylistReloader(FileSystem& fs, std::string path, std::function<void()> wake);
  ~PlaylistReloader();

  // Starts the watch thread. `current_text` is the text of the playlist
  // already playing, so an unchanged file is not reloaded.
  Status Start(const std::string& current_text);
  // Call before Start(): changes go through `pipeline` (see above).
  void SubmitTo(UpdatePipeline* pipeline) { pipeline_ = pipeline; }
  void Stop();
  // Asks for a reload now, even when the file did not change (the r key).
  void RequestReload();
  // The oldest result not yet taken.
  std::optional<ReloadResult> Take();

 private:
  void Run();
  void Load(bool forced);

  FileSystem& fs_;
  std::string path_;
  std::function<void()> wake_;
  UpdatePipeline* pipeline_ = nullptr;
  std::unique_ptr<FileWatch> watch_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> forced_{false};
  std::string last_text_;
  std::mutex mu_;
  std::optional<ReloadResult> result_;  // newest wins: an older one is superseded
};

}  // namespace nb::update
