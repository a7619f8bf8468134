// The session table: ids from tokens.hpp's generator, expiry on a steady clock, one mutex.
#include "sync/central/sessions.hpp"

#include <algorithm>

#include "sync/central/tokens.hpp"

namespace fk::central {

SessionTable::SessionTable(std::chrono::seconds lifetime, Clock clock)
    : lifetime_(lifetime), clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point SessionTable::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

void SessionTable::forget_expired(std::chrono::steady_clock::time_point t) {
  std::erase_if(sessions_, [t](const auto& entry) { return entry.second.expires <= t; });
}

std::string SessionTable::create(const Principal::User& user) {
  std::string id = new_token();
  const auto t = now();
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= kMaxSessions) forget_expired(t);
  if (sessions_.size() >= kMaxSessions) {
    const auto oldest =
        std::min_element(sessions_.begin(), sessions_.end(),
                         [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
    sessions_.erase(oldest);
  }
  sessions_[id] = Entry{user, t + lifetime_};
  return id;
}

std::optional<Principal::User> SessionTable::find(std::string_view id) {
  if (id.empty()) return std::nullopt;
  const auto t = now();
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= t) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second.user;
}

void SessionTable::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  if (const auto it = sessions_.find(id); it != sessions_.end()) sessions_.erase(it);
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t end = std::min(header.find(';'), header.size());
    std::string_view pair = header.substr(0, end);
    header.remove_prefix(std::min(end + 1, header.size()));
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      std::string_view value = pair.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      return std::string(value);
    }
  }
  return {};
}

}  // namespace fk::central
