// Urgent notices through the one intake (issue 15), from each source: the
// API in-process over loopback (our JSON, CAP, cancel, list, status), a USB
// stick's noticeboard/alert.json, and a fleet's feed served over HTTP with
// ETags; the signature policy; the state folder across a restart and a full
// disk. The real binary end to end is in tests/app/alert_process_test.cpp.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sodium.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "fault_injecting_fs.h"
#include "state_folder_fixture.h"
#include "update/alert_feed.h"
#include "update/alert_intake.h"
#include "update/api_server.h"
#include "update/push_client.h"
#include "update/usb_watch.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace std::chrono_literals;
using testing_support::FaultInjectingFileSystem;
using testing_support::ReadText;
using testing_support::TestEnv;

constexpr const char* kToken = testing_support::kTestApiToken;

constexpr const char* kStorm =
    R"({"id": "storm", "severity": "critical", "title": "今日停课",
        "text": "受暴雨影响，今日全天停课。", "for": "2h", "source": "区教育局"})";

// A CAP 1.2 message as a public warning system writes it.
std::string Cap(const std::string& identifier, const std::string& msg_type,
                const std::string& references = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>)" +
         identifier + R"(</identifier>
  <sender>weather@example.cn</sender>
  <sent>2025-12-01T08:55:00+08:00</sent>
  <status>Actual</status>
  <msgType>)" +
         msg_type + R"(</msgType>
  <scope>Public</scope>)" +
         (references.empty() ? "" : "\n  <references>" + references + "</references>") + R"(
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <expires>2025-12-01T18:00:00+08:00</expires>
    <senderName>市气象台</senderName>
    <headline>暴雨红色预警</headline>
    <description>预计未来3小时将有大暴雨。</description>
    <instruction>请停止户外活动。</instruction>
  </info>
</alert>
)";
}

SecretKey NewKey() {
  EXPECT_GE(sodium_init(), 0);
  SecretKey key;
  crypto_sign_keypair(key.key.data() + 32, key.key.data());
  randombytes_buf(key.key_id.data(), key.key_id.size());
  return key;
}

class AlertsTest : public testing_support::StateFolderTest {
 protected:
  AlertsTest() : StateFolderTest("nb-alerts") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    fs::create_directories(dir_ / "state");
  }
  std::unique_ptr<AlertIntake> Intake(std::vector<PublicKey> keys = {}) {
    auto intake = std::make_unique<AlertIntake>(env_, std::move(keys), alert::AlertPolicy{},
                                                (dir_ / "state").string());
    intake->Open();
    return intake;
  }
  static AlertSubmission Post(std::string body, AlertSource source = AlertSource::kApi,
                              std::string type = "application/json") {
    return AlertSubmission{source, "test", std::move(body), std::move(type), std::nullopt};
  }

  PosixFileSystem posix_;
  FaultInjectingFileSystem faulty_{posix_};
  TestEnv env_{faulty_};
};

TEST_F(AlertsTest, AcceptedIsStoredAndKeptAcrossARestart) {
  {
    auto intake = Intake();
    AlertOutcome out = intake->Submit(Post(kStorm));
    ASSERT_TRUE(out.ok()) << out.reason;
    EXPECT_TRUE(out.stored);
    ASSERT_EQ(out.events.size(), 1u);
    EXPECT_EQ(out.events[0].kind, alert::AlertEvent::Kind::kReceived);
    EXPECT_TRUE(fs::exists(dir_ / "state" / "alerts.json"));
  }
  env_.clock_.Advance(30min);
  auto again = Intake();
  auto snapshot = again->Snapshot();
  ASSERT_EQ(snapshot->alerts.size(), 1u);
  EXPECT_EQ(snapshot->alerts[0].alert.title, "今日停课");
  // Ended while the screen was off: dropped at start, and from the file too.
  env_.clock_.Advance(2h);
  auto later = Intake();
  EXPECT_TRUE(later->Snapshot()->alerts.empty());
  EXPECT_EQ(ReadText(dir_ / "state" / "alerts.json").find("storm"), std::string::npos);
}

TEST_F(AlertsTest, AFullDiskStillShowsTheAlertAndSaysItWillNotSurviveARestart) {
  auto intake = Intake();
  faulty_.FailWrites(ENOSPC);
  AlertOutcome out = intake->Submit(Post(kStorm));
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out.stored);
  EXPECT_EQ(intake->Snapshot()->alerts.size(), 1u);
  EXPECT_FALSE(fs::exists(dir_ / "state" / "alerts.json"));
}

