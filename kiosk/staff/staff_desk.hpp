// The staff side of the kiosk: which staff screen is shown (if any), the PIN entry, the staff screen's
// actions, the event being collected for and its report. The app draws the screens from view() and hands
// their intents to apply(); changes to the resident flow (survey, event tag, default language) go through
// the hooks, so the flow stays the app's. Everything that must survive a restart is in staff.toml.
//
// Nothing slow happens in a frame: view() reads no store (the counts come from the uploader's snapshot, or,
// when the kiosk is not enrolled, from a reading taken when a staff screen is opened or refreshed), and a
// PIN is compared with its Argon2id hash on a worker thread that wakes the loop when it is done; tick()
// picks the answer up. Meanwhile the pad says it is checking and takes no keys.
#pragma once

#include <chrono>
#include <ctime>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "kiosk/staff/pin.hpp"
#include "kiosk/staff/pin_gate.hpp"
#include "kiosk/staff/staff_file.hpp"
#include "kiosk/survey_source.hpp"
#include "kiosk/ui/screens/staff_view.hpp"
#include "sync/store/response_store.hpp"
#include "sync/uploader/uploader.hpp"

namespace fk::kiosk::staff {

using TimePoint = std::chrono::steady_clock::time_point;

inline constexpr std::chrono::seconds kPinPadTimeout{30};  // untouched PIN pad → back to the residents
inline constexpr std::chrono::seconds kStaffScreenTimeout{120};  // untouched staff screen → locks itself

struct DeskDeps {
  std::string data_dir;
  store::ResponseStore* store = nullptr;   // may be null (unusable data directory)
  uploader::Uploader* uploader = nullptr;  // may be null (not enrolled)
  SurveySource* surveys = nullptr;
  PinGate::BootClock boot_clock = read_boot_time;
  std::function<std::time_t()> wall_clock = [] { return std::time(nullptr); };
  std::function<void(const std::string&)> log = [](const std::string&) {};
  // Compares a PIN with the stored hash (format check + Argon2id, 70-150 ms); runs on a worker thread.
  std::function<bool(const std::string& hash, const std::string& pin)> pin_matches =
      [](const std::string& hash, const std::string& pin) {
        return check_pin_format(pin) && staff::pin_matches(hash, pin);
      };
  // Called from the worker when a PIN check is done, so the loop wakes and ticks: thread-safe, quick (e.g.
  // SDL_PushEvent). May be empty (tests tick on their own).
  std::function<void()> wake;
};

struct DeskHooks {
  std::function<void(std::shared_ptr<const model::SurveyDefinition>)> set_survey;  // from the next visit
  std::function<void(const std::string&)> set_event;                               // tag new visits ("" none)
  std::function<void(const std::string&)> set_default_language;
  std::function<const model::SurveyDefinition&()> active_survey;
};

class StaffDesk {
 public:
  StaffDesk(DeskDeps deps, DeskHooks hooks);
  ~StaffDesk();  // waits for a PIN check in progress (at most one hash comparison)
  StaffDesk(const StaffDesk&) = delete;
  StaffDesk& operator=(const StaffDesk&) = delete;

  // Applies what staff.toml keeps (default language, running event) through the hooks. Call once at start.
  void restore();
  // A staff screen (the PIN pad included) is showing instead of the resident screens.
  bool active() const { return screen_.has_value(); }
  // The hidden gesture completed: the PIN pad opens (saying so when no PIN is set).
  void open_pin_pad(TimePoint now);
  ui::StaffView view();
  void apply(const ui::StaffIntent& intent, TimePoint now);
  // A touch on a staff screen: postpones the automatic lock.
  void touched(TimePoint now) { last_input_ = now; }
  // A finished PIN check, inactivity locks, and the event's end time.
  void tick(TimePoint now);
  // A PIN is being compared on the worker: the pad takes no keys until tick() picks up the answer.
  bool checking_pin() const { return pin_check_.valid(); }
  std::optional<TimePoint> next_wakeup(TimePoint now) const;
  // Staff confirmed "Leave kiosk mode": the app exits with kExitLeftKioskMode (10, see run_kiosk.hpp).
  bool wants_exit() const { return exit_; }

  const StaffState& state() const { return state_; }
  const std::string& notice() const { return notice_; }

 private:
  void close();
  void submit_pin(TimePoint now);
  // The worker's answer, once it is ready: finishes the attempt (the lockout's count) and shows it.
  void collect_pin_check(TimePoint now);
  void show_attempt(const PinAttempt& attempt, TimePoint now);
  // Reads the outbox's counts (and the last event's) into outbox_: only without an uploader, and only when a
  // staff screen is opened or refreshed, never per frame.
  void read_outbox();
  void start_event();
  void end_event();
  bool save(const std::string& what);
  // "HH:MM" today → seconds since the epoch; an Error for anything else or a time already past.
  Expected<std::int64_t> parse_end_time(const std::string& text) const;
  std::string clock_text(std::int64_t epoch) const;

  DeskDeps deps_;
  DeskHooks hooks_;
  std::string path_;
  StaffState state_;
  PinGate gate_;
  std::optional<ui::StaffScreen> screen_;
  TimePoint last_input_{};
  std::string pin_;
  std::string pin_message_;
  std::string notice_;
  std::string event_name_input_, end_time_input_, chosen_survey_, form_error_;
  int focused_field_ = 0;
  bool exit_ = false;
  std::thread pin_worker_;
  std::future<bool> pin_check_;  // valid while a PIN is being compared

  // The outbox as last read by read_outbox() (no uploader).
  struct OutboxReading {
    store::StatusCounts counts;
    std::string oldest_saved_at;  // the oldest pending response's saved_at; empty: none
    std::string event;            // the event `event_counts` belongs to; empty: none read
    std::optional<store::StatusCounts> event_counts;
    std::string error;        // why the outbox could not be counted
    std::string event_error;  // why the event's responses could not be counted
  };
  OutboxReading outbox_;
};

}  // namespace fk::kiosk::staff
