#include "update/pull.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <random>

#include "base/log.h"

namespace nb::update {
namespace {

void InitCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
  std::string etag, last_modified;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, n);
  return n;
}

std::string TrimHeaderValue(std::string v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  std::size_t i = 0;
  while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i]))) ++i;
  return v.substr(i);
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  std::string line(data, n);
  // A redirect or 100 starts a new header block: keep only the last one.
  if (line.rfind("HTTP/", 0) == 0) {
    t->etag.clear();
    t->last_modified.clear();
  }
  auto colon = line.find(':');
  if (colon == std::string::npos) return n;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (name == "etag") t->etag = TrimHeaderValue(line.substr(colon + 1));
  if (name == "last-modified") t->last_modified = TrimHeaderValue(line.substr(colon + 1));
  return n;
}

}  // namespace

HttpFetcher::HttpFetcher(PullOptions options) : options_(std::move(options)) {
  InitCurl();
  SetHeartbeat(options_.screen_name, "");
}

void HttpFetcher::SetHeartbeat(std::string screen_name, std::string playlist_hash) {
  // Only what a header may carry: a name with a line break would end it.
  for (char& c : screen_name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  screen_name_ = std::move(screen_name);
  playlist_hash_ = std::move(playlist_hash);
}

void HttpFetcher::ForgetValidators() {
  etag_.clear();
  last_modified_.clear();
}

void HttpFetcher::SetValidators(std::string etag, std::string last_modified) {
  etag_ = std::move(etag);
  last_modified_ = std::move(last_modified);
}

FetchResult HttpFetcher::Fetch() {
  FetchResult r = Get(options_.url, true);
  if (r.kind == FetchResult::Kind::kNew) {
    etag_ = pending_etag_;
    last_modified_ = pending_last_modified_;
  }
  return r;
}

FetchResult HttpFetcher::FetchUnconditional(const std::string& url) { return Get(url, false); }

FetchResult HttpFetcher::Get(const std::string& url, bool conditional) {
  FetchResult result;
  CURL* curl = curl_easy_init();
  if (!curl) {
    result.error = url + ": cannot start a transfer (libcurl)";
    return result;
  }
  Transfer t;
  t.max_bytes = options_.max_bytes;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  if (conditional && !etag_.empty())
    headers = curl_slist_append(headers, ("If-None-Match: " + etag_).c_str());
  if (conditional && !last_modified_.empty())
    headers = curl_slist_append(headers, ("If-Modified-Since: " + last_modified_).c_str());

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING,
                   "");  // gzip from a CDN; the limit is on the result
  // The heartbeat: who asks and what it plays, for the server's access log.
  std::string agent = "noticeboard/" NB_UPDATE_VERSION;
  if (!screen_name_.empty() || !playlist_hash_.empty()) {
    agent += " (" + screen_name_ + "; playlist " +
             (playlist_hash_.empty() ? std::string("none") : playlist_hash_.substr(0, 16)) + ")";
  }
  if (!screen_name_.empty())
    headers = curl_slist_append(headers, ("X-Noticeboard-Screen: " + screen_name_).c_str());
  headers = curl_slist_append(
      headers, ("X-Noticeboard-Playlist: " + (playlist_hash_.empty() ? "none" : playlist_hash_))
                   .c_str());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  result.http_status = status;
  const char* type = nullptr;
  if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
    result.content_type = type;
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);

  const std::string limit = "the limit of " + std::to_string(options_.max_bytes >> 20) + " MiB (" +
                            std::to_string(options_.max_bytes) + " bytes)";
  if (code == CURLE_FILESIZE_EXCEEDED || (code == CURLE_WRITE_ERROR && t.too_large)) {
    result.error = url + ": the file is larger than " + limit + "; download stopped";
    result.error_kind = "too_large";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    result.error = url + ": timed out (" + (errbuf[0] ? errbuf : curl_easy_strerror(code)) + ")";
    result.error_kind = "timeout";
  } else if (code == CURLE_PARTIAL_FILE) {
    result.error = url + ": the download was cut off before the end (" +
                   (errbuf[0] ? errbuf : curl_easy_strerror(code)) + ")";
    result.error_kind = "cut_off";
  } else if (code != CURLE_OK) {
    result.error = url + ": " + (errbuf[0] ? errbuf : curl_easy_strerror(code));
    result.error_kind = code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT ||
                                code == CURLE_SSL_CONNECT_ERROR ||
                                code == CURLE_PEER_FAILED_VERIFICATION
                            ? "connect"
                            : "other";
  } else if (status == 304 && conditional) {
    result.kind = FetchResult::Kind::kNotModified;
  } else if (status == 200) {
    result.kind = FetchResult::Kind::kNew;
    result.body = std::move(t.body);
    pending_etag_ = t.etag;
    pending_last_modified_ = t.last_modified;
  } else {
    result.error_kind = "http";
    result.error = url + ": the server answered HTTP " + std::to_string(status) +
                   (status == 404   ? " (not found)"
                    : status == 403 ? " (forbidden)"
                    : status >= 500 ? " (server error)"
                                    : "");
  }
  return result;
}

