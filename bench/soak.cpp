// bench/soak: the player's machinery run headless for a long time on an
// accelerated clock (issue 7, "Soak"), to show that nothing leaks and no frame
// is ever blank.
//
// What runs is what `noticeboard play --config` runs: the Show, the Presenter
// with its glyph atlas on SDL's software renderer (in a window of the dummy
// video driver), PlayUpdates with its UpdateService (state folder, update
// pipeline, the push API in the dlopen'd noticeboard-net.so), and play's own
// frame loop (app::FrameLoop). Only its waiting is the soak's (SoakWaiter):
// instead of sleeping until the next deadline, the clock jumps to it, and a
// crossfade is drawn at a few points instead of at every vsync.
//
// Alongside the slides, interleaved and paced by the slide count:
// - a reload thread submits playlists to the pipeline as the file watch does
//   (valid and invalid mixed, some as bulletins from a USB stick);
// - a client thread sends HTTP requests to the API (status, valid and invalid
//   pushes, wrong and missing tokens, a few screenshots).
//
// Every frame drawn is read back and checked on a grid of pixels outside the
// header and ticker bands (and any notice box):
// - blank: almost no pixel differs from the frame's dominant colour;
// - half-drawn: a crossfade frame has a pixel outside the range spanned by
//   the two slides' still frames (tests/render/crossfade_rule.h, as in the
//   crossfade test), or a still frame of a slide differs
//   from that slide's first still frame.
// Memory (VmRSS, and Pss from smaps_rollup) is recorded every N slides.
//
// Exit status 0 when every target is met: RSS growth after warm-up under the
// limit, no blank or half-drawn frame, every reload and request answered as
// expected, the last good playlist playing after a refused one.
#include <SDL.h>
#include <httplib.h>
#include <malloc.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/frame_loop.h"
#include "app/play_updates.h"
#include "app/player_setup.h"
#include "base/log.h"
#include "base/manual_clock.h"
#include "playlist/playlist.h"
#include "render/crossfade_rule.h"
#include "render/glyph_atlas.h"
#include "render/png.h"
#include "render/presenter.h"
#include "render/show.h"
#include "render/slide_layout.h"
#include "update/loopback.h"
#include "update/state_store.h"
#include "update/update_pipeline.h"

namespace nb::soak {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

struct Options {
  long slides = 100000;
  long reloads = 5000;
  long requests = 50000;
  std::string size = "960x540";
  int fade_frames = 2;  // mix 0 and 0.5; the still after it is the end
  long warmup = 5000;
  long memory_every = 1000;
  double rss_growth_limit_mb = 1.0;  // negative: not a target (sanitizer builds)
  int sample_step = 4;
  std::string playlist = std::string(NB_SOURCE_DIR) + "/playlists/tianjin-education.json";
  std::string bulletin = std::string(NB_SOURCE_DIR) + "/playlists/tianjin-education.txt";
  std::string work_dir;  // empty: a new folder under $TMPDIR
  std::string memory_csv;
  bool keep = false;
  std::string inject;  // "blank" or "half": spoil one crossfade frame (the checks must see it)
};

// ---------------------------------------------------------------------------
// Memory and time

long ProcKb(const char* path, const char* key) {
  std::ifstream in(path);
  std::string line;
  const std::size_t n = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, n, key) == 0) return std::atol(line.c_str() + n);
  }
  return -1;
}

struct MemorySample {
  long slides = 0;
  long rss_kb = 0;
  long pss_kb = -1;  // -1: smaps_rollup not readable
  long heap_kb = 0;  // malloc'd and in use (glibc), small blocks
  long mmap_kb = 0;  // malloc'd as whole mappings: slide textures, atlas pages, frames
};

MemorySample SampleMemory(long slides) {
  MemorySample m{slides, ProcKb("/proc/self/status", "VmRSS:"),
                 ProcKb("/proc/self/smaps_rollup", "Pss:")};
#ifdef __GLIBC__
  struct mallinfo2 mi = mallinfo2();
  m.heap_kb = static_cast<long>(mi.uordblks / 1024);
  m.mmap_kb = static_cast<long>(mi.hblkhd / 1024);
#endif
  return m;
}

// The median of the RSS samples in [from, to) (slide counts); -1 if none.
// Single samples jump by a megabyte or two with what is in flight (a slide
// texture being replaced, a request body, a screenshot being encoded).
long MedianRssKb(const std::vector<MemorySample>& samples, long from, long to) {
  std::vector<long> v;
  for (const MemorySample& m : samples)
    if (m.slides >= from && m.slides < to) v.push_back(m.rss_kb);
  if (v.empty()) return -1;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

double CpuSeconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}

// ---------------------------------------------------------------------------
// Playlists for reloads and pushes: variants of the sample, all different
// from their neighbours (so each valid one is applied, not "unchanged"), and
// invalid ones of several kinds.

class Variants {
 public:
  Variants(playlist::Playlist base, std::string bulletin)
      : base_(std::move(base)), bulletin_(std::move(bulletin)) {}

  playlist::Playlist ValidPlaylist(long j) const {
    playlist::Playlist p = base_;
    const long n = static_cast<long>(base_.items.size());
    std::rotate(p.items.begin(), p.items.begin() + j % n, p.items.end());
    p.items.resize(static_cast<std::size_t>(2 + j % (n - 1)));  // at least two: slides change
    p.transition.ms = j % 10 == 9 ? 300 : 600;
    p.generated_at = "2026-11-28T" + std::to_string(10 + j % 10) + ":00:00Z";
    return p;
  }
  std::string Valid(long j) const { return playlist::ToJson(ValidPlaylist(j)); }

