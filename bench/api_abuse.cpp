// api_abuse: the push API under a barrage of malformed, oversize and slow
// requests (issue 7), with the figures: answers by case, status latency
// before, during and after, and the peaks of connections, threads and file
// descriptors. The cases and the client are tests/update/api_abuse.h, the
// same as the api_abuse_test gtest runs with a few hundred requests.
//
//   api_abuse [REQUESTS=10000] [CONCURRENCY=64]
//
// The server runs with the product's default limits (ApiLimits{}), in this
// process, so the thread and descriptor peaks include the clients' own
// (CONCURRENCY + 2 threads, one socket per client). Exit 1 when a case got an
// answer it should not, a connection was kept open past the client's
// patience, or a status probe failed.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "api_abuse.h"
#include "update/api_server.h"
#include "update/state_store.h"
#include "update/update_pipeline.h"

namespace {

namespace fs = std::filesystem;
namespace ts = nb::testing_support;
using namespace std::chrono_literals;

constexpr const char* kToken = "3f9a2c1b0d8e7f6a5b4c3d2e1f0a9b8c";

int ProcessThreads() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  return 0;
}

double CpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void PrintLatencies(const char* when, const std::vector<double>& v) {
  std::printf("  %-7s %5zu probes  median %7.3f ms  p95 %7.3f ms  max %7.3f ms\n", when, v.size(),
              ts::Median(v) * 1e3, ts::Percentile(v, 0.95) * 1e3, ts::Percentile(v, 1.0) * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  int requests = argc > 1 ? std::atoi(argv[1]) : 10000;
  int concurrency = argc > 2 ? std::atoi(argv[2]) : 64;

  fs::path dir = fs::temp_directory_path() / ("nb-api-abuse-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  nb::Env& env = nb::Env::Default();
  nb::update::StateStore store(env, (dir / "state").string());
  if (!store.Open().ok()) return 2;
  nb::update::UpdatePipeline pipeline(env, store, {});
  int fds_before = ts::OpenFileDescriptors();
  int threads_before = ProcessThreads();

  nb::update::ApiOptions options;
  options.port = 0;
  options.token = kToken;
  nb::update::ApiServer server(env, pipeline, options, {});
  if (nb::Status s = server.Start(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }
  // One log line per request (as in the journal) would drown the figures.
  if (!std::getenv("NB_ABUSE_LOG")) std::freopen("/dev/null", "w", stderr);
  const nb::update::ApiLimits limits = options.limits;
  std::printf(
      "api_abuse: %d requests, %d at once; server limits: %d connections, headers %lld ms, "
      "request %lld ms, idle %lld ms\n",
      requests, concurrency, limits.max_connections,
      static_cast<long long>(limits.header_timeout.count()),
      static_cast<long long>(limits.request_timeout.count()),
      static_cast<long long>(limits.idle_timeout.count()));

  std::vector<double> before = ts::StatusLatencies(server.port(), kToken, 200);

  std::atomic<bool> sampling{true};
  int peak_threads = 0, peak_fds = 0;
  std::thread sampler([&] {
    while (sampling) {
      peak_threads = std::max(peak_threads, ProcessThreads());
      peak_fds = std::max(peak_fds, ts::OpenFileDescriptors());
      std::this_thread::sleep_for(20ms);
    }
  });
  double cpu0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  // Patience: longer than any limit of the server, so a connection still
  // open at the end of it was kept open wrongly.
  ts::AbuseReport report = ts::RunAbuse(server.port(), kToken, requests, concurrency,
                                        limits.header_timeout + limits.idle_timeout + 5s, 20ms);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = CpuSeconds() - cpu0;
  sampling = false;
  sampler.join();
  std::vector<double> after = ts::StatusLatencies(server.port(), kToken, 200);
  nb::update::ApiConnectionStats stats = server.connection_stats();
  server.Stop();
  int fds_after = ts::OpenFileDescriptors();
  int threads_after = ProcessThreads();

  std::printf("\nanswers by case (0: closed without an answer, -1: reset)\n");
  std::map<int, int> totals;
  int wrong = 0;
  for (const auto& [name, counts] : report.outcomes) {
    std::printf("  %-44s", name.c_str());
    for (const auto& [status, n] : counts) {
      std::printf(" %d×%d", status, n);
      totals[status] += n;
    }
    auto w = report.wrong.find(name);
    if (w != report.wrong.end()) {
      std::printf("   WRONG ×%d", w->second);
      wrong += w->second;
    }
    std::printf("\n");
  }
  std::printf("  %-44s", "all");
  for (const auto& [status, n] : totals) std::printf(" %d×%d", status, n);
  std::printf("\n  kept open past the client's patience: %d; connect failed: %d\n",
              report.still_open, report.connect_failed);

  std::printf("\nGET /api/v1/status (a new connection each, wall time)\n");
  PrintLatencies("before", before);
  PrintLatencies("during", report.status_seconds);
  PrintLatencies("after", after);
  std::printf("  failed during: %d\n", report.status_failures);

  std::printf(
      "\nserver: accepted %ld, cut when stalled under pressure %ld, timed out %ld, "
      "431 %ld, 413 (chunked) %ld, peak connections %d, peak server threads %d\n",
      stats.accepted, stats.cut_to_make_room, stats.timed_out, stats.header_too_large,
      stats.request_too_large, stats.peak_connections, stats.peak_threads);
  std::printf(
      "process (server + %d clients): threads %d before, peak %d, %d after stop; "
      "fds %d before, peak %d, %d after stop\n",
      concurrency, threads_before, peak_threads, threads_after, fds_before, peak_fds, fds_after);
  std::printf("barrage: %.1f s wall, %.1f s CPU (server and clients)\n", wall, cpu);
  fs::remove_all(dir);
  bool ok = wrong == 0 && report.still_open == 0 && report.status_failures == 0 &&
            fds_after == fds_before;
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