std::chrono::milliseconds BackoffDelay(int failures, std::chrono::milliseconds first_retry,
                                       std::chrono::milliseconds interval, double random01) {
  if (failures <= 0) return interval;
  std::chrono::milliseconds base = first_retry;
  for (int i = 1; i < failures && base < interval; ++i) base *= 2;
  base = std::min(base, interval);
  random01 = std::clamp(random01, 0.0, 1.0);
  auto jitter = std::chrono::milliseconds(
      static_cast<long long>(static_cast<double>(base.count()) / 2 * random01));
  return base - jitter;
}

bool RealTimeWaiter::Wait(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, delay, [this] { return stop_; });
}

void RealTimeWaiter::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
}

Puller::Puller(Env& env, UpdatePipeline& pipeline, PullOptions options,
               std::function<double()> random01, std::unique_ptr<Waiter> waiter)
    : env_(env),
      pipeline_(pipeline),
      options_(std::move(options)),
      random01_(std::move(random01)),
      fetcher_(options_),
      waiter_(std::move(waiter)) {
  if (!waiter_) waiter_ = std::make_unique<RealTimeWaiter>();
  LoadValidators();
  if (!random01_) {
    random01_ = [rng = std::mt19937_64(std::random_device{}())]() mutable {
      return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    };
  }
}

Puller::~Puller() { Stop(); }

void Puller::LoadValidators() {
  if (options_.validators_file.empty() || !env_.fs().Exists(options_.validators_file)) return;
  std::string text;
  if (!env_.fs().ReadFile(options_.validators_file, &text, 64 * 1024).ok()) return;
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object() || doc.value("url", "") != options_.url) return;
  fetcher_.SetValidators(doc.value("etag", ""), doc.value("last_modified", ""));
}

void Puller::SaveValidators() {
  if (options_.validators_file.empty()) return;
  nlohmann::json doc{{"url", options_.url},
                     {"etag", fetcher_.etag()},
                     {"last_modified", fetcher_.last_modified()}};
  if (Status s = env_.fs().WriteFileAtomic(options_.validators_file, doc.dump(2) + "\n"); !s.ok())
    LogWarning("pull: cannot keep the validators for the next start: " + s.message());
}

Puller::Round Puller::PollOnce() {
  Round round;
  fetcher_.SetHeartbeat(options_.screen_name, pipeline_.status().playlist_hash);
  round.fetch = fetcher_.Fetch();
  bool failed = false;
  if (round.fetch.kind == FetchResult::Kind::kFailed) {
    // Network trouble: in the log and the pull status, not a refused update
    // (offline is normal for a screen, and no notice goes up).
    failed = true;
    LogWarning("pull " + options_.url + " failed: " + round.fetch.error);
  } else if (round.fetch.kind == FetchResult::Kind::kNew) {
    UpdateRequest request;
    request.source = UpdateSource::kPull;
    request.origin = options_.url;
    request.bytes = std::move(round.fetch.body);
    round.fetch.body.clear();
    if (pipeline_.signatures_required(UpdateSource::kPull)) {
      FetchResult sig = fetcher_.FetchUnconditional(options_.url + ".minisig");
      if (sig.kind == FetchResult::Kind::kNew) request.signature = std::move(sig.body);
      // Without it the pipeline refuses with "no signature", which says it all.
    }
    round.update = pipeline_.Submit(request);
    if (round.update->outcome == UpdateOutcome::kRejected &&
        pipeline_.signatures_required(UpdateSource::kPull)) {
      // Perhaps the playlist and its .minisig were caught mid-upload, or the
      // .minisig comes later: fetch the pair again next round instead of
      // taking a 304 for the playlist as the answer.
      fetcher_.ForgetValidators();
    }
    if (round.update->ok()) SaveValidators();
    if (round.update->outcome == UpdateOutcome::kStoreFailed) {
      // Not the server's fault: fetch the body again next time.
      fetcher_.ForgetValidators();
      failed = true;
    }
  }
  failures_ = failed ? failures_ + 1 : 0;
  round.next_delay = BackoffDelay(failures_, options_.first_retry, options_.interval, random01_());
  // A store failure is ours, not the network's: the server was reached.
  const bool network_failed = round.fetch.kind == FetchResult::Kind::kFailed;
  pipeline_.RecordPullRound(options_.url, network_failed ? round.fetch.error : "",
                            network_failed ? round.fetch.error_kind : "",
                            round.next_delay);
  return round;
}

void Puller::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

// Final: a stopped puller does not start again.
void Puller::Stop() {
  waiter_->Stop();
  if (thread_.joinable()) thread_.join();
}

void Puller::Run() {
  for (;;) {
    Round round = PollOnce();
    if (round.fetch.kind == FetchResult::Kind::kFailed)
      LogDebug("pull: next try in " + std::to_string(round.next_delay.count() / 1000) + " s");
    if (!waiter_->Wait(round.next_delay)) return;
  }
}

}  // namespace nb::update
