// The push API in-process over loopback: a real server on a free port, real
// HTTP requests (the push client's libcurl, and httplib's client for the
// requests the push client never makes).
#include "update/api_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "state_folder_fixture.h"
#include "test_playlists.h"
#include "update/api_token.h"
#include "update/push_client.h"
#include "update/state_store.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing_support::ReadText;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

constexpr const char* kToken = testing_support::kTestApiToken;

class ApiServerTest : public testing_support::StateFolderTest {
 protected:
  ApiServerTest() : StateFolderTest("nb-api") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    OpenStore(env_);
  }
  void TearDown() override {
    if (server_) server_->Stop();
    StateFolderTest::TearDown();
  }

  void StartServer(std::vector<PublicKey> keys = {}, ApiCallbacks callbacks = {}) {
    OpenPipeline(env_, std::move(keys));
    ApiOptions options;
    options.port = 0;
    options.token = kToken;
    server_ = std::make_unique<ApiServer>(env_, *pipeline_, options, std::move(callbacks));
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.message();
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_bearer_token_auth(kToken);
    return c;
  }

  std::unique_ptr<ApiServer> server_;
  std::string base_;
};

TEST_F(ApiServerTest, PutValidPlaylistAnswersWithASummary) {
  StartServer();
  PushResult r = PushPlaylist(base_, SampleJson(15), kToken, std::nullopt);
  ASSERT_EQ(r.http_status, 200) << r.error << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["ok"], true);
  EXPECT_EQ(body["outcome"], "applied");
  EXPECT_EQ(body["items"], 15);
  EXPECT_EQ(body["hash"], PlaylistHash(SamplePlaylist(15)));
  EXPECT_EQ(body["notice"], "已通过推送更新播放列表：15 条");
  EXPECT_EQ(Stored(), SamplePlaylist(15));
  auto posted = pipeline_->mailbox().TakePlaylist();
  ASSERT_TRUE(posted);
  EXPECT_EQ(*posted, SamplePlaylist(15));
}

TEST_F(ApiServerTest, InvalidPlaylistIs400WithTheErrorsAsJson) {
  StartServer();
  ASSERT_EQ(PushPlaylist(base_, SampleJson(2), kToken, std::nullopt).http_status, 200);
  Json doc = Json::parse(SampleJson(3, "bad"));
  doc["items"][2]["date"] = "2025-13-40";
  doc["items"][0]["colour"] = "red";
  PushResult r = PushPlaylist(base_, doc.dump(), kToken, std::nullopt);
  ASSERT_EQ(r.http_status, 400) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["ok"], false);
  ASSERT_GE(body["errors"].size(), 2u) << r.body;
  std::string all = body["errors"].dump();
  EXPECT_NE(all.find("/items/2/date"), std::string::npos) << all;
  EXPECT_NE(all.find("/items/0/colour"), std::string::npos) << all;
  EXPECT_EQ(Stored(), SamplePlaylist(2));
}

// bench/soak found it: a refused file's bytes quoted in the error need not be
// UTF-8, and a strict JSON dump made the answer, and every status after it, a 500.
TEST_F(ApiServerTest, ARefusalQuotingBytesThatAreNotUtf8StillAnswersInJson) {
  StartServer();
  ASSERT_EQ(PushPlaylist(base_, SampleJson(2), kToken, std::nullopt).http_status, 200);
  std::string bad = SampleJson(3, "bad");
  bad[bad.find("通知")] = '\xff';  // the title's first byte
  PushResult r = PushPlaylist(base_, bad, kToken, std::nullopt);
  ASSERT_EQ(r.http_status, 400) << r.body;
  EXPECT_EQ(Json::parse(r.body)["ok"], false);
  auto status = Client().Get("/api/v1/status");
  ASSERT_TRUE(status);
  ASSERT_EQ(status->status, 200) << status->body;
  Json body = Json::parse(status->body);
  EXPECT_FALSE(body["last_error"]["message"].get<std::string>().empty());
  EXPECT_EQ(body["playlist"]["hash"], PlaylistHash(SamplePlaylist(2)));
}

