// The event loop on a real window (SDL's offscreen driver): a countdown's one-second timer wakes the loop
// and draws a frame every second, although its next wake-up, asked again after the wait, is always a
// second ahead (the "still there" countdown and the PIN pad's lock froze this way).
#include "kiosk/platform/event_loop.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

using namespace fk::platform;
using namespace std::chrono_literals;

TEST_CASE("a one-second countdown timer wakes the loop and draws every second") {
  auto window = Window::open({false, 640, 480, "event loop"});
  REQUIRE(window.ok());
  ImGui::GetIO().Fonts->AddFontDefault();
  window.value()->upload_fonts();

  const TimePoint start = std::chrono::steady_clock::now();
  std::vector<std::chrono::milliseconds> drawn;  // when each frame was drawn, from the start
  LoopHandlers handlers;
  handlers.tick = [](TimePoint) {};
  // What VisitFlow answers on a countdown screen: the next whole second of the countdown after `now`.
  handlers.next_wakeup = [&](TimePoint now) -> std::optional<TimePoint> {
    return start + std::chrono::duration_cast<std::chrono::seconds>(now - start) + 1s;
  };
  handlers.draw = [&](TimePoint now, std::optional<TimePoint>) {
    drawn.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(now - start));
    return false;  // nothing changed: only the timer may draw again
  };
  handlers.should_quit = [&] { return std::chrono::steady_clock::now() - start >= 3500ms; };

  REQUIRE(run_event_loop(*window.value(), handlers) == 0);

  // The first frames settle at the start; then each second of the countdown has a frame of its own.
  for (const auto second : {1s, 2s, 3s}) {
    INFO("a frame drawn in [" << second.count() << " s, " << second.count() + 1 << " s)");
    const bool found = std::any_of(drawn.begin(), drawn.end(), [&](std::chrono::milliseconds t) {
      return t >= second && t < second + 1s;
    });
    CHECK(found);
  }
}

TEST_CASE("a watchdog wakes an idle loop to ping it, without drawing a frame") {
  auto window = Window::open({false, 640, 480, "event loop"});
  REQUIRE(window.ok());
  ImGui::GetIO().Fonts->AddFontDefault();
  window.value()->upload_fonts();

  const TimePoint start = std::chrono::steady_clock::now();
  int frames = 0;
  std::vector<std::chrono::milliseconds> pings;  // wake-ups that were not frames
  TimePoint last_ping = start;
  LoopHandlers handlers;
  handlers.tick = [](TimePoint) {};
  handlers.next_wakeup = [](TimePoint) -> std::optional<TimePoint> { return std::nullopt; };  // idle
  handlers.draw = [&](TimePoint, std::optional<TimePoint>) {
    ++frames;
    return false;
  };
  handlers.alive = [&](TimePoint now, bool frame_shown) {
    if (frame_shown || now - last_ping < 250ms) return;
    pings.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(now - start));
    last_ping = now;
  };
  handlers.alive_due = [&]() -> std::optional<TimePoint> { return last_ping + 250ms; };
  handlers.should_quit = [&] { return std::chrono::steady_clock::now() - start >= 1600ms; };

  REQUIRE(run_event_loop(*window.value(), handlers) == 0);

  // Idle for 1.6 s with a 250 ms ping: about six pings, and no frame beyond the first ones that settle.
  CHECK(pings.size() >= 4);
  CHECK(frames <= 3);
}
