// PlayUpdates: the update paths (USB, pull, push API, edits of the playlist
// file) inside `noticeboard play --config FILE` (or `--state-dir DIR` alone:
// only file edits, stored), packaged so the frame loop needs a call per frame.
//
// Contract:
// - Create() reads and validates the config (every error logged with its
//   JSON pointer; nullptr then, and play exits 1), opens the state folder and
//   starts the configured paths. Without a config file, the defaults with USB
//   off and no network. stored() is the playlist the state folder
//   holds when it is newer than the file on the command line (play starts
//   with it then), else null.
// - Frame() runs on the frame thread, once per loop: it offers a new playlist
//   to the Show (swapped in at the next slide boundary), puts notices on
//   screen, carries out POST /api/v1/next, and publishes what plays and the
//   frame rate for GET /api/v1/status. Everything else runs on the service's
//   own threads; the wake function (called from them) makes the loop come
//   round.
// - FrameDrawn() runs on the frame thread between drawing and presenting a
//   frame: it reads the frame back when GET /api/v1/screenshot.png waits for
//   one (app/screenshot.h; the API thread encodes the PNG, 5 s timeout).
// - RouteFileEdits() makes the file watch submit edits of the playlist file to
//   the pipeline, so they are validated, stored and swapped in like any update.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "app/screenshot.h"
#include "render/show.h"
#include "update/file_watch.h"
#include "update/update_service.h"

namespace nb::app {

class PlayUpdates {
 public:
  // Called before the display is up, so that a bad config stops play at once.
  // `playlist_file` is the file on the command line: when it was changed
  // after the last stored update (edited on the screen), it wins.
  static std::unique_ptr<PlayUpdates> Create(const std::string& config_path,
                                             const std::string& state_dir,
                                             const std::string& playlist_file);
  // The same with a config already read (null: the defaults of --state-dir
  // alone). An empty `playlist_file`: there is none, only updates.
  static std::unique_ptr<PlayUpdates> Create(const update::Config* config,
                                             const std::string& state_dir,
                                             const std::string& playlist_file);
  ~PlayUpdates();

  std::shared_ptr<const playlist::Playlist> stored() const { return stored_; }
  // Records the playlist the show starts with, if not the stored one.
  void SetInitial(std::shared_ptr<const playlist::Playlist> playlist, const std::string& source);
  // How the service's threads wake the frame loop (e.g. push an SDL event);
  // set once the display is up. Until then results simply wait in the mailbox.
  void SetWake(std::function<void()> wake);
  // `frames` is the number of frames drawn so far.
  void Frame(render::Show& show, long frames);
  void FrameDrawn(SDL_Renderer* renderer) { grabber_.FrameDrawn(renderer); }
  // Call before reloader.Start().
  void RouteFileEdits(update::PlaylistReloader& reloader) {
    reloader.SubmitTo(&service_->pipeline());
  }
  // The pipeline and the API's bound port (0: off), for bench/soak, which
  // submits reloads and sends API requests to a running player.
  update::UpdatePipeline& pipeline() { return service_->pipeline(); }
  int api_port() const { return service_->api_port(); }

 private:
  PlayUpdates() = default;
  void Wake();

  FrameGrabber grabber_;
  std::mutex wake_mu_;
  std::function<void()> wake_;
  std::unique_ptr<update::UpdateService> service_;
  std::shared_ptr<const playlist::Playlist> stored_;
  std::atomic<bool> next_requested_{false};
  std::mutex status_mu_;
  update::PlayerStatus status_;
  long fps_frames_ = 0;
  std::chrono::steady_clock::time_point fps_since_ = std::chrono::steady_clock::now();
};

}  // namespace nb::app
