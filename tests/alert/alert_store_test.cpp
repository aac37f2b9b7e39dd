#include "alert/alert_store.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/manual_clock.h"
#include "test_dir.h"

namespace nb::alert {
namespace {

using namespace std::chrono_literals;
using Kind = AlertEvent::Kind;

// Fails every atomic write as a full disk does, leaving the target alone.
class FullDisk final : public FileSystemWrapper {
 public:
  using FileSystemWrapper::FileSystemWrapper;
  Status WriteFileAtomic(const std::string& path, const std::string&) override {
    return Status::Error(path + ": write failed: " + std::strerror(ENOSPC) +
                         "; the old file is unchanged");
  }
};

Alert MakeAlert(std::string id, std::chrono::seconds duration) {
  Alert a;
  a.id = std::move(id);
  a.severity = Severity::kCritical;
  a.title = "今日停课";
  a.text = "受暴雨影响，今日停课。";
  a.source = "区教育局";
  a.duration = duration;
  return a;
}

AlertMessage Upsert(Alert a) {
  AlertMessage m;
  m.upserts.push_back(std::move(a));
  return m;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class AlertStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing_support::FreshTestDir("alert-store"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  PosixFileSystem fs_;
  ManualClock clock_;
  AlertPolicy policy_;
};

TEST_F(AlertStoreTest, SavesAndLoadsAcrossARestart) {
  AlertSet set(clock_, policy_);
  set.Apply(Upsert(MakeAlert("rain", 3h)), "api");
  set.Apply(Upsert(MakeAlert("drill", 1h)), "feed");
  AlertStore store(fs_, dir_.string());
  EXPECT_EQ(store.path(), (dir_ / "alerts.json").string());
  ASSERT_TRUE(store.Save(set).ok());

  ManualClock restarted(clock_.WallNow() + 30min);  // a new boot: another monotonic clock
  AlertSet after(restarted, policy_);
  EXPECT_TRUE(AlertStore(fs_, dir_.string()).Load(after).empty());
  auto snapshot = after.Snapshot();
  ASSERT_EQ(snapshot->alerts.size(), 2u);
  EXPECT_EQ(snapshot->alerts[0].alert, MakeAlert("drill", 1h));
  EXPECT_EQ(snapshot->alerts[0].origin, "feed");
  EXPECT_EQ(snapshot->alerts[0].ends_monotonic, restarted.MonotonicNow() + 30min);
  EXPECT_EQ(snapshot->alerts[1].alert, MakeAlert("rain", 3h));
  EXPECT_EQ(snapshot->alerts[1].ends, clock_.WallNow() + 3h);
}

TEST_F(AlertStoreTest, AnAlertThatExpiredWhileOffIsDropped) {
  AlertSet set(clock_, policy_);
  set.Apply(Upsert(MakeAlert("short", 10min)), "api");
  set.Apply(Upsert(MakeAlert("long", 5h)), "api");
  AlertStore store(fs_, dir_.string());
  ASSERT_TRUE(store.Save(set).ok());

  ManualClock restarted(clock_.WallNow() + 1h);
  AlertSet after(restarted, policy_);
  std::vector<AlertEvent> dropped = store.Load(after);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].kind, Kind::kExpired);
  EXPECT_EQ(dropped[0].id, "short");
  ASSERT_EQ(after.Snapshot()->alerts.size(), 1u);
  EXPECT_EQ(after.Snapshot()->alerts[0].alert.id, "long");
}

TEST_F(AlertStoreTest, AClockSetBackwardsWhileOffIsCapped) {
  AlertSet set(clock_, policy_);
  set.Apply(Upsert(MakeAlert("rain", 20h)), "api");
  AlertStore store(fs_, dir_.string());
  ASSERT_TRUE(store.Save(set).ok());

  // The Pi came back without its clock: 1970-ish would be earlier still.
  ManualClock wrong(clock_.WallNow() - std::chrono::years(3));
  AlertSet after(wrong, policy_);
  EXPECT_TRUE(store.Load(after).empty());
  ASSERT_EQ(after.Snapshot()->alerts.size(), 1u);
  EXPECT_EQ(after.Snapshot()->alerts[0].ends_monotonic, wrong.MonotonicNow() + 24h);
}

TEST_F(AlertStoreTest, AMissingFileIsAnEmptySet) {
  AlertSet set(clock_, policy_);
  EXPECT_TRUE(AlertStore(fs_, dir_.string()).Load(set).empty());
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "alerts.json.bad"));
}

TEST_F(AlertStoreTest, ACorruptFileIsMovedAside) {
  for (const char* corrupt : {"{\"version\": 1, \"alerts\": [", "\x01\x02garbage",
                              "{\"version\": 1, \"alerts\": [{\"alert\": {\"id\": \"a\"}, "
                              "\"origin\": \"api\", \"received\": \"x\", \"ends\": \"y\"}]}"}) {
    std::ofstream(dir_ / "alerts.json", std::ios::binary) << corrupt;
    AlertSet set(clock_, policy_);
    AlertStore(fs_, dir_.string()).Load(set);
    EXPECT_TRUE(set.empty()) << corrupt;
    EXPECT_FALSE(std::filesystem::exists(dir_ / "alerts.json")) << corrupt;
    EXPECT_EQ(ReadAll(dir_ / "alerts.json.bad"), corrupt);
  }
  // The next save starts a good file again.
  AlertSet set(clock_, policy_);
  set.Apply(Upsert(MakeAlert("rain", 1h)), "api");
  EXPECT_TRUE(AlertStore(fs_, dir_.string()).Save(set).ok());
  EXPECT_TRUE(std::filesystem::exists(dir_ / "alerts.json"));
}

TEST_F(AlertStoreTest, AFailedWriteReturnsTheErrorAndKeepsTheOldFile) {
  AlertSet set(clock_, policy_);
  set.Apply(Upsert(MakeAlert("rain", 1h)), "api");
  ASSERT_TRUE(AlertStore(fs_, dir_.string()).Save(set).ok());
  std::string before = ReadAll(dir_ / "alerts.json");

  set.Apply(Upsert(MakeAlert("wind", 1h)), "api");
  FullDisk full(fs_);
  Status saved = AlertStore(full, dir_.string()).Save(set);
  EXPECT_FALSE(saved.ok());
  EXPECT_NE(saved.message().find("alerts.json"), std::string::npos) << saved.message();
  EXPECT_EQ(ReadAll(dir_ / "alerts.json"), before);
}

}  // namespace
}  // namespace nb::alert
