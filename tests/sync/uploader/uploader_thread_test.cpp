// The uploader's thread: prompt start/stop, notify-driven sends, back-off scheduling, heartbeats, no idle
// polling, and snapshots that wake the UI. The thread runs on a ManualClock: time moves only when a test
// advances it, and tests wait for events (a request at the server, a snapshot, the thread waiting on the
// clock), never for time.
#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <future>

#include "manual_clock.hpp"
#include "scripted_server.hpp"
#include "sync/uploader/heartbeat.hpp"
#include "uploader_test_support.hpp"

using namespace fk;
using namespace fk::uploader;
using namespace fk::uploader::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kResponses = "/api/v1/responses";
constexpr const char* kHeartbeat = "/api/v1/kiosks/heartbeat";

// Calls stop() on another thread and waits for it to return (up to 20 s, a bound only a broken stop()
// reaches). If it did not return, `unblock` frees the uploader's thread so the test fails instead of hanging.
bool stops_promptly(Uploader& uploader, const std::function<void()>& unblock) {
  auto stopped = std::async(std::launch::async, [&] { uploader.stop(); });
  if (stopped.wait_for(20s) == std::future_status::ready) return true;
  unblock();
  return false;
}

}  // namespace

TEST_CASE("start drains the backlog, then a heartbeat reports an empty outbox", "[thread]") {
  Outbox outbox;
  outbox.add(12);
  FakeCentral central;
  ScriptedServer server(central.handler());
  UploaderConfig config = test_config(server.url());
  config.batch_size = 5;
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(outbox.store(), config, server.waker(), {}, clock);
  uploader.start();
  CHECK(uploader.running());
  REQUIRE(server.await([&] { return central.heartbeats().size() == 1; }));
  CHECK(outbox.counts().uploaded == 12);
  const model::Heartbeat beat = central.heartbeats().front();
  CHECK(beat.app_version == "0.1.0-test");
  CHECK(beat.pending == 0);
  CHECK(beat.oldest_pending_age_s == 0);
  CHECK(beat.quarantined == 0);
  CHECK(beat.last_error.empty());
  REQUIRE(server.await([&] { return uploader.status()->uploaded == 12; }));
  CHECK(uploader.status()->state == SyncState::Idle);
  uploader.stop();
  CHECK_FALSE(uploader.running());
}

TEST_CASE("stop() is prompt, even with a request stalled in flight", "[thread]") {
  Outbox outbox;
  outbox.add(2);
  ScriptedServer server([&](const httplib::Request&, httplib::Response&) { server.stall(); });
  UploaderConfig config = test_config(server.url());
  config.low_speed_time = 60s;  // only stop() can end it quickly
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(outbox.store(), config, server.waker(), {}, clock);
  uploader.start();
  REQUIRE(server.await([&] { return server.stalled() == 1; }));
  CHECK(stops_promptly(uploader, [&] { server.release(); }));
  // stop() returned while the server still held the request (a stall lasts up to 30 s, the low-speed limit
  // 60 s): it cancelled the request rather than waiting for an answer or a timeout.
  CHECK(server.stalled() == 1);
  CHECK(outbox.counts().pending == 2);  // cancelled requests leave responses pending

  SECTION("and the uploader can start again") {
    server.release();
    uploader.start();
    REQUIRE(server.await([&] { return server.requests() == 2; }));
    uploader.stop();
  }
}

TEST_CASE("stop() is prompt while idle, and the thread sleeps without polling the outbox", "[thread]") {
  Outbox outbox;
  FakeCentral central;
  ScriptedServer server(central.handler());
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(outbox.store(), test_config(server.url()), server.waker(), {}, clock);
  uploader.start();
  REQUIRE(server.await([&] { return central.heartbeats().size() == 1; }));  // first round + heartbeat done
  // Nothing to send and an hour until the idle check (and the next heartbeat): the thread waits that long.
  const auto waits_until = clock->await_waiter();
  REQUIRE(waits_until.has_value());
  CHECK(*waits_until == clock->now() + 1h);
  const int polls = outbox.recording->pending_calls.load();
  // Woken by the clock a minute early, it looks at nothing and waits again until the same time.
  const auto waits = clock->waits();
  clock->advance(59min);
  CHECK(clock->await_waiter(waits) == waits_until);
  CHECK(outbox.recording->pending_calls.load() == polls);
  CHECK(server.requests_to(kResponses) == 0);
  // The clock stands still from here: stop() must wake the thread itself.
  CHECK(stops_promptly(uploader, [&] { clock->advance(24h); }));
}

