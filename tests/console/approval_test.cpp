// Approval without HTTP (issue 22): the draft store, the audit log (torn
// lines, the CSV, the pending file's recovery both ways), the approver's
// diff and the expiring items, and the submit -> return -> resubmit ->
// approve flow through the real update pipeline on a state folder.
#include "console/approval.h"

#include <gtest/gtest.h>

#include <fstream>

#include "console/audit_log.h"
#include "console/drafts.h"
#include "console/playlist_diff.h"
#include "update/state_folder_fixture.h"
#include "update/test_playlists.h"

namespace nb::console {
namespace {

using testing_support::ReadText;
using testing_support::SampleJson;
using testing_support::SamplePlaylist;

class ApprovalTest : public testing_support::StateFolderTest {
 protected:
  ApprovalTest() : StateFolderTest("nb-approval") {}
  void SetUp() override {
    StateFolderTest::SetUp();
    OpenStore(env_);
    OpenPipeline(env_);
    state_ = (dir_ / "state").string();
  }
  std::unique_ptr<Approval> Make() {
    return std::make_unique<Approval>(env_, *pipeline_, state_, std::nullopt);
  }
  std::vector<AuditEntry> Log() {
    AuditLog log(env_.fs(), state_);
    std::vector<AuditEntry> entries;
    EXPECT_TRUE(log.Read(&entries).ok());
    return entries;
  }
  std::string state_;
};

// ---- the draft store ----

TEST_F(ApprovalTest, DraftsGoSubmittedReturnedResubmittedApproved) {
  DraftStore store(env_, state_ + "/drafts");
  DraftResult d = store.Submit("li", SampleJson(2), "天津教育", 2, "h1", "请审核", "");
  ASSERT_TRUE(d.ok()) << d.message;
  EXPECT_TRUE(DraftStore::ValidId(d.draft.id)) << d.draft.id;
  EXPECT_EQ(d.draft.state, DraftState::kSubmitted);
  EXPECT_EQ(d.draft.version, 1);
  const std::string id = d.draft.id;

  DraftResult back = store.Return(id, 1, "wang", "第二条日期不对");
  ASSERT_TRUE(back.ok()) << back.message;
  EXPECT_EQ(back.draft.state, DraftState::kReturned);
  EXPECT_EQ(back.draft.comment, "第二条日期不对");
  // Returned: it cannot be approved until it comes back.
  EXPECT_EQ(store.CheckApprovable(id, 1).error, DraftError::kConflict);
  // Only its author resubmits.
  EXPECT_EQ(store.Submit("zhao", SampleJson(3), "t", 3, "h2", "", id).error,
            DraftError::kForbidden);
  DraftResult again = store.Submit("li", SampleJson(3), "天津教育", 3, "h2", "已改", id);
  ASSERT_TRUE(again.ok()) << again.message;
  EXPECT_EQ(again.draft.id, id);
  EXPECT_EQ(again.draft.version, 2);
  EXPECT_EQ(again.draft.state, DraftState::kResubmitted);
  EXPECT_TRUE(again.draft.comment.empty());
  // The approver looked at version 1: stale.
  EXPECT_EQ(store.CheckApprovable(id, 1).error, DraftError::kConflict);
  ASSERT_TRUE(store.CheckApprovable(id, 2).ok());
  ASSERT_TRUE(store.MarkApproved(id, "wang").ok());
  DraftResult now = store.Get(id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now.draft.state, DraftState::kApproved);
  EXPECT_EQ(now.draft.playlist_json, SampleJson(3));
  EXPECT_EQ(store.Submit("li", SampleJson(1), "t", 1, "h3", "", id).error, DraftError::kConflict);
  EXPECT_EQ(store.Return(id, 2, "wang", "x").error, DraftError::kConflict);
}

TEST_F(ApprovalTest, DraftIdsCannotNameAPathAndADamagedRecordHidesNoOther) {
  DraftStore store(env_, state_ + "/drafts");
  for (const char* bad : {"../current", "", "20261207-103015-zzzzzz", "20261207-103015-abcdef/x"})
    EXPECT_EQ(store.Get(bad).error, DraftError::kNotFound) << bad;
  ASSERT_TRUE(store.Submit("li", SampleJson(1), "t", 1, "h", "", "").ok());
  env_.clock_.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(store.Submit("li", SampleJson(2), "t", 2, "h", "", "").ok());
  std::ofstream(dir_ / "state" / "drafts" / "20250101-000000-abcdef.json") << "{not json";
  std::vector<Draft> drafts;
  ASSERT_TRUE(store.List(&drafts).ok());
  ASSERT_EQ(drafts.size(), 2u);
  EXPECT_EQ(drafts[0].items, 2u);  // newest first
}

// ---- the audit log ----

AuditEntry Sample(const std::string& user, const std::string& action, const std::string& hash) {
  AuditEntry e;
  e.at = "2026-12-07T10:00:00Z";
  e.user = user;
  e.action = action;
  e.hash = hash;
  e.title = "天津教育";
  e.items = 3;
  e.note = "请审核";
  return e;
}

TEST_F(ApprovalTest, AuditLogSkipsATornLineAndTheNextAppendStartsAfreshLine) {
  AuditLog log(env_.fs(), state_);
  ASSERT_TRUE(log.Append({Sample("li", "submit", "h1")}).ok());
  // A crash mid-append: half an entry, no newline.
  {
    std::ofstream out(dir_ / "state" / "audit.log", std::ios::app | std::ios::binary);
    out << R"({"at":"2026-12-07T10:01:00Z","user":"wa)";
  }
  std::vector<AuditEntry> entries;
  ASSERT_TRUE(log.Read(&entries).ok());
  ASSERT_EQ(entries.size(), 1u);
  AuditLog after_restart(env_.fs(), state_);
  ASSERT_TRUE(after_restart.Append({Sample("wang", "approve", "h1")}).ok());
  ASSERT_TRUE(after_restart.Read(&entries).ok());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1], Sample("wang", "approve", "h1"));
  // The torn line stays in the file, on a line of its own.
  std::string text = ReadText(dir_ / "state" / "audit.log");
  EXPECT_NE(text.find("\"wa\n{"), std::string::npos) << text;
}

