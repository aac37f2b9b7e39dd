#include "update/file_watch.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/log.h"
#include "update/update_pipeline.h"

namespace nb::update {
namespace {

// How long a burst of events must be quiet before the file is read.
constexpr std::chrono::milliseconds kSettle{150};

class InotifyWatch final : public FileWatch {
 public:
  InotifyWatch(int inotify_fd, int wake_fd, std::string name)
      : inotify_fd_(inotify_fd), wake_fd_(wake_fd), name_(std::move(name)) {}
  ~InotifyWatch() override {
    ::close(inotify_fd_);
    ::close(wake_fd_);
  }

  bool WaitForChange(std::chrono::milliseconds timeout) override {
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    int n = ::poll(fds, 2, static_cast<int>(timeout.count()));
    if (n <= 0) return false;
    if (fds[1].revents & POLLIN) {
      std::uint64_t v;
      [[maybe_unused]] ssize_t r = ::read(wake_fd_, &v, sizeof v);
      return false;
    }
    return (fds[0].revents & POLLIN) && DrainMatches();
  }

  void Interrupt() override {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t r = ::write(wake_fd_, &one, sizeof one);
  }

 private:
  // Reads all pending events; true if one of them is about our file.
  bool DrainMatches() {
    bool matched = false;
    alignas(inotify_event) char buf[8192];
    for (;;) {
      ssize_t len = ::read(inotify_fd_, buf, sizeof buf);
      if (len <= 0) break;
      for (char* p = buf; p < buf + len;) {
        auto* ev = reinterpret_cast<inotify_event*>(p);
        if (ev->len > 0 && name_ == ev->name) matched = true;
        p += sizeof(inotify_event) + ev->len;
      }
    }
    return matched;
  }

  int inotify_fd_;
  int wake_fd_;
  std::string name_;
};

}  // namespace

std::unique_ptr<FileWatch> FileWatch::Create(const std::string& path, Status* status) {
  std::filesystem::path p = std::filesystem::absolute(path);
  std::string folder = p.parent_path().string();
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    *status = Status::Error(std::string("cannot watch ") + path + ": " + std::strerror(errno));
    return nullptr;
  }
  if (::inotify_add_watch(fd, folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    *status = Status::Error("cannot watch the folder " + folder + ": " + std::strerror(errno));
    ::close(fd);
    return nullptr;
  }
  int wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) {
    *status = Status::Error(std::string("cannot watch ") + path + ": " + std::strerror(errno));
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<InotifyWatch>(fd, wake, p.filename().string());
}

PlaylistReloader::PlaylistReloader(FileSystem& fs, std::string path, UpdatePipeline& pipeline)
    : fs_(fs), path_(std::move(path)), pipeline_(pipeline) {}

PlaylistReloader::~PlaylistReloader() { Stop(); }

Status PlaylistReloader::Start(const std::string& current_text) {
  Status status;
  watch_ = FileWatch::Create(path_, &status);
  if (!watch_) return status;
  last_text_ = current_text;
  thread_ = std::thread([this] { Run(); });
  return Status();
}

void PlaylistReloader::Stop() {
  if (!thread_.joinable()) return;
  stop_ = true;
  watch_->Interrupt();
  thread_.join();
}

void PlaylistReloader::RequestReload() {
  forced_ = true;
  if (watch_) watch_->Interrupt();
}

void PlaylistReloader::Run() {
  while (!stop_) {
    bool changed = watch_->WaitForChange(std::chrono::milliseconds(1000));
    if (stop_) break;
    bool forced = forced_.exchange(false);
    if (!changed && !forced) continue;
    // Let a burst of writes settle so a file is read once, when complete.
    while (changed && watch_->WaitForChange(kSettle) && !stop_) {
    }
    if (stop_) break;
    Load(forced || forced_.exchange(false));
  }
}

void PlaylistReloader::Load(bool forced) {
  std::string text;
  Status read = fs_.ReadFile(path_, &text, playlist::kMaxFileBytes);
  // The pipeline logs, stores, posts and announces.
  if (!read.ok()) {
    pipeline_.ReportFailure(UpdateSource::kFile, path_, read.message());
  } else if (text != last_text_ || forced) {
    UpdateRequest request;
    request.source = UpdateSource::kFile;
    request.origin = path_;
    request.bytes = text;
    if (pipeline_.Submit(request).ok()) last_text_ = std::move(text);
  }
}

}  // namespace nb::update
