// From an update source to the slide show: the pipeline's mailbox delivered
// into render::Show the way the play loop does it (DeliverUpdates once per
// frame), with a fake clock driving the slides.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "render/show.h"
#include "state_folder_fixture.h"
#include "test_playlists.h"
#include "update/api_server.h"
#include "update/push_client.h"
#include "update/state_store.h"
#include "update/update_pipeline.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

class UpdateToScreenTest : public testing_support::StateFolderTest {
 protected:
  UpdateToScreenTest() : StateFolderTest("nb-screen") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    OpenStore(env_);
    OpenPipeline(env_);
    initial_ = std::make_shared<const playlist::Playlist>(SamplePlaylist(3, "old"));
    pipeline_->SetInitial(initial_, "test");
  }
  // One frame of the play loop.
  void Frame(render::Show& show) {
    DeliverUpdates(pipeline_->mailbox(), show);
    show.Tick();
  }

  std::shared_ptr<const playlist::Playlist> initial_;
};

TEST_F(UpdateToScreenTest, UpdateDuringATransitionWaitsForTheSlideBoundary) {
  auto& clock = env_.clock_;
  render::Show show(clock, initial_);  // 15 s slides, 600 ms crossfades
  Frame(show);
  ASSERT_EQ(show.current().index, 0);
  clock.Advance(15s);  // slide 1 → 2 begins to fade
  Frame(show);
  clock.Advance(200ms);
  Frame(show);
  ASSERT_TRUE(show.transitioning());

  UpdateResult r = pipeline_->Submit({UpdateSource::kUsb, "stick", SampleJson(5, "new")});
  ASSERT_EQ(r.outcome, UpdateOutcome::kApplied);
  Frame(show);
  // Mid-fade: both slides still from the old playlist, the notice is up.
  EXPECT_EQ(show.current().playlist, initial_);
  ASSERT_TRUE(show.outgoing());
  EXPECT_EQ(show.outgoing()->playlist, initial_);
  EXPECT_EQ(show.notice(), "已从U盘更新播放列表：5 条");
  clock.Advance(500ms);  // the fade is over; slide 2 plays on
  Frame(show);
  EXPECT_FALSE(show.transitioning());
  EXPECT_EQ(show.current().playlist, initial_);
  EXPECT_EQ(show.current().index, 1);

  clock.Advance(15s);  // the boundary
  Frame(show);
  ASSERT_NE(show.current().playlist, initial_);
  EXPECT_EQ(*show.current().playlist, SamplePlaylist(5, "new"));
  EXPECT_EQ(show.current().count, 5);
}

TEST_F(UpdateToScreenTest, TwoHundredRapidPushesLeaveTheLastValidOneOnScreen) {
  auto& clock = env_.clock_;
  render::Show show(clock, initial_);
  Frame(show);
  ApiOptions options;
  options.port = 0;
  options.token = "0123456789abcdef0123";
  ApiServer server(env_, *pipeline_, options, {});
  ASSERT_TRUE(server.Start().ok());
  std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  int valid = 0;
  for (int i = 0; i < 200; ++i) {
    std::string body = SampleJson(1 + i % 6, "p" + std::to_string(i));
    if (i % 4 == 3) body = "{\"version\": 1, \"items\": [{}]}";
    PushResult r = PushPlaylist(url, body, options.token, std::nullopt);
    ASSERT_NE(r.http_status, 0) << r.error;
    if (r.http_status == 200) ++valid;
    if (i % 7 == 0) {  // the frame loop runs now and then in between
      clock.Advance(16ms);
      Frame(show);
    }
  }
  server.Stop();
  EXPECT_EQ(valid, 150);  // every fourth is refused, the last one (199) too
  clock.Advance(16ms);
  Frame(show);
  // The last push was refused: the screen says so in plain words, amber.
  EXPECT_EQ(show.notice(), "推送的播放列表有 3 处错误，未更新；详见管理页面或日志");
  EXPECT_EQ(show.notice_kind(), NoticeKind::kRefused);
  clock.Advance(20s);  // past the next boundary
  Frame(show);
  ASSERT_TRUE(show.current().playlist);
  EXPECT_EQ(*show.current().playlist, SamplePlaylist(1 + 198 % 6, "p198"));
  std::vector<std::string> warnings;
  EXPECT_EQ(store_->Load(&warnings)->playlist, SamplePlaylist(1 + 198 % 6, "p198"));
}

}  // namespace
}  // namespace nb::update
