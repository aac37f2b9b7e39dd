#include "update/state_store.h"
#include "update/update_pipeline.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "state_folder_fixture.h"
#include "test_playlists.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using testing_support::ReadText;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

std::string AllErrors(const std::vector<playlist::Diagnostic>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.ToString() + "\n";
  return out;
}

class UpdatePipelineTest : public testing_support::StateFolderTest {
 protected:
  UpdatePipelineTest() : StateFolderTest("nb-pipeline") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    OpenStore(env_);
  }

  std::atomic<int> wakes_{0};
};

TEST_F(UpdatePipelineTest, ValidUpdateIsStoredPostedAndAnnounced) {
  UpdatePipeline pipeline(env_, *store_, {}, [this] { ++wakes_; });
  UpdateResult r = pipeline.Submit({UpdateSource::kUsb, "/media/stick", SampleJson(15)});
  ASSERT_EQ(r.outcome, UpdateOutcome::kApplied) << r.reason;
  EXPECT_EQ(r.notice, "已从U盘更新播放列表：15 条");
  EXPECT_EQ(Stored(), SamplePlaylist(15));
  auto posted = pipeline.mailbox().TakePlaylist();
  ASSERT_TRUE(posted);
  EXPECT_EQ(*posted, SamplePlaylist(15));
  EXPECT_FALSE(pipeline.mailbox().TakePlaylist());  // taken once
  auto notice = pipeline.mailbox().TakeNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text, "已从U盘更新播放列表：15 条");
  EXPECT_EQ(notice->kind, NoticeKind::kSuccess);
  EXPECT_GE(wakes_.load(), 1);

  UpdateStatus st = pipeline.status();
  EXPECT_EQ(st.playlist_items, 15u);
  EXPECT_EQ(st.playlist_hash, PlaylistHash(SamplePlaylist(15)));
  EXPECT_EQ(st.playlist_hash.size(), 64u);
  EXPECT_EQ(st.last_update_source, "usb:/media/stick");
  EXPECT_EQ(st.last_update_at, "2025-12-01T01:00:00Z");
  EXPECT_TRUE(st.last_error.empty());

  EXPECT_EQ(pipeline.Submit({UpdateSource::kPull, "https://x/p.json", SampleJson(2, "b")}).notice,
            "已从网络更新播放列表：2 条");
  EXPECT_EQ(pipeline.Submit({UpdateSource::kPush, "127.0.0.1", SampleJson(3, "c")}).notice,
            "已通过推送更新播放列表：3 条");
}

TEST_F(UpdatePipelineTest, InvalidPlaylistKeepsTheOldOneAndSaysWhy) {
  UpdatePipeline pipeline(env_, *store_, {});
  ASSERT_TRUE(pipeline.Submit({UpdateSource::kUsb, "stick", SampleJson(4)}).ok());
  pipeline.mailbox().TakePlaylist();
  std::string bad = SampleJson(4, "z");
  const std::string second_title = "\"title\": \"通知 z 第2条\"";
  bad.replace(bad.find(second_title), second_title.size(), "\"title\": \"\"");
  UpdateResult r = pipeline.Submit({UpdateSource::kUsb, "/media/s/noticeboard/playlist.json", bad});
  ASSERT_EQ(r.outcome, UpdateOutcome::kRejected);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].where, "/items/1/title");
  EXPECT_NE(r.reason.find("/items/1/title"), std::string::npos) << r.reason;
  EXPECT_EQ(r.notice, "U盘中的播放列表有 1 处错误，未更新；详见管理页面或日志");
  EXPECT_FALSE(pipeline.mailbox().TakePlaylist());
  auto notice = pipeline.mailbox().TakeNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->kind, NoticeKind::kRefused);
  EXPECT_EQ(Stored(), SamplePlaylist(4));
  EXPECT_EQ(pipeline.status().last_error, r.reason);
  EXPECT_EQ(pipeline.status().updates_rejected, 1);

  // Not JSON at all, e.g. a half-copied file.
  std::string half = SampleJson(4, "h");
  half.resize(half.size() / 2);
  UpdateResult r2 = pipeline.Submit({UpdateSource::kPull, "http://h/p.json", half});
  EXPECT_EQ(r2.outcome, UpdateOutcome::kRejected);
  EXPECT_EQ(r2.notice, "网络上的播放列表格式有误，未更新；详见管理页面或日志");
  EXPECT_EQ(Stored(), SamplePlaylist(4));

  // Cut in the middle of a character (通 is 3 bytes): the log and status say
  // so in words, without the broken character; the screen gets none of it.
  std::string cut = SampleJson(4, "c");
  cut.resize(cut.find("通知 c") + 2);
  UpdateResult r3 =
      pipeline.Submit({UpdateSource::kUsb, "/media/s/noticeboard/playlist.json", cut});
  EXPECT_EQ(r3.outcome, UpdateOutcome::kRejected);
  EXPECT_NE(r3.reason.find("JSON syntax error: the file ends in the middle of a character: it "
                           "was cut short"),
            std::string::npos)
      << r3.reason;
  EXPECT_EQ(r3.notice, "U盘中的播放列表格式有误，未更新；详见管理页面或日志");
}

