// Shared by the uploader tests: a real SQLite outbox in a temp dir, a store decorator that counts calls and
// injects failures, and an UploaderConfig tuned for fast tests. (Tests wait for events with
// ScriptedServer::await and move time with ManualClock; none sleeps.)
#pragma once

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sync/store/sqlite_response_store.hpp"
#include "sync/uploader/uploader.hpp"
#include "tests/sync/store/store_test_support.hpp"

namespace fk::uploader::testing {

// Forwards to another store, counting calls; can make mark_uploaded fail (a full disk at the wrong time).
class RecordingStore : public store::ResponseStore {
 public:
  explicit RecordingStore(store::ResponseStore& inner) : inner_(inner) {}

  Expected<store::SaveOutcome> save(const model::Response& r) override { return inner_.save(r); }
  Expected<std::vector<store::StoredResponse>> pending(std::size_t limit) override {
    ++pending_calls;
    return inner_.pending(limit);
  }
  Expected<std::vector<store::StoredResponse>> list(store::Status status, std::size_t limit) override {
    return inner_.list(status, limit);
  }
  Expected<Ok> mark_uploaded(const std::vector<std::string>& uuids) override {
    {
      std::lock_guard lock(mutex_);
      mark_sizes_.push_back(uuids.size());
    }
    if (fail_mark_uploaded.load()) return Error{"injected: disk full"};
    return inner_.mark_uploaded(uuids);
  }
  Expected<Ok> quarantine(const std::string& uuid, const std::string& reason) override {
    ++quarantine_calls;
    return inner_.quarantine(uuid, reason);
  }
  Expected<std::optional<store::StoredResponse>> find(const std::string& uuid) override {
    return inner_.find(uuid);
  }
  Expected<store::StatusCounts> counts() override { return inner_.counts(); }

  std::vector<std::size_t> mark_sizes() const {
    std::lock_guard lock(mutex_);
    return mark_sizes_;
  }

  std::atomic<int> pending_calls{0};
  std::atomic<int> quarantine_calls{0};
  std::atomic<bool> fail_mark_uploaded{false};

 private:
  store::ResponseStore& inner_;
  mutable std::mutex mutex_;
  std::vector<std::size_t> mark_sizes_;
};

// A real SQLite outbox in a fresh temp directory, seen through a RecordingStore.
struct Outbox {
  store::testing::TempDir dir;
  std::unique_ptr<store::SqliteResponseStore> sqlite;
  std::unique_ptr<RecordingStore> recording;

  Outbox() {
    auto opened = store::SqliteResponseStore::open(dir.file("outbox.sqlite"));
    if (!opened) throw std::runtime_error(opened.error().message);
    sqlite = std::move(*opened);
    recording = std::make_unique<RecordingStore>(*sqlite);
  }
  store::ResponseStore& store() { return *recording; }

  // Saves `n` lobby responses; returns their UUIDs oldest first.
  std::vector<std::string> add(int n, const std::string& note_suffix = "") {
    std::vector<std::string> uuids;
    for (int i = 0; i < n; ++i) {
      model::Response r = store::testing::lobby_response();
      if (!note_suffix.empty()) std::get<std::string>(r.answers[5].value) += note_suffix;
      if (!sqlite->save(r)) throw std::runtime_error("save failed");
      uuids.push_back(r.uuid);
    }
    return uuids;
  }
  store::StatusCounts counts() { return *sqlite->counts(); }
  store::StoredResponse row(const std::string& uuid) { return **sqlite->find(uuid); }
};

// Checks that a round changed nothing in the outbox: all `n` responses still pending.
inline void check_all_pending(Outbox& outbox, std::int64_t n) {
  const auto counts = outbox.counts();
  CHECK(counts.pending == n);
  CHECK(counts.uploaded == 0);
  CHECK(counts.quarantined == 0);
}

// Fast-failing transport, no idle polling and no heartbeat unless a test asks for them.
inline UploaderConfig test_config(const std::string& url) {
  UploaderConfig config;
  config.central_url = url;
  config.token = "kiosk-test-token";
  config.app_version = "0.1.0-test";
  config.connect_timeout = std::chrono::seconds(2);
  config.low_speed_time = std::chrono::seconds(2);
  config.low_speed_limit = 1;
  config.idle_check_interval = std::chrono::hours(1);
  config.heartbeat_interval = std::chrono::hours(1);
  return config;
}

// Counts wake-ups from the uploader (what the kiosk turns into an SDL event), then calls `then` (e.g. a
// ScriptedServer's waker(), so a test waiting on that server looks again).
struct WakeCounter {
  std::atomic<int> count{0};
  Uploader::WakeCallback callback(std::function<void()> then = {}) {
    return [this, then = std::move(then)] {
      ++count;
      if (then) then();
    };
  }
};

// Runs the round on a real Uploader; most tests only need this.
inline SyncResult sync_once(store::ResponseStore& store, const std::string& url) {
  Uploader uploader(store, test_config(url));
  return uploader.sync_once();
}

}  // namespace fk::uploader::testing