TEST_F(ApiServerTest, NoTokenIs401AndWrongTokenIs403) {
  StartServer();
  httplib::Client anonymous("127.0.0.1", server_->port());
  auto r401 = anonymous.Put("/api/v1/playlist", SampleJson(2), "application/json");
  ASSERT_TRUE(r401);
  EXPECT_EQ(r401->status, 401);
  EXPECT_EQ(r401->get_header_value("WWW-Authenticate"), "Bearer");
  auto s401 = anonymous.Get("/api/v1/status");
  ASSERT_TRUE(s401);
  EXPECT_EQ(s401->status, 401);

  PushResult r403 = PushPlaylist(base_, SampleJson(2), "not-the-token-at-all", std::nullopt);
  EXPECT_EQ(r403.http_status, 403);
  PushResult prefix =
      PushPlaylist(base_, SampleJson(2), std::string(kToken).substr(0, 31), std::nullopt);
  EXPECT_EQ(prefix.http_status, 403);
  EXPECT_FALSE(fs::exists(store_->current_path()));
}

// curl's default type is a form: an 11 KB playlist sent without -H was
// answered 413 "over the limit of 4 MiB" (httplib's own form limit).
TEST_F(ApiServerTest, AFormTypeIs415WhateverTheSizeBelowTheLimit) {
  StartServer();
  auto client = Client();
  std::string body = SampleJson(80);
  ASSERT_GT(body.size(), 11000u);
  auto r = client.Put("/api/v1/playlist", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415) << r->body;
  EXPECT_NE(r->body.find("application/x-www-form-urlencoded"), std::string::npos) << r->body;
  auto missing = client.Put("/api/v1/playlist", body, "");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 415) << missing->body;
  EXPECT_EQ(pipeline_->status().updates_rejected, 0);
}

// What a technician needs from status (issue 21, point 14): screen on or
// off, the version and host, the local time with its offset.
TEST_F(ApiServerTest, StatusSaysTheScreenTheVersionTheHostAndTheLocalTime) {
  ApiCallbacks callbacks;
  callbacks.player_status = [] {
    PlayerStatus s;
    s.screen_on = false;
    s.width = 1080;
    s.height = 1920;
    s.off_hours = "每天 19:00–07:00（次日）";
    return s;
  };
  StartServer({}, callbacks);
  auto r = Client().Get("/api/v1/status");
  ASSERT_TRUE(r);
  Json body = Json::parse(r->body);
  EXPECT_EQ(body["screen"]["on"], false);
  EXPECT_EQ(body["screen"]["height"], 1920);
  EXPECT_EQ(body["screen"]["off_hours"], "每天 19:00–07:00（次日）");
  EXPECT_FALSE(body["version"].get<std::string>().empty());
  EXPECT_FALSE(body["host"].get<std::string>().empty());
  // "2025-12-01T09:00:00+08:00": a local time with its offset.
  std::string now = body["now"];
  ASSERT_EQ(now.size(), 25u) << now;
  EXPECT_TRUE(now[19] == '+' || now[19] == '-') << now;
  EXPECT_EQ(now[22], ':') << now;
  EXPECT_FALSE(body.contains("pull"));  // pull is off here
}

TEST_F(ApiServerTest, OversizeIs413AndWrongContentTypeIs415) {
  StartServer();
  std::string huge(kMaxUpdateBytes + 1, ' ');
  PushResult r413 = PushPlaylist(base_, huge, kToken, std::nullopt);
  EXPECT_EQ(r413.http_status, 413) << r413.error;
  auto client = Client();
  auto r415 = client.Put("/api/v1/playlist", SampleJson(2), "text/plain");
  ASSERT_TRUE(r415);
  EXPECT_EQ(r415->status, 415);
  EXPECT_NE(r415->body.find("application/json"), std::string::npos);
  auto charset = client.Put("/api/v1/playlist", SampleJson(2), "application/json; charset=utf-8");
  ASSERT_TRUE(charset);
  EXPECT_EQ(charset->status, 200);
}

