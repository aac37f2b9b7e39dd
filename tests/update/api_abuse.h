// ApiAbuse: a barrage of malformed, oversize and slow requests against a push
// API on a loopback port, with a prober that asks /api/v1/status meanwhile.
// Shared by tests/update/api_abuse_test.cpp (a few hundred requests) and
// bench/api_abuse.cpp (10,000 and the figures).
//
// Every abusive request is made on a raw socket, so nothing is tidied up the
// way an HTTP client would: headers over the limit, bodies that never finish,
// connections that send nothing, garbage, wrong methods, paths and tokens,
// invalid JSON and broken chunked bodies. Each case names the answers it may
// get; 0 means the server closed without answering, -1 a reset. Under
// pressure the server cuts a connection whose headers have not all come
// within 20 ms, so the cases that send tens of KB may get either. A server that
// keeps a connection open past the client's patience, or answers with
// something not allowed, is counted as a failure of that case.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace nb::testing_support {

using AbuseClock = std::chrono::steady_clock;

// What a connection ended with.
struct ExchangeResult {
  int status = 0;           // HTTP status; 0 closed without an answer; -1 reset
  bool still_open = false;  // the server kept it open past the client's patience
  bool connect_failed = false;
  double seconds = 0;
};

inline int ConnectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends what it can without blocking for long (the server may close early).
inline void SendSome(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, 2000) <= 0) return;
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return;
    }
    off += static_cast<std::size_t>(n);
  }
}

// Reads one answer (skipping 1xx), or until the server closes, or until
// `patience` runs out. With `drip`, one more byte of it is sent every 100 ms
// while waiting (a slowloris that never finishes its headers).
inline ExchangeResult ReadAnswer(int fd, AbuseClock::time_point start,
                                 std::chrono::milliseconds patience, const std::string& drip = "") {
  ExchangeResult r;
  std::string got;
  std::size_t drip_pos = 0;
  auto deadline = start + patience;
  for (;;) {
    auto now = AbuseClock::now();
    if (now >= deadline) {
      r.still_open = true;
      break;
    }
    int wait_ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1);
    if (!drip.empty()) wait_ms = std::min(wait_ms, 100);
    pollfd p{fd, POLLIN, 0};
    int pr = ::poll(&p, 1, wait_ms);
    if (pr == 0) {
      if (!drip.empty()) {
        ::send(fd, &drip[drip_pos], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        drip_pos = (drip_pos + 1) % drip.size();
      }
      continue;
    }
    if (pr < 0) continue;
    char buf[8192];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (r.status == 0) r.status = -1;
      break;
    }
    if (n == 0) break;
    got.append(buf, static_cast<std::size_t>(n));
    // Parse as far as we can: status line, headers, Content-Length body.
    for (;;) {
      std::size_t end = got.find("\r\n\r\n");
      if (end == std::string::npos || got.rfind("HTTP/1.", 0) != 0 || got.size() < 12) break;
      int status = std::atoi(got.substr(9, 3).c_str());
      if (status >= 100 && status < 200) {
        got.erase(0, end + 4);
        continue;
      }
      r.status = status;
      std::string head = got.substr(0, end);
      std::size_t length = 0;
      for (std::string key : {"Content-Length: ", "content-length: "}) {
        std::size_t at = head.find(key);
        if (at != std::string::npos) length = std::stoul(head.substr(at + key.size()));
      }
      if (got.size() >= end + 4 + length) {
        r.seconds = std::chrono::duration<double>(AbuseClock::now() - start).count();
        return r;
      }
      break;
    }
  }
  r.seconds = std::chrono::duration<double>(AbuseClock::now() - start).count();
  return r;
}

// One GET /api/v1/status on a new connection: the status and its latency.
inline ExchangeResult ProbeStatus(int port, const std::string& token,
                                  std::chrono::milliseconds patience) {
  auto start = AbuseClock::now();
  int fd = ConnectLoopback(port);
  if (fd < 0) return ExchangeResult{0, false, true, 0};
  SendSome(fd, "GET /api/v1/status HTTP/1.1\r\nHost: screen\r\nAuthorization: Bearer " + token +
                   "\r\nConnection: close\r\n\r\n");
  ExchangeResult r = ReadAnswer(fd, start, patience);
  ::close(fd);
  return r;
}

