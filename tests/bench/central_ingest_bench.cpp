// Benchmark: the centre's ingest against a bare SQLite bulk insert of the same rows, in one process and one
// run — issue 3's target is >= 0.25x. Not a test: it prints its figures and never fails on a time.
//
//   build-faults/tests/bench/central_ingest_bench [N] [BATCH]
//
// (N responses, default 100000, in batches of BATCH, default 250 — the uploader's default batch.) Four
// paths, each on its own SQLite file in a temp directory under /var/tmp (or $TMPDIR), fed the same N
// realistic lobby responses in the same batches, interleaved batch by batch (the order rotating) so drift
// in a busy machine hits all alike:
//   bare        sqlite3 alone: a table with the centre's columns and the same UNIQUE uuid, WAL +
//               synchronous=FULL, one prepared INSERT, BEGIN IMMEDIATE … COMMIT per batch
//   store       CentralStore::ingest (SqliteCentralStore) with the items already read out of their payloads
//   api         Api::ingest: the batch's JSON decoded within the limits, each payload parsed, then the store
//   http        POST /api/v1/responses to an in-process CentralServer on loopback through the kiosk's
//               libcurl HttpClient (gzip over 16 KiB, as the kiosk sends), receipt returned
// The headline ratio is store / bare; api and http show what parsing and HTTP add.
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "support/bench.hpp"
#include "support/enrolled_centre.hpp"
#include "support/sample_responses.hpp"
#include "support/temp_dir.hpp"
#include "sync/central/api.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/model/wire.hpp"
#include "sync/uploader/http_client.hpp"

