// The alerts file in the state folder: read at start, written after changes.
#include "alert/alert_store.h"

#include <utility>

#include "base/log.h"

namespace nb::alert {
namespace {

// Far more than any set of alerts; a bigger file is not ours.
constexpr std::size_t kMaxStoreBytes = 8 << 20;

}  // namespace

AlertStore::AlertStore(FileSystem& fs, std::string state_folder)
    : fs_(fs), path_(std::move(state_folder) + "/alerts.json") {}

std::vector<AlertEvent> AlertStore::Load(AlertSet& set) {
  if (!fs_.Exists(path_)) return {};
  std::string json, error;
  Status read = fs_.ReadFile(path_, &json, kMaxStoreBytes);
  std::vector<AlertEvent> events;
  if (read.ok()) {
    events = set.Restore(json, &error);
  } else {
    error = read.message();
  }
  if (error.empty()) return events;
  std::string aside = path_ + ".bad";
  Status moved = fs_.Rename(path_, aside);
  LogError(
      path_ + ": stored alerts cannot be read (" + error + "); " +
      (moved.ok() ? "moved aside to " + aside : "could not move it aside: " + moved.message()) +
      "; starting with no stored alerts");
  return events;
}

Status AlertStore::Save(const AlertSet& set) { return fs_.WriteFileAtomic(path_, set.ToJson()); }

}  // namespace nb::alert
