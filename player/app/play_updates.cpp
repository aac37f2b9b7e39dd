#include "app/play_updates.h"

#include <time.h>

#include <cstdio>

#include "base/log.h"

namespace nb::app {

namespace {

// "周一至周五 19:00–07:00（次日）；周六、周日 全天": how staff read off hours.
std::string DescribeOffHours(const std::vector<update::OffPeriod>& periods) {
  static const char* kDays[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
  std::string out;
  for (const auto& p : periods) {
    if (!out.empty()) out += "；";
    std::string days;
    if (p.weekdays != kEveryDay) {
      for (int d = 0; d < 7; ++d) {
        if (p.weekdays & (1u << d)) days += (days.empty() ? "" : "、") + std::string(kDays[d]);
      }
      days += " ";
    } else {
      days = "每天 ";
    }
    out += days + FormatClockTime(p.from_min) + "–" + FormatClockTime(p.to_min) +
           (p.to_min <= p.from_min ? "（次日）" : "");
  }
  return out;
}

}  // namespace

std::unique_ptr<PlayUpdates> PlayUpdates::Create(
    const std::string& config_path, const std::string& state_dir,
    const std::string& playlist_file, std::unique_ptr<console::PreviewRenderer> preview) {
  if (config_path.empty()) return Create(nullptr, state_dir, playlist_file, std::move(preview));
  std::vector<playlist::Diagnostic> errors;
  auto config = update::LoadConfigFile(Env::Default().fs(), config_path, &errors);
  if (!config) {
    for (const auto& e : errors) LogError(e.ToString());
    return nullptr;
  }
  return Create(&*config, state_dir, playlist_file, std::move(preview));
}

std::unique_ptr<PlayUpdates> PlayUpdates::Create(
    const update::Config* given, const std::string& state_dir,
    const std::string& playlist_file, std::unique_ptr<console::PreviewRenderer> preview) {
  Env& env = Env::Default();
  std::optional<update::Config> config;
  if (given) {
    config = *given;
  } else {
    // No config: edits of the file only, kept in the state folder when one
    // is given, else in memory (an empty state_dir).
    config.emplace();
    config->usb.enabled = false;
    config->state_dir.clear();
  }
  if (!state_dir.empty()) config->state_dir = state_dir;

  std::unique_ptr<PlayUpdates> updates(new PlayUpdates());
  PlayUpdates* self = updates.get();
  updates->preview_ = std::move(preview);
  updates->notices_ = config->notices;
  updates->status_.off_hours = DescribeOffHours(config->display.off_hours);
  update::ApiCallbacks callbacks;
  callbacks.preview = updates->preview_.get();
  callbacks.player_status = [self] {
    std::lock_guard lock(self->status_mu_);
    return self->status_;
  };
  callbacks.next = [self] {
    self->next_requested_ = true;
    self->Wake();
    return true;
  };
  callbacks.screenshot_png = [self](bool as_viewed) {
    // The panel's picture is the upright one turned by the rotation.
    const int turn = as_viewed ? (360 - self->rotation_.load()) % 360 : 0;
    return self->grabber_.Capture([self] { self->Wake(); }, std::chrono::seconds(5), turn);
  };
  updates->service_ =
      std::make_unique<update::UpdateService>(env, *config, callbacks, [self] { self->Wake(); });
  std::optional<update::StoredPlaylist> initial;
  if (Status s = updates->service_->Open(&initial); !s.ok()) {
    LogError(s.message());
    return nullptr;
  }
  if (initial && !playlist_file.empty()) {
    std::chrono::system_clock::time_point file_time, stored_time;
    if (env.fs().ModifiedTime(playlist_file, &file_time).ok() &&
        env.fs().ModifiedTime(initial->path, &stored_time).ok() && file_time > stored_time) {
      LogInfo(playlist_file + " changed after the last stored update (" + initial->path +
              "): playing the file");
      initial.reset();
    }
  }
  if (initial) {
    updates->stored_ = std::make_shared<const playlist::Playlist>(std::move(initial->playlist));
    LogInfo("playing the stored playlist " + initial->path + " (" +
            std::to_string(updates->stored_->items.size()) + " items" +
            (initial->source.empty() ? "" : ", from " + initial->source) + ")");
  }
  updates->service_->Start();
  return updates;
}

PlayUpdates::~PlayUpdates() {
  if (reloader_) reloader_->Stop();
  if (service_) service_->Stop();
}

Status PlayUpdates::WatchFile(const std::string& path, const std::string& current_text) {
  if (reloader_) reloader_->Stop();
  reloader_ =
      std::make_unique<update::PlaylistReloader>(Env::Default().fs(), path, service_->pipeline());
  Status s = reloader_->Start(current_text);
  if (!s.ok()) reloader_.reset();
  return s;
}

void PlayUpdates::RequestReload() {
  if (reloader_) reloader_->RequestReload();
}

void PlayUpdates::SetWake(std::function<void()> wake) {
  std::lock_guard lock(wake_mu_);
  wake_ = std::move(wake);
}

void PlayUpdates::Wake() {
  std::lock_guard lock(wake_mu_);
  if (wake_) wake_();
}

void PlayUpdates::SetInitial(std::shared_ptr<const playlist::Playlist> playlist,
                             const std::string& source) {
  service_->pipeline().SetInitial(std::move(playlist), source);
}

void PlayUpdates::SetLayoutSize(int width, int height) {
  std::lock_guard lock(status_mu_);
  status_.width = width;
  status_.height = height;
}

void PlayUpdates::SetScreenOn(bool on) {
  std::lock_guard lock(status_mu_);
  status_.screen_on = on;
}

void PlayUpdates::FrameDrawn(SDL_Renderer* renderer) {
  if (!shown_alerts_.empty()) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    char realtime[40];
    std::snprintf(realtime, sizeof realtime, "%lld.%06ld", static_cast<long long>(now.tv_sec),
                  now.tv_nsec / 1000);
    for (const std::string& id : shown_alerts_)
      LogInfo("alert shown: " + id + " (realtime " + realtime + ")");
    shown_alerts_.clear();
  }
  grabber_.FrameDrawn(renderer);
}

void PlayUpdates::Frame(render::Show& show, long frames) {
  update::DeliverUpdates(service_->pipeline().mailbox(), show, notices_);
  if (next_requested_.exchange(false)) show.Next();
  // Urgent notices: the newest set goes on screen with this frame.
  update::AlertIntake& alerts = service_->alerts();
  alerts.ExpireDue();
  show.SetAlerts(alerts.Snapshot());
  for (std::string& id : show.alerts().TakeShown()) shown_alerts_.push_back(std::move(id));

  auto now = std::chrono::steady_clock::now();
  const playlist::Item* item = show.current().item();
  std::lock_guard lock(status_mu_);
  status_.frames = frames;
  status_.slide_changes = show.slide_changes();
  if (now - fps_since_ >= std::chrono::seconds(2)) {
    status_.fps = static_cast<double>(frames - fps_frames_) /
                  std::chrono::duration<double>(now - fps_since_).count();
    fps_frames_ = frames;
    fps_since_ = now;
  }
  if (item) {
    if (status_.item_id != item->id) {
      status_.item_id = item->id;
      status_.item_title = item->title;
    }
  } else {
    status_.item_id.clear();
    status_.item_title.clear();
  }
}

}  // namespace nb::app
