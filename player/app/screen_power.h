// ScreenPower: the screen's off hours (config `display.off_hours`, e.g.
// nights and weekends). While off, `play` draws nothing and barely wakes; at
// each edge it runs `display.off_command` / `display.on_command` (e.g.
// cec-ctl putting the TV in standby and waking it).
//
// Contract:
// - A period {weekdays, from, to} starts on each listed day at `from` (local
//   time) and ends at `to` the same day, or the next day when `to` is at or
//   before `from` ("22:00" to "06:30" spans midnight; "00:00" to "00:00" is a
//   whole day): the rule of base/civil_time.h, which playlist schedules
//   share. Periods may overlap; the screen is off while any applies.
// - Update() is called once per frame-loop round and returns true while the
//   screen should be off. The first call runs the command for the state at
//   start (so a restart during the night leaves the TV in standby, and a
//   restart by day wakes it); later calls run one at each change.
// - Commands are argv lists started without a shell (posix_spawnp: no
//   quoting, no injection) and not waited for: the frame thread never blocks
//   on a slow TV. Children are reaped on later calls, their failures logged.
// - An urgent notice at or above alerts.wake_severity (config) turns the
//   screen on in off hours for as long as it is active (SetActiveAlert,
//   each round): on_command runs, and off_command once it has ended if off
//   hours still apply. Lesser notices wait for the morning.
// - Edges fall on whole minutes, so UntilNextCheck() (to the next minute of
//   wall time) is the longest the loop need sleep to catch one.
#pragma once

#include <chrono>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alert/alert.h"
#include "base/env.h"
#include "update/config.h"

namespace nb::app {

// Whether `local` (a broken-down local time) falls in any of the periods.
bool InOffHours(const std::vector<update::OffPeriod>& periods, const std::tm& local);

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual void Run(const std::vector<std::string>& argv) = 0;
  // Collects finished commands; called regularly.
  virtual void Reap() {}
};

// posix_spawnp; exit statuses are logged when reaped.
class SpawnCommandRunner final : public CommandRunner {
 public:
  ~SpawnCommandRunner() override;
  void Run(const std::vector<std::string>& argv) override;
  void Reap() override;

 private:
  struct Child {
    int pid;
    std::string name;
  };
  std::vector<Child> children_;
};

class ScreenPower {
 public:
  ScreenPower(const Clock& clock, update::DisplayConfig config,
              std::unique_ptr<CommandRunner> runner);
  // Null when the config has no off hours (or cannot be read: `play` has
  // already reported that through PlayUpdates).
  static std::unique_ptr<ScreenPower> FromConfigFile(const std::string& path, const Clock& clock);
  // Null when the config has no off hours.
  static std::unique_ptr<ScreenPower> FromConfig(const update::Config& config, const Clock& clock);

  bool Update();
  bool off() const { return off_; }
  // The most severe active alert (nullopt: none), before each Update().
  void SetActiveAlert(std::optional<alert::Severity> highest);
  void set_wake_severity(std::optional<alert::Severity> severity) { wake_severity_ = severity; }
  std::chrono::milliseconds UntilNextCheck() const;

 private:
  const Clock& clock_;
  update::DisplayConfig config_;
  std::unique_ptr<CommandRunner> runner_;
  bool started_ = false;
  bool off_ = false;
  bool woken_ = false;  // an alert keeps the screen on in off hours
  std::optional<alert::Severity> wake_severity_ = alert::Severity::kCritical;
  // The state is recomputed only when wall time leaves [checked_from, checked_until).
  std::chrono::system_clock::time_point checked_from_{}, checked_until_{};
};

}  // namespace nb::app