// What the technician saw in the lobby (issue #21): a JSON pointer, a parser's
// English and 「另有 3 处错误」 in a red box. The screen now gets a count in
// plain words; the reason, the errors and the status keep every detail, and
// the log has every error on a line of its own.
TEST_F(UpdatePipelineTest, RefusalWithFourErrorsIsOnePlainLineOnScreenAndInFullInTheLog) {
  UpdatePipeline pipeline(env_, *store_, {});
  nlohmann::json doc = nlohmann::json::parse(SampleJson(3, "e"));
  doc["items"][0]["schedule"] = {{"from", "2025-02-30"}};
  doc["items"][1]["title"] = "";
  doc["items"][2]["duration_s"] = -5;
  doc["defaults"]["transition"]["kind"] = "fade";
  ::testing::internal::CaptureStderr();
  UpdateResult r = pipeline.Submit(
      {UpdateSource::kUsb, "/media/pi/STICK/noticeboard/playlist.json", doc.dump(2)});
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(r.outcome, UpdateOutcome::kRejected);
  ASSERT_EQ(r.errors.size(), 4u) << r.reason;

  EXPECT_EQ(r.notice, "U盘中的播放列表有 4 处错误，未更新；详见管理页面或日志");
  // "U盘" is how everyone says it; any other Latin letter is English on screen.
  std::string words = r.notice;
  for (auto at = words.find("U盘"); at != std::string::npos; at = words.find("U盘"))
    words.erase(at, 1);
  for (char c : words) {
    EXPECT_FALSE(std::isalpha(static_cast<unsigned char>(c))) << "English on screen: " << r.notice;
    EXPECT_NE(c, '/') << "a path or a pointer on screen: " << r.notice;
    EXPECT_NE(c, ':') << "a place on screen: " << r.notice;
    EXPECT_NE(c, '"') << "a quote from the file on screen: " << r.notice;
  }
  auto notice = pipeline.mailbox().TakeNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text, r.notice);
  EXPECT_EQ(notice->kind, NoticeKind::kRefused);

  // The reason stays one line, as before; the status keeps every error.
  EXPECT_NE(r.reason.find("（另有 3 处错误）"), std::string::npos) << r.reason;
  EXPECT_EQ(r.reason.find('\n'), std::string::npos) << r.reason;
  EXPECT_NE(AllErrors(r.errors).find("/items/0/schedule/from: "), std::string::npos)
      << AllErrors(r.errors);
  EXPECT_EQ(pipeline.status().last_error, r.reason);
  ASSERT_EQ(pipeline.status().last_errors.size(), 4u);
  for (const auto& e : r.errors) {
    EXPECT_NE(log.find(e.ToString()), std::string::npos) << "not in the log: " << e.ToString();
  }
  EXPECT_NE(log.find("error 4 of 4: "), std::string::npos) << log;
}

