// Benchmark: GET /api/v1/aggregates grouped by site × week over a year of responses, read from the totals
// kept at ingest, against a same-run full scan of the responses table (what answering without totals would
// cost at the very least). Target: <= 100 ms for the engine path on SQLite at 1,000,000 responses. Not a
// test: it prints its figures and never fails on a time.
//
//   build/tests/bench/aggregates_bench [--responses N] [--db sqlite|postgresql://…]
//   tests/bench/aggregates_bench.sh build/tests/bench/aggregates_bench [--responses N]   (throwaway
//   PostgreSQL)
//
// N defaults to 1,000,000; --db sqlite (the default) is a fresh file in a temp directory under /var/tmp (or
// $TMPDIR); a PostgreSQL URL must name an empty database. The fill goes through CentralStore::ingest, the
// real path with its totals: 13 kiosks (one per division, one division small enough that some of its weeks
// fall below k), 52 weeks from 2025-11-24 to 2026-11-22, 7 languages, four rated questions, ~10% thank-you
// notes, ~3% misuse, ~5% partial, in batches of 500 built directly as IngestItems. Fixed seed: the same N
// gives the same responses.
//
// Then 3 warm-up and 21 timed rounds, the four paths taking turns first in each round so that a machine busy
// with other builds hits all alike:
//   engine    store.aggregate_partials + aggregate_partials (site × week, k = 5)
//   api-json  Api::aggregates as an analyst, JSON
//   api-csv   Api::aggregates as an analyst, format=csv
//   scan      SELECT site, COUNT(*) FROM responses GROUP BY site on a connection of its own (sqlite3 / libpq)
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/bench.hpp"
#include "support/temp_dir.hpp"
#include "sync/central/aggregates.hpp"
#include "sync/central/api.hpp"
#include "sync/central/open_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"

