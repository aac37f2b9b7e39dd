// The web console against a real API server on loopback: login, sessions,
// CSRF and Origin, the rate limit, and the content endpoints through the one
// update pipeline (issue 14). The browser test (tests/console/browser_test.py)
// drives the same server through the pages.
#include "console/console_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <unicode/ucnv.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>

#include "console/console_server_fixture.h"
#include "console/password_file.h"
#include "update/api_server.h"
#include "update/signature.h"
#include "update/state_folder_fixture.h"
#include "update/test_playlists.h"

namespace nb::console {
namespace {

using Json = nlohmann::json;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

TEST_F(ConsoleRoutesTest, WithoutAPasswordTheConsoleOnlySaysHowToSetOne) {
  StartServer();
  auto s = Get("/console/api/session");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, 200);
  Json body = Json::parse(s->body);
  EXPECT_EQ(body["password_set"], false);
  EXPECT_EQ(body["logged_in"], false);
  auto r = Login("anything-at-all");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("noticeboard passwd"), std::string::npos) << r->body;
  EXPECT_TRUE(r->get_header_value("Set-Cookie").empty());
}

TEST_F(ConsoleRoutesTest, NothingButThePagesAnswersWithoutASession) {
  SetPassword();
  StartServer();
  for (const char* path : {"/console/api/status", "/console/api/playlist",
                           "/console/api/screen.png"}) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 401) << path;
  }
  auto publish = Post("/console/api/publish", SampleJson(3));
  ASSERT_TRUE(publish);
  EXPECT_EQ(publish->status, 401);
  EXPECT_EQ(pipeline_->status().updates_applied, 0);
  // The page itself loads, with its security headers.
  auto page = Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<html"), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  auto script = Get("/console.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
}

TEST_F(ConsoleRoutesTest, TheApiTokenIsNotAPasswordHere) {
  SetPassword();
  StartServer();
  auto c = Client();
  c.set_bearer_token_auth(kToken);
  auto r = c.Get("/console/api/status");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  // ...while /api/v1/ still takes it, and not a console session.
  auto api = c.Get("/api/v1/status");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200);
  ASSERT_TRUE(Login());
  auto with_cookie = Get("/api/v1/status");
  ASSERT_TRUE(with_cookie);
  EXPECT_EQ(with_cookie->status, 401);
}

TEST_F(ConsoleRoutesTest, LoginSetsAStrictHttpOnlyCookieAndLogoutEndsIt) {
  SetPassword();
  StartServer();
  auto r = Login();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  std::string set = r->get_header_value("Set-Cookie");
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set.find("Secure"), std::string::npos);  // plain HTTP on loopback
  EXPECT_EQ(cookie_.size(), std::string(kSessionCookie).size() + 1 + 64);
  EXPECT_EQ(csrf_.size(), 64u);
  auto status = Get("/console/api/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  EXPECT_EQ(status->get_header_value("Cache-Control"), "no-store");
  auto out = Post("/console/api/logout", "");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);
  auto after = Get("/console/api/status");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
}

TEST_F(ConsoleRoutesTest, AWrongPasswordOrNameIsOneAnswer) {
  SetPassword();
  StartServer();
  auto wrong_password = Login("not-the-password");
  auto wrong_name = Login(kPassword, "someone");
  ASSERT_TRUE(wrong_password && wrong_name);
  EXPECT_EQ(wrong_password->status, 401);
  EXPECT_EQ(wrong_name->status, 401);
  EXPECT_EQ(Json::parse(wrong_password->body)["error"], Json::parse(wrong_name->body)["error"]);
  EXPECT_TRUE(wrong_password->get_header_value("Set-Cookie").empty());
}

TEST_F(ConsoleRoutesTest, FiveFailuresAMinuteThen429WithRetryAfter) {
  SetPassword();
  StartServer();
  for (int i = 0; i < 5; ++i) {
    auto r = Login("wrong-" + std::to_string(i));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
  }
  auto limited = Login();  // even the right password waits
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  int wait = std::stoi(limited->get_header_value("Retry-After"));
  EXPECT_GT(wait, 0);
  EXPECT_LE(wait, 60);
  env_.clock_.Advance(std::chrono::seconds(61));
  auto later = Login();
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
}

