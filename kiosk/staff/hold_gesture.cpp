#include "kiosk/staff/hold_gesture.hpp"

namespace fk::kiosk::staff {

bool HoldGesture::update(bool down, float x, float y, TimePoint now) {
  if (!down) {
    down_ = armed_ = fired_ = false;
    return false;
  }
  if (!down_) {  // a new press
    down_ = true;
    fired_ = false;
    armed_ = x >= 0 && y >= 0 && x < kCornerSize * scale_ && y < kCornerSize * scale_;
    x0_ = x;
    y0_ = y;
    since_ = now;
    return false;
  }
  if (!armed_) return false;
  const float dx = x - x0_, dy = y - y0_;
  const float slop = kHoldSlop * scale_;
  if (dx * dx + dy * dy > slop * slop) {
    armed_ = false;  // a swipe or a drag, not a hold
    return false;
  }
  if (now - since_ < kHoldDuration) return false;
  armed_ = false;
  fired_ = true;
  return true;
}

std::optional<HoldGesture::TimePoint> HoldGesture::deadline() const {
  if (!armed_) return std::nullopt;
  return since_ + kHoldDuration;
}

}  // namespace fk::kiosk::staff
