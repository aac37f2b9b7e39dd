// FilePlaylistStore: the store of `noticeboard console` on a desktop, where
// publishing writes the playlist file (and its signature, with a key).
#include "update/file_playlist_store.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "state_folder_fixture.h"
#include "test_playlists.h"
#include "update/update_pipeline.h"

namespace nb::update {
namespace {

using testing_support::ReadText;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

class FilePlaylistStoreTest : public testing_support::StateFolderTest {
 protected:
  FilePlaylistStoreTest() : StateFolderTest("nb-filestore") {}
  std::string File() const { return (dir_ / "playlist.json").string(); }
};

TEST_F(FilePlaylistStoreTest, PublishWritesTheFileAndRestoreBringsTheOldOneBack) {
  FilePlaylistStore store(faulty_, File(), SamplePlaylist(2));
  UpdatePipeline pipeline(env_, store, {});
  pipeline.SetInitial(std::make_shared<const playlist::Playlist>(SamplePlaylist(2)), "file");
  UpdateResult r = pipeline.Submit({UpdateSource::kConsole, "console", SampleJson(5)});
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(ReadText(File()), playlist::ToJson(SamplePlaylist(5)));
  UpdateResult back = pipeline.RestorePrevious(UpdateSource::kConsole, "console restore");
  ASSERT_TRUE(back.ok()) << back.reason;
  EXPECT_EQ(ReadText(File()), playlist::ToJson(SamplePlaylist(2)));
}

TEST_F(FilePlaylistStoreTest, AFullDiskLeavesTheFileAsItWas) {
  FilePlaylistStore store(faulty_, File());
  ASSERT_TRUE(store.Commit(SamplePlaylist(3), "console").ok());
  faulty_.FailWrites(ENOSPC);
  Status s = store.Commit(SamplePlaylist(4), "console");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unchanged"), std::string::npos) << s.message();
  EXPECT_EQ(ReadText(File()), playlist::ToJson(SamplePlaylist(3)));
  EXPECT_EQ(store.current(), SamplePlaylist(3));
}

TEST_F(FilePlaylistStoreTest, WithAKeyEachPlaylistGetsItsSignatureBeside) {
  if (!HaveMinisign()) GTEST_SKIP() << testing_support::kMinisignMissing;
  PublicKey pub;
  std::filesystem::path signed_file;
  SignPlaylist(SampleJson(1), &pub, &signed_file);  // makes <dir>/k.key
  SecretKey key;
  ASSERT_TRUE(ParseSecretKey(ReadText(dir_ / "k.key"), "", "k.key", &key).ok());
  FilePlaylistStore store(faulty_, File(), std::nullopt, key);
  ASSERT_TRUE(store.Commit(SamplePlaylist(7), "console").ok());
  Status s = VerifySignature(ReadText(File()), ReadText(File() + ".minisig"), {pub},
                             "playlist.json");
  EXPECT_TRUE(s.ok()) << s.message();
}

}  // namespace
}  // namespace nb::update