TEST_F(ConsoleRoutesTest, ASessionEndsAfterItsIdleTime) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  env_.clock_.Advance(std::chrono::minutes(29));
  auto used = Get("/console/api/status");
  ASSERT_TRUE(used);
  EXPECT_EQ(used->status, 200);  // and marked used again
  env_.clock_.Advance(std::chrono::minutes(29));
  auto still = Get("/console/api/status");
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
  env_.clock_.Advance(std::chrono::minutes(31));
  auto expired = Get("/console/api/status");
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->status, 401);
}

TEST_F(ConsoleRoutesTest, APostWithoutTheCsrfTokenOrFromAnotherOriginIsRefused) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  auto c = Client();
  httplib::Headers no_csrf{{"Origin", origin_}, {"Cookie", cookie_}};
  auto r1 = c.Post("/console/api/publish", no_csrf, SampleJson(4), "application/json");
  httplib::Headers wrong_csrf{{"Origin", origin_}, {"Cookie", cookie_},
                              {kCsrfHeader, std::string(64, 'a')}};
  auto r2 = c.Post("/console/api/publish", wrong_csrf, SampleJson(4), "application/json");
  httplib::Headers evil{{"Origin", "http://evil.example"}, {"Cookie", cookie_},
                        {kCsrfHeader, csrf_}};
  auto r3 = c.Post("/console/api/publish", evil, SampleJson(4), "application/json");
  httplib::Headers no_origin{{"Cookie", cookie_}, {kCsrfHeader, csrf_}};
  auto r4 = c.Post("/console/api/publish", no_origin, SampleJson(4), "application/json");
  for (auto* r : {&r1, &r2, &r3, &r4}) {
    ASSERT_TRUE(*r);
    EXPECT_EQ((*r)->status, 403) << (*r)->body;
  }
  EXPECT_EQ(pipeline_->status().updates_applied, 0);
  // Login needs the Origin too (no login CSRF).
  auto login = c.Post("/console/api/login", httplib::Headers{{"Origin", "http://evil.example"}},
                      Json{{"user", "admin"}, {"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 403);
}

TEST_F(ConsoleRoutesTest, CheckAnswersEveryErrorWithItsJsonPointer) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  Json draft = Json::parse(SampleJson(3));
  draft["items"][1]["schedule"] = {{"hours", "25:00-26:00"}};
  draft["items"][2]["title"] = "";
  auto r = Post("/console/api/check", draft.dump());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  Json body = Json::parse(r->body);
  std::set<std::string> where;
  for (const auto& e : body["errors"]) where.insert(e["where"]);
  EXPECT_TRUE(where.count("/items/1/schedule/hours")) << r->body;
  EXPECT_TRUE(where.count("/items/2/title")) << r->body;
  // The same messages as `noticeboard check`.
  std::vector<Diagnostic> errors;
  playlist::ParsePlaylist(draft.dump(), "draft", &errors);
  ASSERT_EQ(body["errors"].size(), errors.size());
  for (std::size_t i = 0; i < errors.size(); ++i)
    EXPECT_EQ(body["errors"][i]["message"], errors[i].message);
  auto ok = Post("/console/api/check", SampleJson(3));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ConsoleRoutesTest, PublishGoesThroughThePipelineAndRestoreBringsThePreviousBack) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  auto first = Post("/console/api/publish", SampleJson(5));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(Json::parse(first->body)["outcome"], "applied");
  EXPECT_EQ(Stored(), SamplePlaylist(5));
  auto posted = pipeline_->mailbox().TakePlaylist();
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->items.size(), 5u);
  EXPECT_EQ(pipeline_->status().last_update_source.rfind("console:", 0), 0u);
  auto second = Post("/console/api/publish", SampleJson(7));
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200);
  EXPECT_EQ(Stored(), SamplePlaylist(7));
  // What plays now is what the playlist page loads.
  auto current = Get("/console/api/playlist");
  ASSERT_TRUE(current);
  std::vector<Diagnostic> errors;
  auto on_screen = playlist::ParsePlaylist(current->body, "current", &errors);
  ASSERT_TRUE(on_screen) << current->body;
  EXPECT_EQ(*on_screen, SamplePlaylist(7));

  auto restored = Post("/console/api/restore", "");
  ASSERT_TRUE(restored);
  ASSERT_EQ(restored->status, 200) << restored->body;
  EXPECT_EQ(Json::parse(restored->body)["items"], 5);
  EXPECT_EQ(Stored(), SamplePlaylist(5));

  // A draft the screen would refuse is refused, and nothing changes.
  Json bad = Json::parse(SampleJson(2));
  bad["items"][0]["duration_s"] = -1;
  auto refused = Post("/console/api/publish", bad.dump());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Json::parse(refused->body)["errors"][0]["where"], "/items/0/duration_s");
  EXPECT_EQ(Stored(), SamplePlaylist(5));
}

