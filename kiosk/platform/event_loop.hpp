// The kiosk's event-driven loop: sleep until a touch, a timer or a wake-up; then render a few frames and
// sleep again. An idle kiosk draws nothing (a poll-every-frame loop costs ~178% CPU under Xvfb).
#pragma once

#include <functional>
#include <optional>

#include "kiosk/platform/window.hpp"

namespace fk::platform {

struct LoopHandlers {
  // Called on every wake-up before drawing: apply timeouts, pick up background results.
  std::function<void(TimePoint now)> tick;
  // When the app next needs to run without input (a timeout or a countdown); nullopt: only on input.
  std::function<std::optional<TimePoint>(TimePoint now)> next_wakeup;
  // Draws one frame between begin_frame and end_frame; returns true when it changed the app's state.
  // `touched` is when the latest press or release happened (see Window::last_touch_time).
  std::function<bool(TimePoint now, std::optional<TimePoint> touched)> draw;
  // Asked after each frame is drawn: a path to keep this frame as a PNG (test artifacts), or nullopt.
  std::function<std::optional<std::string>()> screenshot;
  // Asked after each tick and each frame: true ends the loop, which returns 0 (staff left kiosk mode, or
  // the app cannot go on; the caller decides the process's exit code). May be empty.
  std::function<bool()> should_quit;
  // Told on every wake-up and after every frame shown (`frame_shown`) that the loop runs: a supervisor's
  // liveness ping (see ServiceNotifier). May be empty.
  std::function<void(TimePoint now, bool frame_shown)> alive;
  // When the loop must wake at the latest to call `alive` again; such a wake-up draws nothing. May be empty.
  std::function<std::optional<TimePoint>()> alive_due;
};

// Runs until the window is closed or the process is asked to stop (SIGTERM/SIGINT). Returns an exit code.
int run_event_loop(Window& window, const LoopHandlers& handlers);

}  // namespace fk::platform
