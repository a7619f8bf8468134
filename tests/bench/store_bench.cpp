// Benchmark: the store's save() of one completed response against a bare SQLite INSERT on the same disk.
// Not a test (never fails on a time); run: store_bench [N], N saves of each kind (default 500).
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/bench.hpp"
#include "support/sample_responses.hpp"
#include "support/temp_dir.hpp"
#include "sync/model/response.hpp"
#include "sync/store/sqlite_response_store.hpp"

namespace {

using fk::test_support::die;
using Clock = std::chrono::steady_clock;
constexpr int kDefaultRounds = 500;
constexpr int kWarmup = 20;

// The baseline: one table, one prepared INSERT, autocommit, the same durability settings as the store.
class BareInsert {
 public:
  explicit BareInsert(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) die("cannot open " + path);
    exec(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
    if (sqlite3_prepare_v2(db_, "INSERT INTO t(payload) VALUES(?1)", -1, &insert_, nullptr) != SQLITE_OK) {
      die(sqlite3_errmsg(db_));
    }
  }
  ~BareInsert() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  void insert(const std::string& blob) {
    sqlite3_bind_blob(insert_, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
    if (sqlite3_step(insert_) != SQLITE_DONE) die(std::string("bare insert: ") + sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
  }

 private:
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db_));
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Summary {
  double median = 0;
  double p95 = 0;
};

Summary summarise(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  const double median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  const std::size_t p95_index = (n * 95 + 99) / 100 - 1;  // nearest rank
  return {median, samples[std::min(p95_index, n - 1)]};
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : kDefaultRounds;
  if (rounds <= 0) die("usage: store_bench [N > 0]");

  const fk::test_support::TempDir temp("fk-store-bench", fk::test_support::TempBase::Disk);
  const std::filesystem::path& dir = temp.path();

  // Responses are built before timing: assembling a visit is the flow's work, not the store's.
  const int total = rounds + kWarmup;
  std::vector<fk::model::Response> responses;
  for (int i = 0; i < total; ++i) responses.push_back(fk::test_support::lobby_response());
  const std::string blob = fk::model::serialise(responses.front());

  std::vector<double> store_ms, bare_ms;
  {
    auto opened = fk::store::SqliteResponseStore::open((dir / "store.sqlite").string());
    if (!opened) die(opened.error().message);
    auto& store = **opened;
    BareInsert bare((dir / "bare.sqlite").string());

    auto time_store = [&](const fk::model::Response& r) {
      const auto start = Clock::now();
      auto saved = store.save(r);
      const auto elapsed = Clock::now() - start;
      if (!saved || *saved != fk::store::SaveOutcome::Created) die("save failed");
      return ms(elapsed);
    };
    auto time_bare = [&]() {
      const auto start = Clock::now();
      bare.insert(blob);
      return ms(Clock::now() - start);
    };

    // Interleaved, alternating which goes first, so drift in the machine hits both alike.
    for (int i = 0; i < total; ++i) {
      const auto& r = responses[static_cast<std::size_t>(i)];
      double s = 0, b = 0;
      if (i % 2 == 0) {
        s = time_store(r);
        b = time_bare();
      } else {
        b = time_bare();
        s = time_store(r);
      }
      if (i < kWarmup) continue;
      store_ms.push_back(s);
      bare_ms.push_back(b);
    }
  }

  const Summary store = summarise(store_ms);
  const Summary bare = summarise(bare_ms);
  std::printf("store_bench: N=%d each, payload %zu bytes, in %s\n", rounds, blob.size(), dir.c_str());
  std::printf("store save (WAL+FULL):     median %.2f ms  p95 %.2f ms\n", store.median, store.p95);
  std::printf("bare sqlite3 insert:       median %.2f ms  p95 %.2f ms\n", bare.median, bare.p95);
  std::printf("ratio (store / bare):      %.2fx  (target <= 1.3x)\n", store.median / bare.median);
  return 0;
}
