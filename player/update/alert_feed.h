// AlertFeed: a fleet's urgent notices from one URL (config alerts.url), read
// at a short interval, so that one file on the server that feeds the
// playlists reaches every screen within the interval. Compiled into
// noticeboard-net.so; the executable starts it through update/net_module.h.
//
// Contract:
// - Each round is a conditional GET (pull.h's HttpFetcher: an unchanged
//   file costs a 304 and no body). A new body goes to AlertIntake::Submit as
//   the feed's whole set (our JSON {"alerts": [...]} or one CAP alert, by
//   Content-Type or the URL's ending), with URL + ".minisig" when the screen
//   requires signatures.
// - A 404 or 410 means the file was taken down: the feed's alerts end. Any
//   other failure (no network, a timeout, a server error) changes nothing:
//   the alerts on screen stay until they expire; the next round comes sooner
//   and backs off as pull does (BackoffDelay), up to the interval.
// - Only the feed's own alerts are touched; those posted to the API, from
//   the console or a stick stay.
#pragma once

#include <functional>
#include <memory>
#include <thread>

#include "base/env.h"
#include "update/alert_intake.h"
#include "update/pull.h"

namespace nb::update {

class AlertFeed {
 public:
  AlertFeed(AlertIntake& intake, PullOptions options, std::unique_ptr<Waiter> waiter = {});
  ~AlertFeed();

  // One round; the delay until the next.
  std::chrono::milliseconds PollOnce();
  void Start();
  void Stop();  // final

 private:
  AlertIntake& intake_;
  PullOptions options_;
  HttpFetcher fetcher_;
  std::unique_ptr<Waiter> waiter_;
  int failures_ = 0;
  std::thread thread_;
};

}  // namespace nb::update
