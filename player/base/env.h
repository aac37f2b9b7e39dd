// Env: the operating system as the player sees it, behind small interfaces so
// that tests can inject time and faults (in the manner of LevelDB's Env).
//
// Contract:
// - Clock gives wall time (for schedules and the on-screen clock) and a
//   monotonic time (for animation and deadlines). Tests replace it with a
//   ManualClock (base/manual_clock.h) they advance by hand.
// - FileSystem covers the player's file and folder operations: reading whole
//   files with a size limit, atomic writes, renames, removal, folders (create,
//   list), a file's size and modification time. Each failure is a Status
//   naming the path and the cause, never an exception.
// - WriteFileAtomic writes the data to a temp file in the same folder, fsyncs
//   it, renames it over the target and fsyncs the folder. A failed write
//   leaves the old file untouched and no temp file behind; a crash may leave a
//   temp file, which RemoveStaleTempFiles recognises (only the implementation
//   knows how it names them). WriteFileAtomicWithMode does the same for files
//   not everyone may read (keys, password hashes): the temp file has its mode
//   and group from its creation, before any byte is in it.
// - AppendToFile adds the data at the end of a file (made if missing, mode
//   0644 less the umask) with one write() on an O_APPEND descriptor, then
//   fsyncs it: the audit log's entries (console/audit_log.h). A crash may
//   leave a torn last line; readers of such logs skip a last line without
//   its newline.
// - FileSystemWrapper forwards every call to another FileSystem; test file
//   systems derive from it and override only what they change.
// - Env::Default() is the real POSIX implementation, shared process-wide.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace nb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point WallNow() const = 0;
  virtual std::chrono::steady_clock::time_point MonotonicNow() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Reads the whole file into *out. Fails if it is larger than max_bytes,
  // naming the file and the limit; *out is then unchanged.
  virtual Status ReadFile(const std::string& path, std::string* out, std::size_t max_bytes) = 0;
  // Atomic replace: temp file in the same folder, fsync, rename, fsync folder.
  virtual Status WriteFileAtomic(const std::string& path, const std::string& data) = 0;
  // As WriteFileAtomic, but the file has exactly `mode` (0600, 0640: the
  // umask does not apply) and, when group_id >= 0, that group (chown needs
  // root or membership), both set before the data is written.
  virtual Status WriteFileAtomicWithMode(const std::string& path, const std::string& data,
                                         unsigned mode, long group_id) = 0;
  // One write of `data` at the end of the file (O_APPEND), then fsync.
  virtual Status AppendToFile(const std::string& path, const std::string& data) = 0;
  // True when something (a file, a folder) is at `path`.
  virtual bool Exists(const std::string& path) = 0;
  // Renames a file within its folder, replacing `to`, and makes that durable
  // (fsync of the folder).
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // Removes a file; one that is not there is no error.
  virtual Status Remove(const std::string& path) = 0;
  // Creates the folder and any missing parents; one already there is no
  // error, a file of that name is.
  virtual Status CreateFolder(const std::string& path) = 0;
  // The names (not paths) of what is in the folder, "." and ".." left out,
  // sorted by byte value.
  virtual Status ListFolder(const std::string& path, std::vector<std::string>* names) = 0;
  // The size of a file in bytes.
  virtual Status FileSize(const std::string& path, std::uint64_t* size) = 0;
  // When the file's contents last changed (its mtime), as wall time.
  virtual Status ModifiedTime(const std::string& path,
                              std::chrono::system_clock::time_point* time) = 0;
  // Removes the temp files that WriteFileAtomic leaves in `folder` when the
  // process stops mid-write (a crash, a power cut); other files stay. Only
  // for a folder no write can be running in (at start-up).
  virtual Status RemoveStaleTempFiles(const std::string& folder) = 0;
};

// Forwards every call to `target`: the base of file systems that change a few
// calls (fault injection in tests), as LevelDB's EnvWrapper is.
class FileSystemWrapper : public FileSystem {
 public:
  explicit FileSystemWrapper(FileSystem& target) : target_(target) {}
  FileSystem& target() const { return target_; }

  Status ReadFile(const std::string& path, std::string* out, std::size_t max_bytes) override {
    return target_.ReadFile(path, out, max_bytes);
  }
  Status WriteFileAtomic(const std::string& path, const std::string& data) override {
    return target_.WriteFileAtomic(path, data);
  }
  Status WriteFileAtomicWithMode(const std::string& path, const std::string& data, unsigned mode,
                                 long group_id) override {
    return target_.WriteFileAtomicWithMode(path, data, mode, group_id);
  }
  Status AppendToFile(const std::string& path, const std::string& data) override {
    return target_.AppendToFile(path, data);
  }
  bool Exists(const std::string& path) override { return target_.Exists(path); }
  Status Rename(const std::string& from, const std::string& to) override {
    return target_.Rename(from, to);
  }
  Status Remove(const std::string& path) override { return target_.Remove(path); }
  Status CreateFolder(const std::string& path) override { return target_.CreateFolder(path); }
  Status ListFolder(const std::string& path, std::vector<std::string>* names) override {
    return target_.ListFolder(path, names);
  }
  Status FileSize(const std::string& path, std::uint64_t* size) override {
    return target_.FileSize(path, size);
  }
  Status ModifiedTime(const std::string& path,
                      std::chrono::system_clock::time_point* time) override {
    return target_.ModifiedTime(path, time);
  }
  Status RemoveStaleTempFiles(const std::string& folder) override {
    return target_.RemoveStaleTempFiles(folder);
  }

 private:
  FileSystem& target_;
};

class Env {
 public:
  virtual ~Env() = default;
  virtual Clock& clock() = 0;
  virtual FileSystem& fs() = 0;
  static Env& Default();
};

// The real clock; exposed so that composite Envs in tests can reuse it.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point WallNow() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point MonotonicNow() const override {
    return std::chrono::steady_clock::now();
  }
};

// The real filesystem. Its temp files are ".<name>.tmp-<8 hex digits>" beside
// the target.
class PosixFileSystem final : public FileSystem {
 public:
  Status ReadFile(const std::string& path, std::string* out, std::size_t max_bytes) override;
  Status WriteFileAtomic(const std::string& path, const std::string& data) override;
  Status WriteFileAtomicWithMode(const std::string& path, const std::string& data, unsigned mode,
                                 long group_id) override;
  Status AppendToFile(const std::string& path, const std::string& data) override;
  bool Exists(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status CreateFolder(const std::string& path) override;
  Status ListFolder(const std::string& path, std::vector<std::string>* names) override;
  Status FileSize(const std::string& path, std::uint64_t* size) override;
  Status ModifiedTime(const std::string& path,
                      std::chrono::system_clock::time_point* time) override;
  Status RemoveStaleTempFiles(const std::string& folder) override;
};

}  // namespace nb