TEST_F(AlertsTest, RefusalsChangeNothingAndSayWhy) {
  auto intake = Intake();
  ASSERT_TRUE(intake->Submit(Post(kStorm)).ok());
  const auto before = intake->Snapshot();
  AlertOutcome bad = intake->Submit(Post(R"({"id": "x", "severity": "urgent", "title": "t"})"));
  EXPECT_EQ(bad.kind, AlertOutcome::Kind::kRefused);
  EXPECT_NE(bad.reason.find("/severity"), std::string::npos) << bad.reason;
  AlertOutcome bomb = intake->Submit(Post(R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol2;</identifier></alert>)",
                                          AlertSource::kApi, "application/cap+xml"));
  EXPECT_EQ(bomb.kind, AlertOutcome::Kind::kRefused);
  EXPECT_FALSE(bomb.reason.empty());
  AlertOutcome big = intake->Submit(Post(std::string(5 << 20, ' ')));
  EXPECT_EQ(big.kind, AlertOutcome::Kind::kRefused);
  EXPECT_NE(big.reason.find("KB"), std::string::npos) << big.reason;
  EXPECT_EQ(intake->Snapshot()->generation, before->generation);
}

TEST_F(AlertsTest, WithTrustedKeysEveryPathButTheConsoleNeedsASignature) {
  SecretKey key = NewKey();
  auto intake = Intake({key.Public()});
  for (AlertSource source : {AlertSource::kApi, AlertSource::kUsb, AlertSource::kFeed}) {
    AlertOutcome out = intake->Submit(Post(kStorm, source));
    EXPECT_EQ(out.kind, AlertOutcome::Kind::kUnsigned) << AlertSourceName(source);
    EXPECT_NE(out.reason.find("signed"), std::string::npos) << out.reason;
  }
  SecretKey other = NewKey();
  AlertSubmission forged = Post(kStorm);
  forged.signature = SignMinisig(kStorm, other, "file:alert.json");
  EXPECT_EQ(intake->Submit(forged).kind, AlertOutcome::Kind::kUnsigned);
  EXPECT_TRUE(intake->Snapshot()->alerts.empty());
  AlertSubmission signed_post = Post(kStorm);
  signed_post.signature = SignMinisig(kStorm, key, "file:alert.json");
  EXPECT_TRUE(intake->Submit(signed_post).ok());
  // The console's approvers log in with passwords (issue 22): no signature.
  EXPECT_TRUE(intake
                  ->Submit(Post(R"({"id": "drill", "severity": "info", "title": "演练"})",
                                AlertSource::kConsole))
                  .ok());
  EXPECT_EQ(intake->Snapshot()->alerts.size(), 2u);
}

TEST_F(AlertsTest, CancelEndsItAndAnUnknownIdIsSaidSo) {
  auto intake = Intake();
  ASSERT_TRUE(intake->Submit(Post(kStorm)).ok());
  AlertOutcome unknown = intake->Cancel("nope", AlertSource::kApi, "test");
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.reason.find("nope"), std::string::npos);
  ASSERT_TRUE(intake->Cancel("storm", AlertSource::kApi, "test").ok());
  EXPECT_TRUE(intake->Snapshot()->alerts.empty());
  EXPECT_EQ(ReadText(dir_ / "state" / "alerts.json").find("storm"), std::string::npos);
}

TEST_F(AlertsTest, ExpiryEndsItOnTheMonotonicClock) {
  auto intake = Intake();
  ASSERT_TRUE(intake->Submit(Post(kStorm)).ok());
  env_.clock_.SetWall(env_.clock_.WallNow() + std::chrono::hours(24 * 365 * 50));  // NTP fixes a clock
  intake->ExpireDue();
  EXPECT_EQ(intake->Snapshot()->alerts.size(), 1u) << "a clock set right must not end it";
  env_.clock_.SetMonotonic(env_.clock_.MonotonicNow() + 2h);
  intake->ExpireDue();
  EXPECT_TRUE(intake->Snapshot()->alerts.empty());
}

