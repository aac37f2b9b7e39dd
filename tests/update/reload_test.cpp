#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/manual_clock.h"
#include "playlist/playlist.h"
#include "render/show.h"
#include "test_dir.h"
#include "update/file_watch.h"
#include "update/playlist_store.h"
#include "update/state_store.h"
#include "update/update_pipeline.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

playlist::Playlist MakePlaylist(std::vector<std::string> ids) {
  playlist::Playlist p;
  p.title = "天津教育";
  p.generated_at = "2025-12-01T08:00:00+08:00";
  p.default_duration_s = 10;
  for (const std::string& id : ids) {
    playlist::Item item;
    item.id = id;
    item.title = "标题 " + id;
    item.summary = "摘要。";
    item.date = "2025-12-01";
    p.items.push_back(item);
  }
  return p;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// Without a state folder (plain `play FILE`) the reloader submits to a
// pipeline whose store keeps the playlist in memory: the same validation,
// mailbox and notices as every other update path.
class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = nb::testing_support::FreshTestDir("nb-reload");
    path_ = dir_ / "playlist.json";
    initial_ = playlist::ToJson(MakePlaylist({"a", "b", "c"}));
    WriteFile(path_, initial_);
    pipeline_.SetInitial(std::make_shared<const playlist::Playlist>(MakePlaylist({"a", "b", "c"})),
                         "file:" + path_.string());
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Waits (bounded) for the pipeline to post a playlist.
  std::shared_ptr<const playlist::Playlist> WaitForPlaylist() {
    for (int i = 0; i < 500; ++i) {
      if (auto p = pipeline_.mailbox().TakePlaylist()) return p;
      std::this_thread::sleep_for(10ms);
    }
    return nullptr;
  }
  std::optional<Notice> WaitForNotice() {
    for (int i = 0; i < 500; ++i) {
      if (auto n = pipeline_.mailbox().TakeNotice()) return n;
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }

  fs::path dir_, path_;
  std::string initial_;
  PosixFileSystem fs_;
  MemoryPlaylistStore memory_;
  std::atomic<int> wakes_{0};
  UpdatePipeline pipeline_{Env::Default(), memory_, {}, [this] { ++wakes_; }};
};

TEST_F(ReloadTest, RenameOverIsSeenAndSwappedAtTheNextBoundary) {
  ManualClock clock;
  auto first = std::make_shared<const playlist::Playlist>(MakePlaylist({"a", "b", "c"}));
  render::Show show(clock, first);
  PlaylistReloader reloader(fs_, path_.string(), pipeline_);
  ASSERT_TRUE(reloader.Start(initial_).ok());

  // Editor style: write a temp file, rename it over the playlist.
  WriteFile(dir_ / ".playlist.json.tmp", playlist::ToJson(MakePlaylist({"x", "b", "y"})));
  fs::rename(dir_ / ".playlist.json.tmp", path_);
  auto posted = WaitForPlaylist();
  ASSERT_TRUE(posted);
  // The mailbox wakes the loop after posting: the playlist can be seen
  // before the wake has run, so wait for what is asserted.
  for (int i = 0; i < 500 && wakes_.load() < 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_GE(wakes_.load(), 1);
  ASSERT_TRUE(memory_.current());
  EXPECT_EQ(*memory_.current(), MakePlaylist({"x", "b", "y"}));

  show.Offer(posted);
  show.Tick();
  EXPECT_EQ(show.playlist(), first) << "swapped before the slide boundary";
  EXPECT_EQ(show.current().item()->id, "a");

  clock.Advance(10s);  // the end of slide "a"
  show.Tick();
  EXPECT_EQ(show.playlist(), posted);
  // "a" is gone: the item that took its place ("x", first) plays next.
  EXPECT_EQ(show.current().item()->id, "x");
  EXPECT_EQ(show.current().position, 1);
  // Nothing was written beside the playlist: there is no state folder.
  reloader.Stop();
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(ReloadTest, PlainCopyInPlaceIsSeen) {
  PlaylistReloader reloader(fs_, path_.string(), pipeline_);
  ASSERT_TRUE(reloader.Start(initial_).ok());
  WriteFile(path_, playlist::ToJson(MakePlaylist({"a", "b", "c", "d"})));
  auto posted = WaitForPlaylist();
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->items.size(), 4u);
  auto notice = WaitForNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text, "已从文件更新播放列表：4 条");
  EXPECT_EQ(notice->kind, NoticeKind::kSuccess);
}

TEST_F(ReloadTest, ItemOnScreenStaysInOrderAfterSwap) {
  ManualClock clock;
  render::Show show(clock,
                    std::make_shared<const playlist::Playlist>(MakePlaylist({"a", "b", "c"})));
  clock.Advance(10s);
  show.Tick();
  ASSERT_EQ(show.current().item()->id, "b");
  // The new playlist inserts an item before "b": the show continues after "b".
  show.Offer(std::make_shared<const playlist::Playlist>(MakePlaylist({"new", "a", "b", "c"})));
  clock.Advance(10s);
  show.Tick();
  EXPECT_EQ(show.current().item()->id, "c");
  EXPECT_EQ(show.current().position, 4);
}

TEST_F(ReloadTest, InvalidFileKeepsOldPlaylistAndShowsNotice) {
  ManualClock clock;
  auto first = std::make_shared<const playlist::Playlist>(MakePlaylist({"a", "b"}));
  render::Show show(clock, first);
  PlaylistReloader reloader(fs_, path_.string(), pipeline_);
  ASSERT_TRUE(reloader.Start(initial_).ok());

  WriteFile(path_, "{\"version\": 1, \"items\": [");  // a half-copied file
  for (int i = 0; i < 500 && pipeline_.status().updates_rejected == 0; ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(pipeline_.status().updates_rejected, 1);
  EXPECT_FALSE(memory_.current()) << "nothing accepted";
  // The frame loop's side: the refusal reaches the screen as a notice.
  EXPECT_TRUE(DeliverUpdates(pipeline_.mailbox(), show));
  EXPECT_EQ(show.notice(), "播放列表文件格式有误，未更新；详见管理页面或日志");
  EXPECT_EQ(show.notice_kind(), NoticeKind::kRefused);
  clock.Advance(9s);
  show.Tick();
  EXPECT_FALSE(show.notice().empty());
  clock.Advance(1s);  // a slide boundary, and the notice's 10 s are over
  show.Tick();
  EXPECT_EQ(show.playlist(), first);
  EXPECT_EQ(show.current().item()->id, "b");
  EXPECT_TRUE(show.notice().empty()) << "the notice stays about 10 s";
}

TEST_F(ReloadTest, UnchangedFileIsNotReloadedButRequestForcesIt) {
  PlaylistReloader reloader(fs_, path_.string(), pipeline_);
  ASSERT_TRUE(reloader.Start(initial_).ok());
  WriteFile(path_, initial_);  // touched, same content
  std::this_thread::sleep_for(400ms);
  EXPECT_FALSE(pipeline_.mailbox().TakePlaylist());
  EXPECT_FALSE(pipeline_.mailbox().TakeNotice());
  reloader.RequestReload();
  // Submitted although unchanged: the memory store, empty until now, takes it.
  for (int i = 0; i < 500 && pipeline_.status().updates_applied == 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(pipeline_.status().updates_applied, 1);
  ASSERT_TRUE(memory_.current());
  EXPECT_EQ(*memory_.current(), MakePlaylist({"a", "b", "c"}));
}

TEST_F(ReloadTest, DeletingTheFileIsNotAChange) {
  PlaylistReloader reloader(fs_, path_.string(), pipeline_);
  ASSERT_TRUE(reloader.Start(initial_).ok());
  fs::remove(path_);
  std::this_thread::sleep_for(400ms);
  EXPECT_FALSE(pipeline_.mailbox().TakePlaylist());
  EXPECT_FALSE(pipeline_.mailbox().TakeNotice());
  EXPECT_EQ(pipeline_.status().updates_rejected, 0);
}

// With a state folder, edits of the file take the update pipeline: stored,
// posted to the mailbox, announced; a bad edit is refused and nothing stored.
TEST_F(ReloadTest, WithAPipelineEditsAreStoredAndBadOnesRefused) {
  Env& env = Env::Default();
  StateStore store(env, (dir_ / "state").string());
  ASSERT_TRUE(store.Open().ok());
  UpdatePipeline pipeline(env, store, {});
  pipeline.SetInitial(std::make_shared<const playlist::Playlist>(MakePlaylist({"a", "b", "c"})),
                      "file:" + path_.string());
  PlaylistReloader reloader(fs_, path_.string(), pipeline);
  ASSERT_TRUE(reloader.Start(initial_).ok());

  // An editor's save: write a temp file, rename it over.
  WriteFile(dir_ / "playlist.json.tmp", playlist::ToJson(MakePlaylist({"x", "y"})));
  fs::rename(dir_ / "playlist.json.tmp", path_);
  std::shared_ptr<const playlist::Playlist> posted;
  for (int i = 0; i < 500 && !posted; ++i) {
    posted = pipeline.mailbox().TakePlaylist();
    if (!posted) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(posted);
  EXPECT_EQ(*posted, MakePlaylist({"x", "y"}));
  auto notice = pipeline.mailbox().TakeNotice();
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->text, "已从文件更新播放列表：2 条");
  std::vector<std::string> warnings;
  auto stored = store.Load(&warnings);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->playlist, MakePlaylist({"x", "y"}));
  EXPECT_EQ(stored->source, "file:" + path_.string());

  // A half-saved file: refused with the reason, the stored one stays.
  std::string half = playlist::ToJson(MakePlaylist({"p", "q", "r"}));
  WriteFile(path_, half.substr(0, half.size() / 2));
  std::optional<Notice> refusal;
  for (int i = 0; i < 500 && !refusal; ++i) {
    refusal = pipeline.mailbox().TakeNotice();
    if (!refusal) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->kind, NoticeKind::kRefused);
  EXPECT_EQ(refusal->text, "播放列表文件格式有误，未更新；详见管理页面或日志");
  EXPECT_NE(pipeline.status().last_error.find("playlist.json:"), std::string::npos)
      << pipeline.status().last_error;
  EXPECT_FALSE(pipeline.mailbox().TakePlaylist());
  stored = store.Load(&warnings);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->playlist, MakePlaylist({"x", "y"}));
  EXPECT_EQ(pipeline.status().updates_rejected, 1);
  reloader.Stop();
}

}  // namespace
}  // namespace nb::update
