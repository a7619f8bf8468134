// Full-jitter exponential back-off (DESIGN.md guarantee 4): after the n-th failure in a row, wait a uniform
// random time in [0, min(cap, base·2^n)), but never less than a Retry-After the server asked for.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

namespace fk::uploader {

struct BackoffPolicy {
  std::chrono::milliseconds base{1000};           // the first failure waits up to 1 s (at least 1 ms)
  std::chrono::milliseconds cap{10 * 60 * 1000};  // no wait is ever longer than 10 min (at least base)
};

class Backoff {
 public:
  // Returns a number uniformly distributed in [0, 1). Injected so tests can pin the jitter.
  using UnitRandom = std::function<double()>;

  // A default-seeded std::mt19937_64 (from std::random_device) drives the jitter unless `random` is given.
  explicit Backoff(BackoffPolicy policy = {}, UnitRandom random = {});

  // Records one more failure and returns how long to wait before the next attempt:
  // uniform(0, min(cap, base·2^failures_before)), raised to `retry_after` if that is longer, never above cap.
  std::chrono::milliseconds next_delay(std::optional<std::chrono::seconds> retry_after = std::nullopt);

  // After a success: the next failure starts again from `base`.
  void reset() { failures_ = 0; }

  // Failures recorded since the last reset.
  std::uint32_t failures() const { return failures_; }
  const BackoffPolicy& policy() const { return policy_; }

  // The upper bound of the jitter window after `failures` failures: min(cap, base·2^failures).
  std::chrono::milliseconds window(std::uint32_t failures) const;

 private:
  BackoffPolicy policy_;
  UnitRandom random_;
  std::uint32_t failures_ = 0;
};

}  // namespace fk::uploader