  static constexpr int kInvalidKinds = 8;
  std::string Invalid(long j) const {
    playlist::Playlist p = ValidPlaylist(j);
    switch (j % kInvalidKinds) {
      case 0: {  // half-copied file
        std::string json = playlist::ToJson(p);
        return json.substr(0, json.size() / 2);
      }
      case 1:
        p.items[0].duration_s = -5;
        break;
      case 2:
        p.items[1].id = p.items[0].id;
        break;
      case 3:
        p.items[0].title.clear();
        break;
      case 4:
        p.version = 99;
        break;
      case 5:
        return "<html><body>502 Bad Gateway</body></html>\n";
      case 6: {  // a byte of the title that is not UTF-8
        std::string json = playlist::ToJson(p);
        json[json.find("\"title\"") + 10] = '\xff';
        return json;
      }
      default: {
        std::string json = playlist::ToJson(p);
        json.replace(json.find("\"crossfade\""), 11, "\"dissolve\"");
        return json;
      }
    }
    return playlist::ToJson(p);
  }
  const std::string& bulletin() const { return bulletin_; }

 private:
  playlist::Playlist base_;
  std::string bulletin_;
};

// ---------------------------------------------------------------------------
// Frame checks

struct Frame {
  std::vector<std::uint32_t> pixels;  // xRGB, read back before the present
  std::optional<SDL_Rect> notice;     // the notice box on it, if any
  long slide = -1;                    // slide changes when it was drawn
};

struct FrameStats {
  long frames = 0;
  long still_frames = 0;
  long fade_frames = 0;
  long transitions_checked = 0;
  long transitions_unchecked = 0;  // no still frame before (should stay 0)
  long blank = 0;
  long half_drawn = 0;
  double min_ink = 1.0;  // the smallest share of non-background samples seen
  double waited_s = 0;   // the frame loop waiting for the helpers (wall time)
  std::vector<std::string> failures;
};

class FrameChecker {
 public:
  FrameChecker(int width, int height, int step, const render::ChromeGeometry& chrome,
               std::string dump_dir)
      : width_(width), height_(height), dump_dir_(std::move(dump_dir)) {
    auto inside = [](const render::RectF& r, int x, int y) {
      return r.w > 0 && x >= r.x - 2 && x < r.x + r.w + 2 && y >= r.y - 2 && y < r.y + r.h + 2;
    };
    for (int y = step / 2; y < height; y += step) {
      for (int x = step / 2; x < width; x += step) {
        if (inside(chrome.header, x, y) || inside(chrome.ticker, x, y)) continue;
        points_.push_back({x, y});
      }
    }
  }

  // Blank: fewer than 0.5% of the samples differ from the dominant colour
  // (a slide's headline alone covers several percent).
  bool Blank(const Frame& f, FrameStats* stats) const {
    // Boyer-Moore majority vote, then a count against it.
    std::uint32_t candidate = 0;
    long votes = 0, n = 0;
    for (const auto& p : points_) {
      if (InNotice(f, p)) continue;
      std::uint32_t c = Pixel(f, p) & 0xFFFFFFu;
      if (votes == 0) candidate = c;
      votes += c == candidate ? 1 : -1;
      ++n;
    }
    long ink = 0;
    for (const auto& p : points_) {
      if (!InNotice(f, p) && MaxChannelDelta(Pixel(f, p), candidate) > 40) ++ink;
    }
    double share = n ? static_cast<double>(ink) / n : 0;
    stats->min_ink = std::min(stats->min_ink, share);
    return share < 0.005;
  }

  // Samples of `f` against the crossfade rule (render/crossfade_rule.h),
  // away from the notice boxes of all three.
  long OutOfBounds(const Frame& a, const Frame& f, const Frame& b,
                   std::string* first = nullptr) const {
    long out = 0;
    for (const auto& p : points_) {
      if (InNotice(a, p) || InNotice(f, p) || InNotice(b, p)) continue;
      std::uint32_t pa = Pixel(a, p), pf = Pixel(f, p), pb = Pixel(b, p);
      for (int shift = 0; shift <= 16; shift += 8) {
        int ca = (pa >> shift) & 0xFF, cf = (pf >> shift) & 0xFF, cb = (pb >> shift) & 0xFF;
        if (!testing_support::WithinCrossfade(ca, cf, cb)) {
          if (first && out < 3) {
            char where[96];
            std::snprintf(where, sizeof where, " (%d,%d): %06x vs %06x..%06x;", p.x, p.y,
                          pf & 0xFFFFFFu, pa & 0xFFFFFFu, pb & 0xFFFFFFu);
            *first += where;
          }
          ++out;
          break;
        }
      }
    }
    return out;
  }

  void set_format(Uint32 format) { format_ = format; }

  // Writes the frames of a failure as PNGs (the first few failures only).
  void Dump(const std::string& what, const std::vector<const Frame*>& frames) {
    if (dumps_ >= 4) return;
    ++dumps_;
    PosixFileSystem fs;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      render::Image image;
      image.width = width_;
      image.height = height_;
      image.rgba.resize(static_cast<std::size_t>(width_) * height_ * 4);
      SDL_ConvertPixels(width_, height_, format_, frames[i]->pixels.data(), width_ * 4,
                        SDL_PIXELFORMAT_RGBA32, image.rgba.data(), width_ * 4);
      std::string path =
          dump_dir_ + "/" + what + "-" + std::to_string(dumps_) + "-" + std::to_string(i) + ".png";
      if (render::WritePng(fs, path, image).ok()) std::printf("  frame saved: %s\n", path.c_str());
    }
  }

 private:
  struct Point {
    int x, y;
  };
  std::uint32_t Pixel(const Frame& f, const Point& p) const {
    return f.pixels[static_cast<std::size_t>(p.y) * width_ + p.x];
  }
  static bool InNotice(const Frame& f, const Point& p) {
    if (!f.notice) return false;
    const SDL_Rect& r = *f.notice;
    return p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h;
  }
  static int MaxChannelDelta(std::uint32_t a, std::uint32_t b) {
    int worst = 0;
    for (int shift = 0; shift <= 16; shift += 8)
      worst = std::max(worst, std::abs(static_cast<int>((a >> shift) & 0xFF) -
                                       static_cast<int>((b >> shift) & 0xFF)));
    return worst;
  }

  int width_, height_;
  Uint32 format_ = SDL_PIXELFORMAT_ARGB8888;
  std::vector<Point> points_;
  std::string dump_dir_;
  int dumps_ = 0;
};

