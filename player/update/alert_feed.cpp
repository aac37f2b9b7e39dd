#include "update/alert_feed.h"

#include <random>

#include "base/log.h"

namespace nb::update {

AlertFeed::AlertFeed(AlertIntake& intake, PullOptions options, std::unique_ptr<Waiter> waiter)
    : intake_(intake),
      options_(std::move(options)),
      fetcher_(options_),
      waiter_(std::move(waiter)) {
  if (!waiter_) waiter_ = std::make_unique<RealTimeWaiter>();
}

AlertFeed::~AlertFeed() { Stop(); }

std::chrono::milliseconds AlertFeed::PollOnce() {
  FetchResult fetch = fetcher_.Fetch();
  bool failed = false;
  if (fetch.kind == FetchResult::Kind::kFailed) {
    if (fetch.http_status == 404 || fetch.http_status == 410) {
      // Taken down: the feed holds no alert now. (No signature is asked:
      // this can only end the feed's own alerts, never show one.)
      intake_.EndFeed(options_.url);
      fetcher_.ForgetValidators();
    } else {
      failed = true;
      LogWarning("alert feed " + options_.url + " failed: " + fetch.error +
                 "; the notices on screen stay until they expire");
    }
  } else if (fetch.kind == FetchResult::Kind::kNew) {
    AlertSubmission submission;
    submission.source = AlertSource::kFeed;
    submission.who = options_.url;
    submission.body = std::move(fetch.body);
    submission.type = fetch.content_type.empty() ? options_.url : fetch.content_type;
    if (intake_.signatures_required(AlertSource::kFeed)) {
      FetchResult sig = fetcher_.FetchUnconditional(options_.url + ".minisig");
      if (sig.kind == FetchResult::Kind::kNew) submission.signature = std::move(sig.body);
    }
    AlertOutcome outcome = intake_.Submit(submission);
    // Refused (perhaps caught mid-upload, or its .minisig comes later): read
    // it whole again next round rather than take a 304 as the answer.
    if (!outcome.ok()) fetcher_.ForgetValidators();
  }
  failures_ = failed ? failures_ + 1 : 0;
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return BackoffDelay(failures_, options_.first_retry, options_.interval,
                      std::uniform_real_distribution<double>(0.0, 1.0)(rng));
}

void AlertFeed::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    for (;;) {
      if (!waiter_->Wait(PollOnce())) return;
    }
  });
}

void AlertFeed::Stop() {
  waiter_->Stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace nb::update