TEST_F(ApprovalTest, PendingEntriesAreAppendedWhenTheirPlaylistPlaysElseDropped) {
  AuditLog log(env_.fs(), state_);
  ASSERT_TRUE(log.BeginPending({Sample("wang", "approve", "hash-new")}).ok());
  EXPECT_TRUE(env_.fs().Exists(log.pending_path()));
  // The publish did not happen: the screen plays another playlist.
  EXPECT_EQ(log.Recover("hash-old"), Recovery::kDropped);
  EXPECT_FALSE(env_.fs().Exists(log.pending_path()));
  EXPECT_TRUE(Log().empty());
  // Nothing plays at all: nothing happened either.
  ASSERT_TRUE(log.BeginPending({Sample("wang", "approve", "hash-new")}).ok());
  EXPECT_EQ(log.Recover(""), Recovery::kDropped);
  // It happened: the entries join the log.
  ASSERT_TRUE(log.BeginPending(
                     {Sample("wang", "submit", "hash-new"), Sample("wang", "approve", "hash-new")})
                  .ok());
  std::vector<AuditEntry> recovered;
  EXPECT_EQ(log.Recover("hash-new", &recovered), Recovery::kAppended);
  EXPECT_EQ(recovered.size(), 2u);
  EXPECT_FALSE(env_.fs().Exists(log.pending_path()));
  ASSERT_EQ(Log().size(), 2u);
  EXPECT_EQ(Log()[1].action, "approve");
  EXPECT_EQ(log.Recover("hash-new"), Recovery::kNothing);
}

TEST_F(ApprovalTest, CsvHasABomQuotesEveryCellAndDefusesFormulas) {
  AuditEntry e = Sample("li", "submit", "h");
  e.note = "=HYPERLINK(\"http://x\",\"点我\")";
  e.title = "说\"明\",\n第二行";
  std::string csv = AuditCsv({e});
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"说\"\"明\"\",\n第二行\""), std::string::npos) << csv;
  for (const char* risky : {"+1", "-1", "@SUM(A1)", "\tx"})
    EXPECT_EQ(CsvCell(risky), std::string("\"'") + risky + "\"") << risky;
  EXPECT_EQ(CsvCell("平常的说明"), "\"平常的说明\"");
}

// ---- the diff ----

