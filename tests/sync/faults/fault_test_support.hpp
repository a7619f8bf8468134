// Shared by the fault tests: the seed (printed, and taken from FK_FAULT_SEED to repeat a run), temp dirs,
// varied lobby responses, a real centre (CentralServer on SQLite) that can be restarted on the same file,
// an uploader config that fails fast, and the exactly-once check read straight from both databases.
#pragma once

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/enrolled_centre.hpp"
#include "support/sample_responses.hpp"
#include "support/temp_dir.hpp"
#include "sync/central/central_server.hpp"
#include "sync/central/sqlite_central_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/store/sqlite_response_store.hpp"
#include "sync/uploader/uploader.hpp"

namespace fk::faults::testing {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The run's seed: FK_FAULT_SEED when set (to repeat a failing run), else a fresh one. Printed either way.
inline std::uint64_t fault_seed(const char* test) {
  std::uint64_t seed = 0;
  const char* env = std::getenv("FK_FAULT_SEED");
  if (env != nullptr && *env != '\0') {
    seed = std::strtoull(env, nullptr, 0);
  } else {
    std::random_device rd;
    seed = (std::uint64_t{rd()} << 32) ^ rd();
  }
  std::printf("[faults] %s: seed %llu (repeat with FK_FAULT_SEED=%llu)\n", test,
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  return seed;
}

template <typename T>
T must(Expected<T> e, const std::string& what) {
  if (!e) throw std::runtime_error(what + ": " + e.error().message);
  return std::move(e).value();
}

using test_support::lobby_response;
using test_support::TempDir;

// The kiosk's outbox: a real SqliteResponseStore in a temp dir.
struct Outbox {
  TempDir dir;
  std::string path = dir.file("outbox.sqlite");
  std::unique_ptr<store::SqliteResponseStore> store =
      must(store::SqliteResponseStore::open(path), "open the outbox");

  void add(std::mt19937_64& rng, int n) {
    for (int i = 0; i < n; ++i) must(store->save(lobby_response(rng)), "save");
  }
  store::StatusCounts counts() { return must(store->counts(), "counts"); }
};

// The centre: a SqliteCentralStore file and a CentralServer on loopback, with one enrolled kiosk.
// restart() stops the server, closes the store, and opens both again on the same file (and port when it
// can be had again), as a restarted feedback-central process would.
class Centre {
 public:
  Centre() {
    store_ = must(test_support::open_enrolled_centre(path, token), "the centre");
    start(0);
  }
  ~Centre() {
    server_.reset();
    store_.reset();
  }

  // Returns the port the new server listens on.
  int restart() {
    const int old_port = port();
    server_->stop();
    server_.reset();
    store_.reset();
    store_ = must(central::SqliteCentralStore::open(path), "reopen the centre");
    if (!try_start(old_port)) {
      ++port_changes;
      start(0);
    }
    ++restarts;
    return port();
  }

  int port() const { return server_->port(); }
  std::string url() const { return server_->base_url(); }
  std::vector<std::string> log() const {
    std::lock_guard lock(*log_mutex_);
    return *log_;
  }

  TempDir dir;
  const std::string path = dir.file("central.sqlite");
  const std::string token = central::new_token();
  int restarts = 0;
  int port_changes = 0;

 private:
  central::ServerConfig config(int port) {
    central::ServerConfig c;
    c.host = "127.0.0.1";
    c.port = port;
    c.log = [log = log_, mutex = log_mutex_](const std::string& line) {
      std::lock_guard lock(*mutex);
      log->push_back(line);
    };
    return c;
  }
  bool try_start(int port) {
    server_ = std::make_unique<central::CentralServer>(*store_, config(port));
    return server_->start().ok();
  }
  void start(int port) {
    if (!try_start(port)) throw std::runtime_error("the centre did not start");
  }

  std::shared_ptr<std::mutex> log_mutex_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::vector<std::string>> log_ = std::make_shared<std::vector<std::string>>();
  std::unique_ptr<central::SqliteCentralStore> store_;
  std::unique_ptr<central::CentralServer> server_;
};

// Fast-failing transport and short back-off, so every fault resolves in milliseconds.
inline uploader::UploaderConfig fast_config(const std::string& url, const std::string& token,
                                            std::size_t batch_size) {
  uploader::UploaderConfig c;
  c.central_url = url;
  c.token = token;
  c.batch_size = batch_size;
  c.app_version = "0.1.0-faults";
  c.connect_timeout = 1s;
  c.low_speed_time = 1s;
  c.low_speed_limit = 1;
  c.backoff.base = 20ms;
  c.backoff.cap = 250ms;
  c.idle_check_interval = 1s;
  c.heartbeat_interval = std::chrono::hours(1);
  return c;
}

// What the centre holds, read on a connection of our own (as an analyst's query would).
struct CentralRows {
  std::int64_t count = 0;
  std::int64_t distinct = 0;
  std::map<std::string, std::string> sha_by_uuid;
};

inline CentralRows read_central(const std::string& path) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    throw std::runtime_error("cannot open " + path);
  }
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, sqlite3_close);
  sqlite3_busy_timeout(raw, 5000);
  CentralRows rows;
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT COUNT(*), COUNT(DISTINCT uuid) FROM responses", -1, &stmt,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  rows.count = sqlite3_column_int64(stmt, 0);
  rows.distinct = sqlite3_column_int64(stmt, 1);
  sqlite3_finalize(stmt);
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT uuid, payload_sha256 FROM responses", -1, &stmt, nullptr) ==
          SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    rows.sha_by_uuid[reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))] =
        reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
  }
  sqlite3_finalize(stmt);
  return rows;
}

