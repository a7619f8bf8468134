#include "kiosk/platform/service_notifier.hpp"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace fk::platform {
namespace {

// The watchdog interval systemd gave this process, or (under cage) its parent.
std::optional<std::chrono::microseconds> watchdog_from_environment() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) return std::chrono::microseconds(usec);
  const char* pid = std::getenv("WATCHDOG_PID");
  const char* interval = std::getenv("WATCHDOG_USEC");
  if (pid == nullptr || interval == nullptr) return std::nullopt;
  char* end = nullptr;
  const long long parent = std::strtoll(pid, &end, 10);
  if (end == pid || *end != '\0' || parent != static_cast<long long>(getppid())) return std::nullopt;
  const unsigned long long value = std::strtoull(interval, &end, 10);
  if (end == interval || *end != '\0' || value == 0) return std::nullopt;
  return std::chrono::microseconds(value);
}

}  // namespace

ServiceNotifier ServiceNotifier::from_environment(Clock::time_point now) {
  // sd_notify does nothing (returns 0) when NOTIFY_SOCKET is unset: outside systemd this costs nothing.
  return ServiceNotifier(
      watchdog_from_environment(), [](const std::string& state) { sd_notify(0, state.c_str()); }, now);
}

ServiceNotifier::ServiceNotifier(std::optional<std::chrono::microseconds> watchdog, Send send,
                                 Clock::time_point now)
    : watchdog_(watchdog), send_(std::move(send)), last_ping_(now) {}

void ServiceNotifier::alive(Clock::time_point now, bool frame_shown) {
  if (frame_shown && !ready_) {
    ready_ = true;
    send_(watchdog_ ? "READY=1\nWATCHDOG=1" : "READY=1");
    last_ping_ = now;
    return;
  }
  if (!watchdog_) return;
  if (now - last_ping_ < *watchdog_ / 2) return;
  send_("WATCHDOG=1");
  last_ping_ = now;
}

std::optional<ServiceNotifier::Clock::time_point> ServiceNotifier::alive_due() const {
  if (!watchdog_) return std::nullopt;
  return last_ping_ + std::chrono::duration_cast<Clock::duration>(*watchdog_ / 2);
}

}  // namespace fk::platform
