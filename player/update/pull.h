// Pull: fetches the playlist from a URL at an interval (libcurl), for fleets
// served by one nginx, a static host or a CDN. Compiled into noticeboard-net.so
// (and nb_update_net for tests); the executable reaches it through
// update/net_module.h only.
//
// Contract:
// - HttpFetcher does one conditional GET: If-None-Match with the last ETag
//   and If-Modified-Since with the last Last-Modified, so an unchanged file
//   costs a 304 and no body. Connect and total timeouts; the body is limited
//   to 4 MiB (the transfer is aborted as soon as it goes over, whether or not
//   the server announced a length); HTTPS verifies against the system's CAs;
//   redirects are followed (at most 5, http and https only). A 304, a 200 with
//   a complete body (with its Content-Type), or a failure with one line saying why (status, timeout,
//   truncated, too large, DNS, TLS).
// - Puller runs rounds on its own thread: fetch → UpdatePipeline::Submit.
//   With trusted keys configured it also fetches URL + ".minisig". Any
//   failure leaves the playlist on screen as it is; network failures go to
//   status and the log, not on screen (offline is normal). After a failure
//   the next round comes sooner and backs off exponentially, with jitter, up
//   to the interval: BackoffDelay(). Time and randomness are injected: the
//   wait between rounds goes through a Waiter (a real one by default; tests
//   pass one that advances a fake clock and records the schedule).
// - The validators of the last playlist the pipeline took (applied or
//   unchanged) are kept in options.validators_file, so the first round after
//   a restart is conditional too: an unchanged server file is not applied
//   again over a newer playlist another path (a USB stick) brought meanwhile.
//   A validators file for another URL, or unreadable, is ignored.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/env.h"
#include "update/update_pipeline.h"

namespace nb::update {

struct PullOptions {
  std::string url;
  std::chrono::milliseconds interval{300'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{60'000};
  std::size_t max_bytes = kMaxUpdateBytes;
  std::chrono::milliseconds first_retry{5'000};  // backoff starts here
  // The screen's name for the heartbeat (config "name"; UpdateService sets
  // it, by default the host name).
  std::string screen_name;
  // Where the validators of the playlist last taken survive a restart (the
  // state folder's pull-validators.json; empty: memory only). Not a config
  // key: UpdateService sets it.
  std::string validators_file;
};

struct FetchResult {
  enum class Kind { kNew, kNotModified, kFailed };
  Kind kind = Kind::kFailed;
  long http_status = 0;
  std::string body;
  std::string content_type;  // as the server said, parameters included
  std::string error;       // when failed
  std::string error_kind;  // timeout, connect, http, too_large, cut_off, other
};

class HttpFetcher {
 public:
  explicit HttpFetcher(PullOptions options);
  // A conditional GET of options.url (or of `url` when given, unconditional).
  FetchResult Fetch();
  FetchResult FetchUnconditional(const std::string& url);
  // The heartbeat every request carries from now on (issue 19): the
  // screen's name and the hash of the playlist it plays, in the User-Agent
  // and in X-Noticeboard-Screen / X-Noticeboard-Playlist, so a fleet that
  // only pulls can be watched from the web server's access log.
  void SetHeartbeat(std::string screen_name, std::string playlist_hash);
  // Forgets the validators, so the next Fetch() downloads the body again.
  void ForgetValidators();
  // The validators of a body taken before (a restart).
  void SetValidators(std::string etag, std::string last_modified);
  const std::string& etag() const { return etag_; }
  const std::string& last_modified() const { return last_modified_; }

 private:
  FetchResult Get(const std::string& url, bool conditional);

  PullOptions options_;
  std::string screen_name_, playlist_hash_;
  std::string etag_, last_modified_;
  std::string pending_etag_, pending_last_modified_;
};

// The wait before the next round after `failures` failures in a row:
// interval when 0; otherwise first_retry·2^(failures−1), capped at interval,
// of which a random half is taken off ("equal jitter", random01 in [0, 1)).
std::chrono::milliseconds BackoffDelay(int failures, std::chrono::milliseconds first_retry,
                                       std::chrono::milliseconds interval, double random01);

// How the puller's thread waits between rounds.
class Waiter {
 public:
  virtual ~Waiter() = default;
  // Waits for `delay`; returns false at once, and from then on, after Stop().
  virtual bool Wait(std::chrono::milliseconds delay) = 0;
  // Thread-safe; makes a pending and every later Wait() return false.
  virtual void Stop() = 0;
};

// Real time (a condition variable's timed wait).
class RealTimeWaiter final : public Waiter {
 public:
  bool Wait(std::chrono::milliseconds delay) override;
  void Stop() override;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

class Puller {
 public:
  Puller(Env& env, UpdatePipeline& pipeline, PullOptions options,
         std::function<double()> random01 = {}, std::unique_ptr<Waiter> waiter = {});
  ~Puller();

  struct Round {
    FetchResult fetch;
    std::optional<UpdateResult> update;  // when something was submitted
    std::chrono::milliseconds next_delay{0};
  };
  // One round, on the caller's thread (tests; Start() runs them in a loop).
  Round PollOnce();

  void Start();
  void Stop();
  int consecutive_failures() const { return failures_; }

 private:
  void Run();
  void LoadValidators();
  void SaveValidators();

  Env& env_;
  UpdatePipeline& pipeline_;
  PullOptions options_;
  std::function<double()> random01_;
  HttpFetcher fetcher_;
  std::atomic<int> failures_{0};
  std::unique_ptr<Waiter> waiter_;
  std::thread thread_;
};

}  // namespace nb::update
