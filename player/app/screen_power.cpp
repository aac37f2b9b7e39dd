#include "app/screen_power.h"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/log.h"

extern char** environ;

namespace nb::app {

bool InOffHours(const std::vector<update::OffPeriod>& periods, const std::tm& local) {
  int weekday = WeekdayFromTm(local.tm_wday);
  int minute = local.tm_hour * 60 + local.tm_min;
  return std::any_of(periods.begin(), periods.end(),
                     [&](const update::OffPeriod& p) { return SpanCovers(p, weekday, minute); });
}

SpawnCommandRunner::~SpawnCommandRunner() {
  // Still running at exit (a TV that does not answer): leave them be, they
  // are re-parented to init, which reaps them.
  Reap();
}

void SpawnCommandRunner::Run(const std::vector<std::string>& argv) {
  if (argv.empty()) return;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int err = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
  std::string line;
  for (const auto& a : argv) line += (line.empty() ? "" : " ") + a;
  if (err != 0) {
    LogWarning("screen power: cannot run " + line + ": " + std::strerror(err));
    return;
  }
  LogInfo("screen power: running " + line);
  children_.push_back({pid, argv[0]});
}

void SpawnCommandRunner::Reap() {
  for (auto it = children_.begin(); it != children_.end();) {
    int status = 0;
    pid_t r = waitpid(it->pid, &status, WNOHANG);
    if (r == 0) {
      ++it;
      continue;
    }
    if (r == it->pid) {
      if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        LogWarning("screen power: " + it->name + " not found (is it installed and on PATH?)");
      } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        LogWarning("screen power: " + it->name + " failed with exit status " +
                   std::to_string(WEXITSTATUS(status)));
      } else if (WIFSIGNALED(status)) {
        LogWarning("screen power: " + it->name + " killed by signal " +
                   std::to_string(WTERMSIG(status)));
      }
    }
    it = children_.erase(it);
  }
}

ScreenPower::ScreenPower(const Clock& clock, update::DisplayConfig config,
                         std::unique_ptr<CommandRunner> runner)
    : clock_(clock), config_(std::move(config)), runner_(std::move(runner)) {}

std::unique_ptr<ScreenPower> ScreenPower::FromConfigFile(const std::string& path,
                                                         const Clock& clock) {
  std::vector<playlist::Diagnostic> errors;
  auto config = update::LoadConfigFile(Env::Default().fs(), path, &errors);
  if (!config) return nullptr;
  return FromConfig(*config, clock);
}

std::unique_ptr<ScreenPower> ScreenPower::FromConfig(const update::Config& config,
                                                     const Clock& clock) {
  if (config.display.off_hours.empty()) return nullptr;
  LogInfo("screen power: " + std::to_string(config.display.off_hours.size()) +
          " off-hours period(s)");
  auto power = std::make_unique<ScreenPower>(clock, config.display,
                                             std::make_unique<SpawnCommandRunner>());
  power->set_wake_severity(config.alerts.wake_severity);
  return power;
}

void ScreenPower::SetActiveAlert(std::optional<alert::Severity> highest) {
  const bool wake = highest && wake_severity_ && *highest >= *wake_severity_;
  if (wake == woken_) return;
  woken_ = wake;
  checked_until_ = checked_from_;  // look again now
}

bool ScreenPower::Update() {
  runner_->Reap();
  auto now = clock_.WallNow();
  if (started_ && now >= checked_from_ && now < checked_until_) return off_;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&t, &local);
  const bool off_hours = InOffHours(config_.off_hours, local);
  const bool off = off_hours && !woken_;
  // Valid until the next whole minute (edges are whole minutes).
  checked_from_ = now;
  checked_until_ = std::chrono::system_clock::from_time_t(t - local.tm_sec + 60);
  if (started_ && off == off_) return off_;
  if (off_hours && !off) {
    LogInfo("screen power: an urgent notice turns the screen on in off hours");
  } else {
    LogInfo(off ? "screen power: off hours begin, screen off"
                : (started_ ? "screen power: off hours end, screen on"
                            : "screen power: within on hours, screen on"));
  }
  started_ = true;
  off_ = off;
  runner_->Run(off ? config_.off_command : config_.on_command);
  return off_;
}

std::chrono::milliseconds ScreenPower::UntilNextCheck() const {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(checked_until_ - clock_.WallNow());
  return std::clamp(left, std::chrono::milliseconds(0), std::chrono::milliseconds(60000));
}

}  // namespace nb::app
