// The draft store (drafts.h): one JSON record per draft in the state folder.
#include "console/drafts.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/log.h"
#include "base/time_format.h"

namespace nb::console {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxRecordBytes = 8 * 1024 * 1024;  // a 4 MiB playlist, escaped

bool ParseState(const std::string& text, DraftState* state) {
  for (DraftState s : {DraftState::kSubmitted, DraftState::kResubmitted, DraftState::kReturned,
                       DraftState::kApproved}) {
    if (text == DraftStateName(s)) {
      *state = s;
      return true;
    }
  }
  return false;
}

Json ToRecord(const Draft& d) {
  Json record = DraftFieldsJson(d);
  record["playlist"] = d.playlist_json;
  return record;
}

bool FromRecord(const std::string& text, Draft* d) {
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_object()) return false;
  try {
    d->id = j.at("id").get<std::string>();
    d->version = j.at("version").get<int>();
    if (!ParseState(j.at("state").get<std::string>(), &d->state)) return false;
    d->author = j.at("author").get<std::string>();
    d->note = j.value("note", "");
    d->comment = j.value("comment", "");
    d->reviewer = j.value("reviewer", "");
    d->created_at = j.value("created_at", "");
    d->updated_at = j.value("updated_at", "");
    d->title = j.value("title", "");
    d->items = j.value("items", std::size_t{0});
    d->hash = j.value("hash", "");
    d->playlist_json = j.at("playlist").get<std::string>();
  } catch (const Json::exception&) {
    return false;
  }
  return true;
}

DraftResult Refuse(DraftError error, std::string message) {
  DraftResult r;
  r.error = error;
  r.message = std::move(message);
  return r;
}

DraftResult Done(Draft draft) {
  DraftResult r;
  r.draft = std::move(draft);
  return r;
}

}  // namespace

const char* DraftStateName(DraftState state) {
  switch (state) {
    case DraftState::kSubmitted:
      return "submitted";
    case DraftState::kResubmitted:
      return "resubmitted";
    case DraftState::kReturned:
      return "returned";
    case DraftState::kApproved:
      return "approved";
  }
  return "submitted";
}

DraftStore::DraftStore(Env& env, std::string folder) : env_(env), folder_(std::move(folder)) {}

bool DraftStore::ValidId(const std::string& id) {
  // YYYYMMDD-HHMMSS-xxxxxx
  if (id.size() != 22 || id[8] != '-' || id[15] != '-') return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 15) continue;
    const char c = id[i];
    const bool digit = c >= '0' && c <= '9', hex = digit || (c >= 'a' && c <= 'f');
    if (i < 15 ? !digit : !hex) return false;
  }
  return true;
}

std::string DraftStore::Now() const { return UtcTimestamp(env_.clock().WallNow()); }

DraftResult DraftStore::Load(const std::string& id) {
  if (!ValidId(id)) return Refuse(DraftError::kNotFound, "没有这份草稿（编号不对）");
  const std::string path = folder_ + "/" + id + ".json";
  if (!env_.fs().Exists(path)) return Refuse(DraftError::kNotFound, "没有这份草稿：" + id);
  std::string text;
  if (Status s = env_.fs().ReadFile(path, &text, kMaxRecordBytes); !s.ok()) {
    LogError("drafts: " + s.message());
    return Refuse(DraftError::kStorage, "草稿无法读取：" + s.message());
  }
  Draft d;
  if (!FromRecord(text, &d) || d.id != id) {
    LogError("drafts: " + path + " is damaged (not a draft record)");
    return Refuse(DraftError::kStorage, "草稿文件已损坏：" + path);
  }
  return Done(std::move(d));
}

Status DraftStore::Save(const Draft& draft) {
  if (Status s = env_.fs().CreateFolder(folder_); !s.ok()) return s;
  return env_.fs().WriteFileAtomic(folder_ + "/" + draft.id + ".json",
                                   ToRecord(draft).dump(1) + "\n");
}

