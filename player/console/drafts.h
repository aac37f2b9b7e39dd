// DraftStore: the playlists editors submit for approval (issue 22), kept in
// the state folder until an approver publishes or returns them.
//
// Contract:
// - One file per draft, <folder>/<id>.json, written with
//   FileSystem::WriteFileAtomic: a crash leaves the old record or the new
//   one, never half of either. The folder is made when first needed.
// - A draft goes submitted -> returned (with the approver's comment) ->
//   resubmitted (same id, version + 1, new playlist and note) -> ... ->
//   approved. Submit() with no id makes a new draft (version 1); with an id
//   it resubmits: only its author may, and not once it is approved.
//   Return() and Approve() take the version the approver looked at and
//   refuse when the draft changed since (a resubmission in between), or is
//   not waiting for review; an approved draft never changes again.
// - The playlist is stored in its canonical form (playlist::ToJson) with its
//   hash (update::PlaylistHash); callers check it with the player's checker
//   before submitting: the store keeps what it is given.
// - Every refusal is a plain Chinese sentence for office staff, with a kind
//   the routes turn into an HTTP status.
// - Ids are "YYYYMMDD-HHMMSS-xxxxxx" (UTC, 6 random hex digits): they sort
//   by time and cannot name a path. Get() refuses anything else.
// - Thread-safe (one mutex): the console serves requests on several threads.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/env.h"
#include "base/status.h"

namespace nb::console {

enum class DraftState { kSubmitted, kResubmitted, kReturned, kApproved };
// "submitted", "resubmitted", "returned", "approved"
const char* DraftStateName(DraftState state);

struct Draft {
  std::string id;
  int version = 1;
  DraftState state = DraftState::kSubmitted;
  std::string author;      // the editor who submitted it
  std::string note;        // the author's note of the latest version
  std::string comment;     // the approver's, when returned
  std::string reviewer;    // who returned or approved it
  std::string created_at;  // UTC ISO 8601
  std::string updated_at;  // of the last change
  std::string title;       // the playlist's, for lists
  std::size_t items = 0;
  std::string hash;           // PlaylistHash of the playlist
  std::string playlist_json;  // canonical
  bool waiting() const {
    return state == DraftState::kSubmitted || state == DraftState::kResubmitted;
  }
};

// A draft's fields as JSON, without its playlist: what the console shows of
// it, and the store's record (which adds the playlist as a string).
nlohmann::json DraftFieldsJson(const Draft& draft);

// Why a draft operation was refused.
enum class DraftError { kNone, kNotFound, kForbidden, kConflict, kStorage };

struct DraftResult {
  DraftError error = DraftError::kNone;
  std::string message;  // plain Chinese, when refused
  Draft draft;          // the draft as it is now, when done
  bool ok() const { return error == DraftError::kNone; }
};

class DraftStore {
 public:
  DraftStore(Env& env, std::string folder);

  // `playlist_json` is canonical and valid; `hash` its PlaylistHash.
  // `resubmit_id` empty: a new draft.
  DraftResult Submit(const std::string& author, const std::string& playlist_json,
                     const std::string& title, std::size_t items, const std::string& hash,
                     const std::string& note, const std::string& resubmit_id);
  DraftResult Return(const std::string& id, int version, const std::string& approver,
                     const std::string& comment);
  // Checks that the draft may be approved now (waiting, same version),
  // without changing it: the approval publishes first, then MarkApproved.
  DraftResult CheckApprovable(const std::string& id, int version);
  DraftResult MarkApproved(const std::string& id, const std::string& approver);
  DraftResult Get(const std::string& id);
  // Every draft, newest change first; unreadable files are skipped (and
  // logged), so one damaged record never hides the others.
  Status List(std::vector<Draft>* drafts);

  static bool ValidId(const std::string& id);
  const std::string& folder() const { return folder_; }

 private:
  DraftResult Load(const std::string& id);
  Status Save(const Draft& draft);
  std::string Now() const;

  Env& env_;
  const std::string folder_;
  std::mutex mu_;
};

}  // namespace nb::console
