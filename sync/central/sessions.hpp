// Browser sessions of the dashboard: a random id in an HttpOnly cookie stands for a signed-in user, so the
// user's token never sits in the browser. Kept in memory only: restarting feedback-central signs everyone out.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sync/central/central_store.hpp"

namespace fk::central {

inline constexpr std::chrono::hours kSessionLifetime{12};
// Bound on live sessions: when full, signing in drops the session closest to expiry.
inline constexpr std::size_t kMaxSessions = 10000;
inline constexpr std::string_view kSessionCookie = "fk_session";

class SessionTable {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit SessionTable(std::chrono::seconds lifetime = kSessionLifetime, Clock clock = {});

  // A new session for `user`; returns its id (64 hex characters from libsodium's CSPRNG).
  std::string create(const Principal::User& user);
  // The user of a live session; nothing when the id is unknown or expired (an expired one is forgotten).
  std::optional<Principal::User> find(std::string_view id);
  void remove(std::string_view id);
  std::size_t size() const;

 private:
  struct Entry {
    Principal::User user;
    std::chrono::steady_clock::time_point expires;
  };
  std::chrono::steady_clock::time_point now() const;
  void forget_expired(std::chrono::steady_clock::time_point now);

  const std::chrono::seconds lifetime_;
  const Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> sessions_;
};

// The value of cookie `name` in a Cookie header ("a=1; fk_session=abc"); empty when absent.
std::string cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace fk::central
