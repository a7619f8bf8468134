// A per-kiosk token bucket: a kiosk may send `burst` requests at once and `per_second` on average after
// that. It protects the centre from one misbehaving kiosk, not from the network at large.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace fk::central {

struct RateLimit {
  double per_second = 0;  // 0 turns the limit off
  double burst = 0;
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // Zero when the request may go ahead (and it is counted); otherwise how long until it could, rounded up
  // to whole seconds for Retry-After (at least 1).
  std::chrono::seconds acquire(const std::string& kiosk_id, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  RateLimit limit_;
  std::mutex mutex_;
  // One entry per enrolled kiosk that has called in (only authenticated kiosks get here), so it is bounded.
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace fk::central