namespace {

using namespace fk::test_support;  // tests/support: die, must, loadavg and the rest
using Clock = std::chrono::steady_clock;
constexpr int kDefaultResponses = 100'000;
constexpr std::size_t kDefaultBatch = 250;

// The baseline: the same rows into a table with the centre's columns and UNIQUE uuid, nothing else.
class BareSqlite {
 public:
  explicit BareSqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) die("cannot open " + path);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    if (journal_mode() != "wal") die("bare: WAL mode refused");
    exec(
        "CREATE TABLE responses(seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, kiosk_id TEXT NOT NULL, "
        "site TEXT NOT NULL, payload_sha256 TEXT NOT NULL, payload BLOB NOT NULL, survey_id TEXT NOT NULL, "
        "survey_version INTEGER NOT NULL, language TEXT NOT NULL, partial INTEGER NOT NULL, "
        "completed_at TEXT NOT NULL, received_at TEXT NOT NULL)");
    if (sqlite3_prepare_v2(db_,
                           "INSERT INTO responses(uuid, kiosk_id, site, payload_sha256, payload, survey_id, "
                           "survey_version, language, partial, completed_at, received_at) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                           -1, &insert_, nullptr) != SQLITE_OK) {
      die(sqlite3_errmsg(db_));
    }
  }
  ~BareSqlite() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  void insert_batch(const std::vector<fk::central::IngestItem>& items, const std::string& received_at) {
    exec("BEGIN IMMEDIATE");
    for (const auto& it : items) {
      sqlite3_bind_text(insert_, 1, it.uuid.data(), static_cast<int>(it.uuid.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert_, 2, "lobby-1", -1, SQLITE_STATIC);
      sqlite3_bind_text(insert_, 3, "Central Division", -1, SQLITE_STATIC);
      sqlite3_bind_text(insert_, 4, it.payload_sha256.data(), static_cast<int>(it.payload_sha256.size()),
                        SQLITE_STATIC);
      sqlite3_bind_blob(insert_, 5, it.payload.data(), static_cast<int>(it.payload.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert_, 6, it.survey_id.data(), static_cast<int>(it.survey_id.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int64(insert_, 7, it.survey_version);
      sqlite3_bind_text(insert_, 8, it.language.data(), static_cast<int>(it.language.size()), SQLITE_STATIC);
      sqlite3_bind_int(insert_, 9, it.partial ? 1 : 0);
      sqlite3_bind_text(insert_, 10, it.completed_at.data(), static_cast<int>(it.completed_at.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert_, 11, received_at.data(), static_cast<int>(received_at.size()), SQLITE_STATIC);
      if (sqlite3_step(insert_) != SQLITE_DONE) die(std::string("bare insert: ") + sqlite3_errmsg(db_));
      sqlite3_reset(insert_);
    }
    exec("COMMIT");
  }
  long long count() {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, "SELECT COUNT(*) FROM responses", -1, &s, nullptr);
    sqlite3_step(s);
    const long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
  }

 private:
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db_));
  }
  std::string journal_mode() {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, "PRAGMA journal_mode", -1, &s, nullptr);
    sqlite3_step(s);
    std::string mode = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return mode;
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

struct Path {
  const char* name;
  const char* what;
  std::function<void(std::size_t)> run;  // ingests batch i
  std::vector<double> batch_ms;
  double total_s = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : kDefaultResponses;
  const long batch_arg = argc > 2 ? std::atol(argv[2]) : static_cast<long>(kDefaultBatch);
  if (n <= 0 || batch_arg <= 0) die("usage: central_ingest_bench [N > 0] [BATCH > 0]");
  const auto batch = static_cast<std::size_t>(batch_arg);

  const fk::test_support::TempDir temp("fk-ingest-bench", fk::test_support::TempBase::Disk);
  const std::filesystem::path& dir = temp.path();

  // Setup (not timed): the responses frozen as a kiosk freezes them, the items read out of their payloads
  // (what the centre's handler does before the store), and each batch's JSON body.
  std::mt19937_64 rng(20261122);
  std::vector<std::vector<fk::central::IngestItem>> items;
  std::vector<std::string> bodies;
  std::size_t payload_bytes = 0;
  for (int i = 0; i < n;) {
    std::vector<fk::central::IngestItem> chunk;
    std::vector<fk::model::BatchItem> wire;
    for (std::size_t j = 0; j < batch && i < n; ++j, ++i) {
      const fk::model::Response r = lobby_response(rng);
      fk::central::IngestItem item;
      item.uuid = r.uuid;
      item.payload = fk::model::serialise(r);
      item.payload_sha256 = fk::model::payload_hash(item.payload);
      const auto parsed = must(fk::model::parse_response(item.payload), "parse");
      item.survey_id = parsed.survey_id;
      item.survey_version = parsed.survey_version;
      item.language = parsed.language;
      item.partial = parsed.partial;
      item.completed_at = parsed.completed_at;
      payload_bytes += item.payload.size();
      wire.push_back({item.uuid, item.payload_sha256, item.payload});
      chunk.push_back(std::move(item));
    }
    bodies.push_back(fk::model::encode_batch(wire));
    items.push_back(std::move(chunk));
  }
  const std::size_t batches = items.size();

  const std::string token = fk::central::new_token();
  auto open_centre = [&](const char* file) {
    return must(fk::test_support::open_enrolled_centre((dir / file).string(), token), "a centre");
  };
  auto store_db = open_centre("store.sqlite");
  auto api_db = open_centre("api.sqlite");
  auto http_db = open_centre("http.sqlite");
  BareSqlite bare((dir / "bare.sqlite").string());

  fk::central::ServerConfig config;
  config.rate = {0, 0};  // off: this measures ingest, not the per-kiosk rate limit
  config.port = 0;
  fk::central::Api api(*api_db, config);
  const auto admitted = api.admit_kiosk_post({"Bearer " + token, "application/json", ""});
  if (!std::holds_alternative<fk::central::Principal::Kiosk>(admitted)) die("the api refused the kiosk");
  const auto kiosk = std::get<fk::central::Principal::Kiosk>(admitted);
  fk::central::CentralServer server(*http_db, config);
  must(server.start(), "start the centre");
  fk::uploader::HttpClient client;
  const std::string url = server.base_url() + "/api/v1/responses";

  std::array<Path, 4> paths{{
      {"bare",
       "sqlite3 alone, 1 txn/batch, UNIQUE uuid, WAL+FULL",
       [&](std::size_t i) { bare.insert_batch(items[i], fk::model::utc_now_iso8601()); },
       {},
       0},
      {"store",
       "CentralStore::ingest (items pre-read)",
       [&](std::size_t i) {
         auto r = must(store_db->ingest("lobby-1", items[i], fk::model::utc_now_iso8601()), "store ingest");
         if (r.size() != items[i].size()) die("store: short receipt");
       },
       {},
       0},
      {"api",
       "Api::ingest (JSON decode + payload parse + store)",
       [&](std::size_t i) {
         const auto reply = api.ingest(kiosk, bodies[i]);
         if (reply.status != 201) die("api: " + std::to_string(reply.status) + " " + reply.body);
       },
       {},
       0},
      {"http",
       "HTTP POST, libcurl -> CentralServer, loopback",
       [&](std::size_t i) {
         auto reply = client.post_json(url, bodies[i], token);
         if (!reply) die("http: " + reply.error().message);
         if (reply->status != 201) die("http: " + std::to_string(reply->status) + " " + reply->body);
       },
       {},
       0},
  }};

  std::printf(
      "central_ingest_bench: N=%d responses (mean payload %zu bytes), batch %zu (%zu batches), "
      "interleaved, in %s; loadavg at start %s\n",
      n, payload_bytes / static_cast<std::size_t>(n), batch, batches, dir.c_str(), loadavg().c_str());
  std::fflush(stdout);
  for (std::size_t i = 0; i < batches; ++i) {
    for (std::size_t k = 0; k < paths.size(); ++k) {
      Path& p = paths[(i + k) % paths.size()];  // rotate who goes first
      const auto start = Clock::now();
      p.run(i);
      const auto took = Clock::now() - start;
      p.total_s += seconds(took);
      p.batch_ms.push_back(seconds(took) * 1000);
    }
  }
  server.stop();

  const long long rows[] = {bare.count(), must(store_db->count_responses(), "count"),
                            must(api_db->count_responses(), "count"),
                            must(http_db->count_responses(), "count")};
  const double bare_rate = n / paths[0].total_s;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const Path& p = paths[k];
    const double rate = n / p.total_s;
    std::printf("%-6s %-52s %9.0f rows/s  (%.2f s, median batch %.2f ms, %lld rows)", p.name, p.what, rate,
                p.total_s, median(p.batch_ms), rows[k]);
    if (k == 0)
      std::printf("\n");
    else
      std::printf("  %.2fx bare\n", rate / bare_rate);
  }
  std::printf("ratio store/bare = %.2fx (target >= 0.25x); loadavg at end %s\n",
              (n / paths[1].total_s) / bare_rate, loadavg().c_str());

  return 0;
}