TEST_CASE("notify_new_response() makes the thread send the new response", "[thread]") {
  Outbox outbox;
  FakeCentral central;
  ScriptedServer server(central.handler());
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(outbox.store(), test_config(server.url()), server.waker(), {}, clock);
  uploader.start();
  REQUIRE(server.await([&] { return central.heartbeats().size() == 1; }));
  CHECK(server.requests_to(kResponses) == 0);

  // The clock stands still: only the notify can start this round.
  const auto uuid = outbox.add(1)[0];
  uploader.notify_new_response();
  REQUIRE(server.await([&] { return outbox.row(uuid).status == store::Status::Uploaded; }));
  CHECK(central.times_created(uuid) == 1);
  REQUIRE(server.await([&] { return uploader.status()->uploaded == 1; }));
  uploader.stop();
}

TEST_CASE("the idle check finds a response saved without a notify", "[thread]") {
  Outbox outbox;
  FakeCentral central;
  ScriptedServer server(central.handler());
  UploaderConfig config = test_config(server.url());
  config.idle_check_interval = 1s;
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(outbox.store(), config, server.waker(), {}, clock);
  uploader.start();
  REQUIRE(server.await([&] { return central.heartbeats().size() == 1; }));
  const auto waits_until = clock->await_waiter();
  REQUIRE(waits_until.has_value());
  CHECK(*waits_until == clock->now() + 1s);
  const auto uuid = outbox.add(1)[0];
  clock->advance(1s);
  REQUIRE(server.await([&] { return outbox.row(uuid).status == store::Status::Uploaded; }));
  uploader.stop();
}

TEST_CASE("every new snapshot wakes the UI - the snapshots themselves never change", "[thread]") {
  Outbox outbox;
  outbox.add(3);
  FakeCentral central;
  ScriptedServer server(central.handler());
  WakeCounter wakes;
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(outbox.store(), test_config(server.url()), wakes.callback(server.waker()), {}, clock);
  const auto first = uploader.status();
  CHECK(first->state == SyncState::Idle);
  CHECK(first->pending == 3);
  CHECK(wakes.count == 0);  // the constructor's snapshot wakes nobody

  uploader.start();
  REQUIRE(server.await([&] { return central.heartbeats().size() == 1; }));
  uploader.stop();
  CHECK(wakes.count >= 2);  // "sending", then "idle" with the new counts (and the heartbeat's last_success)
  const auto last = uploader.status();
  CHECK(last->sequence == static_cast<std::uint64_t>(wakes.count.load()));
  CHECK(last->state == SyncState::Idle);
  CHECK(last->pending == 0);
  CHECK(last->uploaded == 3);
  // The first snapshot is untouched: readers hold immutable values.
  CHECK(first->pending == 3);
  CHECK(first->sequence == 0);
}

TEST_CASE("the states a round goes through: sending, then idle", "[thread]") {
  Outbox outbox;
  outbox.add(2);
  FakeCentral central;
  ScriptedServer server(central.handler());
  std::mutex mutex;
  std::vector<SyncState> states;
  std::unique_ptr<Uploader> uploader;
  auto clock = std::make_shared<ManualClock>();
  uploader = std::make_unique<Uploader>(
      outbox.store(), test_config(server.url()),
      [&] {
        {
          std::lock_guard lock(mutex);
          states.push_back(uploader->status()->state);
        }
        server.poke();
      },
      Backoff::UnitRandom{}, clock);
  uploader->start();
  REQUIRE(server.await([&] { return central.heartbeats().size() == 1; }));
  uploader->stop();
  std::lock_guard lock(mutex);
  REQUIRE(states.size() >= 2);
  CHECK(states[0] == SyncState::Sending);
  CHECK(states[1] == SyncState::Idle);
}

