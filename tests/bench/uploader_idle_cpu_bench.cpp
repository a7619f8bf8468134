// Benchmark: with nothing to send, the uploader thread must add no measurable idle CPU to the kiosk
// (issue 3). Not a test: it prints its figures and never fails on a time.
//
//   build-faults/tests/bench/uploader_idle_cpu_bench [SECONDS]
//
// (SECONDS per measurement, default 20.) One process, one run, with an in-process CentralServer on a
// fresh SQLite file in a temp directory under /var/tmp (or $TMPDIR) and an empty kiosk outbox:
//   1. baseline: SECONDS with the centre running and no uploader thread — whole-process CPU (getrusage);
//   2. an Uploader with the kiosk's default schedule (idle check 60 s, heartbeat 300 s) is started; once
//      its first round and first heartbeat are done, SECONDS of: the uploader thread's own CPU, read from
//      /proc/self/task/<tid>/schedstat (ns on CPU) and .../stat (ticks), its context switches (wake-ups),
//      and whole-process CPU, which also holds the in-process centre (on a real kiosk that is elsewhere).
// The thread is found as the task that appears when start() is called.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/bench.hpp"
#include "support/enrolled_centre.hpp"
#include "support/temp_dir.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/store/sqlite_response_store.hpp"
#include "sync/uploader/uploader.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using namespace fk::test_support;  // tests/support: die, must, loadavg and the rest

std::set<long> tasks() {
  std::set<long> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    out.insert(std::atol(e.path().filename().c_str()));
  }
  return out;
}

struct TaskCpu {
  bool alive = false;
  double schedstat_s = 0;  // time on CPU, ns resolution
  double ticks_s = 0;      // utime + stime, clock-tick resolution
  long switches = 0;       // voluntary + involuntary context switches: how often it ran
};

TaskCpu task_cpu(long tid) {
  TaskCpu t;
  const std::string base = "/proc/self/task/" + std::to_string(tid);
  std::ifstream sched(base + "/schedstat");
  unsigned long long ns = 0;
  if (!(sched >> ns)) return t;
  t.alive = true;
  t.schedstat_s = static_cast<double>(ns) / 1e9;
  std::ifstream stat_file(base + "/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(stat.substr(close + 2));
    std::vector<std::string> f;
    for (std::string s; fields >> s;) f.push_back(s);
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
    if (f.size() > 12) {
      const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
      t.ticks_s = (std::atof(f[11].c_str()) + std::atof(f[12].c_str())) / hz;
    }
  }
  std::ifstream status(base + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("voluntary_ctxt_switches:", 0) == 0 || line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) {
      t.switches += std::atol(line.substr(line.find(':') + 1).c_str());
    }
  }
  return t;
}

std::string task_name(long tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

}  // namespace