// ---------------------------------------------------------------------------
// The helpers' pacing: item i of n is due once the frame loop has made
// i * slides / n slide changes, and the frame loop does not run more than a
// little ahead of either helper, so the three stay interleaved.

struct Progress {
  std::atomic<long> slides{0};
  std::atomic<long> reloads_done{0};
  std::atomic<long> requests_done{0};
  std::atomic<bool> stop{false};
};

void WaitForSlide(const Progress& progress, long slide) {
  while (progress.slides.load() < slide && !progress.stop.load())
    std::this_thread::sleep_for(microseconds(200));
}

long Due(long i, long n, long slides) { return n > 0 ? (i * slides) / n : 0; }

// ---------------------------------------------------------------------------
// Reloads: the file watch's submissions (update/file_watch.cpp), and now and
// then a USB stick carrying a bulletin or a file over the size limit.

struct ReloadStats {
  long accepted = 0;
  long refused = 0;
  long unexpected = 0;
  std::map<std::string, long> refusals_by_kind;
  std::vector<std::string> failures;
};

void RunReloads(update::UpdatePipeline& pipeline, const Variants& variants, const Options& o,
                long count, Progress& progress, ReloadStats* stats) {
  const std::string origin = o.work_dir + "/playlist.json";
  for (long i = 0; i < count && !progress.stop.load(); ++i) {
    WaitForSlide(progress, Due(i, count, o.slides));
    update::UpdateRequest request;
    request.source = update::UpdateSource::kFile;
    request.origin = origin;
    const bool valid = i % 5 < 3;  // three valid, two invalid in every five
    std::string kind;
    if (valid && i % 50 == 0) {
      request.source = update::UpdateSource::kUsb;
      request.origin = "/media/stick/noticeboard/bulletin.txt";
      request.format = update::UpdateFormat::kBulletin;
      request.bytes = variants.bulletin();
    } else if (valid) {
      request.bytes = variants.Valid(1000 + i);
    } else if (i % 1000 == 4) {
      kind = "oversize";
      // Made here, not kept for the whole run: the end's memory sample, taken
      // after this thread is gone, would miss its 4 MiB.
      request.bytes.assign(update::kMaxUpdateBytes + 1, ' ');
    } else {
      kind = "kind " + std::to_string((i / 5) % Variants::kInvalidKinds);
      request.bytes = variants.Invalid(i / 5);
    }
    update::UpdateResult result = pipeline.Submit(request);
    if (valid && result.ok()) {
      ++stats->accepted;
    } else if (!valid && result.outcome == update::UpdateOutcome::kRejected) {
      ++stats->refused;
      ++stats->refusals_by_kind[kind];
    } else {
      ++stats->unexpected;
      if (stats->failures.size() < 5)
        stats->failures.push_back(
            "reload " + std::to_string(i) + (valid ? " (valid)" : " (invalid)") + ": outcome " +
            std::to_string(static_cast<int>(result.outcome)) + " " + result.reason);
    }
    progress.reloads_done.store(i + 1);
  }
}

// ---------------------------------------------------------------------------
// API requests from a client thread, over keep-alive connections.

struct RequestStats {
  std::map<int, long> by_status;  // 0: no answer (transport error)
  std::map<std::string, long> by_kind;
  long unexpected = 0;
  std::vector<std::string> failures;
};

enum class RequestKind { kStatus, kPushValid, kPushInvalid, kWrongToken, kNoToken, kScreenshot };

const char* KindName(RequestKind k) {
  switch (k) {
    case RequestKind::kStatus:
      return "GET status";
    case RequestKind::kPushValid:
      return "PUT valid";
    case RequestKind::kPushInvalid:
      return "PUT invalid";
    case RequestKind::kWrongToken:
      return "wrong token";
    case RequestKind::kNoToken:
      return "no token";
    case RequestKind::kScreenshot:
      return "GET screenshot";
  }
  return "?";
}

// Out of every 100: 50 status, 20 valid and 15 invalid pushes, 10 with a
// wrong token and 5 with none; every 500th is a screenshot instead of a status.
RequestKind KindOf(long i) {
  long slot = (i * 37) % 100;  // 37 is prime to 100: the kinds are spread out
  if (slot < 50)
    return slot == 0 && (i / 100) % 5 == 0 ? RequestKind::kScreenshot : RequestKind::kStatus;
  if (slot < 70) return RequestKind::kPushValid;
  if (slot < 85) return RequestKind::kPushInvalid;
  if (slot < 95) return RequestKind::kWrongToken;
  return RequestKind::kNoToken;
}

void RunRequests(int port, const std::string& token, const Variants& variants, const Options& o,
                 Progress& progress, RequestStats* stats) {
  httplib::Client client("127.0.0.1", port);
  client.set_bearer_token_auth(token);
  client.set_keep_alive(true);
  client.set_read_timeout(std::chrono::seconds(30));
  httplib::Client intruder("127.0.0.1", port);
  intruder.set_bearer_token_auth("not-the-token-of-this-screen");
  httplib::Client anonymous("127.0.0.1", port);
  for (long i = 0; i < o.requests && !progress.stop.load(); ++i) {
    WaitForSlide(progress, Due(i, o.requests, o.slides));
    RequestKind kind = KindOf(i);
    int expected = kind == RequestKind::kPushInvalid  ? 400
                   : kind == RequestKind::kWrongToken ? 403
                   : kind == RequestKind::kNoToken    ? 401
                                                      : 200;
    httplib::Result result = [&] {
      switch (kind) {
        case RequestKind::kScreenshot:
          return client.Get("/api/v1/screenshot.png");
        case RequestKind::kPushValid:
          return client.Put("/api/v1/playlist", variants.Valid(i), "application/json");
        case RequestKind::kPushInvalid:
          return client.Put("/api/v1/playlist", variants.Invalid(i), "application/json");
        case RequestKind::kWrongToken:
          return i % 2 ? intruder.Get("/api/v1/status")
                       : intruder.Put("/api/v1/playlist", variants.Valid(i), "application/json");
        case RequestKind::kNoToken:
          return anonymous.Get("/api/v1/status");
        case RequestKind::kStatus:
          break;
      }
      return client.Get("/api/v1/status");
    }();
    int status = result ? result->status : 0;
    ++stats->by_status[status];
    ++stats->by_kind[KindName(kind)];
    std::string problem;
    if (status != expected) {
      problem = "status " + std::to_string(status) + ", expected " + std::to_string(expected) +
                (result ? "" : " (" + httplib::to_string(result.error()) + ")");
    } else if (kind == RequestKind::kStatus) {
      auto body = nlohmann::json::parse(result->body, nullptr, false);
      const auto* hash = body.is_object() && body.contains("playlist") &&
                                 body["playlist"].is_object() && body["playlist"].contains("hash")
                             ? &body["playlist"]["hash"]
                             : nullptr;
      if (!hash || !hash->is_string() || hash->get<std::string>().size() != 64)
        problem = "status without a playlist hash: " + result->body.substr(0, 200);
    } else if (kind == RequestKind::kScreenshot) {
      if (result->body.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) problem = "screenshot is no PNG";
    }
    if (!problem.empty()) {
      ++stats->unexpected;
      if (stats->failures.size() < 5)
        stats->failures.push_back("request " + std::to_string(i) + " (" + KindName(kind) +
                                  "): " + problem);
    }
    progress.requests_done.store(i + 1);
  }
}

