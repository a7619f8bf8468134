// Throttles dashboard sign-in per client address: after `max_failures` refused tokens from one address
// within `window`, that address is refused (429, Retry-After) without a token being checked until `window`
// has passed since its last counted failure. Kept in this process's memory, not the database: a guesser
// spread over several processes gets max_failures per process per window, still far too few for a 256-bit
// token, while the store is spared a write for every refused guess.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fk::central {

struct LoginThrottleLimits {
  int max_failures = 5;                           // 0 turns the throttle off
  std::chrono::milliseconds window{15 * 60'000};  // both the counting window and the lock-out
  // Addresses tracked at once; past it the one touched longest ago is forgotten, so a flood of addresses
  // costs bounded memory (at worst it makes the throttle forget its oldest entries early).
  std::size_t max_addresses = 10000;
};

// The key an address is throttled under: IPv6 addresses by their /64 (one host usually owns a whole /64, so
// rotating within it must not reset the count); anything else as given.
std::string throttle_key(std::string_view address);

class LoginThrottle {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit LoginThrottle(LoginThrottleLimits limits, Clock clock = {});

  // Zero when `address` may try a token now; otherwise how long until it may, in whole seconds (>= 1) for
  // Retry-After.
  std::chrono::seconds wait(std::string_view address);
  // Counts a refused token from `address`; returns its failures in the current window.
  int record_failure(std::string_view address);
  std::size_t tracked() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    int failures = 0;
    TimePoint window_start;
    TimePoint blocked_until;  // past (or epoch) when not blocked
    std::list<std::string>::iterator recency;
  };
  TimePoint now() const;
  // Drops the entry when its window and block are over; returns whether it still stands.
  bool still_counts(std::unordered_map<std::string, Entry>::iterator it, TimePoint t);

  const LoginThrottleLimits limits_;
  const Clock clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recency_;  // most recently touched first
};

}  // namespace fk::central
