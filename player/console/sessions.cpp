#include "console/sessions.h"

#include <sodium.h>

#include <algorithm>

#include "update/signature.h"

namespace nb::console {
namespace {

constexpr std::size_t kSecretBytes = 32;  // 256 bits

std::string RandomHex() {
  update::InitSodium();
  unsigned char bytes[kSecretBytes];
  randombytes_buf(bytes, sizeof bytes);
  char hex[2 * kSecretBytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

// Constant time for ids of equal length; a length differs only for ids that
// were never ours, and says nothing about ours.
bool SameId(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

SessionTable::SessionTable(Clock& clock, std::chrono::seconds idle_timeout,
                           std::size_t max_sessions)
    : clock_(clock),
      idle_timeout_(idle_timeout),
      max_sessions_(std::max<std::size_t>(1, max_sessions)) {}

Session SessionTable::Create(const std::string& user, Role role) {
  Session session;
  session.id = RandomHex();
  session.csrf = RandomHex();
  session.user = user;
  session.role = role;
  std::lock_guard lock(mu_);
  session.last_used = clock_.MonotonicNow();
  while (sessions_.size() >= max_sessions_) {
    auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
    sessions_.erase(oldest);
  }
  sessions_[session.id] = session;
  return session;
}

// A linear scan with a constant-time compare of each id: a map lookup
// would compare bytes early-out, and its timing would tell an attacker how
// much of a guessed id is right. The table is small (max_sessions).
std::optional<Session> SessionTable::Find(const std::string& id) {
  std::lock_guard lock(mu_);
  const auto now = clock_.MonotonicNow();
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now - it->second.last_used > idle_timeout_) {
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  Session* found = nullptr;
  for (auto& [key, session] : sessions_) {
    if (SameId(key, id)) found = &session;
  }
  if (!found) return std::nullopt;
  found->last_used = now;
  return *found;
}

void SessionTable::Remove(const std::string& id) {
  std::lock_guard lock(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (SameId(it->first, id)) {
      sessions_.erase(it);
      return;
    }
  }
}

void SessionTable::RemoveUser(const std::string& user) {
  std::lock_guard lock(mu_);
  std::erase_if(sessions_, [&](const auto& entry) { return entry.second.user == user; });
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

LoginLimiter::LoginLimiter(Clock& clock, int max_failures, std::chrono::seconds window)
    : clock_(clock), max_failures_(std::max(1, max_failures)), window_(window) {}

// Forgets every failure that left the window, for all addresses: memory
// stays bounded by the failures of the last window (mu_ held).
void LoginLimiter::Prune(std::chrono::steady_clock::time_point now) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    auto& times = it->second;
    while (!times.empty() && now - times.front() >= window_) times.pop_front();
    it = times.empty() ? failures_.erase(it) : std::next(it);
  }
}

std::chrono::seconds LoginLimiter::RetryAfter(const std::string& address) {
  std::lock_guard lock(mu_);
  const auto now = clock_.MonotonicNow();
  Prune(now);
  auto it = failures_.find(address);
  if (it == failures_.end() || static_cast<int>(it->second.size()) < max_failures_)
    return std::chrono::seconds(0);
  // Rounded up, and at least a second: a client told 0 would try at once
  // and be refused.
  auto wait = std::chrono::ceil<std::chrono::seconds>(it->second.front() + window_ - now);
  return std::max(wait, std::chrono::seconds(1));
}

void LoginLimiter::RecordFailure(const std::string& address) {
  std::lock_guard lock(mu_);
  const auto now = clock_.MonotonicNow();
  Prune(now);
  auto& times = failures_[address];
  times.push_back(now);
  // Older failures than the last max_failures never decide a wait.
  while (static_cast<int>(times.size()) > max_failures_) times.pop_front();
}

void LoginLimiter::RecordSuccess(const std::string& address) {
  std::lock_guard lock(mu_);
  failures_.erase(address);
}

}  // namespace nb::console
