// Exactly once under faults (DESIGN.md guarantee 2, issue 3 "Bad input and faults"): a real Uploader (real
// libcurl) talks to a real in-process CentralServer on SQLite through FaultProxy, which cuts requests, cuts
// answers after the server committed, delays and resets connections. After the faults stop and a round
// completes, the centre holds every kiosk response exactly once, with the kiosk's frozen bytes, and the kiosk
// has every one marked uploaded and none quarantined.
//
// Every random choice follows the printed seed; FK_FAULT_SEED=<seed> repeats a run.
#include <atomic>
#include <catch2/catch.hpp>
#include <latch>
#include <map>
#include <sstream>

#include "tests/sync/faults/fault_proxy.hpp"
#include "tests/sync/faults/fault_test_support.hpp"

using namespace fk;
using namespace fk::faults;
using namespace fk::faults::testing;

namespace {

std::string describe(const ProxyStats& s) {
  std::ostringstream out;
  out << s.connections << " connections (";
  for (std::size_t i = 0; i < kFaultKinds; ++i) {
    out << (i ? ", " : "") << to_string(static_cast<Fault>(i)) << " " << s.by_fault[i];
  }
  out << "); answers withheld after commit " << s.answers_withheld << ", requests cut " << s.requests_cut
      << ", upstream down " << s.upstream_connect_failures << ", idle closes " << s.idle_closes;
  return out.str();
}

// Tallies how rounds ended, by SyncError.
struct Outcomes {
  std::mutex mutex;
  std::map<std::string, int> by_error;
  void add(const uploader::SyncResult& r) {
    std::lock_guard lock(mutex);
    ++by_error[uploader::to_string(r.error)];
  }
  std::string text() {
    std::lock_guard lock(mutex);
    std::string out;
    for (const auto& [error, n] : by_error)
      out += (out.empty() ? "" : ", ") + error + " " + std::to_string(n);
    return out;
  }
};

// Errors a fault may cause in a round: the transport failing (Offline). Anything else — a quarantine, a
// refused token, an unexplained answer — is a bug in one end or the other.
void check_fault_outcome(const uploader::SyncResult& r) {
  INFO("round error " << uploader::to_string(r.error) << ": " << r.message);
  CHECK((r.error == uploader::SyncError::None || r.error == uploader::SyncError::Offline));
  CHECK(r.quarantined == 0);
}

}  // namespace

TEST_CASE(
    "many rounds under cut requests and answers withheld after commit: each response at the centre once",
    "[faults]") {
  const std::uint64_t seed = fault_seed("rounds");
  INFO("FK_FAULT_SEED=" << seed);
  std::mt19937_64 rng(seed);
  Centre centre;
  Outbox outbox;
  FaultProxy proxy(centre.port(), seed ^ 0x9e3779b97f4a7c15ULL);
  proxy.set_idle_close(30ms);
  proxy.set_max_delay(150ms);
  proxy.start();
  // Small batches: a round is a few requests, so a fault can strike any of them.
  uploader::Uploader uploader(*outbox.store, fast_config(proxy.url(), centre.token, 2));
  Outcomes outcomes;

  constexpr int kRounds = 48;
  for (int round = 0; round < kRounds; ++round) {
    outbox.add(rng, 1 + static_cast<int>(rng() % 5));
    for (int attempt = 0; attempt < 3; ++attempt) {
      const uploader::SyncResult r = uploader.sync_once();
      outcomes.add(r);
      check_fault_outcome(r);
      if (r.complete()) break;
    }
  }
  const ProxyStats with_faults = proxy.stats();

  proxy.set_mix(FaultMix::none());
  uploader::SyncResult last;
  for (int attempt = 0; attempt < 5 && !last.complete(); ++attempt) last = uploader.sync_once();
  std::printf("[faults] rounds: %d rounds; round outcomes: %s; proxy: %s\n", kRounds, outcomes.text().c_str(),
              describe(with_faults).c_str());
  INFO("last round: " << uploader::to_string(last.error) << ": " << last.message);
  REQUIRE(last.complete());
  proxy.stop();

  expect_exactly_once(centre.path, {outbox.store.get()});
  CHECK(outbox.counts().uploaded >= kRounds);
  // The run did exercise the faults it is about.
  CHECK(with_faults.answers_withheld > 0);
  CHECK(with_faults.requests_cut > 0);
  CHECK(with_faults.by_fault[static_cast<std::size_t>(Fault::Reset)] > 0);
  CHECK(with_faults.by_fault[static_cast<std::size_t>(Fault::Delay)] > 0);
  const auto log = centre.log();
  for (const auto& line : log) WARN("centre log: " << line);
  CHECK(log.empty());
}