TEST_F(ApiServerTest, StatusReportsPlaylistLastUpdateAndLastError) {
  ApiCallbacks callbacks;
  callbacks.player_status = [] { return PlayerStatus{"a-3", "通知 a 第4条", 59.5}; };
  StartServer({}, callbacks);
  ASSERT_EQ(PushPlaylist(base_, SampleJson(6), kToken, std::nullopt).http_status, 200);
  ASSERT_EQ(PushPlaylist(base_, "{", kToken, std::nullopt).http_status, 400);
  auto r = Client().Get("/api/v1/status");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  Json st = Json::parse(r->body);
  EXPECT_EQ(st["playing"]["id"], "a-3");
  EXPECT_EQ(st["playlist"]["items"], 6);
  EXPECT_EQ(st["playlist"]["hash"], PlaylistHash(SamplePlaylist(6)));
  EXPECT_EQ(st["last_update"]["at"], "2025-12-01T01:00:00Z");
  EXPECT_EQ(st["last_update"]["source"].get<std::string>().rfind("push:", 0), 0u);
  EXPECT_NE(st["last_error"]["message"].get<std::string>().find("syntax error"), std::string::npos);
  EXPECT_EQ(st["fps"], 59.5);
  EXPECT_TRUE(st["uptime_s"].is_number());
}

TEST_F(ApiServerTest, ScreenshotAndNextGoToThePlayer) {
  int nexts = 0;
  ApiCallbacks callbacks;
  callbacks.screenshot_png = [] { return std::optional<std::string>("\x89PNG\r\n\x1a\n...."); };
  callbacks.next = [&nexts] { return ++nexts > 0; };
  StartServer({}, callbacks);
  auto client = Client();
  auto png = client.Get("/api/v1/screenshot.png");
  ASSERT_TRUE(png);
  EXPECT_EQ(png->status, 200);
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(png->body.substr(0, 4), "\x89PNG");
  auto next = client.Post("/api/v1/next");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(nexts, 1);
  // As `curl -X POST` sends it: no body and no Content-Length.
  httplib::Headers auth = {{"Authorization", std::string("Bearer ") + kToken}};
  auto bare = client.send([&] {
    httplib::Request req;
    req.method = "POST";
    req.path = "/api/v1/next";
    req.headers = auth;
    return req;
  }());
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 200);
  EXPECT_EQ(nexts, 2);
}

TEST_F(ApiServerTest, WithoutPlayerCallbacksScreenshotIs503) {
  StartServer();
  auto r = Client().Get("/api/v1/screenshot.png");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
}

// Also issue 22's "approval as a signature": whoever holds the API token (an
// editor, say) cannot put an unsigned, unapproved playlist on a screen that
// has trusted_keys.
TEST_F(ApiServerTest, SignatureHeaderWhenKeysAreConfigured) {
  if (!HaveMinisign()) GTEST_SKIP() << testing_support::kMinisignMissing;
  PublicKey k;
  fs::path file;
  ASSERT_NO_FATAL_FAILURE(SignPlaylist(SampleJson(8), &k, &file));
  StartServer({k});

  PushResult unsigned_r = PushPlaylist(base_, ReadText(file), kToken, std::nullopt);
  EXPECT_EQ(unsigned_r.http_status, 400);
  EXPECT_NE(unsigned_r.body.find("no signature"), std::string::npos) << unsigned_r.body;
  std::string sig = ReadText(file.string() + ".minisig");
  PushResult tampered = PushPlaylist(base_, SampleJson(9), kToken, sig);
  EXPECT_EQ(tampered.http_status, 400);
  EXPECT_NE(tampered.body.find("does not match its signature"), std::string::npos);
  PushResult good = PushPlaylist(base_, ReadText(file), kToken, sig);
  EXPECT_EQ(good.http_status, 200) << good.body;
  EXPECT_EQ(Stored(), SamplePlaylist(8));
}

TEST(ApiTokenTest, ShortOrMissingTokenFileIsRefused) {
  PosixFileSystem fs;
  std::string token;
  EXPECT_FALSE(LoadApiToken(fs, "/nonexistent/token", &token).ok());
  fs::path p = fs::temp_directory_path() / ("nb-token-" + std::to_string(::getpid()));
  std::ofstream(p) << "short\n";
  Status s = LoadApiToken(fs, p.string(), &token);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("at least 16"), std::string::npos);
  std::ofstream(p, std::ios::trunc) << "  " << kToken << "  \nsecond line\n";
  ASSERT_TRUE(LoadApiToken(fs, p.string(), &token).ok());
  EXPECT_EQ(token, kToken);
  fs::remove(p);
}

}  // namespace
}  // namespace nb::update
