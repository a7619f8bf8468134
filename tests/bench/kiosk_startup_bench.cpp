// Cold start to first frame of feedback-kiosk: from just before posix_spawn until the automation hook's
// layout.json first exists (it is written once the first frame has been drawn), then SIGTERM.
// Each run gets a fresh data directory (so the store is created and migrated) and a fresh FK_AUTOMATION_DIR.
// Prints the median, min and max against the target; never fails on a time. Not part of CTest.
//
// Run it on an X display of the kiosk's size, e.g.:
//   xvfb-run -a -s "-screen 0 1920x1080x24" build/tests/bench/kiosk_startup_bench build/kiosk/feedback-kiosk
//   [RUNS]
// RUNS defaults to 10. It also reads each run's peak RSS (VmHWM, after the first frame has settled) and that
// of sdl_gl_baseline (the same SDL + GL + ImGui window with nothing else), interleaved.
// RUNS defaults to 10. As a same-run baseline it also times an SDL-free X client (xdpyinfo, from x11-utils)
// from spawn to exit on the same display, when one is installed.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr double kTargetMs = 300.0;
constexpr double kRssTargetMib = 80.0;  // above the SDL/GL baseline, with all seven languages loaded
constexpr auto kFirstFrameTimeout = 30s;

// posix_spawnp with the parent's environment plus `extra` ("NAME=value"), stdin/stdout from/to /dev/null and
// stderr to `stderr_path`. Returns the pid, or -1.
pid_t spawn(std::vector<std::string> argv, const std::vector<std::string>& extra,
            const std::string& stderr_path) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('=') + 1);
    const bool replaced =
        std::any_of(extra.begin(), extra.end(), [&](const std::string& x) { return x.rfind(name, 0) == 0; });
    // SDL must use the X display it was given, not an offscreen driver inherited from the shell.
    if (!replaced && name != "SDL_VIDEODRIVER=") env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  std::vector<char*> c_argv, c_env;
  for (auto& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  for (auto& e : env) c_env.push_back(e.data());
  c_env.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    std::fprintf(stderr, "cannot start %s: %s\n", argv[0].c_str(), std::strerror(rc));
    return -1;
  }
  return pid;
}