TEST_CASE("the centre restarts on the same database while the uploader thread is sending", "[faults]") {
  const std::uint64_t seed = fault_seed("restart");
  INFO("FK_FAULT_SEED=" << seed);
  std::mt19937_64 rng(seed);
  Centre centre;
  Outbox outbox;
  constexpr int kBacklog = 1200;
  constexpr int kDuringRun = 300;
  constexpr int kRestarts = 5;
  outbox.add(rng, kBacklog);

  FaultProxy proxy(centre.port(), seed ^ 0x5851f42d4c957f2dULL);
  // Mostly clean connections, so the restarts are what the uploader mainly meets.
  proxy.set_mix(FaultMix{{6, 1, 1, 1, 1}});
  proxy.set_idle_close(30ms);
  proxy.set_max_delay(100ms);
  proxy.start();

  uploader::Uploader uploader(*outbox.store, fast_config(proxy.url(), centre.token, 25));
  uploader.start();

  // Responses keep arriving during the run, as at a busy lobby.
  std::atomic<bool> producer_failed{false};
  std::thread producer([&] {
    std::mt19937_64 local(seed + 1);
    try {
      for (int i = 0; i < kDuringRun; ++i) {
        outbox.add(local, 1);
        uploader.notify_new_response();
        std::this_thread::sleep_for(2ms);
      }
    } catch (const std::exception&) {
      producer_failed = true;
    }
  });

  // Restart when the drain is under way — at roughly every sixth of the backlog — so the stop lands among
  // requests in flight, not in a quiet moment.
  std::vector<std::int64_t> uploaded_at_restart;
  for (int i = 1; i <= kRestarts; ++i) {
    const std::int64_t threshold = static_cast<std::int64_t>(kBacklog) * i / (kRestarts + 1);
    const bool reached = eventually([&] { return outbox.counts().uploaded >= threshold; }, 20s);
    INFO("restart " << i << ": waited for " << threshold << " uploaded, have " << outbox.counts().uploaded);
    REQUIRE(reached);
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 20));
    uploaded_at_restart.push_back(outbox.counts().uploaded);
    proxy.set_upstream_port(centre.restart());
  }
  producer.join();
  REQUIRE_FALSE(producer_failed.load());
  const bool drained = eventually([&] { return outbox.counts().pending == 0; }, 30s);
  uploader.stop();
  const ProxyStats stats = proxy.stats();

  // Settle: faults off, one more round must find nothing left and succeed.
  proxy.set_mix(FaultMix::none());
  const uploader::SyncResult last = uploader.sync_once();
  std::ostringstream at;
  for (auto n : uploaded_at_restart) at << n << " ";
  std::printf("[faults] restart: %d restarts (%d on a new port), uploaded at each restart: %s; proxy: %s\n",
              centre.restarts, centre.port_changes, at.str().c_str(), describe(stats).c_str());
  CHECK(drained);
  INFO("last round: " << uploader::to_string(last.error) << ": " << last.message);
  REQUIRE(last.complete());
  proxy.stop();

  CHECK(centre.restarts == kRestarts);
  CHECK(outbox.counts().uploaded == kBacklog + kDuringRun);
  expect_exactly_once(centre.path, {outbox.store.get()});
  for (const auto& line : centre.log()) WARN("centre log: " << line);
}

TEST_CASE("two kiosks replaying copies of the same outbox at once: one row per response, both all uploaded",
          "[faults]") {
  const std::uint64_t seed = fault_seed("concurrent replay");
  INFO("FK_FAULT_SEED=" << seed);
  std::mt19937_64 rng(seed);
  constexpr int kResponses = 400;
  Centre centre;

  // One outbox, then a byte-for-byte copy (same UUIDs, same frozen payloads and hashes), as when a kiosk's
  // data directory was restored from a backup onto a second unit with the same enrolment.
  Outbox a;
  a.add(rng, kResponses);
  a.store.reset();  // closed: the WAL is checkpointed into the file
  TempDir b_dir;
  const std::string b_path = b_dir.file("outbox.sqlite");
  std::filesystem::copy_file(a.path, b_path);
  a.store = must(store::SqliteResponseStore::open(a.path), "reopen a");
  auto b = must(store::SqliteResponseStore::open(b_path), "open b");
  REQUIRE(must(b->counts(), "b counts").pending == kResponses);

  std::unique_ptr<FaultProxy> proxy;
  std::string url = centre.url();
  SECTION("straight to the centre") {}
  SECTION("through the faulty proxy") {
    proxy = std::make_unique<FaultProxy>(centre.port(), seed ^ 0x2545f4914f6cdd1dULL);
    proxy->set_idle_close(30ms);
    proxy->set_max_delay(100ms);
    proxy->start();
    url = proxy->url();
  }

  uploader::Uploader first(*a.store, fast_config(url, centre.token, 10));
  uploader::Uploader second(*b, fast_config(url, centre.token, 10));
  std::latch go(2);
  Outcomes outcomes;
  std::atomic<std::size_t> delivered{0};
  auto drain = [&](uploader::Uploader& u) {
    go.arrive_and_wait();
    const auto deadline = Clock::now() + 30s;
    while (Clock::now() < deadline) {
      const uploader::SyncResult r = u.sync_once();
      outcomes.add(r);
      delivered += r.delivered;
      if (r.complete()) return;
      if (r.error != uploader::SyncError::Offline) return;  // anything else is checked below
    }
  };
  std::thread t1(drain, std::ref(first));
  std::thread t2(drain, std::ref(second));
  t1.join();
  t2.join();

  if (proxy) {
    proxy->set_mix(FaultMix::none());
    std::printf("[faults] concurrent replay (proxy): outcomes %s; proxy: %s\n", outcomes.text().c_str(),
                describe(proxy->stats()).c_str());
  } else {
    std::printf("[faults] concurrent replay (direct): outcomes %s\n", outcomes.text().c_str());
  }
  const uploader::SyncResult last_first = first.sync_once();
  const uploader::SyncResult last_second = second.sync_once();
  delivered += last_first.delivered + last_second.delivered;
  INFO("first: " << uploader::to_string(last_first.error) << ": " << last_first.message);
  INFO("second: " << uploader::to_string(last_second.error) << ": " << last_second.message);
  REQUIRE(last_first.complete());
  REQUIRE(last_second.complete());
  if (proxy) proxy->stop();

  // Each side counted every response as delivered (created or duplicate); the centre stored each once.
  CHECK(delivered.load() == 2 * static_cast<std::size_t>(kResponses));
  CHECK(read_central(centre.path).count == kResponses);
  expect_exactly_once(centre.path, {a.store.get(), b.get()});
  for (const auto& line : centre.log()) WARN("centre log: " << line);
}
