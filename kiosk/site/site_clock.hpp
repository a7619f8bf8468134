// The site's clock around the visit: opening hours (the closed screen, and when it comes), the closed
// screen woken by a touch, and the "Need help now?" overlay, which holds the visit's clock while it is open.
// Plain C++: no ImGui, no SDL. Both clocks are passed in — the monotonic time to each call, the wall clock
// (opening hours only: display and schedule, never ordering) to the constructor — so tests drive them.
//
// Wiring in the app (the visit flow knows nothing of any of this):
//
//   site.tick(now, flow.screen() == Screen::Attract);   // true: opened or closed, draw now
//   flow.tick(site.visit_time(now));                      // the visit runs on the held clock
//   wake = site.real_time(*flow.next_wakeup(site.visit_time(now)), now);
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "kiosk/schedule/opening_hours.hpp"

namespace fk::kiosk::site {

using TimePoint = std::chrono::steady_clock::time_point;  // the same clock as flow::TimePoint
using WallClock = std::function<std::chrono::system_clock::time_point()>;

// The help overlay closes by itself after this long without a touch (the visit's clock then runs on).
inline constexpr std::chrono::seconds kHelpOverlayTimeout{60};
// A touch on the closed screen shows the help texts for this long, then it dims again.
inline constexpr std::chrono::seconds kClosedAwakeDuration{15};
// The closed screen sleeps until the next change of the opening hours, but looks at the wall clock at
// least this often (it may be set late, by NTP after boot, or jump). One frame each time: no measurable CPU.
inline constexpr std::chrono::minutes kScheduleRecheck{10};

class SiteClock {
 public:
  explicit SiteClock(
      schedule::OpeningHours hours, WallClock wall_clock = [] { return std::chrono::system_clock::now(); });

  // Applies the timeouts due at `now` and the opening hours. The kiosk closes only `between_visits` (the
  // attract screen, help not open): a visit in progress is finished first. True when it opened or closed.
  bool tick(TimePoint now, bool between_visits);
  // The next moment tick() could change something; nullopt when only a touch can. While closed or while
  // help is open nothing else on the resident side is due (the caller adds the visit's own timeouts only
  // when neither is the case).
  std::optional<TimePoint> next_wakeup(TimePoint now, bool between_visits) const;

  bool closed() const { return closed_; }
  // The closed screen, woken by a touch, shows its texts until it dims again.
  bool awake() const { return awake_until_.has_value(); }
  bool help_open() const { return help_open_; }
  // When the closed kiosk opens next, in the site's local time; nullopt when no opening is scheduled.
  std::optional<schedule::LocalTime> opens_at() const;

  // A touch on the closed screen: awake for kClosedAwakeDuration (ignored while open).
  void wake(TimePoint now);
  // The resident opened the overlay; false when it was open already. The visit's clock stops.
  bool open_help(TimePoint now);
  // The overlay closed (by the resident, or by its timeout in tick()); the visit's clock runs on.
  void close_help(TimePoint now);
  // A touch at `at` while the overlay is open keeps it open for another kHelpOverlayTimeout.
  void touched(TimePoint at);

  // The visit's clock: real time less the time it was held under the help overlay.
  TimePoint visit_time(TimePoint now) const;
  // A moment on the visit's clock, back on the real clock as it stands at `now`.
  TimePoint real_time(TimePoint visit, TimePoint now) const { return visit + (now - visit_time(now)); }

  // Replaces the wall clock (tests).
  void set_wall_clock(WallClock clock) { wall_clock_ = std::move(clock); }

 private:
  std::optional<TimePoint> next_schedule_change(TimePoint now) const;
  bool open_by_hours() const;

  schedule::OpeningHours hours_;
  WallClock wall_clock_;
  bool closed_ = false;                   // outside opening hours, on the closed screen
  std::optional<TimePoint> awake_until_;  // the woken closed screen dims again then
  bool help_open_ = false;
  TimePoint help_touched_{};                     // the overlay's last touch: it closes itself after a while
  TimePoint hold_started_{};                     // when the overlay opened (the visit's clock stopped)
  std::chrono::steady_clock::duration held_{0};  // the visit's clock is this far behind real time
};

}  // namespace fk::kiosk::site
