// Sessions: who is logged in to the web console, and the login rate limit.
//
// Contract:
// - SessionTable::Create() makes a session for a user who just gave the
//   right password: a 256-bit random id (64 lowercase hex characters, from
//   libsodium's randombytes) that goes in the cookie, and a second, unrelated
//   256-bit CSRF token the pages send back in a header with every
//   state-changing request.
// - Find() returns the session and marks it used now; a session unused for
//   longer than the idle timeout is gone (Find returns nothing and forgets
//   it). Ids are compared in constant time. Remove() is logout;
//   RemoveUser() ends every session of a user (password changed).
// - At most max_sessions live at once: a new one pushes out the one unused
//   longest.
// - LoginLimiter counts failed logins per client address: after
//   max_failures within the window, RetryAfter() is the wait (> 0) until the
//   oldest of them leaves the window; a success forgets the address. Bounded
//   memory: addresses whose failures all left the window are dropped.
// - Both are thread-safe and take time from the Clock they are given (tests
//   use a ManualClock).
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/env.h"
#include "console/password_file.h"

namespace nb::console {

struct Session {
  std::string id;    // cookie value
  std::string csrf;  // X-CSRF-Token value
  std::string user;
  Role role = Role::kApprover;
  std::chrono::steady_clock::time_point last_used;
};

class SessionTable {
 public:
  SessionTable(Clock& clock, std::chrono::seconds idle_timeout, std::size_t max_sessions = 64);

  Session Create(const std::string& user, Role role);
  std::optional<Session> Find(const std::string& id);
  void Remove(const std::string& id);
  void RemoveUser(const std::string& user);
  std::size_t size() const;
  std::chrono::seconds idle_timeout() const { return idle_timeout_; }

 private:
  Clock& clock_;
  const std::chrono::seconds idle_timeout_;
  const std::size_t max_sessions_;
  mutable std::mutex mu_;
  std::map<std::string, Session> sessions_;
};

class LoginLimiter {
 public:
  LoginLimiter(Clock& clock, int max_failures = 5,
               std::chrono::seconds window = std::chrono::seconds(60));

  // Zero when `address` may try now; otherwise how long it must wait.
  std::chrono::seconds RetryAfter(const std::string& address);
  void RecordFailure(const std::string& address);
  void RecordSuccess(const std::string& address);

 private:
  void Prune(std::chrono::steady_clock::time_point now);

  Clock& clock_;
  const int max_failures_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures_;
};

}  // namespace nb::console