// Each kind of refusal has its own plain words, naming where it came from.
TEST_F(UpdatePipelineTest, EachKindOfRefusalHasItsOwnPlainLine) {
  UpdatePipeline pipeline(env_, *store_, {});
  const std::string tail = "，未更新；详见管理页面或日志";
  std::string huge(kMaxUpdateBytes + 1, ' ');
  EXPECT_EQ(pipeline.Submit({UpdateSource::kPush, "client", huge}).notice,
            "推送的播放列表过大" + tail);
  EXPECT_EQ(pipeline.Submit({UpdateSource::kConsole, "admin@10.0.0.5", "{\"version\": 1,"}).notice,
            "管理页面发布的播放列表格式有误" + tail);
  UpdateRequest bulletin{UpdateSource::kUsb, "/media/s/noticeboard/bulletin.txt", "\xCC\xCC"};
  bulletin.format = UpdateFormat::kBulletin;
  EXPECT_EQ(pipeline.Submit(bulletin).notice, "U盘中的公告文本格式有误" + tail);
  EXPECT_EQ(pipeline
                .ReportFailure(UpdateSource::kUsb, "/media/s/noticeboard/playlist.json",
                               "Input/output error (was the stick pulled out?)")
                .notice,
            "无法读取U盘中的播放列表" + tail);
  EXPECT_EQ(pipeline
                .ReportFailure(UpdateSource::kUsb, "/media/s/noticeboard/playlist.json",
                               "5000000 bytes is over the limit", true, RefusalKind::kTooLarge)
                .notice,
            "U盘中的播放列表过大" + tail);
  // Every one of them was a refusal on screen.
  auto notice = pipeline.mailbox().TakeNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->kind, NoticeKind::kRefused);
  // A network outage is not news for the lobby: nothing posted.
  UpdateResult outage = pipeline.ReportFailure(UpdateSource::kPull, "https://x/p.json",
                                               "could not connect", /*announce=*/false);
  EXPECT_EQ(outage.notice, "无法读取网络上的播放列表" + tail);
  EXPECT_FALSE(pipeline.mailbox().TakeNotice());
}

// More errors than the playlist checker lists: the count is still right.
TEST_F(UpdatePipelineTest, ErrorsPastTheListedOnesAreCounted) {
  UpdatePipeline pipeline(env_, *store_, {});
  nlohmann::json doc = nlohmann::json::parse(SampleJson(130, "m"));
  for (auto& item : doc["items"]) item["title"] = "";
  UpdateResult r = pipeline.Submit({UpdateSource::kFile, "/srv/playlist.json", doc.dump()});
  ASSERT_EQ(r.outcome, UpdateOutcome::kRejected);
  EXPECT_LT(r.errors.size(), 130u);
  EXPECT_EQ(r.notice, "播放列表文件有 130 处错误，未更新；详见管理页面或日志");
}

// The config's "notices": refusals only, or nothing, kept off the screen by
// the frame loop's DeliverUpdates; the pipeline still records everything.
TEST_F(UpdatePipelineTest, NoticePolicyKeepsKindsOffTheScreenButNotOutOfTheStatus) {
  struct FakeShow {
    std::vector<std::pair<std::string, NoticeKind>> notices;
    int offers = 0;
    void Offer(std::shared_ptr<const playlist::Playlist>) { ++offers; }
    void Notice(std::string text, NoticeKind kind) { notices.emplace_back(text, kind); }
  };
  UpdatePipeline pipeline(env_, *store_, {});
  for (NoticePolicy policy : {NoticePolicy::kAll, NoticePolicy::kSuccess, NoticePolicy::kNone}) {
    FakeShow show;
    const std::string tag = "p" + std::to_string(static_cast<int>(policy));
    ASSERT_TRUE(pipeline.Submit({UpdateSource::kUsb, "s", SampleJson(2, tag)}).ok());
    EXPECT_TRUE(DeliverUpdates(pipeline.mailbox(), show, policy));
    EXPECT_FALSE(pipeline.Submit({UpdateSource::kUsb, "s", "{"}).ok());
    DeliverUpdates(pipeline.mailbox(), show, policy);
    EXPECT_EQ(show.offers, 1);
    std::vector<NoticeKind> kinds;
    for (const auto& n : show.notices) kinds.push_back(n.second);
    switch (policy) {
      case NoticePolicy::kAll:
        EXPECT_EQ(kinds, (std::vector{NoticeKind::kSuccess, NoticeKind::kRefused}));
        break;
      case NoticePolicy::kSuccess:
        EXPECT_EQ(kinds, (std::vector{NoticeKind::kSuccess}));
        break;
      case NoticePolicy::kNone:
        EXPECT_TRUE(kinds.empty());
        break;
    }
    EXPECT_FALSE(pipeline.mailbox().TakeNotice()) << "taken and dropped";
  }
  EXPECT_EQ(pipeline.status().updates_rejected, 3);
  EXPECT_EQ(pipeline.status().updates_applied, 3);
  EXPECT_NE(pipeline.status().last_error.find("syntax error"), std::string::npos);
}