// ---------------------------------------------------------------------------
// The frame loop is play's own (app::FrameLoop). What the soak changes is how
// it waits and what it sees of each frame.

enum class Pace {
  kJump,       // the clock jumps: to the next deadline, or a step of a crossfade
  kJumpPaced,  // the same, but first wait (in real time) for lagging helpers
  kRealTime,   // the clock stands; frames 40 times a second (a screenshot waits for one)
};

class SoakWaiter final : public app::FrameWaiter {
 public:
  SoakWaiter(const Options& o, ManualClock& clock, const render::Show& show,
             const Progress& progress)
      : o_(o), clock_(clock), show_(show), progress_(progress) {}

  void set_pace(Pace pace) { pace_ = pace; }
  void set_reload_target(long n) { reload_target_ = n; }
  double waited_s() const { return waited_s_; }

  // Nothing moves (no ticker): the clock jumps to the deadline.
  bool WaitForEvent(SDL_Event* event, TimePoint until) override {
    if (SDL_PollEvent(event)) return true;
    if (Hold()) return SDL_PollEvent(event);
    if (until > clock_.MonotonicNow()) clock_.Advance(until - clock_.MonotonicNow());
    return false;
  }
  // Something moves: a crossfade is drawn at its start and at fade_frames
  // points after it; between transitions the clock jumps to the end of the
  // slide (the ticker is drawn wherever it then is).
  void PaceFrame() override {
    if (!show_.transitioning()) {
      fading_ = false;
      if (Hold()) return;
      auto deadline = show_.NextDeadline();
      if (deadline > clock_.MonotonicNow()) clock_.Advance(deadline - clock_.MonotonicNow());
      return;
    }
    if (!fading_) {  // the first frame of a fade: its start
      fading_ = true;
      return;
    }
    long ms = std::max(1, show_.playlist()->transition.ms);
    clock_.Advance(microseconds((ms * 1000 + o_.fade_frames - 1) / o_.fade_frames));
  }
  void Sleep(milliseconds period) override { clock_.Advance(period); }

 private:
  // In real time, or while a helper lags behind the slides (paced): waits
  // 25 ms of wall time with the clock standing. True when it waited.
  bool Hold() {
    if (pace_ == Pace::kRealTime) {
      std::this_thread::sleep_for(milliseconds(25));
      return true;
    }
    if (pace_ != Pace::kJumpPaced || !Lagging()) return false;
    auto started = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(milliseconds(25));
    waited_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return true;
  }
  bool Lagging() const {
    const long k = show_.slide_changes();
    auto behind = [&](long done, long n) {
      long slack = std::max(2L, n / 200);
      return done < Due(k, o_.slides, n) - slack;
    };
    return !progress_.stop.load() && (behind(progress_.reloads_done.load(), reload_target_) ||
                                      behind(progress_.requests_done.load(), o_.requests));
  }

  const Options& o_;
  ManualClock& clock_;
  const render::Show& show_;
  const Progress& progress_;
  Pace pace_ = Pace::kJump;
  bool fading_ = false;
  long reload_target_ = 0;
  double waited_s_ = 0;
};

// Every frame the loop draws is read back before it is presented and
// checked: never blank, a crossfade frame within the two stills around it, a
// still of a slide like the first still of that slide. Memory is sampled
// every N slides.
class FrameChecks final : public app::FrameObserver {
 public:
  FrameChecks(const Options& o, SDL_Renderer* renderer, text::TextEngine& engine,
              const render::Theme& theme, const render::Show& show,
              const render::Presenter& presenter, Progress& progress)
      : o_(o),
        theme_(theme),
        show_(show),
        presenter_(presenter),
        progress_(progress),
        layouter_(engine, theme),
        checker_(presenter.width(), presenter.height(), o.sample_step,
                 layouter_.Chrome(presenter.width(), presenter.height()), o.work_dir) {
    const std::size_t pixels = static_cast<std::size_t>(presenter.width()) * presenter.height();
    for (Frame& f : still_) f.pixels.resize(pixels);
    fades_.resize(static_cast<std::size_t>(o.fade_frames) + 1);
    for (Frame& f : fades_) f.pixels.resize(pixels);
    // The frame's own format when it is 32-bit xRGB (the read-back is then a
    // copy); the checks look at the low 24 bits only.
    SDL_Window* window = SDL_RenderGetWindow(renderer);
    Uint32 native = window ? SDL_GetWindowPixelFormat(window) : Uint32{SDL_PIXELFORMAT_UNKNOWN};
    if (native == SDL_PIXELFORMAT_RGB888 || native == SDL_PIXELFORMAT_ARGB8888) format_ = native;
    checker_.set_format(format_);
  }

  FrameStats& stats() { return stats_; }
  const std::vector<MemorySample>& memory() const { return memory_; }