TEST_F(ConsoleRoutesTest, RestoreWithNothingBeforeIsRefusedPlainly) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  auto r = Post("/console/api/restore", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(Json::parse(r->body)["error"].get<std::string>().find("no previous playlist"),
            std::string::npos);
}

TEST_F(ConsoleRoutesTest, ImportBuildsTheSampleBulletinAsBuildDoes) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  std::string text = testing_support::ReadText(std::string(NB_SOURCE_DIR) +
                                               "/playlists/tianjin-education.txt");
  auto r = Post("/console/api/import", text, "application/octet-stream");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  Json body = Json::parse(r->body);
  std::vector<Diagnostic> errors;
  EXPECT_EQ(body["format"], "bulletin");
  EXPECT_EQ(body["encoding"], "UTF-8");
  auto built = playlist::LoadPlaylistFile(env_.fs(), std::string(NB_SOURCE_DIR) +
                                                         "/playlists/tianjin-education.json",
                                          &errors);
  ASSERT_TRUE(built);
  ASSERT_EQ(body["playlist"]["items"].size(), built->items.size());
  for (std::size_t i = 0; i < built->items.size(); ++i) {
    EXPECT_EQ(body["playlist"]["items"][i]["id"], built->items[i].id);
    EXPECT_EQ(body["playlist"]["items"][i]["summary"], built->items[i].summary);
  }
  // Import never publishes.
  EXPECT_EQ(pipeline_->status().updates_applied, 0);
}

TEST_F(ConsoleRoutesTest, ImportConvertsABulletinSavedAsGbkByNotepad) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  const std::string utf8 = "天津教育\n-\n·\n本校开放日通知\n2025-12-01\n本校开放日定于十二月十二日举行。 -\n";
  // What Notepad's "ANSI" on a Chinese Windows writes.
  UErrorCode status = U_ZERO_ERROR;
  std::string gbk(utf8.size() * 2, '\0');
  int32_t n = ucnv_convert("GBK", "UTF-8", gbk.data(), static_cast<int32_t>(gbk.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  gbk.resize(n);
  ASSERT_NE(gbk, utf8);
  auto c = Client();
  httplib::Headers h = Page();
  h.emplace("X-File-Name", "%E5%85%AC%E5%91%8A.txt");  // 公告.txt, as the page sends it
  auto r = c.Post("/console/api/import", h, gbk, "application/octet-stream");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  Json body = Json::parse(r->body);
  EXPECT_EQ(body["encoding"], "GB18030");
  ASSERT_EQ(body["playlist"]["items"].size(), 1u);
  EXPECT_EQ(body["playlist"]["items"][0]["title"], "本校开放日通知");
  // Bytes that are no text at all are refused with how to save as UTF-8.
  auto bad = c.Post("/console/api/import", h, std::string("\x89PNG\r\n\x1a\n\xff\xfe\x00\x81", 12),
                    "application/octet-stream");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(Json::parse(bad->body)["error"].get<std::string>().find("UTF-8"), std::string::npos);
}

TEST_F(ConsoleRoutesTest, PreviewAnswersPngAndBusyIs503WithRetryAfter) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  auto ok = Post("/console/api/preview?item=2", SampleJson(4));
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200);
  EXPECT_EQ(ok->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(preview_.last.item, 2);
  EXPECT_EQ(preview_.last.width, 1920);  // the screen's size by default
  EXPECT_EQ(preview_.last.height, 1080);
  auto portrait = Post("/console/api/preview?item=0&w=1080&h=1920", SampleJson(4));
  ASSERT_TRUE(portrait);
  EXPECT_EQ(preview_.last.height, 1920);
  preview_.busy = true;
  auto busy = Post("/console/api/preview?item=1", SampleJson(4));
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_FALSE(busy->get_header_value("Retry-After").empty());
}