TEST_F(ApprovalTest, TextDiffIsByCharacterForChinese) {
  auto spans = DiffText("本校开放日定于十二月十二日举行。", "本校开放日改在十二月十九日举行。");
  std::string removed, added, same;
  for (const TextSpan& s : spans) {
    (s.op == TextSpan::Op::kRemoved ? removed
     : s.op == TextSpan::Op::kAdded ? added
                                    : same) += s.text;
  }
  EXPECT_EQ(removed, "定于二");
  EXPECT_EQ(added, "改在九");
  EXPECT_EQ(same, "本校开放日十二月十日举行。");
  EXPECT_EQ(DiffText("", "新"), (std::vector<TextSpan>{{TextSpan::Op::kAdded, "新"}}));
}

TEST_F(ApprovalTest, DiffFindsAddedRemovedAndChangedItemsById) {
  playlist::Playlist playing = SamplePlaylist(4);  // a-0 .. a-3
  playlist::Playlist draft = playing;
  draft.items.erase(draft.items.begin() + 1);  // a-1 removed
  draft.items[1].summary = "摘要改了。";       // a-2 changed
  draft.items[1].schedule = playlist::Schedule{};
  draft.items[1].schedule->until = playlist::LocalDateTime{2025, 12, 5, 23, 59, 59};
  playlist::Item fresh;
  fresh.id = "new-1";
  fresh.title = "新通知";
  draft.items.insert(draft.items.begin(), fresh);  // added first
  PlaylistDiff d = DiffPlaylists(playing, draft);
  EXPECT_EQ(d.added, 1);
  EXPECT_EQ(d.removed, 1);
  EXPECT_EQ(d.changed, 1);
  std::vector<std::string> order;
  for (const ItemDiff& x : d.items)
    order.push_back(std::string(ItemDiffKindName(x.kind)) + ":" + x.id);
  EXPECT_EQ(order, (std::vector<std::string>{"added:new-1", "same:a-0", "removed:a-1",
                                             "changed:a-2", "same:a-3"}));
  const ItemDiff& changed = d.items[3];
  ASSERT_EQ(changed.fields.size(), 2u);
  EXPECT_EQ(changed.fields[0].field, "summary");
  EXPECT_FALSE(changed.fields[0].spans.empty());
  EXPECT_EQ(changed.fields[1].field, "schedule");
  EXPECT_EQ(changed.fields[1].after, "到 2025-12-05 23:59");
  // A reorder is a move, not a change.
  playlist::Playlist swapped = playing;
  std::swap(swapped.items[0], swapped.items[3]);
  PlaylistDiff m = DiffPlaylists(playing, swapped);
  EXPECT_EQ(m.changed, 0);
  int moved = 0;
  for (const ItemDiff& x : m.items) moved += x.moved;
  EXPECT_GE(moved, 1);
}

TEST_F(ApprovalTest, ExpiringListsItemsWhoseUntilFallsInTheNextSevenDays) {
  setenv("TZ", "Asia/Shanghai", 1);
  tzset();
  playlist::Playlist p = SamplePlaylist(4);
  auto until = [](int y, int m, int d) {
    playlist::Schedule s;
    s.until = playlist::LocalDateTime{y, m, d, 23, 59, 59};
    return s;
  };
  // Now: Monday 2025-12-01 09:00 in Shanghai (TestEnv's clock).
  p.items[0].schedule = until(2025, 12, 3);   // in 2 days
  p.items[1].schedule = until(2025, 12, 30);  // too far
  p.items[2].schedule = until(2025, 11, 30);  // over already
  p.items[3].schedule = until(2025, 12, 7);   // in 6 days
  auto items = ExpiringItems(p, env_.clock().WallNow(), 7);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, "a-0");
  EXPECT_EQ(items[0].until, "2025-12-03 23:59");
  EXPECT_EQ(items[1].id, "a-3");
}

// ---- the flow through the pipeline ----

