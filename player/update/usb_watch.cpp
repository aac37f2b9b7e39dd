#include "update/usb_watch.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "alert/alert_json.h"
#include "base/log.h"

namespace nb::update {
namespace {

std::string Unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
        s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> ParseMountPoints(std::string_view mountinfo) {
  // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw"
  // The fifth field is the mount point.
  std::vector<std::string> points;
  while (!mountinfo.empty()) {
    auto nl = mountinfo.find('\n');
    std::string_view line = mountinfo.substr(0, nl);
    mountinfo.remove_prefix(nl == std::string_view::npos ? mountinfo.size() : nl + 1);
    int field = 0;
    std::size_t pos = 0;
    while (pos < line.size()) {
      auto space = line.find(' ', pos);
      std::string_view token =
          line.substr(pos, space == std::string_view::npos ? line.npos : space - pos);
      if (++field == 5) {
        points.push_back(Unescape(token));
        break;
      }
      if (space == std::string_view::npos) break;
      pos = space + 1;
    }
  }
  return points;
}

bool IsUnderRoots(const std::string& path, const std::vector<std::string>& roots) {
  for (std::string root : roots) {
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    if (path == root) continue;  // the root itself is a folder, not a stick
    if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
        (root == "/" || path[root.size()] == '/'))
      return true;
  }
  return false;
}

UsbWatch::UsbWatch(FileSystem& fs, UpdatePipeline& pipeline, Options options,
                   AlertIntake* alerts)
    : fs_(fs), pipeline_(pipeline), options_(std::move(options)), alerts_(alerts) {}

UsbWatch::~UsbWatch() { Stop(); }

std::set<std::string> UsbWatch::ReadMounts(Status* status) {
  // The open descriptor only tells of changes (poll); the list is read anew.
  constexpr std::size_t kMaxMountinfoBytes = 16 * 1024 * 1024;
  std::string text;
  if (Status s = fs_.ReadFile(options_.mountinfo_path, &text, kMaxMountinfoBytes); !s.ok()) {
    *status = s;
    return {};
  }
  std::set<std::string> mounts;
  for (std::string& p : ParseMountPoints(text)) {
    if (IsUnderRoots(p, options_.roots)) mounts.insert(std::move(p));
  }
  return mounts;
}

Status UsbWatch::Start() {
  mountinfo_fd_ = ::open(options_.mountinfo_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (mountinfo_fd_ < 0)
    return Status::Error(options_.mountinfo_path + ": cannot open: " + std::strerror(errno));
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) {
    ::close(mountinfo_fd_);
    mountinfo_fd_ = -1;
    return Status::Error(std::string("cannot create an eventfd: ") + std::strerror(errno));
  }
  Status s;
  known_ = ReadMounts(&s);
  if (!s.ok()) return s;
  std::set<std::string> existing = options_.import_existing ? known_ : std::set<std::string>{};
  thread_ = std::thread([this, existing] {
    for (const std::string& mount : existing) ImportStick(mount, /*at_start=*/true);
    Run();
  });
  return Status();
}

void UsbWatch::Stop() {
  if (thread_.joinable()) {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(stop_fd_, &one, sizeof one);
    thread_.join();
  }
  if (mountinfo_fd_ >= 0) ::close(mountinfo_fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
  mountinfo_fd_ = stop_fd_ = -1;
}

void UsbWatch::Run() {
  for (;;) {
    pollfd fds[2] = {{mountinfo_fd_, POLLPRI, 0}, {stop_fd_, POLLIN, 0}};
    int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      LogError(std::string("USB watch stopped: poll failed: ") + std::strerror(errno));
      return;
    }
    if (fds[1].revents & POLLIN) return;
    if (!(fds[0].revents & (POLLPRI | POLLERR))) continue;
    Status s;
    std::set<std::string> now = ReadMounts(&s);
    if (!s.ok()) {
      LogError("USB watch: " + s.message());
      continue;
    }
    for (const std::string& mount : now) {
      if (!known_.count(mount)) {
        LogInfo("USB stick mounted at " + mount);
        ImportStick(mount, /*at_start=*/false);
      }
    }
    known_ = std::move(now);
  }
}

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The entry of `folder` named `name` whatever its case (a stick formatted on
// Windows may say Noticeboard or PLAYLIST.JSON); empty when there is none.
std::string FindEntry(FileSystem& fs, const std::string& folder, const std::string& name) {
  std::vector<std::string> names;
  if (!fs.ListFolder(folder, &names).ok()) return "";
  for (const std::string& n : names) {
    if (n == name) return folder + "/" + n;
  }
  for (const std::string& n : names) {
    if (Lower(n) == name) return folder + "/" + n;
  }
  return "";
}

// What a person may have meant by a file in the folder: "playlist.json.txt"
// (Windows hid the real ending), "playlist.minisig", "Bulletin.TXT.txt".
bool NearMiss(const std::string& name) {
  const std::string l = Lower(name);
  for (const char* stem : {"playlist", "bulletin", "alert"}) {
    if (l.rfind(stem, 0) == 0) return true;
  }
  return false;
}

}  // namespace

std::string UsbWatch::FolderOn(const std::string& mount_point) const {
  std::string folder = FindEntry(fs_, mount_point, "noticeboard");
  std::vector<std::string> probe;
  if (folder.empty() || !fs_.ListFolder(folder, &probe).ok()) return "";
  return folder;
}

void UsbWatch::ImportStick(const std::string& mount_point, bool at_start) {
  if (FolderOn(mount_point).empty()) {
    // At start every mount under the roots is looked at, most of them no
    // stick of ours: only a stick plugged in now is worth a line.
    const std::string line = mount_point + ": no noticeboard folder; ignored";
    if (at_start) {
      LogDebug(line);
    } else {
      LogInfo(line);
    }
    return;
  }
  if (at_start) LogInfo("USB stick at " + mount_point + " (mounted before the player started)");
  auto alert = ImportAlertFrom(mount_point);
  auto update = ImportFrom(mount_point);
  if (alert || update) return;
  // The folder is there but nothing in it is ours: tell the person at the
  // screen what the files should be called.
  std::vector<std::string> names, close;
  fs_.ListFolder(FolderOn(mount_point), &names);
  for (const std::string& n : names) {
    if (NearMiss(n)) close.push_back(n);
  }
  std::string found;
  for (const std::string& n : close) found += (found.empty() ? "" : ", ") + n;
  LogWarning(mount_point + ": the noticeboard folder holds no playlist.json, bulletin.txt or " +
             "alert.json" + (found.empty() ? std::string() : "; found " + found + " (check the "
                                                                              "names: Windows may hide an ending such as .txt)")) ;
  pipeline_.mailbox().PostNotice(
      {"已读取U盘，但 noticeboard 文件夹中没有 playlist.json 或 bulletin.txt" +
           std::string(found.empty() ? "" : "（找到 " + close.front() + "，请检查文件名）"),
       NoticeKind::kRefused});
}

std::optional<UpdateResult> UsbWatch::ImportFrom(const std::string& mount_point) {
  const std::string folder = FolderOn(mount_point);
  if (folder.empty()) return std::nullopt;
  struct Candidate {
    const char* name;
    UpdateFormat format;
  };
  // Both on one stick: the playlist wins (it may be a bulletin already
  // built and edited), and the log says the bulletin was left.
  const std::string playlist = FindEntry(fs_, folder, "playlist.json");
  const std::string bulletin = FindEntry(fs_, folder, "bulletin.txt");
  if (!playlist.empty() && !bulletin.empty())
    LogInfo(folder + " holds both playlist.json and bulletin.txt: playlist.json is used, "
                     "bulletin.txt left as it is");
  for (Candidate c : {Candidate{"playlist.json", UpdateFormat::kPlaylist},
                      Candidate{"bulletin.txt", UpdateFormat::kBulletin}}) {
    std::string path = c.format == UpdateFormat::kPlaylist ? playlist : bulletin;
    if (path.empty()) continue;
    UpdateRequest request;
    request.source = UpdateSource::kUsb;
    request.origin = path;
    request.format = c.format;
    std::uint64_t size = 0;
    if (fs_.FileSize(path, &size).ok() && size > kMaxUpdateBytes) {
      return pipeline_.ReportFailure(
          UpdateSource::kUsb, path,
          path + ": " + std::to_string(size) + " bytes is over the limit of 4 MiB (4194304 bytes)",
          /*announce=*/true, RefusalKind::kTooLarge);
    }
    if (Status s = fs_.ReadFile(path, &request.bytes, kMaxUpdateBytes); !s.ok()) {
      return pipeline_.ReportFailure(UpdateSource::kUsb, path,
                                     s.message() + " (was the stick pulled out?)");
    }
    const std::string name = path.substr(folder.size() + 1);
    std::string sig_path = FindEntry(fs_, folder, Lower(name) + ".minisig");
    if (!sig_path.empty()) {
      std::string sig;
      if (Status s = fs_.ReadFile(sig_path, &sig, 64 * 1024); !s.ok()) {
        return pipeline_.ReportFailure(UpdateSource::kUsb, sig_path,
                                       s.message() + " (was the stick pulled out?)");
      }
      request.signature = std::move(sig);
    }
    return pipeline_.Submit(request);
  }
  return std::nullopt;
}

std::optional<AlertOutcome> UsbWatch::ImportAlertFrom(const std::string& mount_point) {
  if (!alerts_) return std::nullopt;
  const std::string folder = FolderOn(mount_point);
  if (folder.empty()) return std::nullopt;
  for (const char* name : {"alert.json", "alert.xml"}) {
    const std::string path = FindEntry(fs_, folder, name);
    if (path.empty()) continue;
    AlertSubmission submission;
    submission.source = AlertSource::kUsb;
    submission.who = path;
    submission.type = name;
    AlertOutcome outcome;
    Status s = fs_.ReadFile(path, &submission.body, alert::kMaxAlertDocumentBytes + 1);
    const std::string sig_path = FindEntry(fs_, folder, std::string(name) + ".minisig");
    if (s.ok() && !sig_path.empty()) {
      std::string sig;
      s = fs_.ReadFile(sig_path, &sig, 64 * 1024);
      submission.signature = std::move(sig);
    }
    if (!s.ok()) {
      outcome.reason = s.message() + " (was the stick pulled out?)";
      LogWarning("alert refused, from usb " + path + ": " + outcome.reason);
    } else {
      outcome = alerts_->Submit(submission);
    }
    // People stand at the screen with the stick: tell them, in their words.
    if (!outcome.ok()) {
      pipeline_.mailbox().PostNotice(
          {"U盘中的紧急通知未能显示：" + std::string(outcome.kind == AlertOutcome::Kind::kUnsigned
                                                          ? "缺少有效签名"
                                                          : "文件有误") +
               "；详见管理页面或日志",
           NoticeKind::kRefused});
    }
    return outcome;
  }
  return std::nullopt;
}

}  // namespace nb::update
