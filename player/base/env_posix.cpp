#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string_view>

#include "base/env.h"

namespace nb {
namespace {

std::string ErrnoText(int err) { return std::strerror(err); }

// Writes all of data to fd, retrying on short writes and EINTR.
bool WriteAll(int fd, const char* data, std::size_t size, int* err) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::string RandomSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string s(8, '0');
  auto v = rng();
  for (auto& c : s) {
    c = kHex[v & 15];
    v >>= 4;
  }
  return s;
}

// Temp files are hidden and name their target: ".current.json.tmp-1a2b3c4d".
constexpr std::string_view kTempInfix = ".tmp-";
constexpr std::size_t kTempSuffixDigits = 8;

std::string TempNameFor(const std::string& filename) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on "." + string&&.
  std::string name = ".";
  name += filename;
  name += kTempInfix;
  name += RandomSuffix();
  return name;
}

bool IsTempName(std::string_view name) {
  const std::size_t tail = kTempInfix.size() + kTempSuffixDigits;
  if (name.size() <= 1 + tail || name[0] != '.') return false;
  std::string_view end = name.substr(name.size() - tail);
  return end.substr(0, kTempInfix.size()) == kTempInfix &&
         std::all_of(end.begin() + kTempInfix.size(), end.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Status PosixFileSystem::ReadFile(const std::string& path, std::string* out, std::size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open: " + ErrnoText(errno));
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return Status::Error(path + ": read failed: " + ErrnoText(err));
    }
    if (n == 0) break;
    if (data.size() + static_cast<std::size_t>(n) > max_bytes) {
      ::close(fd);
      return Status::Error(path + ": file is larger than the limit of " +
                           std::to_string(max_bytes) + " bytes");
    }
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  *out = std::move(data);
  return Status();
}

namespace {

// fsync of a folder: what makes a rename in it survive a power cut.
void SyncFolder(const std::filesystem::path& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

// The atomic write; with a mode, the temp file is made owner-only and gets
// its group and mode before the data goes in.
Status WriteAtomic(const std::string& path, const std::string& data, std::optional<mode_t> mode,
                   long group_id) {
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmp = (dir / TempNameFor(target.filename().string())).string();

  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ? 0600 : 0644);
  if (fd < 0) return Status::Error(path + ": cannot create temp file: " + ErrnoText(errno));
  if (mode &&
      ((group_id >= 0 && ::fchown(fd, static_cast<uid_t>(-1), static_cast<gid_t>(group_id)) != 0) ||
       ::fchmod(fd, *mode) != 0)) {
    int e = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::Error(path + ": cannot set who may read it: " + ErrnoText(e) +
                         "; the old file is unchanged");
  }
  int err = 0;
  bool ok = WriteAll(fd, data.data(), data.size(), &err);
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return Status::Error(path + ": write failed: " + ErrnoText(err) +
                         "; the old file is unchanged");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    return Status::Error(path + ": cannot replace file: " + ErrnoText(err));
  }
  SyncFolder(dir);  // makes the rename itself durable
  return Status();
}

}  // namespace

Status PosixFileSystem::WriteFileAtomic(const std::string& path, const std::string& data) {
  return WriteAtomic(path, data, std::nullopt, -1);
}

Status PosixFileSystem::WriteFileAtomicWithMode(const std::string& path, const std::string& data,
                                                unsigned mode, long group_id) {
  return WriteAtomic(path, data, static_cast<mode_t>(mode), group_id);
}

Status PosixFileSystem::AppendToFile(const std::string& path, const std::string& data) {
  const bool is_new = !Exists(path);
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Error(path + ": cannot open to add to it: " + ErrnoText(errno));
  // One write on O_APPEND: the entry lands whole at the end, after any other
  // (a short write, which a local disk does not do, is finished by more).
  int err = 0;
  bool ok = WriteAll(fd, data.data(), data.size(), &err);
  if (ok && ::fsync(fd) != 0) {
    err = errno;
    ok = false;
  }
  ::close(fd);
  if (!ok) return Status::Error(path + ": cannot add to the file: " + ErrnoText(err));
  if (is_new) {
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    SyncFolder(dir.empty() ? std::filesystem::path(".") : dir);  // the new name is durable
  }
  return Status();
}

bool PosixFileSystem::Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Status PosixFileSystem::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Status::Error(to + ": cannot replace file: " + ErrnoText(errno));
  }
  std::filesystem::path dir = std::filesystem::path(to).parent_path();
  SyncFolder(dir.empty() ? std::filesystem::path(".") : dir);
  return Status();
}

Status PosixFileSystem::Remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::Error(path + ": cannot remove: " + ErrnoText(errno));
  }
  return Status();
}

Status PosixFileSystem::CreateFolder(const std::string& path) {
  std::error_code ec, ignored;
  std::filesystem::create_directories(path, ec);
  if (std::filesystem::is_directory(path, ignored)) return Status();
  if (std::filesystem::exists(path, ignored))
    return Status::Error(path + ": not a folder (a file has that name)");
  return Status::Error(path + ": cannot create the folder: " + ec.message());
}

Status PosixFileSystem::ListFolder(const std::string& path, std::vector<std::string>* names) {
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return Status::Error(path + ": cannot list the folder: " + ErrnoText(errno));
  std::vector<std::string> found;
  errno = 0;
  while (dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") found.emplace_back(name);
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) return Status::Error(path + ": cannot list the folder: " + ErrnoText(err));
  std::sort(found.begin(), found.end());
  *names = std::move(found);
  return Status();
}

Status PosixFileSystem::FileSize(const std::string& path, std::uint64_t* size) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return Status::Error(path + ": cannot read its size: " + ErrnoText(errno));
  *size = static_cast<std::uint64_t>(st.st_size);
  return Status();
}

Status PosixFileSystem::ModifiedTime(const std::string& path,
                                     std::chrono::system_clock::time_point* time) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return Status::Error(path + ": cannot read when it changed: " + ErrnoText(errno));
  auto since_epoch =
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
  *time = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
  return Status();
}

Status PosixFileSystem::RemoveStaleTempFiles(const std::string& folder) {
  std::vector<std::string> names;
  if (Status s = ListFolder(folder, &names); !s.ok()) return s;
  Status result;
  for (const std::string& name : names) {
    if (!IsTempName(name)) continue;
    if (Status s = Remove((std::filesystem::path(folder) / name).string()); !s.ok()) result = s;
  }
  return result;
}

namespace {
class PosixEnv final : public Env {
 public:
  Clock& clock() override { return clock_; }
  FileSystem& fs() override { return fs_; }

 private:
  SystemClock clock_;
  PosixFileSystem fs_;
};
}  // namespace

Env& Env::Default() {
  static PosixEnv env;
  return env;
}

}  // namespace nb
