// Fuzzes the push API in process: a real ApiServer on a loopback port gets
// the input as raw bytes on one connection (so httplib's request parsing and
// our handlers both see arbitrary data). Properties: whatever arrives, the
// answer is HTTP; a request without the token never gets a 2xx; and the
// stored playlist is always one the loader accepts.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "update/api_server.h"
#include "update/state_store.h"
#include "update/update_pipeline.h"

namespace {

constexpr char kToken[] = "fuzz-token-0123456789abcdef";

struct Screen {
  std::string dir;
  std::unique_ptr<nb::update::StateStore> store;
  std::unique_ptr<nb::update::UpdatePipeline> pipeline;
  std::unique_ptr<nb::update::ApiServer> server;

  Screen() {
    dir = (std::filesystem::temp_directory_path() / ("nb-api-fuzz-" + std::to_string(::getpid())))
              .string();
    std::filesystem::remove_all(dir);
    nb::Env& env = nb::Env::Default();
    store = std::make_unique<nb::update::StateStore>(env, dir);
    if (!store->Open().ok()) Fail("cannot open the state folder " + dir);
    pipeline = std::make_unique<nb::update::UpdatePipeline>(env, *store,
                                                            std::vector<nb::update::PublicKey>{});
    nb::update::ApiOptions options;
    options.port = 0;
    options.token = kToken;
    // Short deadlines: an incomplete request is answered (408) or closed by
    // the server's own guard within ~100 ms instead of the client's 300 ms
    // wait, which also puts the guard's answers under the properties below.
    options.limits.header_timeout = std::chrono::milliseconds(50);
    options.limits.request_timeout = std::chrono::milliseconds(100);
    options.limits.idle_timeout = std::chrono::milliseconds(50);
    options.limits.keep_alive_timeout = std::chrono::milliseconds(50);
    nb::update::ApiCallbacks callbacks;
    callbacks.player_status = [] { return nb::update::PlayerStatus{"id", "title", 60.0}; };
    callbacks.screenshot_png = [](bool) { return std::optional<std::string>("\x89PNG fake"); };
    callbacks.next = [] { return true; };
    server = std::make_unique<nb::update::ApiServer>(env, *pipeline, options, callbacks);
    nb::Status started = server->Start();
    if (!started.ok()) Fail("cannot start the API: " + started.message());
  }
  ~Screen() {
    server->Stop();
    server.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  [[noreturn]] static void Fail(const std::string& what) {
    std::fprintf(stderr, "api_fuzz: %s\n", what.c_str());
    std::abort();
  }
};

Screen& TheScreen() {
  static Screen screen;
  return screen;
}

// True once `answer` holds one whole HTTP response (headers and the
// Content-Length bytes of its body).
bool HasWholeResponse(const std::string& answer) {
  std::size_t header_end = answer.find("\r\n\r\n");
  if (header_end == std::string::npos) return false;
  std::size_t length_at = answer.find("Content-Length: ");
  std::size_t body_length = 0;
  if (length_at != std::string::npos && length_at < header_end) {
    body_length = std::strtoul(answer.c_str() + length_at + 16, nullptr, 10);
  }
  return answer.size() >= header_end + 4 + body_length;
}

// Sends the bytes on a fresh connection and reads the first answer. The
// sending side stays open (httplib does not answer a peer that has shut
// down), so reading stops at the first whole response, when the server
// closes, or after 300 ms for a request that never completes.
std::string Exchange(int port, std::string_view bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Screen::Fail("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    Screen::Fail("connect to the API");
  }
  timeval send_timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof(send_timeout));
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (413, a bad request line)
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char buffer[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (!HasWholeResponse(answer)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Screen& screen = TheScreen();
  std::string_view request(reinterpret_cast<const char*>(data), size);
  std::string answer = Exchange(screen.server->port(), request);

  if (!answer.empty() && answer.rfind("HTTP/1.1 ", 0) != 0) {
    Screen::Fail("an answer that is not HTTP: " + answer.substr(0, 40));
  }
  // Every endpoint needs the token: without it in the request, nothing succeeds.
  if (request.find(kToken) == std::string_view::npos && answer.rfind("HTTP/1.1 2", 0) == 0) {
    Screen::Fail("a 2xx answer to a request without the token: " + answer.substr(0, 40));
  }
  // Whatever was accepted and stored can be loaded again.
  std::error_code error;
  if (std::filesystem::exists(screen.dir + "/current.json", error)) {
    std::vector<std::string> warnings;
    if (!screen.store->Load(&warnings)) Screen::Fail("the stored playlist does not load");
  }
  return 0;
}
