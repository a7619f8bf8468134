#include "kiosk/staff/lockout.hpp"

#include <time.h>

#include <algorithm>
#include <fstream>

namespace fk::kiosk::staff {

std::chrono::seconds lock_duration(int failures) {
  if (failures < kFreeAttempts) return std::chrono::seconds{0};
  std::chrono::seconds lock = kFirstLock;
  for (int i = kFreeAttempts; i < failures && lock < kMaxLock; ++i) lock *= 2;
  return std::min(lock, kMaxLock);
}

bool rebase(LockoutRecord& record, const BootTime& now) {
  if (record.locked_until_ms == 0 || record.boot_id == now.boot_id) return false;
  // The old boot's clock means nothing now: the whole lock again, from this moment.
  record.boot_id = now.boot_id;
  record.locked_until_ms =
      (now.since_boot + std::chrono::duration_cast<std::chrono::milliseconds>(lock_duration(record.failures)))
          .count();
  return true;
}

std::chrono::milliseconds remaining(const LockoutRecord& record, const BootTime& now) {
  if (record.locked_until_ms == 0) return std::chrono::milliseconds{0};
  if (record.boot_id != now.boot_id) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(lock_duration(record.failures));
  }
  const std::chrono::milliseconds left{record.locked_until_ms - now.since_boot.count()};
  // Never more than the full lock: a deadline far ahead can only come from a damaged file.
  const auto cap = std::chrono::duration_cast<std::chrono::milliseconds>(lock_duration(record.failures));
  return std::clamp(left, std::chrono::milliseconds{0}, std::max(cap, std::chrono::milliseconds{0}));
}

void record_failure(LockoutRecord& record, const BootTime& now) {
  ++record.failures;
  const auto lock = lock_duration(record.failures);
  if (lock.count() == 0) return;
  record.boot_id = now.boot_id;
  record.locked_until_ms =
      (now.since_boot + std::chrono::duration_cast<std::chrono::milliseconds>(lock)).count();
}

void record_success(LockoutRecord& record) {
  record = LockoutRecord{};
}

BootTime read_boot_time() {
  BootTime t;
  timespec ts{};
  clock_gettime(CLOCK_BOOTTIME, &ts);  // counts suspend too; unaffected by settimeofday
  t.since_boot =
      std::chrono::milliseconds{static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000};
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::getline(in, t.boot_id);
  if (t.boot_id.empty()) t.boot_id = "unknown-boot";
  return t;
}

}  // namespace fk::kiosk::staff