TEST_F(ApprovalTest, SubmitReturnResubmitApprovePublishesAndLogsEachStep) {
  auto approval = Make();
  ApprovalOutcome bad =
      approval->Submit("li", R"({"version":1,"title":"x","items":[{"id":"a"}]})", "", "");
  EXPECT_EQ(bad.http, 400);
  EXPECT_FALSE(bad.errors.empty());

  ApprovalOutcome sub = approval->Submit("li", SampleJson(2), "开放日通知，请审核", "");
  ASSERT_TRUE(sub.ok()) << sub.error;
  const std::string id = sub.draft.id;
  EXPECT_EQ(pipeline_->status().updates_applied, 0);  // submitting publishes nothing
  ASSERT_TRUE(approval->Return("wang", id, 1, "请补充第二条的日期").ok());
  ASSERT_TRUE(approval->Submit("li", SampleJson(3), "已补充", id).ok());
  EXPECT_EQ(approval->Approve("wang", id, 1, "test").http, 409);  // stale version
  ApprovalOutcome ok = approval->Approve("wang", id, 2, "test");
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.draft.state, DraftState::kApproved);
  EXPECT_EQ(Stored(), SamplePlaylist(3));
  EXPECT_EQ(approval->Approve("wang", id, 2, "test").http, 409);  // once only

  auto log = Log();
  ASSERT_EQ(log.size(), 4u);
  std::vector<std::string> steps;
  for (const AuditEntry& e : log) steps.push_back(e.action + ":" + e.user + ":" + e.draft_id);
  EXPECT_EQ(steps, (std::vector<std::string>{"submit:li:" + id, "return:wang:" + id,
                                             "resubmit:li:" + id, "approve:wang:" + id}));
  EXPECT_EQ(log[1].note, "请补充第二条的日期");
  EXPECT_EQ(log[3].hash, update::PlaylistHash(SamplePlaylist(3)));
  EXPECT_EQ(log[3].version, 2);
  EXPECT_FALSE(env_.fs().Exists(state_ + "/audit.pending"));
}

TEST_F(ApprovalTest, ADirectPublishIsRecordedAsSubmitAndApproveAndARefusalAsNothing) {
  auto approval = Make();
  ApprovalOutcome out = approval->Publish("wang", SampleJson(5), "紧急更换", "test");
  ASSERT_TRUE(out.ok()) << out.error;
  auto log = Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "submit");
  EXPECT_EQ(log[1].action, "approve");
  EXPECT_EQ(log[0].user, "wang");
  EXPECT_EQ(log[1].user, "wang");
  EXPECT_EQ(log[1].note, "紧急更换");
  // The store cannot write: refused, and nothing recorded nor pending.
  faulty_.FailWrites(EIO, 1, 1);  // the pending file succeeds, the commit fails
  ApprovalOutcome failed = approval->Publish("wang", SampleJson(6), "", "test");
  EXPECT_EQ(failed.http, 500);
  EXPECT_EQ(Log().size(), 2u);
  EXPECT_FALSE(env_.fs().Exists(state_ + "/audit.pending"));
  ASSERT_TRUE(approval->Publish("wang", SampleJson(7), "", "test").ok());
  ApprovalOutcome restored = approval->Restore("wang", "test");
  ASSERT_TRUE(restored.ok()) << restored.error;
  EXPECT_EQ(Stored(), SamplePlaylist(5));
  EXPECT_EQ(Log().back().action, "restore");
  EXPECT_EQ(Log().back().hash, update::PlaylistHash(SamplePlaylist(5)));
}

// The in-process half of the crash rule: a pending approval found at start.
TEST_F(ApprovalTest, RecoverAtStartFinishesAnApprovalWhosePlaylistPlays) {
  auto approval = Make();
  ApprovalOutcome sub = approval->Submit("li", SampleJson(2), "", "");
  ASSERT_TRUE(sub.ok());
  AuditEntry e;
  e.at = "2025-12-01T01:00:00Z";
  e.user = "wang";
  e.action = "approve";
  e.draft_id = sub.draft.id;
  e.version = 1;
  e.hash = update::PlaylistHash(SamplePlaylist(2));
  // Crash after the publish: the playlist plays, the entry is pending.
  ASSERT_TRUE(approval->audit().BeginPending({e}).ok());
  ASSERT_TRUE(pipeline_->Submit({update::UpdateSource::kConsole, "t", SampleJson(2)}).ok());
  EXPECT_EQ(Make()->Recover(), Recovery::kAppended);
  EXPECT_EQ(Log().back(), e);
  EXPECT_EQ(approval->drafts().Get(sub.draft.id).draft.state, DraftState::kApproved);
  // Crash before the publish: another playlist plays; dropped.
  ApprovalOutcome sub2 = approval->Submit("li", SampleJson(4), "", "");
  e.draft_id = sub2.draft.id;
  e.hash = update::PlaylistHash(SamplePlaylist(4));
  ASSERT_TRUE(approval->audit().BeginPending({e}).ok());
  const std::size_t before = Log().size();
  EXPECT_EQ(Make()->Recover(), Recovery::kDropped);
  EXPECT_EQ(Log().size(), before);
  EXPECT_EQ(approval->drafts().Get(sub2.draft.id).draft.state, DraftState::kSubmitted);
}

}  // namespace
}  // namespace nb::console
