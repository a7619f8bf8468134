#include "kiosk/platform/event_loop.hpp"

#include <algorithm>
#include <cstdio>

namespace fk::platform {
namespace {

// Frames rendered after input so hover, press and release states settle (ImGui needs a frame to react).
constexpr int kSettleFrames = 3;

std::optional<TimePoint> earliest(std::optional<TimePoint> a, std::optional<TimePoint> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

}  // namespace

int run_event_loop(Window& window, const LoopHandlers& handlers) {
  int frames_left = kSettleFrames;  // the first frame, even with no input
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    // The deadline this wait sleeps until. A countdown's next_wakeup is "the next second from now", so asked
    // again after the wait it names the following second and is never found due: the timer has fired when
    // the deadline the loop slept for has passed.
    const std::optional<TimePoint> waited_for = frames_left > 0 ? std::nullopt : handlers.next_wakeup(now);
    // A liveness ping may be due before the app's own timer; waking for it alone draws nothing.
    const auto sleep_until = earliest(waited_for, handlers.alive_due ? handlers.alive_due() : std::nullopt);
    Events events = frames_left > 0 ? window.poll() : window.wait(sleep_until);
    if (events.quit) return 0;
    now = std::chrono::steady_clock::now();
    if (handlers.alive) handlers.alive(now, false);
    const auto due = handlers.next_wakeup(now);
    const bool timer_fired = (waited_for && *waited_for <= now) || (due && *due <= now);
    handlers.tick(now);
    if (handlers.should_quit && handlers.should_quit()) return 0;  // e.g. the app cannot draw another frame
    if (events.input) frames_left = kSettleFrames;
    if ((events.wake || timer_fired) && frames_left == 0) frames_left = 1;
    if (frames_left == 0) continue;

    window.begin_frame();
    const bool changed = handlers.draw(now, window.last_touch_time());
    const auto shot = handlers.screenshot ? handlers.screenshot() : std::nullopt;
    if (auto saved = window.end_frame(shot); !saved)
      std::fprintf(stderr, "feedback-kiosk: %s\n", saved.error().message.c_str());
    if (handlers.alive) handlers.alive(std::chrono::steady_clock::now(), true);
    if (handlers.should_quit && handlers.should_quit()) return 0;
    frames_left = changed ? kSettleFrames : frames_left - 1;
  }
}

}  // namespace fk::platform