// The promise: every kiosk response is at the centre once, with the kiosk's frozen hash, and every one is
// marked uploaded at the kiosk (none pending, none quarantined). All outboxes must hold the same set.
inline void expect_exactly_once(const std::string& central_path,
                                const std::vector<store::SqliteResponseStore*>& kiosks) {
  const CentralRows rows = read_central(central_path);
  INFO("centre rows " << rows.count << ", distinct uuids " << rows.distinct);
  CHECK(rows.count == rows.distinct);
  for (store::SqliteResponseStore* kiosk : kiosks) {
    const store::StatusCounts counts = must(kiosk->counts(), "counts");
    INFO("kiosk " << kiosk->path() << ": pending " << counts.pending << ", uploaded " << counts.uploaded
                  << ", quarantined " << counts.quarantined);
    CHECK(counts.pending == 0);
    CHECK(counts.quarantined == 0);
    for (const auto& q : must(kiosk->list(store::Status::Quarantined, 10), "quarantined")) {
      INFO("quarantined " << q.uuid << ": " << q.quarantine_reason);
      CHECK(false);
    }
    const auto uploaded = must(kiosk->list(store::Status::Uploaded, 10'000'000), "uploaded");
    CHECK(static_cast<std::int64_t>(uploaded.size()) == counts.total());
    std::map<std::string, std::string> kiosk_sha;
    for (const auto& r : uploaded) kiosk_sha[r.uuid] = r.payload_hash;
    CHECK(kiosk_sha.size() == uploaded.size());
    std::size_t missing = 0, foreign = 0, wrong_bytes = 0;
    for (const auto& [uuid, sha] : kiosk_sha) {
      const auto at = rows.sha_by_uuid.find(uuid);
      if (at == rows.sha_by_uuid.end())
        ++missing;
      else if (at->second != sha)
        ++wrong_bytes;
    }
    for (const auto& [uuid, sha] : rows.sha_by_uuid) foreign += kiosk_sha.count(uuid) == 0 ? 1 : 0;
    INFO("kiosk responses missing at the centre: " << missing << "; centre rows the kiosk does not hold: "
                                                   << foreign << "; different bytes: " << wrong_bytes);
    CHECK(missing == 0);
    CHECK(foreign == 0);
    CHECK(wrong_bytes == 0);
    CHECK(static_cast<std::int64_t>(kiosk_sha.size()) == rows.count);
  }
}

// Polls `predicate` until it holds or `timeout` passes; every wait in these tests is bounded by one.
template <typename Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!predicate()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

}  // namespace fk::faults::testing
