// UsbWatch: imports a playlist from a USB stick as soon as it is mounted.
//
// Contract:
// - Watches /proc/self/mountinfo with poll(POLLPRI) (the kernel flags it on
//   every mount and unmount) on its own thread; a mount point that appears
//   under one of the roots (default /media, /run/media, /mnt) is a new stick.
//   Sticks already mounted at Start() are imported too (inserted while the
//   player was starting).
// - On a stick: noticeboard/playlist.json (+ playlist.json.minisig), else
//   noticeboard/bulletin.txt (+ bulletin.txt.minisig), built on the spot;
//   with both, the playlist wins and the log says so. Names match whatever
//   their case (Noticeboard/PLAYLIST.JSON from Windows). A noticeboard
//   folder with nothing usable in it puts a line on screen saying what the
//   files should be called (and the near misses, such as playlist.json.txt,
//   go to the log).
//   Everything goes through UpdatePipeline::Submit. A read error (a stick
//   pulled out mid-read) is reported as a failure and changes nothing.
//   A stick without a noticeboard folder is ignored (logged only; at start,
//   when every mount under the roots is looked at, not even that).
// - An urgent notice on a stick, noticeboard/alert.json or alert.xml (CAP)
//   with its .minisig, goes to the AlertIntake first (a notice is the more
//   urgent of the two); a refused one puts a line on screen saying so.
// - Mounting is not our job: see deploy/DEPLOY.md (udev rule + systemd-mount).
#pragma once

#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "update/alert_intake.h"
#include "update/update_pipeline.h"

namespace nb::update {

// Mount points listed in a mountinfo text (octal escapes such as \040 undone).
std::vector<std::string> ParseMountPoints(std::string_view mountinfo);

// True when `path` is one of `roots` or inside one (by whole path components).
bool IsUnderRoots(const std::string& path, const std::vector<std::string>& roots);

class UsbWatch {
 public:
  struct Options {
    std::vector<std::string> roots = {"/media", "/run/media", "/mnt"};
    std::string mountinfo_path = "/proc/self/mountinfo";
    bool import_existing = true;
  };

  UsbWatch(FileSystem& fs, UpdatePipeline& pipeline, Options options,
           AlertIntake* alerts = nullptr);
  ~UsbWatch();

  Status Start();
  void Stop();

  // Looks for a playlist or bulletin on the stick mounted at `mount_point` and
  // submits it. Returns nothing when the stick has no noticeboard folder.
  std::optional<UpdateResult> ImportFrom(const std::string& mount_point);
  // The same for noticeboard/alert.json or alert.xml; nothing when neither
  // is there (or alerts are not received).
  std::optional<AlertOutcome> ImportAlertFrom(const std::string& mount_point);
  // Both, as for a stick just mounted (`at_start`: mounted before Start()).
  void ImportStick(const std::string& mount_point, bool at_start);

 private:
  void Run();
  // The stick's noticeboard folder, whatever its case; empty when none.
  std::string FolderOn(const std::string& mount_point) const;
  std::set<std::string> ReadMounts(Status* status);

  FileSystem& fs_;
  UpdatePipeline& pipeline_;
  Options options_;
  AlertIntake* alerts_;
  int mountinfo_fd_ = -1;
  int stop_fd_ = -1;  // eventfd that wakes the thread to stop
  std::set<std::string> known_;
  std::thread thread_;
};

}  // namespace nb::update
