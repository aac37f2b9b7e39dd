// FileWatch and PlaylistReloader: hot reload of the playlist file.
//
// Contract:
// - FileWatch watches one file through inotify on its folder, so that both
//   an editor's write-to-temp-and-rename (IN_MOVED_TO) and a plain copy or
//   write in place (IN_CLOSE_WRITE, i.e. only once the writer is done) count.
//   Deleting the file is not a change: the last good playlist keeps playing.
// - PlaylistReloader runs one thread that waits on the watch, lets a burst of
//   events settle, then reads the file (off the frame thread) and submits a
//   changed one to the UpdatePipeline, like every other update path: there it
//   is validated, stored (in the state folder, or in memory without one),
//   posted to the mailbox for the next slide boundary and announced; a bad
//   file is refused with the reason, and the last good playlist keeps
//   playing. An unchanged file (touched, same bytes) is not submitted; a
//   requested reload (the r key) is, even when unchanged.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "base/env.h"
#include "base/status.h"

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

class PlaylistReloader {
 public:
  PlaylistReloader(FileSystem& fs, std::string path, UpdatePipeline& pipeline);
  ~PlaylistReloader();

  // Starts the watch thread. `current_text` is the text of the playlist
  // already playing, so an unchanged file is not reloaded.
  Status Start(const std::string& current_text);
  void Stop();
  // Asks for a reload now, even when the file did not change (the r key).
  void RequestReload();

 private:
  void Run();
  void Load(bool forced);

  FileSystem& fs_;
  std::string path_;
  UpdatePipeline& pipeline_;
  std::unique_ptr<FileWatch> watch_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> forced_{false};
  std::string last_text_;  // the reload thread's own
};

}  // namespace nb::update