// Waits at most `timeout` for `pid`; SIGKILLs it after that. Returns the raw wait status (or nullopt if
// killed).
std::optional<int> reap(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return std::nullopt;
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return std::nullopt;
    }
    std::this_thread::sleep_for(1ms);
  }
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string read_file(const fs::path& p) {
  std::string out;
  if (FILE* f = std::fopen(p.c_str(), "rb")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

// Peak resident memory (VmHWM) of a running process, in MiB.
std::optional<double> peak_rss_mib(pid_t pid) {
  const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  const auto at = status.find("VmHWM:");
  if (at == std::string::npos) return std::nullopt;
  return std::strtod(status.c_str() + at + 6, nullptr) / 1024.0;
}

struct Start {
  double first_frame_ms = 0;
  double peak_rss_mib = 0;  // after the first frame and the frames that settle it
};

// One cold start: spawn → layout.json exists, then the peak RSS once it has settled. Nullopt (with a message)
// if it never appears.
std::optional<Start> time_first_frame(const std::string& kiosk, bool is_kiosk = true) {
  const fk::test_support::TempDir tmp("fk-startup-bench");
  const fs::path data = tmp.path() / "data";
  const fs::path automation = tmp.path() / "automation";
  const fs::path config_home = tmp.path() / "config";  // no stray kiosk.toml
  fs::create_directories(automation);
  fs::create_directories(config_home);
  const std::string layout = (automation / "layout.json").string();
  const std::string stderr_path = (tmp.path() / "kiosk.stderr").string();

  const auto t0 = Clock::now();
  std::vector<std::string> argv = {kiosk};
  if (is_kiosk) argv.insert(argv.end(), {"--data-dir", data.string()});
  const pid_t pid = spawn(argv,
                          {"FK_AUTOMATION_DIR=" + automation.string(), "FK_AUTOMATION_SCREENSHOTS=off",
                           "XDG_CONFIG_HOME=" + config_home.string()},
                          stderr_path);
  if (pid < 0) return std::nullopt;
  std::optional<Start> elapsed;
  for (;;) {
    struct stat st {};
    if (::stat(layout.c_str(), &st) == 0) {
      elapsed = Start{ms_since(t0), 0};
      std::this_thread::sleep_for(500ms);  // the settle frames after the first
      elapsed->peak_rss_mib = peak_rss_mib(pid).value_or(0);
      break;
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      std::fprintf(stderr, "the kiosk exited before its first frame; its stderr:\n%s\n",
                   read_file(stderr_path).c_str());
      return std::nullopt;
    }
    if (Clock::now() - t0 > kFirstFrameTimeout) {
      std::fprintf(stderr, "no first frame within 30 s; the kiosk's stderr:\n%s\n",
                   read_file(stderr_path).c_str());
      break;
    }
    std::this_thread::sleep_for(1ms);
  }
  ::kill(pid, SIGTERM);
  const auto status = reap(pid, 10s);
  if (!status) std::fprintf(stderr, "the kiosk ignored SIGTERM for 10 s and was killed\n");
  return elapsed;
}

// Spawn → exit of an X client that only connects, asks and leaves.
std::optional<double> time_x_client(const std::string& client) {
  const auto t0 = Clock::now();
  const pid_t pid = spawn({client}, {}, "/dev/null");
  if (pid < 0) return std::nullopt;
  const auto status = reap(pid, 10s);
  const double elapsed = ms_since(t0);
  if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0) return std::nullopt;
  return elapsed;
}

struct Summary {
  double median = 0, min = 0, max = 0;
};

Summary summarise(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return {median, v.front(), v.back()};
}

bool on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string dirs = path;
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = dirs.find(':', start);
    const std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string kiosk = argc > 1 ? argv[1] : FK_KIOSK_BIN;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 10;
  if (runs < 1) {
    std::fprintf(stderr, "usage: %s [KIOSK_BINARY] [RUNS>=1]\n", argv[0]);
    return 2;
  }
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display) {
    std::fprintf(stderr, "no DISPLAY: run it as\n  xvfb-run -a -s \"-screen 0 1920x1080x24\" %s %s\n",
                 argv[0], kiosk.c_str());
    return 2;
  }
  if (::access(kiosk.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "%s: not an executable\n", kiosk.c_str());
    return 2;
  }

  std::printf("kiosk cold start to first frame (spawn -> layout.json exists), %d runs on DISPLAY=%s\n", runs,
              display);
  std::vector<double> times, rss, base_rss, base_times;
  for (int i = 0; i < runs; ++i) {
    const auto t = time_first_frame(kiosk);
    // Interleaved with the kiosk: the SDL/GL baseline (same window, ImGui's built-in font, nothing else).
    const auto b = time_first_frame(FK_BASELINE_BIN, false);
    if (!t) {
      std::printf("  run %2d: failed\n", i + 1);
      continue;
    }
    std::printf("  run %2d: %7.1f ms, peak RSS %6.1f MiB (SDL/GL baseline %6.1f ms, %6.1f MiB)\n", i + 1,
                t->first_frame_ms, t->peak_rss_mib, b ? b->first_frame_ms : 0.0, b ? b->peak_rss_mib : 0.0);
    std::fflush(stdout);
    times.push_back(t->first_frame_ms);
    rss.push_back(t->peak_rss_mib);
    if (b) base_rss.push_back(b->peak_rss_mib), base_times.push_back(b->first_frame_ms);
  }
  if (times.empty()) {
    std::printf("no run reached its first frame\n");
    return 1;
  }
  const Summary s = summarise(times);
  std::printf(
      "startup to first frame: median %.1f ms, min %.1f ms, max %.1f ms over %zu runs (target <= %.0f ms)\n",
      s.median, s.min, s.max, times.size(), kTargetMs);
  if (!base_rss.empty()) {
    const Summary bt = summarise(base_times);
    std::printf("SDL/GL baseline to first frame: median %.1f ms (the kiosk adds %.1f ms)\n", bt.median,
                s.median - bt.median);
    const Summary r = summarise(rss);
    const Summary br = summarise(base_rss);
    std::printf(
        "peak RSS: median %.1f MiB; SDL/GL baseline median %.1f MiB; above baseline %.1f MiB "
        "(target <= %.0f MiB)\n",
        r.median, br.median, r.median - br.median, kRssTargetMib);
  }

  // Same-run baseline: what merely starting a process that talks to this X server costs.
  const std::string client = "xdpyinfo";
  if (!on_path(client)) {
    std::printf("baseline skipped: %s (x11-utils) is not installed\n", client.c_str());
    return 0;
  }
  std::vector<double> base;
  for (int i = 0; i < runs; ++i) {
    if (auto t = time_x_client(client)) base.push_back(*t);
  }
  if (base.empty()) {
    std::printf("baseline skipped: %s failed on this display\n", client.c_str());
    return 0;
  }
  const Summary b = summarise(base);
  std::printf(
      "baseline, %s spawn to exit (SDL-free X client): median %.1f ms, min %.1f ms, max %.1f ms over %zu "
      "runs\n",
      client.c_str(), b.median, b.min, b.max, base.size());
  return 0;
}