TEST_F(ConsoleRoutesTest, PlanListsTheItemsThatPlayNowWithTheirDurations) {
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  Json draft = Json::parse(SampleJson(4));
  draft["items"][1]["enabled"] = false;
  draft["items"][2]["duration_s"] = 8;
  auto r = Post("/console/api/plan", draft.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  Json body = Json::parse(r->body);
  ASSERT_EQ(body["items"].size(), 3u);
  EXPECT_EQ(body["items"][0]["index"], 0);
  EXPECT_EQ(body["items"][1]["index"], 2);
  EXPECT_EQ(body["items"][1]["duration_s"], 8.0);
  EXPECT_EQ(body["transition"]["kind"], "crossfade");
}

// An approver's key on the console, and a screen that trusts only it: what
// the console publishes is signed and accepted; what it exports carries a
// .minisig the screen (and the minisign tool) accept.
TEST_F(ConsoleRoutesTest, WithASigningKeyPublishAndExportAreSigned) {
  if (!HaveMinisign()) GTEST_SKIP() << testing_support::kMinisignMissing;
  std::string pub = (dir_ / "approver.pub").string(), sec = (dir_ / "approver.key").string();
  ASSERT_EQ(std::system(("minisign -G -W -f -p " + pub + " -s " + sec + " >/dev/null").c_str()), 0);
  update::SecretKey key;
  ASSERT_TRUE(update::ParseSecretKey(testing_support::ReadText(sec), "", sec, &key).ok());
  update::PublicKey trusted;
  ASSERT_TRUE(update::ParsePublicKey(testing_support::ReadText(pub), &trusted).ok());
  OpenPipeline(env_, {trusted});
  SetPassword();
  StartServer(key);
  ASSERT_TRUE(Login());
  auto published = Post("/console/api/publish", SampleJson(6));
  ASSERT_TRUE(published);
  ASSERT_EQ(published->status, 200) << published->body;
  EXPECT_EQ(Stored(), SamplePlaylist(6));

  Json draft = Json::parse(SampleJson(2));
  auto exported = Post("/console/api/export", draft.dump());
  ASSERT_TRUE(exported);
  ASSERT_EQ(exported->status, 200) << exported->body;
  Json body = Json::parse(exported->body);
  std::string text = body["playlist"], minisig = body["minisig"];
  update::VerifiedSignature v;
  Status s = update::VerifySignature(text, minisig, {trusted}, "playlist.json", &v);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_NE(v.trusted_comment.find("by:admin"), std::string::npos);
  std::ofstream(dir_ / "playlist.json", std::ios::binary) << text;
  std::ofstream(dir_ / "playlist.json.minisig", std::ios::binary) << minisig;
  EXPECT_EQ(std::system(("minisign -V -q -p " + pub + " -m " + (dir_ / "playlist.json").string() +
                         " >/dev/null").c_str()),
            0);
}

TEST_F(ConsoleRoutesTest, WithoutAKeyAScreenThatTrustsKeysRefusesTheConsolesPublish) {
  if (!HaveMinisign()) GTEST_SKIP() << testing_support::kMinisignMissing;
  update::PublicKey trusted;
  std::filesystem::path file;
  SignPlaylist(SampleJson(1), &trusted, &file);  // a key the screen trusts
  OpenPipeline(env_, {trusted});
  SetPassword();
  StartServer();
  ASSERT_TRUE(Login());
  auto r = Post("/console/api/publish", SampleJson(6));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(Json::parse(r->body)["error"].get<std::string>().find("signature"), std::string::npos);
  EXPECT_EQ(pipeline_->status().updates_applied, 0);
  auto exported = Post("/console/api/export", SampleJson(2));
  ASSERT_TRUE(exported);
  EXPECT_TRUE(Json::parse(exported->body)["minisig"].is_null());
}

}  // namespace
}  // namespace nb::console
