// What the kiosk tells systemd, on an injected clock: READY=1 with the first frame shown, WATCHDOG=1 at half
// the unit's WatchdogSec and no more often, and nothing at all (no wake-ups either) without a watchdog.
#include "kiosk/platform/service_notifier.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

using namespace fk::platform;
using namespace std::chrono_literals;

TEST_CASE("READY=1 with the first frame, then a watchdog ping every half interval") {
  std::vector<std::string> sent;
  const auto t0 = ServiceNotifier::Clock::time_point{} + 1h;
  ServiceNotifier notifier(
      std::chrono::microseconds(10s), [&](const std::string& s) { sent.push_back(s); }, t0);
  CHECK(notifier.alive_due() == t0 + 5s);
  notifier.alive(t0 + 1s, false);  // a wake-up before any frame: not ready yet, no ping due
  CHECK(sent.empty());
  notifier.alive(t0 + 2s, true);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0] == "READY=1\nWATCHDOG=1");
  CHECK(notifier.ready_sent());
  notifier.alive(t0 + 3s, true);  // frames in a burst (typing) do not ping each time
  notifier.alive(t0 + 6s, false);
  CHECK(sent.size() == 1);
  CHECK(notifier.alive_due() == t0 + 7s);
  notifier.alive(t0 + 7s, false);
  REQUIRE(sent.size() == 2);
  CHECK(sent[1] == "WATCHDOG=1");
  CHECK(notifier.alive_due() == t0 + 12s);
}

TEST_CASE("without a watchdog only READY=1 is sent and the loop is never woken for it") {
  std::vector<std::string> sent;
  const auto t0 = ServiceNotifier::Clock::time_point{} + 1h;
  ServiceNotifier notifier(
      std::nullopt, [&](const std::string& s) { sent.push_back(s); }, t0);
  CHECK_FALSE(notifier.alive_due());
  notifier.alive(t0 + 1s, true);
  notifier.alive(t0 + 1h, true);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0] == "READY=1");
}

TEST_CASE("the watchdog is read from systemd's environment, also when it names the parent (cage)") {
  const auto t0 = ServiceNotifier::Clock::now();
  ::unsetenv("WATCHDOG_PID");
  ::unsetenv("WATCHDOG_USEC");
  CHECK_FALSE(ServiceNotifier::from_environment(t0).watchdog());
  ::setenv("WATCHDOG_USEC", "30000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  CHECK(ServiceNotifier::from_environment(t0).watchdog() == std::chrono::microseconds(30s));
  ::setenv("WATCHDOG_PID", std::to_string(::getppid()).c_str(), 1);  // the unit's main process is cage
  CHECK(ServiceNotifier::from_environment(t0).watchdog() == std::chrono::microseconds(30s));
  ::setenv("WATCHDOG_PID", "1", 1);  // someone else's watchdog
  CHECK_FALSE(ServiceNotifier::from_environment(t0).watchdog());
  ::unsetenv("WATCHDOG_PID");
  ::unsetenv("WATCHDOG_USEC");
}
