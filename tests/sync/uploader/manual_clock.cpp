// ManualClock. A waiter registers under its own mutex and the clock's; advance() notifies each waiter
// while holding that waiter's mutex, so a wake-up cannot fall between a waiter's last look at the time
// and the start of its wait.
#include "manual_clock.hpp"

#include <vector>

namespace fk::uploader::testing {

ManualClock::time_point ManualClock::now() const {
  std::lock_guard guard(mutex_);
  return now_;
}

void ManualClock::wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                             time_point deadline) {
  std::list<Waiter>::iterator me;
  {
    std::lock_guard guard(mutex_);
    if (now_ >= deadline) return;
    me = waiters_.insert(waiters_.end(), Waiter{lock.mutex(), &cv, deadline, ++waits_});
  }
  waiters_changed_.notify_all();
  cv.wait(lock);  // woken by the owner's notify or by advance(); the caller re-checks either way
  {
    std::lock_guard guard(mutex_);
    waiters_.erase(me);
  }
  waiters_changed_.notify_all();
}

void ManualClock::advance(std::chrono::milliseconds step) {
  std::vector<Waiter> woken;
  {
    std::lock_guard guard(mutex_);
    now_ += step;
    woken.assign(waiters_.begin(), waiters_.end());
  }
  for (const Waiter& s : woken) {
    // Taking the waiter's mutex waits until it is inside cv.wait (it registered while holding it).
    std::lock_guard owner(*s.mutex);
    s.cv->notify_all();
  }
  waiters_changed_.notify_all();
}

std::optional<ManualClock::time_point> ManualClock::await_waiter(std::size_t waits_before,
                                                                 std::chrono::seconds limit) {
  std::unique_lock guard(mutex_);
  std::optional<time_point> found;
  waiters_changed_.wait_for(guard, limit, [&] {
    for (const Waiter& s : waiters_) {
      if (s.number > waits_before && s.deadline > now_) {
        found = s.deadline;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::size_t ManualClock::waits() const {
  std::lock_guard guard(mutex_);
  return waits_;
}

}  // namespace fk::uploader::testing
