#include "kiosk/staff/pin_gate.hpp"

#include <algorithm>

#include "kiosk/staff/pin.hpp"

namespace fk::kiosk::staff {
namespace {

std::chrono::seconds round_up(std::chrono::milliseconds ms) {
  return std::chrono::seconds{(ms.count() + 999) / 1000};
}

}  // namespace

PinGate::PinGate(std::string path, StaffState& state, BootClock clock)
    : path_(std::move(path)), state_(state), clock_(std::move(clock)) {}

Expected<Ok> PinGate::save() {
  return save_staff_state(path_, state_);
}

std::chrono::seconds PinGate::locked_for() {
  const BootTime now = clock_();
  if (rebase(state_.lockout, now)) (void)save();  // a reboot: the full lock again (kept even if unsaved)
  return round_up(remaining(state_.lockout, now));
}

PinAttempt PinGate::try_pin(std::string_view pin) {
  if (auto refused = begin_attempt()) return *refused;
  return finish_attempt(check_pin_format(pin) && pin_matches(state_.pin_hash, pin));
}

std::optional<PinAttempt> PinGate::begin_attempt() {
  PinAttempt result;
  if (!has_pin()) {
    result.outcome = PinOutcome::NoPin;
    return result;
  }
  if (const auto locked = locked_for(); locked.count() > 0) {
    result.outcome = PinOutcome::Locked;
    result.locked_for = locked;
    return result;
  }
  // Count the attempt as wrong on disk first; a right PIN clears it afterwards.
  const LockoutRecord before = state_.lockout;
  counted_at_ = clock_();
  record_failure(state_.lockout, counted_at_);
  if (auto saved = save(); !saved) {
    state_.lockout = before;
    result.outcome = PinOutcome::Error;
    result.message = saved.error().message;
    return result;
  }
  return std::nullopt;
}

PinAttempt PinGate::finish_attempt(bool matched) {
  PinAttempt result;
  if (matched) {
    record_success(state_.lockout);
    if (auto saved = save(); !saved) {
      result.outcome = PinOutcome::Error;
      result.message = saved.error().message;
      return result;
    }
    result.outcome = PinOutcome::Accepted;
    return result;
  }
  result.outcome = PinOutcome::Wrong;
  result.locked_for = round_up(remaining(state_.lockout, counted_at_));
  result.attempts_left = std::max(0, kFreeAttempts - state_.lockout.failures);
  return result;
}

}  // namespace fk::kiosk::staff