  void Drawn(SDL_Renderer* renderer) override {
    if (!o_.inject.empty() && show_.transitioning() && show_.slide_changes() == 3 &&
        fade_count_ == 1) {
      // A fault of the kind the checks exist for: the frame cleared to the
      // background, or its left half not drawn.
      std::uint32_t bg = theme_.colors.background;
      SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
      SDL_SetRenderDrawColor(renderer, bg >> 24, (bg >> 16) & 0xFF, (bg >> 8) & 0xFF, 0xFF);
      SDL_Rect part{0, 0, presenter_.width() / (o_.inject == "half" ? 2 : 1), presenter_.height()};
      SDL_RenderFillRect(renderer, &part);
    }
    fading_ = show_.transitioning();
    Frame* frame = nullptr;
    if (fading_) {
      if (fade_count_ < fades_.size()) frame = &fades_[fade_count_];
      ++fade_count_;
    } else {
      frame = &still_[still_next_];
    }
    if (!frame) return;
    SDL_RenderReadPixels(renderer, nullptr, format_, frame->pixels.data(), presenter_.width() * 4);
    frame->notice = NoticeBox();
    frame->slide = show_.slide_changes();
    if (checker_.Blank(*frame, &stats_)) {
      ++stats_.blank;
      Fail("blank frame at slide " + std::to_string(frame->slide) +
           (fading_ ? " (crossfade)" : " (still)"));
      checker_.Dump("blank", {frame});
    }
  }

  void Presented() override {
    ++stats_.frames;
    if (fading_) {
      ++stats_.fade_frames;
    } else {
      ++stats_.still_frames;
      CheckStill();
    }
    long changes = show_.slide_changes();
    progress_.slides.store(changes);
    if (!fading_ && changes >= next_memory_sample_) {
      memory_.push_back(SampleMemory(changes));
      next_memory_sample_ = (changes / o_.memory_every + 1) * o_.memory_every;
    }
  }

 private:
  // After a still frame: the crossfade before it (if one was drawn since the
  // last still frame) is checked against the two stills around it; another
  // still of the same slide must look like the first.
  void CheckStill() {
    Frame& now = still_[still_next_];
    const bool have_before = have_still_;
    Frame& before = still_[1 - still_next_];
    if (fade_count_ > 0) {
      if (!have_before || before.slide >= now.slide) {
        ++stats_.transitions_unchecked;
      } else {
        ++stats_.transitions_checked;
        std::size_t n = std::min(fade_count_, fades_.size());
        for (std::size_t k = 0; k < n; ++k) {
          std::string where;
          long out = checker_.OutOfBounds(before, fades_[k], now, &where);
          if (out > 0) {
            ++stats_.half_drawn;
            Fail("crossfade frame " + std::to_string(k) + " into slide " +
                 std::to_string(now.slide) + ": " + std::to_string(out) +
                 " samples outside both slides" + where);
            checker_.Dump("fade", {&before, &fades_[k], &now});
          }
        }
      }
      fade_count_ = 0;
    } else if (have_before && before.slide == now.slide) {
      // The same slide drawn again (a notice came or went, a reload arrived).
      std::string where;
      long out = checker_.OutOfBounds(before, now, before, &where);
      if (out > 0) {
        ++stats_.half_drawn;
        Fail("still frame of slide " + std::to_string(now.slide) + " changed in " +
             std::to_string(out) + " samples" + where);
        checker_.Dump("still", {&before, &now});
      }
      return;  // keep the first still of the slide as the reference
    }
    have_still_ = true;
    still_next_ = 1 - still_next_;
  }

  std::optional<SDL_Rect> NoticeBox() {
    if (show_.notice().empty()) return std::nullopt;
    if (show_.notice() != notice_text_) {
      notice_text_ = show_.notice();
      render::FilledRect box;
      render::PlacedText text;
      layouter_.LayOutNotice(notice_text_, show_.notice_kind(), presenter_.width(),
                             presenter_.height(), &box, &text);
      notice_box_ = SDL_Rect{static_cast<int>(box.rect.x) - 3, static_cast<int>(box.rect.y) - 3,
                             static_cast<int>(box.rect.w) + 6, static_cast<int>(box.rect.h) + 6};
    }
    return notice_box_;
  }

  void Fail(std::string what) {
    if (stats_.failures.size() < 10) stats_.failures.push_back(std::move(what));
  }

  const Options& o_;
  const render::Theme& theme_;
  const render::Show& show_;
  const render::Presenter& presenter_;
  Progress& progress_;
  render::SlideLayouter layouter_;  // where a notice box goes (excluded from the checks)
  FrameChecker checker_;
  FrameStats stats_;
  Frame still_[2];
  bool have_still_ = false;
  int still_next_ = 0;
  std::vector<Frame> fades_;
  std::size_t fade_count_ = 0;
  bool fading_ = false;
  Uint32 format_ = SDL_PIXELFORMAT_ARGB8888;
  std::string notice_text_;
  SDL_Rect notice_box_{};
  std::vector<MemorySample> memory_;
  long next_memory_sample_ = 0;
};

// Runs play's loop until `slides` changes have been made and have faded in.
void RunTo(app::FrameLoop& loop, const render::Show& show, SoakWaiter& waiter, Progress& progress,
           long slides, Pace pace) {
  waiter.set_pace(pace);
  while (show.slide_changes() < slides || show.transitioning()) {
    if (!loop.Round()) {
      progress.stop = true;
      return;
    }
  }
}

// Keeps the loop going in real time until the helpers are done.
void RunWhile(app::FrameLoop& loop, SoakWaiter& waiter, const std::function<bool()>& condition) {
  waiter.set_pace(Pace::kRealTime);
  while (condition() && loop.Round()) {
  }
}

// ---------------------------------------------------------------------------

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

double Mb(long kb) { return kb / 1024.0; }

