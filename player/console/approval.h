// Approval: editors submit, an approver publishes (issue 22). The steps the
// console's routes take, without HTTP, so that tests drive them directly.
//
// Contract:
// - Submit(): the draft is checked by the player's own checker (errors with
//   their JSON pointers, nothing stored), stored in the DraftStore
//   (<state>/drafts/) as submitted or resubmitted, and recorded in the audit
//   log ("submit" / "resubmit", with the editor's note).
// - Return(): the approver's comment goes on the draft and in the log.
// - Approve() and Publish() (an approver editing and publishing directly,
//   recorded as "submit" and "approve" by that one user) and Restore() go
//   through UpdatePipeline::Submit with source console, signed with the
//   approver's key when one is set (screens with trusted_keys then accept
//   them), and are all-or-nothing with their audit entries across a crash
//   (AuditLog's pending file: pending -> publish -> append -> mark the draft
//   approved -> remove pending). A refused publish records nothing.
// - Recover() runs once, when the console starts: an interrupted publish's
//   entries are appended when its playlist is the one playing (and its
//   draft marked approved), else dropped (AuditLog::Recover).
// - Who may call what is the routes' business (console_routes.h): this
//   class trusts the user name it is given.
// - One operation at a time (a mutex): two approvers pressing "approve" on
//   one draft publish it once.
// - Test hook: when the environment variable NB_CONSOLE_CRASH_AT is
//   "after-pending" or "after-publish", the process kills itself with
//   SIGKILL at that step, so the crash test kills the real binary exactly
//   there. Nothing else reads it.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "console/audit_log.h"
#include "console/drafts.h"
#include "update/signature.h"
#include "update/update_pipeline.h"

namespace nb::console {

struct ApprovalOutcome {
  int http = 200;                            // the status the routes answer
  std::string error;                         // plain Chinese, when not done
  std::vector<playlist::Diagnostic> errors;  // the checker's, when the playlist is not valid
  std::optional<update::UpdateResult> published;
  Draft draft;
  bool ok() const { return http == 200; }
};

class Approval {
 public:
  // `state_folder`: drafts go in <state_folder>/drafts, the log beside.
  Approval(Env& env, update::UpdatePipeline& pipeline, std::string state_folder,
           std::optional<update::SecretKey> signing_key);

  Recovery Recover();

  ApprovalOutcome Submit(const std::string& user, const std::string& playlist_json,
                         const std::string& note, const std::string& resubmit_id);
  ApprovalOutcome Return(const std::string& user, const std::string& id, int version,
                         const std::string& comment);
  // `origin` names the client for the pipeline's log ("console (NAME from ADDR)").
  ApprovalOutcome Approve(const std::string& user, const std::string& id, int version,
                          const std::string& origin);
  ApprovalOutcome Publish(const std::string& user, const std::string& playlist_json,
                          const std::string& note, const std::string& origin);
  ApprovalOutcome Restore(const std::string& user, const std::string& origin);

  DraftStore& drafts() { return drafts_; }
  AuditLog& audit() { return audit_; }

 private:
  // Pending entries, publish `canonical` (signed when a key is set), append.
  ApprovalOutcome PublishLocked(const std::string& user, const playlist::Playlist& playlist,
                                std::vector<AuditEntry> entries, const std::string& draft_id,
                                const std::string& origin);
  AuditEntry Entry(const std::string& user, const char* action, const playlist::Playlist& p,
                   const std::string& hash) const;

  Env& env_;
  update::UpdatePipeline& pipeline_;
  std::optional<update::SecretKey> signing_key_;
  DraftStore drafts_;
  AuditLog audit_;
  std::mutex mu_;
};

}  // namespace nb::console