// A stick with noticeboard/alert.json: shown; a broken one puts a line on
// screen and changes nothing.
TEST_F(AlertsTest, AUsbStickCarriesAnAlert) {
  auto intake = Intake();
  StateStore store(env_, (dir_ / "state").string());
  ASSERT_TRUE(store.Open().ok());
  UpdatePipeline pipeline(env_, store, {});
  fs::path stick = dir_ / "stick";
  fs::create_directories(stick / "noticeboard");
  std::ofstream(stick / "noticeboard" / "alert.json") << kStorm;
  UsbWatch usb(faulty_, pipeline, {}, intake.get());
  auto out = usb.ImportAlertFrom(stick.string());
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->ok()) << out->reason;
  EXPECT_EQ(intake->Snapshot()->alerts.size(), 1u);
  EXPECT_FALSE(usb.ImportFrom(stick.string())) << "no playlist on it: nothing else happens";

  fs::path broken = dir_ / "broken";
  fs::create_directories(broken / "noticeboard");
  std::ofstream(broken / "noticeboard" / "alert.xml") << "<alert>not closed";
  out = usb.ImportAlertFrom(broken.string());
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->ok());
  auto notice = pipeline.mailbox().TakeNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->kind, NoticeKind::kRefused);
  EXPECT_NE(notice->text.find("紧急通知"), std::string::npos) << notice->text;
  EXPECT_EQ(intake->Snapshot()->alerts.size(), 1u);
}

// The API in-process.
class AlertApiTest : public AlertsTest {
 protected:
  void StartServer(std::vector<PublicKey> keys = {}) {
    intake_ = Intake(keys);
    OpenStore(env_);
    OpenPipeline(env_, keys);
    ApiOptions options;
    options.port = 0;
    options.token = kToken;
    ApiCallbacks callbacks;
    callbacks.alerts = intake_.get();
    server_ = std::make_unique<ApiServer>(env_, *pipeline_, options, callbacks);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.message();
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    if (server_) server_->Stop();
    AlertsTest::TearDown();
  }
  PushResult Call(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& type = "application/json") {
    return CallScreenApi(base_, ApiCall{method, path, type, body}, kToken, std::nullopt, 10s);
  }
  std::unique_ptr<AlertIntake> intake_;
  std::unique_ptr<ApiServer> server_;
  std::string base_;
};

TEST_F(AlertApiTest, PostListCancel) {
  StartServer();
  PushResult r = Call("POST", "/api/v1/alerts", kStorm);
  ASSERT_EQ(r.http_status, 200) << r.error << r.body;
  EXPECT_EQ(Json::parse(r.body)["events"][0]["event"], "received");
  r = Call("POST", "/api/v1/alerts", Cap("cap-1", "Alert"), "application/cap+xml");
  ASSERT_EQ(r.http_status, 200) << r.body;
  r = Call("GET", "/api/v1/alerts", "", "");
  ASSERT_EQ(r.http_status, 200) << r.body;
  Json list = Json::parse(r.body)["alerts"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["severity"], "critical");
  // The status carries them too.
  r = Call("GET", "/api/v1/status", "", "");
  EXPECT_EQ(Json::parse(r.body)["alerts"].size(), 2u) << r.body;
  // CAP Cancel ends the CAP one; DELETE the other; a second DELETE is 404.
  r = Call("POST", "/api/v1/alerts",
           Cap("cap-2", "Cancel", "weather@example.cn,cap-1,2025-12-01T08:55:00+08:00"),
           "application/xml");
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_EQ(intake_->Snapshot()->alerts.size(), 1u);
  EXPECT_EQ(Call("DELETE", "/api/v1/alerts/storm").http_status, 200);
  EXPECT_EQ(Call("DELETE", "/api/v1/alerts/storm").http_status, 404);
  EXPECT_TRUE(intake_->Snapshot()->alerts.empty());
}

TEST_F(AlertApiTest, RefusedWithAReasonAndTheTokenFirst) {
  StartServer();
  PushResult r = Call("POST", "/api/v1/alerts", kStorm, "text/plain");
  EXPECT_EQ(r.http_status, 415) << r.body;
  r = Call("POST", "/api/v1/alerts", R"(<alert xmlns="urn:wrong"><identifier>x</identifier></alert>)",
           "application/cap+xml");
  EXPECT_EQ(r.http_status, 400) << r.body;
  EXPECT_FALSE(Json::parse(r.body)["error"].get<std::string>().empty());
  PushResult anonymous = CallScreenApi(base_, ApiCall{"POST", "/api/v1/alerts", "application/json", kStorm},
                                       "wrong", std::nullopt, 10s);
  EXPECT_EQ(anonymous.http_status, 403);
  EXPECT_TRUE(intake_->Snapshot()->alerts.empty());
}

