// The hidden staff entry: a press held for kHoldDuration in the top-left corner (the same physical corner
// in every language, right-to-left included), without moving more than a small slop. Pure logic: fed the
// pointer each frame with the time, so tests drive it with an injected clock.
#pragma once

#include <chrono>
#include <optional>

namespace fk::kiosk::staff {

inline constexpr std::chrono::milliseconds kHoldDuration{3000};
inline constexpr float kCornerSize =
    120.0f;                                // at 1080p: the square, from the top-left, a press must start in
inline constexpr float kHoldSlop = 40.0f;  // at 1080p: how far the finger may drift while holding

class HoldGesture {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit HoldGesture(float scale = 1.0f) : scale_(scale) {}

  // The pointer this frame. True exactly once per press: when it has been held long enough.
  bool update(bool down, float x, float y, TimePoint now);
  // When the press under way completes the gesture (for the event loop's wake-up); nullopt: none under way.
  std::optional<TimePoint> deadline() const;
  // A press that completed the gesture is still held: the app ignores it until it is released.
  bool swallowing() const { return fired_ && down_; }

 private:
  float scale_;
  bool down_ = false;
  bool armed_ = false;  // this press started in the corner and has not wandered off
  bool fired_ = false;
  float x0_ = 0, y0_ = 0;
  TimePoint since_{};
};

}  // namespace fk::kiosk::staff
