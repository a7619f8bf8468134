// Token-bucket arithmetic for RateLimiter.
#include "sync/central/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace fk::central {

std::chrono::seconds RateLimiter::acquire(const std::string& kiosk_id, Clock::time_point now) {
  if (limit_.per_second <= 0) return std::chrono::seconds(0);
  const double capacity = std::max(1.0, limit_.burst);
  std::lock_guard lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(kiosk_id, Bucket{capacity, now});
  Bucket& bucket = it->second;
  if (!fresh && now > bucket.updated) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(capacity, bucket.tokens + elapsed * limit_.per_second);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::chrono::seconds(0);
  }
  const double wait = (1.0 - bucket.tokens) / limit_.per_second;
  return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))));
}

}  // namespace fk::central
