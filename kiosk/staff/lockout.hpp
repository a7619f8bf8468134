// The PIN pad's lockout, as pure logic over an injected clock: after kFreeAttempts wrong PINs the pad locks
// for kFirstLock, doubling with each further wrong PIN up to kMaxLock. The lock is a deadline on the boot
// clock (CLOCK_BOOTTIME), tagged with the boot id, so neither a restart of the app nor a change of the wall
// clock shortens it; after a reboot (another boot id) the full lock starts again.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace fk::kiosk::staff {

inline constexpr int kFreeAttempts = 5;
inline constexpr std::chrono::seconds kFirstLock{30};
inline constexpr std::chrono::seconds kMaxLock{3600};

// A reading of the monotonic boot clock: which boot, and the time since it.
struct BootTime {
  std::string boot_id;
  std::chrono::milliseconds since_boot{0};
};

// What is persisted (staff.toml [lockout]).
struct LockoutRecord {
  int failures = 0;                  // wrong PINs since the last right one
  std::string boot_id;               // the boot locked_until_ms belongs to
  std::int64_t locked_until_ms = 0;  // on that boot's clock; 0: not locked
  bool operator==(const LockoutRecord&) const = default;
};

// The lock a count of failures earns: 0 below kFreeAttempts, then 30 s, 60 s, 120 s, … at most kMaxLock.
std::chrono::seconds lock_duration(int failures);

// Brings a record from another boot onto this one: a lock in force starts again in full. True when it
// changed the record (the caller saves it).
bool rebase(LockoutRecord& record, const BootTime& now);
// How long the pad stays locked at `now` (0: not locked). Call rebase first.
std::chrono::milliseconds remaining(const LockoutRecord& record, const BootTime& now);
// A wrong PIN: counts it and, from the kFreeAttempts-th on, locks the pad.
void record_failure(LockoutRecord& record, const BootTime& now);
// The right PIN: the count and any lock are cleared.
void record_success(LockoutRecord& record);

// The real clock: CLOCK_BOOTTIME and /proc/sys/kernel/random/boot_id.
BootTime read_boot_time();

}  // namespace fk::kiosk::staff