TEST_F(AlertApiTest, WithTrustedKeysAnUnsignedPostIs403) {
  SecretKey key = NewKey();
  StartServer({key.Public()});
  PushResult r = Call("POST", "/api/v1/alerts", kStorm);
  EXPECT_EQ(r.http_status, 403) << r.body;
  r = CallScreenApi(base_, ApiCall{"POST", "/api/v1/alerts", "application/json", kStorm}, kToken,
                    SignMinisig(kStorm, key, "file:alert.json"), 10s);
  EXPECT_EQ(r.http_status, 200) << r.body;
}

// A fleet's feed: a file on a web server, read with conditional GETs.
class AlertFeedTest : public AlertsTest {
 protected:
  void SetUp() override {
    AlertsTest::SetUp();
    server_.Get("/alerts.json", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++requests_;
      if (!present_) {
        res.status = 404;
        return;
      }
      const std::string etag = "\"" + std::to_string(std::hash<std::string>()(body_)) + "\"";
      res.set_header("ETag", etag);
      if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
      }
      res.set_content(body_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
    AlertsTest::TearDown();
  }
  void Serve(std::string body, bool present = true) {
    std::lock_guard lock(mu_);
    body_ = std::move(body);
    present_ = present;
  }
  PullOptions Options() {
    PullOptions o;
    o.url = "http://127.0.0.1:" + std::to_string(port_) + "/alerts.json";
    o.interval = 15s;
    return o;
  }
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::string body_;
  bool present_ = true;
  int requests_ = 0;
};

TEST_F(AlertFeedTest, TheFeedIsTheWholeSetAndGoesAwayWhenRemoved) {
  auto intake = Intake();
  // Another path's alert, which the feed must never touch.
  ASSERT_TRUE(intake->Submit(Post(R"({"id": "local", "severity": "info", "title": "本校通知"})")).ok());
  Serve(R"({"alerts": [)" + std::string(kStorm) +
        R"(, {"id": "heat", "severity": "warning", "title": "高温预警", "for": "3h"}]})");
  AlertFeed feed(*intake, Options());
  EXPECT_EQ(feed.PollOnce(), 15s);
  EXPECT_EQ(intake->Snapshot()->alerts.size(), 3u);
  const auto generation = intake->Snapshot()->generation;
  feed.PollOnce();  // 304: nothing changes
  EXPECT_EQ(intake->Snapshot()->generation, generation);
  // "heat" taken out of the file: it ends.
  Serve(R"({"alerts": [)" + std::string(kStorm) + "]}");
  feed.PollOnce();
  auto snapshot = intake->Snapshot();
  ASSERT_EQ(snapshot->alerts.size(), 2u);
  for (const auto& a : snapshot->alerts) EXPECT_NE(a.alert.id, "heat");
  // The file deleted: the feed's alerts end, the local one stays.
  Serve("", false);
  feed.PollOnce();
  snapshot = intake->Snapshot();
  ASSERT_EQ(snapshot->alerts.size(), 1u);
  EXPECT_EQ(snapshot->alerts[0].alert.id, "local");
}

TEST_F(AlertFeedTest, ANetworkFailureKeepsWhatIsOnScreenAndBacksOff) {
  auto intake = Intake();
  Serve(R"({"alerts": [)" + std::string(kStorm) + "]}");
  AlertFeed feed(*intake, Options());
  feed.PollOnce();
  ASSERT_EQ(intake->Snapshot()->alerts.size(), 1u);
  server_.stop();
  thread_.join();
  thread_ = std::thread([] {});
  EXPECT_LT(feed.PollOnce(), 15s) << "the next try comes sooner";
  EXPECT_EQ(intake->Snapshot()->alerts.size(), 1u);
}

TEST_F(AlertFeedTest, ABrokenFeedIsRefusedAndTheAlertsStay) {
  auto intake = Intake();
  Serve(R"({"alerts": [)" + std::string(kStorm) + "]}");
  AlertFeed feed(*intake, Options());
  feed.PollOnce();
  Serve(R"({"alerts": [ {"id": "x", "title": )");
  feed.PollOnce();
  EXPECT_EQ(intake->Snapshot()->alerts.size(), 1u);
  EXPECT_EQ(intake->Snapshot()->alerts[0].alert.id, "storm");
}

}  // namespace
}  // namespace nb::update
