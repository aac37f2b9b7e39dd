// AlertStore: the active alerts in the state folder, so that they survive a
// restart or a power cut.
//
// Contract:
// - One file, <state>/alerts.json, written whole with
//   FileSystem::WriteFileAtomic after every change (a power cut leaves the
//   old set or the new one, never half of either).
// - Load() gives AlertSet::Restore what was stored; a missing file is an
//   empty set, an unreadable or corrupt one is logged (naming the file),
//   moved aside to alerts.json.bad and treated as empty: a bad file must
//   not stop the player.
#pragma once

#include <string>
#include <vector>

#include "alert/alert_set.h"
#include "base/env.h"
#include "base/status.h"

namespace nb::alert {

class AlertStore {
 public:
  AlertStore(FileSystem& fs, std::string state_folder);
  // Restores into `set`; the events are what was dropped (expired while off).
  std::vector<AlertEvent> Load(AlertSet& set);
  Status Save(const AlertSet& set);
  const std::string& path() const { return path_; }

 private:
  FileSystem& fs_;
  std::string path_;
};

}  // namespace nb::alert