// A reason can quote kilobytes of the file (here an unknown field's name);
// the screen gets its one plain line, the log and status the whole reason.
TEST_F(UpdatePipelineTest, LongReasonsStayOffTheScreenButAreKeptInFull) {
  UpdatePipeline pipeline(env_, *store_, {});
  std::string key(3000, 'x');
  for (int i = 0; i < 500; ++i) key += "天";
  std::string text = SampleJson(2, "h");
  text.insert(text.find('{') + 1, "\"" + key + "\": 1, ");
  UpdateResult r = pipeline.Submit({UpdateSource::kPull, "http://h/p.json", text});
  ASSERT_EQ(r.outcome, UpdateOutcome::kRejected);
  EXPECT_GT(r.reason.size(), 1000u);
  EXPECT_EQ(pipeline.status().last_error, r.reason);
  EXPECT_EQ(r.notice, "网络上的播放列表有 1 处错误，未更新；详见管理页面或日志");
}

TEST_F(UpdatePipelineTest, OversizeIsRefusedBeforeParsing) {
  UpdatePipeline pipeline(env_, *store_, {});
  std::string huge(kMaxUpdateBytes + 1, ' ');
  UpdateResult r = pipeline.Submit({UpdateSource::kPush, "client", huge});
  EXPECT_EQ(r.outcome, UpdateOutcome::kRejected);
  EXPECT_NE(r.reason.find("over the limit of 4 MiB"), std::string::npos) << r.reason;
  EXPECT_FALSE(fs::exists(store_->current_path()));
}

TEST_F(UpdatePipelineTest, BulletinIsBuiltOnTheSpot) {
  UpdatePipeline pipeline(env_, *store_, {});
  std::string text = ReadText(NB_SOURCE_DIR "/playlists/tianjin-education.txt");
  ASSERT_FALSE(text.empty());
  UpdateRequest req{UpdateSource::kUsb, "/media/s/noticeboard/bulletin.txt", text};
  req.format = UpdateFormat::kBulletin;
  UpdateResult r = pipeline.Submit(req);
  ASSERT_EQ(r.outcome, UpdateOutcome::kApplied) << r.reason;
  ASSERT_TRUE(r.playlist);
  EXPECT_GT(r.playlist->items.size(), 3u);
  EXPECT_EQ(r.notice, "已从U盘更新播放列表：" + std::to_string(r.playlist->items.size()) + " 条");
  EXPECT_EQ(Stored().items.size(), r.playlist->items.size());

  UpdateRequest broken{UpdateSource::kUsb, "bulletin.txt",
                       "天津教育\n·\n标题\n2025-13-40\n正文 -\n"};
  broken.format = UpdateFormat::kBulletin;
  UpdateResult bad = pipeline.Submit(broken);
  EXPECT_EQ(bad.outcome, UpdateOutcome::kRejected);
  EXPECT_NE(bad.reason.find("bulletin.txt:"), std::string::npos) << bad.reason;
}

