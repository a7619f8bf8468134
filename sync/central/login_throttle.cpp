// LoginThrottle's counting, lock-out and least-recently-touched eviction.
#include "sync/central/login_throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace fk::central {

std::string throttle_key(std::string_view address) {
  std::string text(address);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  std::array<unsigned char, 16> bytes{};
  if (text.find(':') == std::string::npos || inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) {
    return std::string(address);
  }
  // An IPv4-mapped address (::ffff:a.b.c.d) is one IPv4 host: keep it whole.
  constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), bytes.begin())) return text;
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  std::array<char, INET6_ADDRSTRLEN> out{};
  inet_ntop(AF_INET6, bytes.data(), out.data(), out.size());
  return std::string(out.data()) + "/64";
}

LoginThrottle::LoginThrottle(LoginThrottleLimits limits, Clock clock)
    : limits_(limits), clock_(std::move(clock)) {}

LoginThrottle::TimePoint LoginThrottle::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

bool LoginThrottle::still_counts(std::unordered_map<std::string, Entry>::iterator it, TimePoint t) {
  const Entry& e = it->second;
  if (t < e.blocked_until || t < e.window_start + limits_.window) return true;
  recency_.erase(e.recency);
  entries_.erase(it);
  return false;
}

std::chrono::seconds LoginThrottle::wait(std::string_view address) {
  if (limits_.max_failures <= 0) return std::chrono::seconds(0);
  const auto t = now();
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(throttle_key(address));
  if (it == entries_.end() || !still_counts(it, t) || t >= it->second.blocked_until) {
    return std::chrono::seconds(0);
  }
  const auto left = std::chrono::ceil<std::chrono::seconds>(it->second.blocked_until - t);
  return std::max(left, std::chrono::seconds(1));
}

int LoginThrottle::record_failure(std::string_view address) {
  if (limits_.max_failures <= 0) return 0;
  const auto t = now();
  std::string key = throttle_key(address);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end() && !still_counts(it, t)) it = entries_.end();
  if (it == entries_.end()) {
    if (entries_.size() >= std::max<std::size_t>(1, limits_.max_addresses)) {
      entries_.erase(recency_.back());
      recency_.pop_back();
    }
    recency_.push_front(key);
    it = entries_.emplace(std::move(key), Entry{0, t, TimePoint{}, recency_.begin()}).first;
  } else {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
  }
  Entry& e = it->second;
  ++e.failures;
  if (e.failures >= limits_.max_failures) e.blocked_until = t + limits_.window;
  return e.failures;
}

std::size_t LoginThrottle::tracked() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace fk::central