int Run(Options o) {
  int width = 0, height = 0;
  if (!app::ParseSize(o.size, &width, &height)) {
    std::fprintf(stderr, "soak: --size %s: expected WIDTHxHEIGHT\n", o.size.c_str());
    return 2;
  }
  o.warmup = std::min(o.warmup, o.slides / 2);
  o.memory_every = std::max(1L, o.memory_every);
  app::ConfigureAllocator();  // as `play` runs: what is measured is the player's memory
  // The network module next to `noticeboard` in this build tree.
  ::setenv("NOTICEBOARD_NET_MODULE", NB_NET_MODULE_PATH, 0);
  ::setenv("SDL_VIDEODRIVER", "dummy", 0);

  const bool own_dir = o.work_dir.empty();
  if (own_dir) {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/nb-soak-XXXXXX";
    if (!::mkdtemp(templ.data())) {
      std::perror("soak: mkdtemp");
      return 2;
    }
    o.work_dir = templ;
  } else {
    std::filesystem::create_directories(o.work_dir);
  }
  const std::string log_path = o.work_dir + "/soak.log";
  const std::string token = "soak-token-0123456789abcdef";
  std::ofstream(o.work_dir + "/api-token") << token << "\n";
  // The config `play --config` would read: the state folder, no USB, the API.
  auto write_config = [&](int port) {
    nlohmann::json config = {{"state_dir", o.work_dir + "/state"},
                             {"usb", {{"enabled", false}}},
                             {"api",
                              {{"enabled", true},
                               {"listen", "127.0.0.1:" + std::to_string(port)},
                               {"token_file", o.work_dir + "/api-token"}}}};
    std::ofstream(o.work_dir + "/config.json") << config.dump(2) << "\n";
  };
  std::printf("soak: %ld slides, %ld reloads, %ld requests at %dx%d; work folder %s\n", o.slides,
              o.reloads, o.requests, width, height, o.work_dir.c_str());
  std::fflush(stdout);

  // The player's log (one line per request and update) goes to a file.
  int saved_stderr = ::dup(STDERR_FILENO);
  std::FILE* log = std::fopen(log_path.c_str(), "w");
  if (log) ::dup2(::fileno(log), STDERR_FILENO);
  auto restore_stderr = [&] {
    if (saved_stderr >= 0) {
      std::fflush(stderr);
      ::dup2(saved_stderr, STDERR_FILENO);
      ::close(saved_stderr);
      saved_stderr = -1;
    }
    if (log) std::fclose(log);
    log = nullptr;
  };

  const auto wall_start = std::chrono::steady_clock::now();
  render::Theme theme;
  bool themed = app::LoadThemeOrReport("soak", "", &theme);
  auto engine = themed ? app::CreateEngineOrReport("soak", theme) : nullptr;
  std::string playlist_text;
  auto playlist = app::LoadPlaylistOrReport("soak", o.playlist, &playlist_text);
  if (!engine || !playlist || playlist->items.size() < 3) {
    restore_stderr();
    std::fprintf(stderr, "soak: cannot start (see %s)\n", log_path.c_str());
    return 2;
  }
  Variants variants(*playlist, ReadWhole(o.bulletin));
  std::unique_ptr<app::PlayUpdates> updates;
  // A free port can be taken by another test before the API binds it: retry.
  for (int attempt = 0; attempt < 5 && (!updates || updates->api_port() == 0); ++attempt) {
    updates.reset();
    write_config(testing_support::FreeLoopbackPort());
    updates = app::PlayUpdates::Create(o.work_dir + "/config.json", "", o.playlist);
  }
  if (!updates || updates->api_port() == 0) {
    restore_stderr();
    std::fprintf(stderr, "soak: the update service or its API did not start (see %s)\n",
                 log_path.c_str());
    return 2;
  }
  updates->SetInitial(playlist, "file:" + o.playlist);

  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    restore_stderr();
    std::fprintf(stderr, "soak: SDL: %s\n", SDL_GetError());
    return 2;
  }
  SDL_Window* window = SDL_CreateWindow("Noticeboard soak", SDL_WINDOWPOS_CENTERED,
                                        SDL_WINDOWPOS_CENTERED, width, height, 0);
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  SDL_Renderer* renderer = window ? SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE) : nullptr;
  if (!renderer) {
    restore_stderr();
    std::fprintf(stderr, "soak: cannot draw: %s\n", SDL_GetError());
    SDL_Quit();
    return 2;
  }
  LogInfo(std::string("video driver: ") + SDL_GetCurrentVideoDriver());

  FrameStats frame_stats;
  ReloadStats reload_stats;
  RequestStats request_stats;
  std::vector<MemorySample> memory;
  std::vector<std::string> final_failures;
  double frame_thread_cpu = 0;
  long slides_made = 0;
  {
    // Wall time starts now; the monotonic time jumps from deadline to deadline.
    ManualClock clock(std::chrono::system_clock::now());
    render::ShowOptions show_options;
    show_options.notice_seconds = theme.notice_seconds;
    render::Show show(clock, playlist, show_options);
    const render::AtlasBudget budget =
        render::AtlasBudgetFor(theme, width, height);  // as `play` does
    auto atlas = render::GlyphAtlas::Create(renderer, *engine, budget.page_size, budget.max_pages);
    render::Presenter presenter(renderer, *engine, *atlas, theme, clock);
    presenter.SetQuickStart();

    Progress progress;
    SoakWaiter waiter(o, clock, show, progress);
    app::FrameLoopOptions loop_options;
    loop_options.present_changes = true;  // as play on the software renderer
    app::FrameLoop loop(window, renderer, clock, show, presenter, *updates, waiter, loop_options);
    updates->SetWake(loop.Waker());
    FrameChecks checks(o, renderer, *engine, theme, show, presenter, progress);
    loop.set_observer(&checks);
    // The last two reloads (valid, then invalid) are made at the end, when
    // nothing else is in flight, to check exactly what plays after a refusal.
    const long helper_reloads = std::max(0L, o.reloads - 2);
    waiter.set_reload_target(helper_reloads);
    std::thread reloader([&] {
      RunReloads(updates->pipeline(), variants, o, helper_reloads, progress, &reload_stats);
    });
    std::thread client(
        [&] { RunRequests(updates->api_port(), token, variants, o, progress, &request_stats); });

    const long report_every = std::max(1L, o.slides / 10);
    for (long target = report_every; target < o.slides + report_every; target += report_every) {
      RunTo(loop, show, waiter, progress, std::min(target, o.slides), Pace::kJumpPaced);
      MemorySample m = SampleMemory(show.slide_changes());
      std::printf(
          "  %7d slides  %6ld reloads  %6ld requests  RSS %.1f MB (heap %.1f, mmap %.1f)  atlas "
          "evictions %llu  %.0f s\n",
          show.slide_changes(), progress.reloads_done.load(), progress.requests_done.load(),
          Mb(m.rss_kb), Mb(m.heap_kb), Mb(m.mmap_kb),
          static_cast<unsigned long long>(atlas->evictions()),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
      std::fflush(stdout);
    }
    RunWhile(loop, waiter, [&] {
      return progress.reloads_done.load() < helper_reloads ||
             progress.requests_done.load() < o.requests;
    });
    reloader.join();
    client.join();

    // The last good playlist keeps playing after a refused one: a valid
    // reload, through a slide change; then an invalid one, through another.
    if (o.reloads >= 2) {
      auto& pipeline = updates->pipeline();
      update::UpdateRequest good{update::UpdateSource::kFile, o.work_dir + "/playlist.json",
                                 variants.Valid(7), std::nullopt, update::UpdateFormat::kPlaylist};
      update::UpdateResult applied = pipeline.Submit(good);
      if (applied.ok()) {
        ++reload_stats.accepted;
      } else {
        ++reload_stats.unexpected;
      }
      RunTo(loop, show, waiter, progress, show.slide_changes() + 1, Pace::kJump);
      update::UpdateRequest bad = good;
      bad.bytes = variants.Invalid(0);
      update::UpdateResult refused = pipeline.Submit(bad);
      if (refused.outcome == update::UpdateOutcome::kRejected) {
        ++reload_stats.refused;
        ++reload_stats.refusals_by_kind["kind 0"];
      } else {
        ++reload_stats.unexpected;
      }
      RunTo(loop, show, waiter, progress, show.slide_changes() + 2, Pace::kJump);
      std::string want = applied.playlist ? update::PlaylistHash(*applied.playlist) : "";
      std::vector<std::string> warnings;
      auto stored = update::StateStore(Env::Default(), o.work_dir + "/state").Load(&warnings);
      if (want.empty() || update::PlaylistHash(*show.playlist()) != want)
        final_failures.push_back(
            "after a refused reload the screen does not play the last good one");
      if (pipeline.status().playlist_hash != want)
        final_failures.push_back("the status does not name the last good playlist");
      if (!stored || update::PlaylistHash(stored->playlist) != want)
        final_failures.push_back("current.json is not the last good playlist");
      if (show.notice().empty() && refused.notice.empty())
        final_failures.push_back("a refused reload gave no notice");
    }
    slides_made = show.slide_changes();
    frame_thread_cpu = CpuSeconds(RUSAGE_THREAD);
    frame_stats = checks.stats();
    frame_stats.waited_s = waiter.waited_s();
    memory = checks.memory();
    memory.push_back(SampleMemory(slides_made));  // the end
    updates.reset();                              // stops the API while SDL is still up
  }
  SDL_DestroyRenderer(renderer);
  SDL_DestroyWindow(window);
  SDL_Quit();
  engine.reset();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const double cpu = CpuSeconds(RUSAGE_SELF);
  restore_stderr();

  // ---- Summary
  MemorySample at_warmup = memory.front(), last = memory.back(), peak = memory.front();
  for (const MemorySample& m : memory) {
    if (m.slides <= o.warmup) at_warmup = m;
    if (m.rss_kb > peak.rss_kb) peak = m;
  }
  long max_after_warmup = 0;
  for (const MemorySample& m : memory)
    if (m.slides >= at_warmup.slides) max_after_warmup = std::max(max_after_warmup, m.rss_kb);
  // The target compares medians of five samples: from warm-up on, and the
  // last ones (ending with the quiet sample taken after the helpers stopped).
  const long span = 5 * o.memory_every;
  const long base_kb = MedianRssKb(memory, at_warmup.slides, at_warmup.slides + span);
  const long end_kb =
      MedianRssKb(memory, std::max(at_warmup.slides, last.slides - span + 1), last.slides + 1);
  const double growth_mb = Mb(end_kb - base_kb);
  const double raw_growth_mb = Mb(last.rss_kb - at_warmup.rss_kb);
  if (!o.memory_csv.empty()) {
    std::ofstream csv(o.memory_csv);
    csv << "slides,rss_kb,pss_kb,heap_in_use_kb,heap_mmapped_kb\n";
    for (const MemorySample& m : memory)
      csv << m.slides << "," << m.rss_kb << "," << m.pss_kb << "," << m.heap_kb << "," << m.mmap_kb
          << "\n";
  }

  std::printf("\nsoak summary (%dx%d, software renderer, %s driver)\n", width, height,
              std::getenv("SDL_VIDEODRIVER"));
  std::printf("  slides          %ld changes, %ld frames checked (%ld still, %ld crossfade)\n",
              slides_made, frame_stats.frames, frame_stats.still_frames, frame_stats.fade_frames);
  std::printf("  transitions     %ld checked against both slides, %ld without a still before\n",
              frame_stats.transitions_checked, frame_stats.transitions_unchecked);
  std::printf("  blank frames    %ld   half-drawn frames %ld   (least ink on a frame: %.1f%%)\n",
              frame_stats.blank, frame_stats.half_drawn, 100 * frame_stats.min_ink);
  std::printf("  reloads         %ld: %ld accepted, %ld refused, %ld unexpected\n",
              reload_stats.accepted + reload_stats.refused + reload_stats.unexpected,
              reload_stats.accepted, reload_stats.refused, reload_stats.unexpected);
  std::printf("    refused by kind:");
  for (const auto& [kind, n] : reload_stats.refusals_by_kind)
    std::printf(" %s %ld;", kind.c_str(), n);
  std::printf("\n  API requests    %ld:", o.requests);
  for (const auto& [code, n] : request_stats.by_status) std::printf(" %d ×%ld", code, n);
  std::printf("   (%ld unexpected)\n    by kind:", request_stats.unexpected);
  for (const auto& [kind, n] : request_stats.by_kind) std::printf(" %s %ld;", kind.c_str(), n);
  std::printf(
      "\n  RSS             start %.1f MB; after warm-up (%ld slides) %.2f MB; end %.2f MB\n",
      Mb(memory.front().rss_kb), at_warmup.slides, Mb(at_warmup.rss_kb), Mb(last.rss_kb));
  std::printf(
      "                  growth after warm-up %+.2f MB (median of 5 samples at warm-up %.2f, at "
      "the end %.2f; %s); sample to sample %+.2f MB\n",
      growth_mb, Mb(base_kb), Mb(end_kb),
      o.rss_growth_limit_mb < 0
          ? "not a target in this run"
          : ("target < " + std::to_string(o.rss_growth_limit_mb).substr(0, 4) + " MB").c_str(),
      raw_growth_mb);
  std::printf("                  max %.2f MB (at %ld slides), max after warm-up %.2f MB\n",
              Mb(peak.rss_kb), peak.slides, Mb(max_after_warmup));
  std::printf(
      "  heap (glibc)    in use after warm-up %.2f MB, end %.2f MB (%+.2f); whole-mapping "
      "blocks %.2f → %.2f MB\n",
      Mb(at_warmup.heap_kb), Mb(last.heap_kb), Mb(last.heap_kb - at_warmup.heap_kb),
      Mb(at_warmup.mmap_kb), Mb(last.mmap_kb));
  if (last.pss_kb >= 0)
    std::printf("  PSS             after warm-up %.2f MB; end %.2f MB\n", Mb(at_warmup.pss_kb),
                Mb(last.pss_kb));
  std::printf("  RSS series (MB, every %ld slides):", o.memory_every);
  for (std::size_t i = 0; i < memory.size(); ++i) {
    if (i % 10 == 0) std::printf("\n   ");
    std::printf(" %.2f", Mb(memory[i].rss_kb));
  }
  std::printf(
      "\n  time            wall %.1f s, CPU %.1f s (frame thread %.1f s; it waited %.1f s "
      "of wall time for the reload and request threads)\n",
      wall, cpu, frame_thread_cpu, frame_stats.waited_s);

  std::vector<std::string> missed;
  if (o.rss_growth_limit_mb >= 0 && growth_mb >= o.rss_growth_limit_mb)
    missed.push_back("RSS grew by " + std::to_string(growth_mb) + " MB after warm-up");
  if (frame_stats.blank) missed.push_back(std::to_string(frame_stats.blank) + " blank frames");
  if (frame_stats.half_drawn)
    missed.push_back(std::to_string(frame_stats.half_drawn) + " half-drawn frames");
  if (frame_stats.transitions_unchecked)
    missed.push_back(std::to_string(frame_stats.transitions_unchecked) + " transitions unchecked");
  if (reload_stats.unexpected)
    missed.push_back(std::to_string(reload_stats.unexpected) + " unexpected reload outcomes");
  if (request_stats.unexpected)
    missed.push_back(std::to_string(request_stats.unexpected) + " unexpected API answers");
  if (slides_made < o.slides) missed.push_back("stopped early");
  for (const auto& f : frame_stats.failures) missed.push_back(f);
  for (const auto& f : reload_stats.failures) missed.push_back(f);
  for (const auto& f : request_stats.failures) missed.push_back(f);
  for (const auto& f : final_failures) missed.push_back(f);
  if (!missed.empty()) {
    std::printf("\nsoak: TARGETS MISSED (player log: %s)\n", log_path.c_str());
    for (const auto& m : missed) std::printf("  - %s\n", m.c_str());
    return 1;
  }
  std::printf("\nsoak: all targets met\n");
  if (own_dir && !o.keep) {
    std::error_code ec;
    std::filesystem::remove_all(o.work_dir, ec);
  }
  return 0;
}

}  // namespace
}  // namespace nb::soak

