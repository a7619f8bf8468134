// ManualClock: a ScheduleClock that stands still until the test advances it, so the uploader's back-off,
// heartbeat and idle-check waits end exactly when the test says, and tests never sleep.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>

#include "sync/uploader/schedule_clock.hpp"

namespace fk::uploader::testing {

class ManualClock final : public ScheduleClock {
 public:
  // Starts well after steady_clock's epoch, so `now() - 1h` is still a valid time point.
  ManualClock() = default;

  time_point now() const override;
  void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                  time_point deadline) override;

  // Moves time on by `step` and wakes every thread waiting on this clock (each re-checks its own deadline).
  // Must not run while the owner of a waiting thread is being destroyed.
  void advance(std::chrono::milliseconds step);

  // Waits (up to `limit`, an upper bound that only a broken test reaches) until a thread has begun a wait on
  // this clock after `waits_before` waits had begun, and still waits for a deadline ahead; returns
  // that deadline, or nullopt when none came. A thread that was woken by its own condition variable only
  // stops counting as waiting once it runs, so wait for an effect of the wake-up (or pass waits()) first.
  std::optional<time_point> await_waiter(std::size_t waits_before = 0,
                                         std::chrono::seconds limit = std::chrono::seconds(20));
  // How many waits have begun on this clock so far.
  std::size_t waits() const;

 private:
  struct Waiter {
    std::mutex* mutex;
    std::condition_variable* cv;
    time_point deadline;
    std::size_t number;  // the how-manieth wait it is (1-based)
  };

  mutable std::mutex mutex_;  // always taken after a waiter's own mutex, never before it
  std::condition_variable waiters_changed_;
  time_point now_ = time_point(std::chrono::hours(24));
  std::list<Waiter> waiters_;
  std::size_t waits_ = 0;
};

}  // namespace fk::uploader::testing