TEST_CASE("after a failure the next attempt waits out Retry-After - notify and sync_now do not jump it",
          "[thread]") {
  Outbox outbox;
  outbox.add(1);
  ScriptedServer server(reply_with(503, "", "application/json", "30"));
  WakeCounter wakes;
  auto clock = std::make_shared<ManualClock>();
  // Jitter pinned to 0: without Retry-After the retry would be immediate.
  Uploader uploader(
      outbox.store(), test_config(server.url()), wakes.callback(server.waker()), [] { return 0.0; }, clock);
  const auto started = clock->now();
  uploader.start();
  REQUIRE(server.await([&] { return uploader.status()->state == SyncState::Offline; }));
  const auto status = uploader.status();
  REQUIRE(status->next_attempt.has_value());
  CHECK(*status->next_attempt >= started + 30s);
  CHECK(*status->next_attempt <= clock->now() + 30s);
  CHECK(status->last_error_kind == SyncError::Offline);
  CHECK(clock->await_waiter() == started + 30s);

  // Each nudge wakes the thread; it waits again until the same time without sending anything.
  auto waits = clock->waits();
  uploader.notify_new_response();
  CHECK(clock->await_waiter(waits) == started + 30s);
  waits = clock->waits();
  uploader.sync_now();
  CHECK(clock->await_waiter(waits) == started + 30s);
  CHECK(server.requests() == 1);  // no heartbeat either: it waits for the next attempt

  // Once the Retry-After has passed, the attempt goes out.
  clock->advance(30s);
  REQUIRE(server.await([&] { return server.requests() == 2; }));
  CHECK(server.requests_to(kResponses) == 2);
  CHECK(stops_promptly(uploader, [&] { clock->advance(24h); }));
}

TEST_CASE("back-off: failures are retried with growing jittered delays - success resets", "[thread]") {
  Outbox outbox;
  outbox.add(1);
  std::atomic<int> failures_left{2};
  FakeCentral central;
  auto good = central.handler();
  ScriptedServer server([&](const httplib::Request& req, httplib::Response& res) {
    if (req.path == kResponses && failures_left.fetch_sub(1) > 0) {
      res.status = 500;
      return;
    }
    good(req, res);
  });
  UploaderConfig config = test_config(server.url());
  config.backoff = BackoffPolicy{100ms, 10min};
  auto clock = std::make_shared<ManualClock>();
  // Windows: 100 ms, then 200 ms; the jitter takes 0.999 of each.
  Uploader uploader(
      outbox.store(), config, server.waker(), [] { return 0.999; }, clock);
  const auto started = clock->now();
  uploader.start();
  CHECK(clock->await_waiter() == started + 99ms);
  CHECK(server.requests_to(kResponses) == 1);
  auto waits = clock->waits();
  clock->advance(99ms);
  CHECK(clock->await_waiter(waits) == started + 99ms + 199ms);
  CHECK(server.requests_to(kResponses) == 2);
  CHECK(outbox.counts().uploaded == 0);  // nothing goes before the second delay has passed
  clock->advance(199ms);
  REQUIRE(server.await([&] { return outbox.counts().uploaded == 1; }));
  CHECK(server.requests_to(kResponses) == 3);
  REQUIRE(server.await([&] { return uploader.status()->state == SyncState::Idle; }));
  CHECK_FALSE(uploader.status()->next_attempt.has_value());
  uploader.stop();
}

TEST_CASE("sync_now() retries at once while backing off without Retry-After", "[thread]") {
  Outbox outbox;
  outbox.add(1);
  std::atomic<bool> down{true};
  FakeCentral central;
  auto good = central.handler();
  ScriptedServer server([&](const httplib::Request& req, httplib::Response& res) {
    if (down) {
      res.status = 502;
      return;
    }
    good(req, res);
  });
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(
      outbox.store(), test_config(server.url()), server.waker(), [] { return 0.999; }, clock);
  uploader.start();
  REQUIRE(server.await([&] { return uploader.status()->state == SyncState::Offline; }));
  CHECK(clock->await_waiter() == clock->now() + 999ms);  // the first window is ~1 s
  down = false;
  // A staff "sync now" must not wait for it: the clock stands still, so only sync_now() can send this.
  uploader.sync_now();
  REQUIRE(server.await([&] { return outbox.counts().uploaded == 1; }));
  uploader.stop();
}

TEST_CASE("401 from the thread: not authorised, backing off, nothing quarantined", "[thread]") {
  Outbox outbox;
  outbox.add(2);
  ScriptedServer server(reply_with(401, R"({"error":{"code":"unauthorised","message":"revoked"}})"));
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(
      outbox.store(), test_config(server.url()), server.waker(), [] { return 0.5; }, clock);
  uploader.start();
  REQUIRE(server.await([&] { return uploader.status()->state == SyncState::NotAuthorised; }));
  CHECK(uploader.status()->next_attempt.has_value());
  uploader.stop();
  CHECK(server.requests() == 1);
  CHECK(outbox.counts().pending == 2);
  CHECK(outbox.counts().quarantined == 0);
}