int main(int argc, char** argv) {
  nb::soak::Options o;
  CLI::App app(
      "Noticeboard soak: the player headless on an accelerated clock, with reloads and "
      "API requests; checks memory growth and every frame");
  app.add_option("--slides", o.slides, "Slide changes")->check(CLI::PositiveNumber);
  app.add_option("--reloads", o.reloads, "Playlist reloads (valid and invalid)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--requests", o.requests, "API requests")->check(CLI::NonNegativeNumber);
  app.add_option("--size", o.size, "Screen size WIDTHxHEIGHT");
  app.add_option("--fade-frames", o.fade_frames, "Frames drawn per crossfade")
      ->check(CLI::Range(1, 60));
  app.add_option("--warmup", o.warmup, "Slides before the RSS baseline (at most half the run)");
  app.add_option("--memory-every", o.memory_every, "Slides between memory samples");
  app.add_option("--rss-growth-limit-mb", o.rss_growth_limit_mb,
                 "RSS growth after warm-up that fails the run (negative: not checked, e.g. ASan)");
  app.add_option("--sample-step", o.sample_step, "Pixels between checked samples")
      ->check(CLI::Range(1, 64));
  app.add_option("--playlist", o.playlist, "Playlist to start with (at least 3 items)");
  app.add_option("--bulletin", o.bulletin, "Bulletin sent now and then from a \"USB stick\"");
  app.add_option("--work-dir", o.work_dir,
                 "Folder for the state, config, token and log (default: a new one in $TMPDIR)");
  app.add_option("--memory-csv", o.memory_csv, "Write the memory samples to this CSV file");
  app.add_flag("--keep", o.keep, "Keep the work folder after a successful run");
  app.add_option("--inject-fault", o.inject,
                 "Spoil one crossfade frame (to see the checks fail): blank or half")
      ->check(CLI::IsMember({"blank", "half"}));
  CLI11_PARSE(app, argc, argv);
  return nb::soak::Run(o);
}
