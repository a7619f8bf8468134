// The door to the staff screen: checks a PIN against the stored hash under the lockout, and keeps the
// failure count and the lock in the staff state file before answering, so killing the app mid-check (or
// restarting it, or changing the wall clock) never earns an extra try.
//
// An attempt has two halves so that the slow hash comparison (Argon2id, 70-150 ms) can run on a worker
// while the state stays on the owner's thread:
//
//   if (auto refused = gate.begin_attempt()) return *refused;  // owner: no PIN, locked, or not countable
//   const bool matched = check(gate.pin_hash(), pin);           // any thread: pin_matches (slow)
//   PinAttempt attempt = gate.finish_attempt(matched);           // owner again
//
// One attempt at a time: begin_attempt() again before finish_attempt() would count one PIN twice.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
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
  // Both halves on the calling thread (the hash comparison included).
  PinAttempt try_pin(std::string_view pin);
  // The first half: the answer when the PIN is not to be checked; otherwise nullopt, with the attempt
  // already counted as wrong on disk (a right PIN clears it in finish_attempt).
  std::optional<PinAttempt> begin_attempt();
  // The hash to compare against (copy it for a worker: a PIN change replaces it).
  const std::string& pin_hash() const { return state_.pin_hash; }
  // The second half, with the comparison's answer.
  PinAttempt finish_attempt(bool matched);

 private:
  Expected<Ok> save();

  std::string path_;
  StaffState& state_;
  BootClock clock_;
  BootTime counted_at_;  // when begin_attempt() counted the attempt in progress
};

}  // namespace fk::kiosk::staff
