// FaultInjectingFileSystem: a FileSystem for tests that passes calls to a real
// one until told to fail, then fails the way a full, broken or read-only disk
// does (ENOSPC, EIO, EACCES), leaving the target untouched exactly as
// PosixFileSystem promises for a failed atomic write.
#pragma once

#include <cstring>
#include <mutex>
#include <string>

#include "base/env.h"
#include "base/manual_clock.h"

namespace nb::testing_support {

class FaultInjectingFileSystem final : public FileSystemWrapper {
 public:
  explicit FaultInjectingFileSystem(FileSystem& real) : FileSystemWrapper(real) {}

  // The next `count` writes (after `skip` good ones) fail with `err`.
  void FailWrites(int err, int count = 1, int skip = 0) {
    std::lock_guard lock(mu_);
    write_errno_ = err;
    write_failures_ = count;
    write_skip_ = skip;
  }
  // Reads of paths starting with `prefix` fail with `err` (a pulled stick: EIO).
  void FailReadsUnder(std::string prefix, int err) {
    std::lock_guard lock(mu_);
    read_prefix_ = std::move(prefix);
    read_errno_ = err;
  }
  int writes() const {
    std::lock_guard lock(mu_);
    return writes_;
  }

  Status ReadFile(const std::string& path, std::string* out, std::size_t max_bytes) override {
    {
      std::lock_guard lock(mu_);
      if (read_errno_ != 0 && path.rfind(read_prefix_, 0) == 0)
        return Status::Error(path + ": read failed: " + std::strerror(read_errno_));
    }
    return FileSystemWrapper::ReadFile(path, out, max_bytes);
  }
  Status WriteFileAtomic(const std::string& path, const std::string& data) override {
    {
      std::lock_guard lock(mu_);
      ++writes_;
      if (write_failures_ > 0) {
        if (write_skip_ > 0) {
          --write_skip_;
        } else {
          --write_failures_;
          return Status::Error(path + ": write failed: " + std::strerror(write_errno_) +
                               "; the old file is unchanged");
        }
      }
    }
    return FileSystemWrapper::WriteFileAtomic(path, data);
  }

 private:
  mutable std::mutex mu_;
  int write_errno_ = 0, write_failures_ = 0, write_skip_ = 0, writes_ = 0;
  std::string read_prefix_;
  int read_errno_ = 0;
};

// An Env with a ManualClock around a given FileSystem.
class TestEnv final : public Env {
 public:
  explicit TestEnv(FileSystem& fs) : fs_(fs) {}
  Clock& clock() override { return clock_; }
  FileSystem& fs() override { return fs_; }

  // Monday 2025-12-01 01:00 UTC.
  ManualClock clock_{ManualClock::kDefaultWall - std::chrono::hours(8)};

 private:
  FileSystem& fs_;
};

}  // namespace nb::testing_support
