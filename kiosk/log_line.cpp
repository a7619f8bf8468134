#include "kiosk/log_line.hpp"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace fk::kiosk {

std::string format_log_line(LogLevel level, std::string_view message, bool journal, std::time_t now) {
  std::string line;
  if (journal) {
    switch (level) {
      case LogLevel::Error:
        line = SD_ERR;
        break;
      case LogLevel::Warning:
        line = SD_WARNING;
        break;
      case LogLevel::Info:
        line = SD_INFO;
        break;
    }
  } else {
    char stamp[32];
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ ", &utc);
    line = stamp;
  }
  line += "feedback-kiosk: ";
  line += message;
  line += '\n';
  return line;
}

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long device = 0, inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat st {};
  if (fstat(STDERR_FILENO, &st) != 0) return false;
  return st.st_dev == device && st.st_ino == inode;
}

void log_line(LogLevel level, const std::string& message) {
  // Asked once: stderr does not change while the kiosk runs.
  static const bool journal = stderr_is_journal();
  const std::string line = format_log_line(level, message, journal, std::time(nullptr));
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace fk::kiosk
