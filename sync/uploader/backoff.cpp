// Backoff: the jitter window doubles per failure up to the cap; Retry-After is a floor, the cap a ceiling.
#include "sync/uploader/backoff.hpp"

#include <algorithm>
#include <memory>
#include <random>

namespace fk::uploader {
namespace {

// 2^30 s is decades: no window grows further, so the shift below cannot overflow.
constexpr std::uint32_t kMaxDoublings = 30;

Backoff::UnitRandom default_random() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

}  // namespace

Backoff::Backoff(BackoffPolicy policy, UnitRandom random)
    : policy_(policy), random_(random ? std::move(random) : default_random()) {
  // A zero base would retry at once forever; the window must start somewhere above zero to grow.
  policy_.base = std::max(policy_.base, std::chrono::milliseconds(1));
  policy_.cap = std::max(policy_.cap, policy_.base);
}

std::chrono::milliseconds Backoff::window(std::uint32_t failures) const {
  const auto doublings = std::min(failures, kMaxDoublings);
  const long long base = policy_.base.count();
  const long long cap = policy_.cap.count();
  // Compare before multiplying: base·2^n > cap  ⇔  base > cap / 2^n.
  if (base > (cap >> doublings)) return std::chrono::milliseconds(cap);
  return std::chrono::milliseconds(base << doublings);
}

std::chrono::milliseconds Backoff::next_delay(std::optional<std::chrono::seconds> retry_after) {
  const auto upper = window(failures_);
  if (failures_ < kMaxDoublings) ++failures_;
  // Clamp the injected value: a random source that returns exactly 1.0 must not exceed the window.
  const double unit = std::clamp(random_(), 0.0, 1.0);
  auto delay = std::chrono::milliseconds(static_cast<long long>(unit * static_cast<double>(upper.count())));
  delay = std::min(delay, upper);
  if (retry_after) delay = std::max<std::chrono::milliseconds>(delay, *retry_after);
  return std::min<std::chrono::milliseconds>(delay, policy_.cap);
}

}  // namespace fk::uploader
