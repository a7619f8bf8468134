// Shared by the benchmarks (tests/bench): failing loudly, timing, and what they report alongside their
// figures — the machine's load and this process's CPU time.
#pragma once

#include <errno.h>  // program_invocation_short_name (glibc)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>

#include "sync/model/expected.hpp"

namespace fk::test_support {

// Prints "<program>: <message>" to stderr and exits 1: a benchmark has no one to hand an error to.
[[noreturn]] inline void die(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, message.c_str());
  std::exit(1);
}

// The value, or die() saying what failed.
template <typename T>
T must(Expected<T> e, const char* what) {
  if (!e) die(std::string(what) + ": " + e.error().message);
  return std::move(e).value();
}

inline double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.
inline std::string loadavg() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// User + system CPU seconds used so far by the whole process (every thread).
inline double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

}  // namespace fk::test_support