struct AbuseCase {
  const char* name;
  std::set<int> allowed;  // answers that are right for it (0: closed, -1: reset)
  enum Mode { kSendAll, kSendThenStall, kDrip } mode;
};

// The cases, in the order they are cycled through.
inline const std::vector<AbuseCase>& AbuseCases() {
  static const std::vector<AbuseCase> cases = {
      {"silent connection", {0, -1}, AbuseCase::kSendThenStall},
      {"request line never finishes", {0, -1, 408}, AbuseCase::kSendThenStall},
      {"headers dripped forever", {0, -1, 408, 431}, AbuseCase::kDrip},
      {"one 40 KB header", {0, -1, 400, 431}, AbuseCase::kSendAll},
      {"6,000 header lines", {0, -1, 431}, AbuseCase::kSendAll},
      {"20 KB URI", {0, -1, 414, 431}, AbuseCase::kSendAll},
      {"Content-Length 99 GB, token", {413}, AbuseCase::kSendAll},
      {"Content-Length 99 GB, no token", {401}, AbuseCase::kSendAll},
      {"Content-Length 5 MiB sent, token", {0, -1, 413}, AbuseCase::kSendAll},
      {"body never finishes, token", {0, -1, 408}, AbuseCase::kSendThenStall},
      {"garbage bytes", {0, 400, 414, 431, -1}, AbuseCase::kSendAll},
      {"wrong method, token", {400, 404, 405}, AbuseCase::kSendAll},
      {"unknown method, no token", {400, 401}, AbuseCase::kSendAll},
      {"wrong path, token", {400, 404}, AbuseCase::kSendAll},
      {"no token", {401}, AbuseCase::kSendAll},
      {"wrong token", {403}, AbuseCase::kSendAll},
      {"invalid JSON, token", {400}, AbuseCase::kSendAll},
      {"wrong Content-Type, token", {415}, AbuseCase::kSendAll},
      {"chunk size not hex, token", {0, 400}, AbuseCase::kSendAll},
      {"chunk size 2^64-1, token", {0, 400, 413}, AbuseCase::kSendAll},
      {"chunked body never finishes, token", {0, -1, 400, 408}, AbuseCase::kSendThenStall},
      {"Expect 100-continue over the limit, token", {413}, AbuseCase::kSendAll},
      {"Content-Length not a number, token", {400}, AbuseCase::kSendAll},
      {"HTTP/9.9 and a NUL, no token", {0, 400, 401, 505}, AbuseCase::kSendAll},
  };
  return cases;
}

// The bytes of case `index` (random parts from `rng`).
inline std::string AbuseBytes(std::size_t index, const std::string& token, std::mt19937& rng) {
  const std::string auth = "Authorization: Bearer " + token + "\r\n";
  const std::string host = "Host: screen\r\n";
  switch (index) {
    case 0:
      return "";
    case 1:
      return "PUT /api/v1/pla";
    case 2:
      return "GET /api/v1/status HTTP/1.1\r\n" + host;
    case 3:
      return "GET /api/v1/status HTTP/1.1\r\n" + host + "X-Big: " + std::string(40000, 'a') +
             "\r\n\r\n";
    case 4: {
      std::string s = "GET /api/v1/status HTTP/1.1\r\n" + host;
      for (int i = 0; i < 6000; ++i) s += "X-" + std::to_string(i) + ": v\r\n";
      return s + "\r\n";
    }
    case 5:
      return "GET /api/v1/" + std::string(20000, 'u') + " HTTP/1.1\r\n" + host + "\r\n";
    case 6:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nContent-Length: 99000000000\r\n\r\n{";
    case 7:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host +
             "Content-Type: application/json\r\nContent-Length: 99000000000\r\n\r\n{";
    case 8:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nContent-Length: 5242880\r\n\r\n" +
             std::string(256 * 1024, ' ');
    case 9:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"version\": 1, ";
    case 10: {
      std::string s(1024 + rng() % 3072, '\0');
      for (auto& c : s) c = static_cast<char>(rng());
      return s;
    }
    case 11:
      return "DELETE /api/v1/playlist HTTP/1.1\r\n" + host + auth + "\r\n";
    case 12:
      return "BREW /pot HTTP/1.1\r\n" + host + "\r\n";
    case 13:
      return "GET /../../etc/passwd HTTP/1.1\r\n" + host + auth + "\r\n";
    case 14:
      return "GET /api/v1/status HTTP/1.1\r\n" + host + "\r\n";
    case 15:
      return "GET /api/v1/status HTTP/1.1\r\n" + host + "Authorization: Bearer " +
             std::string(token.size(), 'x') + "\r\n\r\n";
    case 16:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"version\": 1,";
    case 17:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}";
    case 18:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nTransfer-Encoding: "
             "chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
    case 19:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
             "ffffffffffffffff\r\n{\"version\":";
    case 20:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nTransfer-Encoding: "
             "chunked\r\n\r\n10\r\n{\"version\": 1, ";
    case 21:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
             "4194305\r\n\r\n";
    case 22:
      return "PUT /api/v1/playlist HTTP/1.1\r\n" + host + auth +
             "Content-Type: application/json\r\nContent-Length: 12ab\r\n\r\n{}";
    case 23:
      return std::string("GET /api/v1/status HTTP/9.9\r\nHo\0st: x\r\n\r\n", 41);
  }
  return "";
}