namespace {

using namespace fk::test_support;  // die, must, loadavg, seconds, TempDir
using fk::central::IngestItem;
using Clock = std::chrono::steady_clock;

constexpr long kDefaultResponses = 1'000'000;
constexpr std::size_t kBatch = 500;
constexpr int kWarmups = 3;
constexpr int kRuns = 21;
constexpr std::uint64_t kSeed = 20261122;
constexpr int kDays = 52 * 7;  // 2025-11-24 (a Monday, ISO 2025-W48) … 2026-11-22 (a Sunday, 2026-W47)

// Divisions and their share of the visits; the last is small, so some of its weeks fall below k.
struct Division {
  const char* site;
  double weight;
};
constexpr std::array<Division, 13> kDivisions{{
    {"Central Division", 12},
    {"Harbour Division", 9},
    {"Northeast Division", 8},
    {"Hollenbeck Division", 7},
    {"Southwest Division", 10},
    {"Pacific Division", 8},
    {"Mission Division", 6},
    {"Foothill Division", 5},
    {"Topanga Division", 5},
    {"Olympic Division", 9},
    {"Rampart Division", 11},
    {"Newton Division", 10},
    {"Airport Substation", 0.04},
}};
// The lobby survey's languages, English most often.
constexpr std::array<const char*, 7> kLanguages{"en", "es", "vi", "zh", "ar", "fr", "ko"};
constexpr std::array<double, 7> kLanguageWeights{55, 22, 7, 6, 4, 3, 3};
struct Question {
  const char* id;
  fk::model::Pillar pillar;
};
constexpr std::array<Question, 4> kQuestions{{{"overall", fk::model::Pillar::Overall},
                                              {"listened", fk::model::Pillar::Empathize},
                                              {"next_steps", fk::model::Pillar::Educate},
                                              {"above_beyond", fk::model::Pillar::Exceed}}};
constexpr std::array<double, 5> kRatingWeights{5, 7, 15, 33, 40};  // 1..5, mostly positive
constexpr std::array<const char*, 3> kNotes{
    "Officer Alvarez took the time to explain the report process and was patient with my questions.",
    "The front desk was busy but the clerk kept us informed about the wait.",
    "Gracias por la paciencia y por explicarme todo.",
};
constexpr std::array<const char*, 3> kEmployees{"Officer M. Alvarez", "Clerk J. Chen", "Sgt. R. Okafor"};

std::vector<std::string> calendar() {
  using namespace std::chrono;
  const sys_days first = year{2025} / November / 24;
  std::vector<std::string> days;
  for (int i = 0; i < kDays; ++i) {
    const year_month_day d{first + std::chrono::days{i}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    days.emplace_back(buf);
  }
  return days;
}

// A version-4 UUID from the seeded generator, so the same seed gives the same rows.
std::string seeded_uuid(std::mt19937_64& rng) {
  std::uint64_t hi = rng(), lo = rng();
  hi = (hi & ~std::uint64_t{0xF000}) | 0x4000;                           // version 4
  lo = (lo & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // variant 10
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

// One synthetic lobby response, already read out of its payload as the centre's handler would.
class ResponseSource {
 public:
  ResponseSource() : rng_(kSeed), days_(calendar()) {}

  std::size_t next_division() { return division_(rng_); }

  IngestItem next() {
    IngestItem it;
    it.uuid = seeded_uuid(rng_);
    it.survey_id = "lobby";
    it.survey_version = 1;
    it.language = kLanguages[language_(rng_)];
    it.day = days_[rng_() % days_.size()];
    char time[16];
    std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", 8 + static_cast<int>(rng_() % 10),
                  static_cast<int>(rng_() % 60), static_cast<int>(rng_() % 60));
    it.completed_at = it.day + time;
    it.partial = rng_() % 20 == 0;  // left before the last question
    it.misuse = rng_() % 33 == 0;
    std::string answers;
    for (std::size_t q = 0; q < kQuestions.size() - (it.partial ? 1 : 0); ++q) {
      const int value = rating_(rng_) + 1;
      it.ratings.push_back({kQuestions[q].id, kQuestions[q].pillar, value});
      answers += "\"" + std::string(kQuestions[q].id) + "\":" + std::to_string(value) + ",";
    }
    if (rng_() % 10 == 0) {
      it.thanks_note = kNotes[rng_() % kNotes.size()];
      it.employee = kEmployees[rng_() % kEmployees.size()];
      answers += "\"thanks_note\":\"" + it.thanks_note + "\",\"employee\":\"" + it.employee + "\",";
    }
    if (!answers.empty()) answers.pop_back();
    // Small but valid JSON; the store keeps it and does not parse it.
    it.payload = "{\"uuid\":\"" + it.uuid +
                 "\",\"survey_id\":\"lobby\",\"survey_version\":1,\"language\":\"" + it.language +
                 "\",\"partial\":" + (it.partial ? "true" : "false") + ",\"answers\":{" + answers +
                 "},\"completed_at\":\"" + it.completed_at + "\"}";
    it.payload_sha256 = fk::model::payload_hash(it.payload);
    return it;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<std::string> days_;
  std::discrete_distribution<std::size_t> division_{[] {
    std::vector<double> w;
    for (const Division& d : kDivisions) w.push_back(d.weight);
    return std::discrete_distribution<std::size_t>(w.begin(), w.end());
  }()};
  std::discrete_distribution<std::size_t> language_{kLanguageWeights.begin(), kLanguageWeights.end()};
  std::discrete_distribution<int> rating_{kRatingWeights.begin(), kRatingWeights.end()};
};

// The baseline: one full pass over the responses on a connection of its own. Returns the rows counted.
class ResponsesScan {
 public:
  virtual ~ResponsesScan() = default;
  virtual long long run() = 0;
};

constexpr const char* kScanSql = "SELECT site, COUNT(*) FROM responses GROUP BY site";

class SqliteScan final : public ResponsesScan {
 public:
  explicit SqliteScan(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      die("scan: cannot open " + path);
    if (sqlite3_prepare_v2(db_, kScanSql, -1, &stmt_, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db_));
  }
  ~SqliteScan() override {
    sqlite3_finalize(stmt_);
    sqlite3_close(db_);
  }
  long long run() override {
    long long rows = 0;
    int rc;
    while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) rows += sqlite3_column_int64(stmt_, 1);
    if (rc != SQLITE_DONE) die(std::string("scan: ") + sqlite3_errmsg(db_));
    sqlite3_reset(stmt_);
    return rows;
  }
  // How SQLite answers it (the index on site makes it a covering index scan, not a table scan).
  std::string plan() {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, ("EXPLAIN QUERY PLAN " + std::string(kScanSql)).c_str(), -1, &s, nullptr) ==
        SQLITE_OK) {
      while (sqlite3_step(s) == SQLITE_ROW) {
        if (!out.empty()) out += "; ";
        out += reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
      }
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class PostgresScan final : public ResponsesScan {
 public:
  explicit PostgresScan(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) die(std::string("scan: ") + PQerrorMessage(conn_));
  }
  ~PostgresScan() override { PQfinish(conn_); }
  long long run() override {
    PGresult* r = PQexec(conn_, kScanSql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) die(std::string("scan: ") + PQerrorMessage(conn_));
    long long rows = 0;
    for (int i = 0; i < PQntuples(r); ++i) rows += std::atoll(PQgetvalue(r, i, 1));
    PQclear(r);
    return rows;
  }
  std::string plan() {
    PGresult* r = PQexec(conn_, ("EXPLAIN " + std::string(kScanSql)).c_str());
    std::string out;
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); ++i) {
      if (!out.empty()) out += " | ";
      std::string line = PQgetvalue(r, i, 0);
      line.erase(0, line.find_first_not_of(' '));
      out += line;
    }
    PQclear(r);
    return out;
  }

 private:
  PGconn* conn_;
};

struct Path {
  const char* name;
  const char* what;
  std::function<void()> run;
  std::vector<double> ms;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Options {
  long responses = kDefaultResponses;
  std::string db = "sqlite";
};

Options parse_options(int argc, char** argv) {
  Options o;
  const char* usage = "usage: aggregates_bench [--responses N] [--db sqlite|postgresql://…]";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) die(usage);
    if (arg == "--responses") {
      o.responses = std::atol(argv[++i]);
    } else if (arg == "--db") {
      o.db = argv[++i];
    } else {
      die(usage);
    }
  }
  if (o.responses <= 0) die(usage);
  return o;
}