TEST_CASE("heartbeats carry the backlog and the last error", "[thread][heartbeat]") {
  Outbox outbox;
  outbox.add(3);
  FakeCentral central;
  const auto uuids = outbox.add(1);
  central.preload_conflict(uuids[0]);
  ScriptedServer server(central.handler());
  Uploader uploader(outbox.store(), test_config(server.url()));
  CHECK(uploader.heartbeat_once() == SyncError::None);
  auto beats = central.heartbeats();
  REQUIRE(beats.size() == 1);
  CHECK(beats[0].pending == 4);
  CHECK(beats[0].quarantined == 0);
  CHECK(beats[0].oldest_pending_age_s >= 0);
  CHECK(uploader.sync_once().quarantined == 1);
  CHECK(uploader.heartbeat_once() == SyncError::None);
  beats = central.heartbeats();
  REQUIRE(beats.size() == 2);
  CHECK(beats[1].pending == 0);
  CHECK(beats[1].quarantined == 1);
}

TEST_CASE("a heartbeat that failed is sent again after the next good round, not an interval later",
          "[thread][heartbeat]") {
  Outbox outbox;
  FakeCentral central;
  std::atomic<bool> heartbeats_down{true};  // the centre was unreachable when the first heartbeat was due
  std::atomic<int> refused{0};
  const ScriptedServer::Handler inner = central.handler();
  ScriptedServer server([&](const httplib::Request& req, httplib::Response& res) {
    if (req.path == kHeartbeat && heartbeats_down) {
      ++refused;
      res.status = 503;
      return;
    }
    inner(req, res);
  });
  auto clock = std::make_shared<ManualClock>();  // stands still: the 1 h heartbeat interval never passes
  Uploader uploader(outbox.store(), test_config(server.url()), server.waker(), {}, clock);
  uploader.start();
  REQUIRE(server.await([&] { return refused == 1; }));
  heartbeats_down = false;
  outbox.add(1);
  uploader.notify_new_response();
  REQUIRE(server.await([&] { return central.heartbeats().size() == 1; }));
  CHECK(outbox.counts().uploaded == 1);
  CHECK(refused == 1);
  uploader.stop();
}

TEST_CASE("a refused heartbeat shows as not authorised", "[thread][heartbeat]") {
  Outbox outbox;
  ScriptedServer server(reply_with(403));
  Uploader uploader(outbox.store(), test_config(server.url()));
  CHECK(uploader.heartbeat_once() == SyncError::NotAuthorised);
  CHECK(uploader.status()->state == SyncState::NotAuthorised);
}

TEST_CASE("start() on an unconfigured uploader starts nothing", "[thread]") {
  Outbox outbox;
  Uploader uploader(outbox.store(), UploaderConfig{});
  uploader.start();
  CHECK_FALSE(uploader.running());
  CHECK(uploader.status()->state == SyncState::NotConfigured);
  uploader.stop();
}

TEST_CASE("the oldest pending age comes from saved_at, and never goes negative", "[heartbeat]") {
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 10;
  tm.tm_mday = 22;
  tm.tm_hour = 7;
  tm.tm_min = 39;
  tm.tm_sec = 2;
  const std::time_t saved = timegm(&tm);
  CHECK(age_seconds("2026-11-22T07:39:02Z", saved + 90) == 90);
  CHECK(age_seconds("2026-11-22T07:39:02Z", saved - 5) == 0);  // the clock went back (a kiosk in 1970)
  CHECK(age_seconds("not a time", saved) == 0);
  CHECK(age_seconds("2026-11-22T07:39:02Zjunk", saved) == 0);
}

TEST_CASE("zero intervals in the config cannot make the thread spin", "[thread]") {
  Outbox outbox;
  FakeCentral central;
  ScriptedServer server(central.handler());
  UploaderConfig config = test_config(server.url());
  config.idle_check_interval = 0s;
  config.heartbeat_interval = 0s;
  auto clock = std::make_shared<ManualClock>();
  Uploader uploader(outbox.store(), config, server.waker(), {}, clock);
  uploader.start();
  REQUIRE(server.await([&] { return central.heartbeats().size() == 1; }));
  // Both intervals are raised to 1 s: the thread waits a second, checks and beats once, and waits again.
  CHECK(clock->await_waiter() == clock->now() + 1s);
  const auto waits = clock->waits();
  clock->advance(1s);
  REQUIRE(server.await([&] { return central.heartbeats().size() == 2; }));
  CHECK(clock->await_waiter(waits) == clock->now() + 1s);
  uploader.stop();
  CHECK(outbox.recording->pending_calls.load() <= 2);  // intervals are at least 1 s
  CHECK(central.heartbeats().size() == 2);
}
