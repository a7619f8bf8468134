// <data_dir>/staff.toml: what staff set on this kiosk and what must survive a restart — the PIN's hash, the
// lockout, the default language, the survey staff chose, the running event and the last one ended. Owner-only (it holds the PIN
// hash), written atomically (temporary file, fsync, rename).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/staff/lockout.hpp"
#include "sync/model/expected.hpp"

namespace fk::kiosk::staff {

inline constexpr std::size_t kMaxEventNameBytes = 80;  // a name shown on one line of the staff screen

struct EventRecord {
  std::string name;
  std::string survey_id;                // the survey chosen for it
  std::optional<std::int64_t> ends_at;  // wall clock, seconds since the epoch; nullopt: ended by staff
  bool operator==(const EventRecord&) const = default;
};

struct StaffState {
  std::string pin_hash;  // empty: no PIN set, the staff screen cannot be opened
  LockoutRecord lockout;
  std::string default_language;      // empty: the config's
  std::string survey;                // the survey staff chose for the kiosk; empty: its own (site default)
  std::optional<EventRecord> event;  // the event being collected for
  std::string last_event;            // the last event ended, for its report
  bool operator==(const StaffState&) const = default;
};

// Reads the file; a missing file is the default state. A malformed file is an Error naming file, line and
// reason.
Expected<StaffState> load_staff_state(const std::string& path);
// Writes the whole state atomically with mode 0600.
Expected<Ok> save_staff_state(const std::string& path, const StaffState& state);

std::string staff_state_path(const std::string& data_dir);

}  // namespace fk::kiosk::staff