TEST_F(UpdatePipelineTest, SameStickTwiceSaysUnchanged) {
  UpdatePipeline pipeline(env_, *store_, {});
  ASSERT_EQ(pipeline.Submit({UpdateSource::kUsb, "s", SampleJson(5)}).outcome,
            UpdateOutcome::kApplied);
  pipeline.mailbox().TakePlaylist();
  UpdateResult again = pipeline.Submit({UpdateSource::kUsb, "s", SampleJson(5)});
  EXPECT_EQ(again.outcome, UpdateOutcome::kUnchanged);
  EXPECT_EQ(again.notice, "U盘中的播放列表与正在播放的相同：5 条");
  EXPECT_FALSE(pipeline.mailbox().TakePlaylist());
}

TEST_F(UpdatePipelineTest, FullDiskKeepsTheOldPlaylistOnScreenAndOnDisk) {
  UpdatePipeline pipeline(env_, *store_, {});
  ASSERT_TRUE(pipeline.Submit({UpdateSource::kPush, "c", SampleJson(2)}).ok());
  pipeline.mailbox().TakePlaylist();
  faulty_.FailWrites(ENOSPC, 2);
  UpdateResult r = pipeline.Submit({UpdateSource::kPush, "c", SampleJson(9, "n")});
  EXPECT_EQ(r.outcome, UpdateOutcome::kStoreFailed);
  EXPECT_NE(r.reason.find("No space left on device"), std::string::npos) << r.reason;
  EXPECT_EQ(r.notice, "推送的播放列表无法保存，未更新；详见管理页面或日志");
  EXPECT_FALSE(pipeline.mailbox().TakePlaylist());  // not shown: it would be lost on reboot
  EXPECT_EQ(Stored(), SamplePlaylist(2));
}

TEST_F(UpdatePipelineTest, TwoHundredRapidUpdatesLeaveTheLastValidOne) {
  UpdatePipeline pipeline(env_, *store_, {});
  std::string last_valid_tag;
  for (int i = 0; i < 200; ++i) {
    std::string tag = "r" + std::to_string(i);
    std::string text = SampleJson(1 + i % 5, tag);
    // Every third one is broken, and so is the very last.
    if (i % 3 == 2 || i == 199) text = "{\"version\": 1, \"items\": [";
    if (pipeline.Submit({UpdateSource::kPush, "c", text}).ok()) last_valid_tag = tag;
  }
  ASSERT_EQ(last_valid_tag, "r198");
  auto on_screen = pipeline.mailbox().TakePlaylist();
  ASSERT_TRUE(on_screen);
  EXPECT_EQ(*on_screen, SamplePlaylist(1 + 198 % 5, "r198"));
  EXPECT_EQ(Stored(), *on_screen);
  EXPECT_EQ(pipeline.status().updates_applied, 133);
  EXPECT_EQ(pipeline.status().updates_rejected, 67);
}

TEST_F(UpdatePipelineTest, ConcurrentSourcesAgreeOnTheNewest) {
  UpdatePipeline pipeline(env_, *store_, {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&pipeline, t] {
      for (int i = 0; i < 30; ++i) {
        pipeline.Submit({t == 0   ? UpdateSource::kUsb
                         : t == 1 ? UpdateSource::kPull
                                  : UpdateSource::kPush,
                         "t" + std::to_string(t),
                         SampleJson(1 + i % 4, "t" + std::to_string(t) + "-" + std::to_string(i))});
      }
    });
  }
  for (auto& th : threads) th.join();
  auto on_screen = pipeline.mailbox().TakePlaylist();
  ASSERT_TRUE(on_screen);
  EXPECT_EQ(Stored(), *on_screen);
  EXPECT_EQ(pipeline.status().playlist_hash, PlaylistHash(*on_screen));
}

