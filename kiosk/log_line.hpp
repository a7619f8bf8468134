// The kiosk's log: one line per event on standard error. Under systemd (stderr is the journal's stream,
// JOURNAL_STREAM) each line starts with its syslog priority (<3> error, <4> warning, <6> info) and carries no
// timestamp of its own, the journal stamps it; elsewhere it starts with a UTC timestamp.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace fk::kiosk {

enum class LogLevel { Error, Warning, Info };

std::string format_log_line(LogLevel level, std::string_view message, bool journal, std::time_t now);
// True when standard error is the stream systemd named in JOURNAL_STREAM ("device:inode").
bool stderr_is_journal();
void log_line(LogLevel level, const std::string& message);
inline void log_info(const std::string& message) {
  log_line(LogLevel::Info, message);
}

}  // namespace fk::kiosk
