// Tells systemd (sd_notify) that the kiosk is up and that its event loop still runs: READY=1 once the first
// frame is on screen, WATCHDOG=1 from the loop at half the unit's WatchdogSec. A loop that hangs stops
// pinging and systemd restarts the kiosk. Outside systemd it is inactive and never wakes the loop.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace fk::platform {

class ServiceNotifier {
 public:
  using Clock = std::chrono::steady_clock;
  using Send = std::function<void(const std::string& state)>;

  // From the environment systemd sets (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID). Under `cage` the kiosk
  // is the unit's main process's child: WATCHDOG_PID names cage, so a watchdog meant for our parent is taken
  // as ours (the unit needs NotifyAccess=all for the pings to count).
  static ServiceNotifier from_environment(Clock::time_point now);
  // `watchdog`: the unit's WatchdogSec (nullopt: none); `send` delivers one state string.
  ServiceNotifier(std::optional<std::chrono::microseconds> watchdog, Send send, Clock::time_point now);

  // Called by the event loop on every wake-up and after every frame shown (`frame_shown`): the first frame
  // shown sends READY=1; a ping is sent when half the watchdog interval has passed since the last one.
  void alive(Clock::time_point now, bool frame_shown);
  // When the loop must wake at the latest to ping in time; nullopt when there is no watchdog.
  std::optional<Clock::time_point> alive_due() const;
  std::optional<std::chrono::microseconds> watchdog() const { return watchdog_; }
  bool ready_sent() const { return ready_; }

 private:
  std::optional<std::chrono::microseconds> watchdog_;
  Send send_;
  Clock::time_point last_ping_;
  bool ready_ = false;
};

}  // namespace fk::platform