TEST_F(UpdatePipelineTest, SignedOnlyWhenKeysAreConfigured) {
  if (!HaveMinisign()) GTEST_SKIP() << testing_support::kMinisignMissing;
  PublicKey k;
  fs::path file;
  ASSERT_NO_FATAL_FAILURE(SignPlaylist(SampleJson(6), &k, &file));
  UpdatePipeline pipeline(env_, *store_, {k});

  UpdateResult unsigned_r = pipeline.Submit({UpdateSource::kUsb, "stick", SampleJson(6)});
  EXPECT_EQ(unsigned_r.outcome, UpdateOutcome::kRejected);
  EXPECT_NE(unsigned_r.reason.find("no signature"), std::string::npos) << unsigned_r.reason;
  EXPECT_EQ(unsigned_r.notice, "U盘中的播放列表没有签名，未更新；详见管理页面或日志");

  UpdateRequest tampered{UpdateSource::kPull, "http://h/p.json", SampleJson(7)};
  tampered.signature = ReadText(file.string() + ".minisig");
  UpdateResult tampered_r = pipeline.Submit(tampered);
  EXPECT_NE(tampered_r.reason.find("does not match its signature"), std::string::npos);
  EXPECT_EQ(tampered_r.notice, "网络上的播放列表签名无效，未更新；详见管理页面或日志");
  EXPECT_FALSE(fs::exists(store_->current_path()));

  UpdateRequest good{UpdateSource::kUsb, "stick", ReadText(file)};
  good.signature = ReadText(file.string() + ".minisig");
  EXPECT_EQ(pipeline.Submit(good).outcome, UpdateOutcome::kApplied);
  EXPECT_EQ(Stored(), SamplePlaylist(6));

  // The screen's own watched file needs no signature.
  EXPECT_EQ(pipeline.Submit({UpdateSource::kFile, "/etc/p.json", SampleJson(2, "f")}).outcome,
            UpdateOutcome::kApplied);
}

// The last update survives a restart: the stored playlist's record says
// when it came.
TEST(UpdateStatusAfterRestartTest, TheStoredRecordGivesTheLastUpdate) {
  testing_support::TestEnv env(Env::Default().fs());
  MemoryPlaylistStore store;
  UpdatePipeline pipeline(env, store, {});
  pipeline.SetInitial(std::make_shared<const playlist::Playlist>(testing_support::SamplePlaylist(2)),
                      "usb:/media/stick", "2025-11-30T08:00:00Z");
  EXPECT_EQ(pipeline.status().last_update_at, "2025-11-30T08:00:00Z");
  EXPECT_EQ(pipeline.status().last_update_source, "usb:/media/stick");
}

// `noticeboard rollback` (#21 point 15): the previous playlist comes back
// through the pipeline, with trusted keys too (it was signed when it came),
// and counts in the metrics as a rollback; with nothing before, it says so.
TEST_F(UpdatePipelineTest, RollbackBringsThePreviousPlaylistBackWithTrustedKeysToo) {
  ASSERT_GE(sodium_init(), 0);
  SecretKey key;
  crypto_sign_keypair(key.key.data() + 32, key.key.data());
  randombytes_buf(key.key_id.data(), key.key_id.size());
  UpdatePipeline pipeline(env_, *store_, {key.Public()});
  EXPECT_FALSE(pipeline.RestorePrevious(UpdateSource::kRollback, "test").ok());
  for (const std::string& json : {SampleJson(4, "first"), SampleJson(6, "second")}) {
    UpdateRequest r{UpdateSource::kPush, "test", json};
    r.signature = SignMinisig(json, key, "file:playlist.json");
    ASSERT_TRUE(pipeline.Submit(r).ok());
  }
  // A push of the same bytes unsigned would be refused; the rollback is not.
  EXPECT_FALSE(pipeline.Submit({UpdateSource::kPush, "test", SampleJson(4, "first")}).ok());
  UpdateResult back = pipeline.RestorePrevious(UpdateSource::kRollback, "rollback (test)");
  ASSERT_TRUE(back.ok()) << back.reason;
  EXPECT_EQ(back.notice, "已恢复上一个播放列表：4 条");
  EXPECT_EQ(Stored(), SamplePlaylist(4, "first"));
  EXPECT_EQ(pipeline.status().applied_by_source.at("rollback"), 1);
  EXPECT_EQ(pipeline.status().rejected_by_source.at("push"), 1);
}

}  // namespace
}  // namespace nb::update