struct AbuseReport {
  int requests = 0;
  std::map<std::string, std::map<int, int>> outcomes;  // case → answer → count
  std::map<std::string, int> wrong;                    // case → answers not allowed
  int still_open = 0;                                  // kept past the client's patience
  int connect_failed = 0;
  std::vector<double> status_seconds;  // the prober's latencies during the barrage
  int status_failures = 0;             // probes without a 200
};

// Runs `requests` cases over `concurrency` connections at once while a prober
// asks /api/v1/status every `probe_every`. `patience`: how long a client
// waits for the server to answer or close (longer than the server's limits).
inline AbuseReport RunAbuse(int port, const std::string& token, int requests, int concurrency,
                            std::chrono::milliseconds patience,
                            std::chrono::milliseconds probe_every, unsigned seed = 7) {
  AbuseReport report;
  report.requests = requests;
  std::mutex mu;
  std::atomic<int> next{0};
  std::atomic<bool> done{false};
  const auto& cases = AbuseCases();

  std::thread prober([&] {
    while (!done) {
      ExchangeResult r = ProbeStatus(port, token, patience);
      {
        std::lock_guard lock(mu);
        if (r.status == 200) {
          report.status_seconds.push_back(r.seconds);
        } else {
          ++report.status_failures;
        }
      }
      std::this_thread::sleep_for(probe_every);
    }
  });

  std::vector<std::thread> clients;
  for (int t = 0; t < concurrency; ++t) {
    clients.emplace_back([&, t] {
      std::mt19937 rng(seed + static_cast<unsigned>(t));
      for (int i = next++; i < requests; i = next++) {
        std::size_t index = static_cast<std::size_t>(i) % cases.size();
        const AbuseCase& c = cases[index];
        std::string bytes = AbuseBytes(index, token, rng);
        auto start = AbuseClock::now();
        int fd = ConnectLoopback(port);
        ExchangeResult r;
        if (fd < 0) {
          r.connect_failed = true;
        } else {
          SendSome(fd, bytes);
          r = ReadAnswer(fd, start, patience, c.mode == AbuseCase::kDrip ? "X-Drip: a\r\n" : "");
          ::close(fd);
        }
        std::lock_guard lock(mu);
        if (r.connect_failed) {
          ++report.connect_failed;
        } else if (r.still_open) {
          ++report.still_open;
          ++report.wrong[c.name];
        } else {
          ++report.outcomes[c.name][r.status];
          if (!c.allowed.count(r.status)) ++report.wrong[c.name];
        }
      }
    });
  }
  for (auto& th : clients) th.join();
  done = true;
  prober.join();
  return report;
}

inline double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Median latency of `n` status probes one after another (the usual time).
inline std::vector<double> StatusLatencies(int port, const std::string& token, int n) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    ExchangeResult r = ProbeStatus(port, token, std::chrono::seconds(10));
    if (r.status == 200) out.push_back(r.seconds);
  }
  return out;
}

inline int OpenFileDescriptors() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

}  // namespace nb::testing_support
