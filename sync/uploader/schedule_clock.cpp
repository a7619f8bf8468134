// The steady ScheduleClock: steady_clock's now() and a plain condition-variable wait.
#include "sync/uploader/schedule_clock.hpp"

namespace fk::uploader {
namespace {

class SteadyScheduleClock final : public ScheduleClock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
  void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                  time_point deadline) override {
    cv.wait_until(lock, deadline);
  }
};

}  // namespace

std::shared_ptr<ScheduleClock> steady_schedule_clock() {
  return std::make_shared<SteadyScheduleClock>();
}

}  // namespace fk::uploader