DraftResult DraftStore::Submit(const std::string& author, const std::string& playlist_json,
                               const std::string& title, std::size_t items, const std::string& hash,
                               const std::string& note, const std::string& resubmit_id) {
  std::lock_guard lock(mu_);
  Draft d;
  if (resubmit_id.empty()) {
    std::string stamp = Now();  // 2026-12-07T10:30:15Z
    std::string digits;
    for (char c : stamp) {
      if (c >= '0' && c <= '9') digits += c;
    }
    if (sodium_init() < 0) return Refuse(DraftError::kStorage, "随机数不可用，草稿没有保存");
    unsigned char random[3];
    randombytes_buf(random, sizeof random);
    char hex[7];
    sodium_bin2hex(hex, sizeof hex, random, sizeof random);
    d.id = digits.substr(0, 8) + "-" + digits.substr(8, 6) + "-" + hex;
    d.author = author;
    d.created_at = stamp;
  } else {
    DraftResult found = Load(resubmit_id);
    if (!found.ok()) return found;
    d = std::move(found.draft);
    if (d.author != author) {
      return Refuse(DraftError::kForbidden,
                    "这份草稿是 " + d.author + " 提交的，只有提交人可以修改后重新提交");
    }
    if (d.state == DraftState::kApproved)
      return Refuse(DraftError::kConflict, "这份草稿已经批准发布，不能再修改；请新建一份草稿");
    d.version += 1;
  }
  d.state = d.version == 1 ? DraftState::kSubmitted : DraftState::kResubmitted;
  d.note = note;
  d.comment.clear();
  d.reviewer.clear();
  d.updated_at = Now();
  d.title = title;
  d.items = items;
  d.hash = hash;
  d.playlist_json = playlist_json;
  if (Status s = Save(d); !s.ok()) {
    LogError("drafts: " + s.message());
    return Refuse(DraftError::kStorage, "草稿没有保存（屏幕的存储出错）：" + s.message());
  }
  return Done(std::move(d));
}

DraftResult DraftStore::CheckApprovable(const std::string& id, int version) {
  std::lock_guard lock(mu_);
  DraftResult found = Load(id);
  if (!found.ok()) return found;
  const Draft& d = found.draft;
  if (d.state == DraftState::kApproved)
    return Refuse(DraftError::kConflict, "这份草稿已经由 " + d.reviewer + " 批准发布了");
  if (d.state == DraftState::kReturned)
    return Refuse(DraftError::kConflict, "这份草稿已经退回给 " + d.author + "，等待修改后重新提交");
  if (d.version != version) {
    return Refuse(DraftError::kConflict, "提交人刚刚更新了这份草稿（现在是第 " +
                                             std::to_string(d.version) +
                                             " 版），请重新打开查看后再决定");
  }
  return found;
}

DraftResult DraftStore::Return(const std::string& id, int version, const std::string& approver,
                               const std::string& comment) {
  DraftResult checked = CheckApprovable(id, version);
  if (!checked.ok()) return checked;
  std::lock_guard lock(mu_);
  Draft d = std::move(checked.draft);
  d.state = DraftState::kReturned;
  d.comment = comment;
  d.reviewer = approver;
  d.updated_at = Now();
  if (Status s = Save(d); !s.ok()) {
    LogError("drafts: " + s.message());
    return Refuse(DraftError::kStorage, "退回没有保存（屏幕的存储出错）：" + s.message());
  }
  return Done(std::move(d));
}

DraftResult DraftStore::MarkApproved(const std::string& id, const std::string& approver) {
  std::lock_guard lock(mu_);
  DraftResult found = Load(id);
  if (!found.ok()) return found;
  Draft d = std::move(found.draft);
  if (d.state == DraftState::kApproved) return Done(std::move(d));  // recovery: already
  d.state = DraftState::kApproved;
  d.reviewer = approver;
  d.comment.clear();
  d.updated_at = Now();
  if (Status s = Save(d); !s.ok()) {
    LogError("drafts: " + s.message());
    return Refuse(DraftError::kStorage, "批准没有记入草稿（屏幕的存储出错）：" + s.message());
  }
  return Done(std::move(d));
}

DraftResult DraftStore::Get(const std::string& id) {
  std::lock_guard lock(mu_);
  return Load(id);
}

Status DraftStore::List(std::vector<Draft>* drafts) {
  std::lock_guard lock(mu_);
  drafts->clear();
  if (!env_.fs().Exists(folder_)) return Status();
  std::vector<std::string> names;
  if (Status s = env_.fs().ListFolder(folder_, &names); !s.ok()) return s;
  for (const std::string& name : names) {
    if (name.size() != 27 || name.substr(22) != ".json") continue;
    DraftResult r = Load(name.substr(0, 22));
    if (r.ok()) drafts->push_back(std::move(r.draft));
  }
  std::stable_sort(drafts->begin(), drafts->end(), [](const Draft& a, const Draft& b) {
    return a.updated_at != b.updated_at ? a.updated_at > b.updated_at : a.id > b.id;
  });
  return Status();
}

Json DraftFieldsJson(const Draft& d) {
  return Json{{"id", d.id},
              {"version", d.version},
              {"state", DraftStateName(d.state)},
              {"author", d.author},
              {"note", d.note},
              {"comment", d.comment},
              {"reviewer", d.reviewer},
              {"created_at", d.created_at},
              {"updated_at", d.updated_at},
              {"title", d.title},
              {"items", d.items},
              {"hash", d.hash}};
}

}  // namespace nb::console
