// The door to the staff screen: checks a PIN against the stored hash under the lockout, and keeps the
// failure count and the lock in the staff state file before answering, so killing the app mid-check (or
// restarting it, or changing the wall clock) never earns an extra try.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "kiosk/staff/lockout.hpp"
#include "kiosk/staff/staff_file.hpp"

namespace fk::kiosk::staff {

enum class PinOutcome {
  Accepted,
  Wrong,   // counted; attempts_left / locked_for say what follows
  Locked,  // not checked: the pad is locked
  NoPin,   // no PIN has been set: `feedback-kiosk admin set-pin`
  Error,   // the state file could not be written: refused, since the count could not be kept
};

struct PinAttempt {
  PinOutcome outcome = PinOutcome::Wrong;
  std::chrono::seconds locked_for{0};  // when Wrong or Locked: how long the pad is now locked (0: not)
  int attempts_left = 0;               // when Wrong and not locked: tries before the lock
  std::string message;                 // when Error
};

class PinGate {
 public:
  using BootClock = std::function<BootTime()>;
  // `state` is shared with the rest of the staff desk; every change is saved to `path` at once.
  PinGate(std::string path, StaffState& state, BootClock clock = read_boot_time);

  bool has_pin() const { return !state_.pin_hash.empty(); }
  // Whole seconds the pad stays locked (rounded up); 0 when open.
  std::chrono::seconds locked_for();
  PinAttempt try_pin(std::string_view pin);

 private:
  Expected<Ok> save();

  std::string path_;
  StaffState& state_;
  BootClock clock_;
};

}  // namespace fk::kiosk::staff
