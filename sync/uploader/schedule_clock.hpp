// ScheduleClock: the time the uploader's thread reads and sleeps on (back-off, heartbeat interval, idle
// check). Injected like Backoff's random source, so tests move time on by hand instead of sleeping; the
// kiosk uses steady_schedule_clock(), which is std::chrono::steady_clock and a condition-variable wait.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace fk::uploader {

class ScheduleClock {
 public:
  // steady_clock's time points, so a snapshot's next_attempt means the same thing with any clock.
  using time_point = std::chrono::steady_clock::time_point;

  virtual ~ScheduleClock() = default;

  virtual time_point now() const = 0;

  // Called with `lock` (on the mutex `cv` is used with) held; returns with it held, once `deadline` has
  // passed on this clock or `cv` was notified — or spuriously, like condition_variable::wait_until: the
  // caller re-checks its state and time.
  virtual void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                          time_point deadline) = 0;
};

// std::chrono::steady_clock: what the kiosk's uploader runs on. Stateless, shared.
std::shared_ptr<ScheduleClock> steady_schedule_clock();

}  // namespace fk::uploader