bool is_postgres(const std::string& db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  const bool postgres = is_postgres(options.db);
  if (!postgres && options.db != "sqlite") die("--db: 'sqlite' or a postgresql:// URL");

  std::optional<TempDir> temp;
  std::string db = options.db;
  if (!postgres) {
    temp.emplace("fk-aggregates-bench", TempBase::Disk);
    db = temp->file("central.sqlite");
  }
  std::printf("aggregates_bench: N=%ld responses, %s; loadavg at start %s\n", options.responses,
              postgres ? fk::central::redact_conninfo(db).c_str() : db.c_str(), loadavg().c_str());
  std::fflush(stdout);

  auto store = must(fk::central::open_central_store(db), "open the store");
  if (must(store->count_responses(), "count") != 0) die("the database must be empty");
  const std::string now = fk::model::utc_now_iso8601();
  std::vector<std::string> kiosk_ids;
  for (std::size_t i = 0; i < kDivisions.size(); ++i) {
    kiosk_ids.push_back("lobby-" + std::to_string(i + 1));
    must(store->add_kiosk(kiosk_ids.back(), kDivisions[i].site,
                          fk::central::token_hash(fk::central::new_token()), now),
         "add a kiosk");
  }
  const std::string analyst_token = fk::central::new_token();
  must(store->add_user("analyst", fk::central::Role::Analyst, fk::central::token_hash(analyst_token), now),
       "add the analyst");

  // 1. Fill. Each kiosk's responses queue until it has a batch of 500, as its uploader would send them;
  // only the ingest calls are timed.
  ResponseSource source;
  std::vector<std::vector<IngestItem>> pending(kDivisions.size());
  double ingest_s = 0;
  long batches = 0;
  const auto fill_start = Clock::now();
  auto send = [&](std::size_t kiosk) {
    std::vector<IngestItem>& items = pending[kiosk];
    const auto start = Clock::now();
    const auto receipt = must(store->ingest(kiosk_ids[kiosk], items, fk::model::utc_now_iso8601()), "ingest");
    ingest_s += seconds(Clock::now() - start);
    for (const auto& r : receipt) {
      if (r.status != fk::model::ItemStatus::Created) die("ingest: an item was not created");
    }
    ++batches;
    items.clear();
  };
  for (long i = 0; i < options.responses; ++i) {
    const std::size_t kiosk = source.next_division();
    pending[kiosk].push_back(source.next());
    if (pending[kiosk].size() == kBatch) send(kiosk);
  }
  for (std::size_t kiosk = 0; kiosk < pending.size(); ++kiosk) {
    if (!pending[kiosk].empty()) send(kiosk);
  }
  const double fill_wall_s = seconds(Clock::now() - fill_start);
  const long long stored = must(store->count_responses(), "count");
  if (stored != options.responses)
    die("stored " + std::to_string(stored) + " responses, not " + std::to_string(options.responses));
  std::printf(
      "fill: %ld responses in %ld batches through CentralStore::ingest: %.1f s in ingest, %.0f responses/s "
      "(%.1f s wall with generation); loadavg %s\n",
      options.responses, batches, ingest_s, static_cast<double>(options.responses) / ingest_s, fill_wall_s,
      loadavg().c_str());
  std::fflush(stdout);

  // 2. The paths.
  fk::central::AggregateQuery query;
  query.group_by = {fk::central::Dimension::Site, fk::central::Dimension::Week};
  fk::central::ServerConfig config;
  config.log = [](const std::string& message) { std::fprintf(stderr, "central: %s\n", message.c_str()); };
  fk::central::Api api(*store, config);
  const std::string authorization = "Bearer " + analyst_token;
  const fk::central::QueryParams json_params{{"group_by", "site,week"}};
  const fk::central::QueryParams csv_params{{"group_by", "site,week"}, {"format", "csv"}};

  std::unique_ptr<ResponsesScan> scan;
  std::string plan;
  if (postgres) {
    auto pg = std::make_unique<PostgresScan>(db);
    plan = pg->plan();
    scan = std::move(pg);
  } else {
    auto lite = std::make_unique<SqliteScan>(db);
    plan = lite->plan();
    scan = std::move(lite);
  }

  fk::central::AggregateResult result;
  std::size_t partial_rows = 0, rating_rows = 0, json_bytes = 0, csv_bytes = 0;
  std::vector<double> store_ms, engine_ms;
  long long scanned = 0;
  std::array<Path, 4> paths{{
      {"engine",
       "store.aggregate_partials + aggregate_partials",
       [&] {
         const auto start = Clock::now();
         const auto partials =
             must(store->aggregate_partials(query, fk::central::totals_grain(query)), "aggregate_partials");
         const auto read = Clock::now();
         result = fk::central::aggregate_partials(partials, query);
         store_ms.push_back(seconds(read - start) * 1000);
         engine_ms.push_back(seconds(Clock::now() - read) * 1000);
         partial_rows = partials.size();
         rating_rows = 0;
         for (const auto& p : partials) rating_rows += p.ratings.size();
       },
       {}},
      {"api-json",
       "Api::aggregates, JSON",
       [&] {
         const auto reply = api.aggregates(authorization, json_params);
         if (reply.status != 200) die("api json: " + std::to_string(reply.status) + " " + reply.body);
         json_bytes = reply.body.size();
       },
       {}},
      {"api-csv",
       "Api::aggregates, format=csv",
       [&] {
         const auto reply = api.aggregates(authorization, csv_params);
         if (reply.status != 200) die("api csv: " + std::to_string(reply.status) + " " + reply.body);
         csv_bytes = reply.body.size();
       },
       {}},
      {"scan",
       postgres ? "libpq: SELECT site, COUNT(*) … GROUP BY site"
                : "sqlite3: SELECT site, COUNT(*) … GROUP BY site",
       [&] { scanned = scan->run(); },
       {}},
  }};
  for (int round = 0; round < kWarmups + kRuns; ++round) {
    for (std::size_t k = 0; k < paths.size(); ++k) {
      Path& p = paths[(static_cast<std::size_t>(round) + k) % paths.size()];  // rotate who goes first
      const auto start = Clock::now();
      p.run();
      const double ms = seconds(Clock::now() - start) * 1000;
      if (round >= kWarmups) p.ms.push_back(ms);
    }
    if (round == kWarmups - 1) store_ms.clear(), engine_ms.clear();
  }
  if (scanned != options.responses) die("the scan counted " + std::to_string(scanned) + " responses");

  // 3. Figures.
  std::size_t below_k = 0, complementary = 0;
  for (const auto& cell : result.cells) {
    if (cell.suppression == "below_k") ++below_k;
    if (cell.suppression == "complementary") ++complementary;
  }
  const std::size_t csv_rows = result.cells.size() + 1;  // the cells and the total, header not counted
  std::printf(
      "site x week: %zu cells, %zu suppressed (%zu below_k, %zu complementary), k=%d, excluded_misuse=%d; "
      "read %zu partial cells holding %zu rating counts\n",
      result.cells.size(), below_k + complementary, below_k, complementary, result.k, result.excluded_misuse,
      partial_rows, rating_rows);
  std::printf("scan plan: %s\n", plan.c_str());
  std::printf("median of %d runs after %d warm-ups, the four paths interleaved:\n", kRuns, kWarmups);
  const double scan_ms = median(paths[3].ms);
  for (const Path& p : paths) {
    const double med = median(p.ms);
    std::printf("  %-8s %-48s median %8.2f ms  (min %.2f, max %.2f)  %.2fx scan\n", p.name, p.what, med,
                *std::min_element(p.ms.begin(), p.ms.end()), *std::max_element(p.ms.begin(), p.ms.end()),
                med / scan_ms);
  }
  std::printf(
      "  engine split: store.aggregate_partials median %.2f ms, aggregate_partials (engine) median %.2f ms\n",
      median(store_ms), median(engine_ms));
  const double json_s = median(paths[1].ms) / 1000, csv_s = median(paths[2].ms) / 1000;
  std::printf("JSON: %zu bytes, %.1f MB/s, %.0f cells/s\n", json_bytes,
              static_cast<double>(json_bytes) / 1e6 / json_s, static_cast<double>(csv_rows) / json_s);
  std::printf("CSV export throughput: %zu bytes, %zu rows, %.1f MB/s, %.0f rows/s\n", csv_bytes, csv_rows,
              static_cast<double>(csv_bytes) / 1e6 / csv_s, static_cast<double>(csv_rows) / csv_s);
  const double engine_ms_median = median(paths[0].ms);
  std::printf(
      "engine %.2f ms (target <= 100 ms on SQLite: %s); scan of all %lld responses %.2f ms; engine/scan = "
      "%.2fx\n",
      engine_ms_median,
      postgres                  ? "n/a, this is PostgreSQL"
      : engine_ms_median <= 100 ? "met"
                                : "MISSED",
      scanned, scan_ms, engine_ms_median / scan_ms);
  std::printf("loadavg at end %s\n", loadavg().c_str());
  return 0;
}
