// Env: the operating system as the player sees it, behind small interfaces so
// that tests can inject time and faults (in the manner of LevelDB's Env).
//
// Contract:
// - Clock gives wall time (for schedules and the on-screen clock) and a
//   monotonic time (for animation and deadlines). Tests replace it with a
//   FakeClock they advance by hand.
// - FileSystem reads whole files with a size limit and writes files
//   atomically: the data goes to a temp file in the same folder, is fsynced,
//   renamed over the target, and the folder is fsynced. A failed write leaves
//   the old file untouched and no temp file behind.
// - Env::Default() is the real POSIX implementation, shared process-wide.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

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
  // naming the file and the limit.
  virtual Status ReadFile(const std::string& path, std::string* out, std::size_t max_bytes) = 0;
  // Atomic replace: temp file in the same folder, fsync, rename, fsync folder.
  virtual Status WriteFileAtomic(const std::string& path, const std::string& data) = 0;
  virtual bool Exists(const std::string& path) = 0;
  // Renames a file within its folder, replacing `to`, and makes that durable
  // (fsync of the folder).
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // Removes a file; one that is not there is no error.
  virtual Status Remove(const std::string& path) = 0;
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

// The real filesystem.
class PosixFileSystem final : public FileSystem {
 public:
  Status ReadFile(const std::string& path, std::string* out, std::size_t max_bytes) override;
  Status WriteFileAtomic(const std::string& path, const std::string& data) override;
  bool Exists(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
};

}  // namespace nb
