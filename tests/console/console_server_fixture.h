// ConsoleRoutesTest: the fixture of the console's server tests. A state
// folder with a store and a pipeline (StateFolderTest), a password file, a
// real API server with the console on loopback, a preview that draws nothing,
// and a client that sends what the console's page sends (cookie, CSRF token,
// Origin).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "console/console_routes.h"
#include "console/password_file.h"
#include "update/api_server.h"
#include "update/signature.h"
#include "update/state_folder_fixture.h"
#include "update/test_playlists.h"

namespace nb::console {

using Json = nlohmann::json;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

inline constexpr const char* kPassword = "lobby-screen-42";
inline constexpr const char* kToken = testing_support::kTestApiToken;

// Draws nothing: answers a tiny "PNG" or busy, as told.
class FakePreview final : public PreviewRenderer {
 public:
  PreviewResult Render(const PreviewRequest& request) override {
    ++calls;
    last = request;
    PreviewResult r;
    if (busy) {
      r.kind = PreviewResult::Kind::kBusy;
      return r;
    }
    r.kind = PreviewResult::Kind::kOk;
    r.png = "\x89PNG fake";
    return r;
  }
  std::atomic<bool> busy{false};
  std::atomic<int> calls{0};
  PreviewRequest last;
};

class ConsoleRoutesTest : public testing_support::StateFolderTest {
 protected:
  ConsoleRoutesTest() : StateFolderTest("nb-console") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    OpenStore(env_);
    OpenPipeline(env_);
    password_file_ = (dir_ / "console-passwords").string();
  }
  void TearDown() override {
    if (server_) server_->Stop();
    StateFolderTest::TearDown();
  }

  void SetPassword(const std::string& user = "admin", Role role = Role::kApprover) {
    Status s = SetUserPassword(env_.fs(), password_file_, user, role, kPassword);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  void StartServer(std::optional<update::SecretKey> signing_key = std::nullopt) {
    update::ApiOptions options;
    options.console.signing_key = signing_key;
    options.port = 0;
    options.token = kToken;
    options.console.enabled = true;
    options.console.password_file = password_file_;
    options.console.idle_timeout = std::chrono::minutes(30);
    options.console.state_dir = (dir_ / "state").string();  // drafts and the audit log
    update::ApiCallbacks callbacks;
    callbacks.preview = &preview_;
    callbacks.player_status = [] {
      update::PlayerStatus s;
      s.width = 1920;
      s.height = 1080;
      return s;
    };
    server_ = std::make_unique<update::ApiServer>(env_, *pipeline_, options, callbacks);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.message();
    origin_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  httplib::Client Client() { return httplib::Client("127.0.0.1", server_->port()); }

  // The headers a page of this console sends.
  httplib::Headers Page(bool with_csrf = true) {
    httplib::Headers h{{"Origin", origin_}};
    if (!cookie_.empty()) h.emplace("Cookie", cookie_);
    if (with_csrf && !csrf_.empty()) h.emplace(kCsrfHeader, csrf_);
    return h;
  }
  httplib::Result Login(const std::string& password = kPassword,
                        const std::string& user = "admin") {
    auto c = Client();
    auto r = c.Post("/console/api/login", Page(false),
                    Json{{"user", user}, {"password", password}}.dump(), "application/json");
    if (r && r->status == 200) {
      std::string set = r->get_header_value("Set-Cookie");
      cookie_ = set.substr(0, set.find(';'));
      csrf_ = Json::parse(r->body)["csrf"];
    }
    return r;
  }
  httplib::Result Post(const std::string& path, const std::string& body,
                       const std::string& type = "application/json") {
    auto c = Client();
    return c.Post(path, Page(), body, type);
  }
  httplib::Result Get(const std::string& path) {
    auto c = Client();
    return c.Get(path, Page());
  }

  std::string password_file_;
  FakePreview preview_;
  std::unique_ptr<update::ApiServer> server_;
  std::string origin_, cookie_, csrf_;
};

}  // namespace nb::console