int main(int argc, char** argv) {
  const int secs = argc > 1 ? std::atoi(argv[1]) : 20;
  if (secs <= 0) die("usage: uploader_idle_cpu_bench [SECONDS > 0]");
  const auto window = std::chrono::seconds(secs);

  const fk::test_support::TempDir temp("fk-idle-bench", fk::test_support::TempBase::Disk);
  const std::filesystem::path& dir = temp.path();

  const std::string token = fk::central::new_token();
  const auto centre =
      must(fk::test_support::start_enrolled_centre((dir / "central.sqlite").string(), token), "centre");
  fk::central::CentralServer& server = *centre.server;
  auto outbox = must(fk::store::SqliteResponseStore::open((dir / "outbox.sqlite").string()), "outbox");

  std::printf("uploader_idle_cpu_bench: %d s per measurement, in %s; loadavg at start %s\n", secs,
              dir.c_str(), loadavg().c_str());
  std::fflush(stdout);

  // 1. Baseline: the same process with the centre idle and no uploader.
  std::this_thread::sleep_for(1s);
  double cpu0 = fk::test_support::process_cpu_seconds();
  auto t0 = Clock::now();
  std::this_thread::sleep_for(window);
  double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const double baseline_pct = 100.0 * (fk::test_support::process_cpu_seconds() - cpu0) / wall;
  std::printf("baseline, no uploader:   whole process %.3f%% of one core over %.1f s\n", baseline_pct, wall);
  std::fflush(stdout);

  // 2. The uploader thread with an empty outbox and the kiosk's default schedule.
  fk::uploader::UploaderConfig config;
  config.central_url = server.base_url();
  config.token = token;
  config.app_version = "bench";
  fk::uploader::Uploader uploader(*outbox, config);
  const std::set<long> before = tasks();
  uploader.start();
  std::set<long> uploader_tids;
  for (long tid : tasks()) {
    if (before.count(tid) == 0) uploader_tids.insert(tid);
  }
  if (uploader_tids.empty()) die("cannot find the uploader's thread");
  // Its first round (nothing to send) and first heartbeat; then it should sleep.
  const auto deadline = Clock::now() + 10s;
  while (uploader.status()->last_success.empty() && Clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  if (uploader.status()->last_success.empty()) die("the first heartbeat did not arrive");
  std::this_thread::sleep_for(200ms);

  std::vector<TaskCpu> start_cpu;
  for (long tid : uploader_tids) start_cpu.push_back(task_cpu(tid));
  std::map<long, TaskCpu> others_start;
  for (long tid : tasks()) {
    if (uploader_tids.count(tid) == 0) others_start[tid] = task_cpu(tid);
  }
  cpu0 = fk::test_support::process_cpu_seconds();
  t0 = Clock::now();
  std::this_thread::sleep_for(window);
  wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const double process_pct = 100.0 * (fk::test_support::process_cpu_seconds() - cpu0) / wall;
  std::size_t k = 0;
  for (long tid : uploader_tids) {
    const TaskCpu end = task_cpu(tid);
    const TaskCpu& begin = start_cpu[k++];
    if (!end.alive) {
      std::printf("uploader task %ld ended during the window (a short-lived helper thread)\n", tid);
      continue;
    }
    std::printf(
        "uploader thread (tid %ld): %.4f%% of one core over %.1f s (%.6f s on CPU by schedstat, %.2f s by "
        "ticks), %ld context switches (wake-ups) in the window\n",
        tid, 100.0 * (end.schedstat_s - begin.schedstat_s) / wall, wall, end.schedstat_s - begin.schedstat_s,
        end.ticks_s - begin.ticks_s, end.switches - begin.switches);
  }
  // Where the rest of the process's CPU went: the centre's threads (and this one, sleeping).
  double others_s = 0, top_s = 0;
  long top_tid = 0, top_switches = 0;
  for (const auto& [tid, begin] : others_start) {
    const TaskCpu end = task_cpu(tid);
    if (!end.alive) continue;
    const double used = end.schedstat_s - begin.schedstat_s;
    others_s += used;
    if (used > top_s) {
      top_s = used;
      top_tid = tid;
      top_switches = end.switches - begin.switches;
    }
  }
  std::printf("with uploader:           whole process %.3f%% of one core over %.1f s (centre in-process)\n",
              process_pct, wall);
  std::printf(
      "  of which other threads (the in-process centre's, and main): %.3f%%; busiest tid %ld (%s) %.3f%%, "
      "%ld context switches\n",
      100.0 * others_s / wall, top_tid, task_name(top_tid).c_str(), 100.0 * top_s / wall, top_switches);
  std::printf("difference (with - baseline): %+.3f%% of one core; target: no measurable idle CPU\n",
              process_pct - baseline_pct);
  const auto status = uploader.status();
  std::printf("uploader state %s, pending %lld; loadavg at end %s\n", fk::uploader::to_string(status->state),
              static_cast<long long>(status->pending), loadavg().c_str());
  uploader.stop();
  server.stop();
  return 0;
}
