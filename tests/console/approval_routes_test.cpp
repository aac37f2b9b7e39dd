// Issue 22 over HTTP, on a real server on loopback: every console route
// declares a role, an editor is refused every approver's route (403) and
// allowed the others; submit -> return -> resubmit -> approve between an
// editor and an approver; the diff, the audit log, its CSV, the expiring
// items; an editor's export is never signed.
#include <gtest/gtest.h>

#include <set>

#include "console/console_server_fixture.h"

namespace nb::console {
namespace {

class ApprovalRoutesTest : public ConsoleRoutesTest {
 protected:
  void SetUp() override {
    ConsoleRoutesTest::SetUp();
    SetPassword("li", Role::kEditor);
    SetPassword("wang", Role::kApprover);
  }
  void As(const std::string& user) {
    cookie_.clear();
    csrf_.clear();
    auto r = Login(kPassword, user);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }
  Json PostJson(const std::string& path, const Json& body, int expect = 200) {
    auto r = Post(path, body.dump());
    EXPECT_TRUE(r) << path;
    if (!r) return Json();
    EXPECT_EQ(r->status, expect) << path << ": " << r->body;
    return Json::parse(r->body, nullptr, false);
  }
  Json GetJson(const std::string& path, int expect = 200) {
    auto r = Get(path);
    EXPECT_TRUE(r) << path;
    if (!r) return Json();
    EXPECT_EQ(r->status, expect) << path << ": " << r->body;
    return Json::parse(r->body, nullptr, false);
  }
};

TEST_F(ApprovalRoutesTest, AnEditorIsRefusedEveryApproversRouteAndAllowedTheRest) {
  StartServer();
  ConsoleRoutes* routes = server_->console();
  ASSERT_TRUE(routes);
  std::set<std::string> approver_only;
  for (const RouteInfo& r : routes->routes()) {
    if (r.access == Access::kApprover) approver_only.insert(r.method + " " + r.path);
  }
  // What changes the screen or decides on a draft is never an editor's.
  for (const char* must : {"POST /console/api/publish", "POST /console/api/restore",
                           "POST /console/api/drafts/approve", "POST /console/api/drafts/return"})
    EXPECT_TRUE(approver_only.count(must)) << must << " is not approvers-only";

  As("li");
  int checked = 0;
  for (const RouteInfo& r : routes->routes()) {
    if (r.path.rfind("/console/api/", 0) != 0 || r.access == Access::kPublic) continue;
    if (r.path == "/console/api/logout") continue;  // would end the session
    auto res = r.method == "GET" ? Get(r.path + "?id=20261207-103015-abcdef")
                                 : Post(r.path, SampleJson(2));
    ASSERT_TRUE(res) << r.path;
    if (r.access == Access::kApprover) {
      EXPECT_EQ(res->status, 403) << r.method << " " << r.path;
      EXPECT_NE(res->body.find("审核人"), std::string::npos) << res->body;
    } else {
      EXPECT_NE(res->status, 403) << r.method << " " << r.path << ": " << res->body;
      EXPECT_EQ(res->body.find("no such console endpoint"), std::string::npos)
          << r.path << " is not routed";
    }
    ++checked;
  }
  EXPECT_GE(checked, 20);
  EXPECT_EQ(pipeline_->status().updates_applied, 0);
  // An approver is refused none of them (publish goes through).
  As("wang");
  auto published = Post("/console/api/publish", SampleJson(2));
  ASSERT_TRUE(published);
  EXPECT_EQ(published->status, 200) << published->body;
  // A path nobody declared is not served.
  auto unknown = Get("/console/api/nothing-here");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(ApprovalRoutesTest, WithoutASessionEveryRouteButTheLoginsIs401) {
  StartServer();
  for (const RouteInfo& r : server_->console()->routes()) {
    if (r.access == Access::kPublic) continue;
    auto res = r.method == "GET" ? Get(r.path) : Post(r.path, SampleJson(1));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << r.method << " " << r.path;
  }
}

TEST_F(ApprovalRoutesTest, SubmitReturnResubmitApproveBetweenAnEditorAndAnApprover) {
  StartServer();
  As("wang");
  ASSERT_EQ(Post("/console/api/publish", SampleJson(3))->status, 200);  // what plays: a-0..a-2

  // The editor: item a-1 removed, a-2's summary changed, one added.
  As("li");
  Json draft = Json::parse(SampleJson(3));
  draft["items"].erase(1);
  draft["items"][1]["summary"] = "摘要已更新。";
  draft["items"].push_back({{"id", "new-1"}, {"title", "新通知"}});
  Json bad = draft;
  bad["items"][0]["duration_s"] = -1;
  Json refused = PostJson("/console/api/drafts/submit", {{"playlist", bad}, {"note", "x"}}, 400);
  EXPECT_EQ(refused["errors"][0]["where"], "/items/0/duration_s");
  Json sub = PostJson("/console/api/drafts/submit", {{"playlist", draft}, {"note", "请审核"}});
  const std::string id = sub["draft"]["id"];
  EXPECT_EQ(sub["draft"]["state"], "submitted");
  PostJson("/console/api/drafts/approve", {{"id", id}, {"version", 1}}, 403);

  // The approver: the list, the diff, a return with a comment.
  As("wang");
  Json list = GetJson("/console/api/drafts");
  ASSERT_EQ(list["drafts"].size(), 1u);
  EXPECT_EQ(list["drafts"][0]["author"], "li");
  Json diff = GetJson("/console/api/draft/diff?id=" + id);
  EXPECT_EQ(diff["added"], 1);
  EXPECT_EQ(diff["removed"], 1);
  EXPECT_EQ(diff["changed"], 1);
  bool highlighted = false;
  for (const auto& item : diff["items"]) {
    if (item["kind"] != "changed") continue;
    EXPECT_EQ(item["id"], "a-2");
    for (const auto& span : item["fields"][0]["spans"])
      highlighted |= span["op"] == "added" && span["text"] == "已更新";
  }
  EXPECT_TRUE(highlighted) << diff.dump();
  PostJson("/console/api/drafts/return", {{"id", id}, {"version", 1}, {"comment", " "}}, 400);
  PostJson("/console/api/drafts/return",
           {{"id", id}, {"version", 1}, {"comment", "新通知缺少内容"}});

  // The editor sees it returned with the comment, fixes and resubmits.
  As("li");
  Json mine = GetJson("/console/api/drafts");
  ASSERT_EQ(mine["drafts"].size(), 1u);
  EXPECT_EQ(mine["drafts"][0]["state"], "returned");
  EXPECT_EQ(mine["drafts"][0]["comment"], "新通知缺少内容");
  Json full = GetJson("/console/api/draft?id=" + id);
  Json fixed = full["draft"]["playlist"];
  fixed["items"][2]["summary"] = "下周一升旗仪式。";
  Json again =
      PostJson("/console/api/drafts/submit", {{"playlist", fixed}, {"note", "已补充"}, {"id", id}});
  EXPECT_EQ(again["draft"]["version"], 2);
  EXPECT_EQ(again["draft"]["state"], "resubmitted");
  EXPECT_EQ(pipeline_->status().updates_applied, 1);  // still only the first publish

  As("wang");
  PostJson("/console/api/drafts/approve", {{"id", id}, {"version", 1}}, 409);
  Json approved = PostJson("/console/api/drafts/approve", {{"id", id}, {"version", 2}});
  EXPECT_EQ(approved["outcome"], "applied");
  EXPECT_EQ(approved["draft"]["state"], "approved");
  EXPECT_EQ(pipeline_->current()->items.size(), 3u);
  EXPECT_EQ(pipeline_->current()->items[2].summary, "下周一升旗仪式。");

  // The log, newest first, paged; editors may read it.
  As("li");
  Json audit = GetJson("/console/api/audit?per_page=2");
  EXPECT_EQ(audit["total"], 6);  // publish (submit + approve), submit, return, resubmit, approve
  ASSERT_EQ(audit["entries"].size(), 2u);
  EXPECT_EQ(audit["entries"][0]["action"], "approve");
  EXPECT_EQ(audit["entries"][0]["user"], "wang");
  EXPECT_EQ(audit["entries"][0]["draft"], id);
  EXPECT_EQ(audit["entries"][0]["hash"], update::PlaylistHash(*pipeline_->current()));
  EXPECT_EQ(audit["entries"][1]["action"], "resubmit");
  Json page2 = GetJson("/console/api/audit?per_page=2&page=2");
  ASSERT_EQ(page2["entries"].size(), 2u);
  EXPECT_EQ(page2["entries"][1]["action"], "submit");
  auto csv = Get("/console/api/audit.csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(csv->body.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv->body.find("新通知缺少内容"), std::string::npos);
}

TEST_F(ApprovalRoutesTest, ExpiringNamesTheItemsThatEndWithinAWeek) {
  StartServer();
  As("wang");
  Json p = Json::parse(SampleJson(3));
  p["items"][1]["schedule"] = {{"until", "2025-12-04"}};  // the clock: 2025-12-01
  p["items"][2]["schedule"] = {{"until", "2026-03-01"}};
  ASSERT_EQ(Post("/console/api/publish", p.dump())->status, 200);
  As("li");
  Json playing = GetJson("/console/api/expiring");
  ASSERT_EQ(playing["items"].size(), 1u);
  EXPECT_EQ(playing["items"][0]["id"], "a-1");
  EXPECT_EQ(playing["days"], 7);
  p["items"][2]["schedule"] = {{"until", "2025-12-02"}};
  Json draft = PostJson("/console/api/expiring", p);
  EXPECT_EQ(draft["items"].size(), 2u);
}

// An approver's key on the console: the approver's export is signed, an
// editor's is not (it would get past every screen's approval otherwise).
TEST_F(ApprovalRoutesTest, AnEditorsExportIsNeverSigned) {
  if (!HaveMinisign()) GTEST_SKIP() << testing_support::kMinisignMissing;
  std::string pub = (dir_ / "a.pub").string(), sec = (dir_ / "a.key").string();
  ASSERT_EQ(std::system(("minisign -G -W -f -p " + pub + " -s " + sec + " >/dev/null").c_str()), 0);
  update::SecretKey key;
  ASSERT_TRUE(update::ParseSecretKey(testing_support::ReadText(sec), "", sec, &key).ok());
  StartServer(key);
  As("li");
  Json editor = PostJson("/console/api/export", Json::parse(SampleJson(2)));
  EXPECT_TRUE(editor["minisig"].is_null());
  As("wang");
  Json approver = PostJson("/console/api/export", Json::parse(SampleJson(2)));
  EXPECT_TRUE(approver["minisig"].is_string());
}

}  // namespace
}  // namespace nb::console
