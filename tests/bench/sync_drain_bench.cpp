// Benchmark: drain a kiosk backlog to the centre over loopback — issue 3's target is >= 10,000 responses/s on
// the project's 2-core machine. Not a test: it prints its figures and never fails on a time.
//
//   build-faults/tests/bench/sync_drain_bench [N] [BATCH,BATCH,...]
//
// (N responses, default 100000; batch sizes default 250,500.) It fills one kiosk outbox (a real
// SqliteResponseStore, WAL + synchronous=FULL, one durable save per response as the kiosk does) in a temp
// directory under /var/tmp (or $TMPDIR), then for each batch size: copies that outbox, starts an in-process
// CentralServer (default ServerConfig: 8 threads, rate limit 200/s burst 400) on a fresh SQLite file, and
// times one Uploader::sync_once() — the same call as `feedback-kiosk sync --once` — through real libcurl
// on loopback (gzip on bodies >= 16 KiB, as the kiosk sends them). Filling is setup and reported apart.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sync/central/central_server.hpp"
#include "sync/central/sqlite_central_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/store/sqlite_response_store.hpp"
#include "sync/uploader/uploader.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kDefaultResponses = 100'000;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "sync_drain_bench: %s\n", message.c_str());
  std::exit(1);
}

template <typename T>
T must(fk::Expected<T> e, const char* what) {
  if (!e) die(std::string(what) + ": " + e.error().message);
  return std::move(e).value();
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string loadavg() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// What a resident leaves in a lobby: four ratings, a yes, often a thank-you note and the employee it names,
// in one of the kiosk's languages; a few are partial.
fk::model::Response lobby_response(std::mt19937_64& rng) {
  static const char* const kNotes[] = {
      "Officer Alvarez took the time to explain the report process and helped me fill in the form for my "
      "stolen bicycle. She was patient with my questions and kind to my kids. Thank you!",
      "The front desk was busy but the clerk kept us informed about the wait and found us a seat.",
      "Gracias por la paciencia y por explicarme todo en español.",
      "Cảm ơn anh đã giúp tôi điền đơn báo mất xe.",
      "",
  };
  static const char* const kLanguages[] = {"en", "es", "vi", "zh", "ar"};
  auto rating = [&rng] { return static_cast<int>(rng() % 5) + 1; };
  fk::model::Response r;
  r.uuid = fk::model::new_uuid_v4();
  r.survey_id = "lobby-2026";
  r.survey_version = 3;
  r.language = kLanguages[rng() % 5];
  r.answers = {{"courtesy", rating()}, {"clarity", rating()}, {"wait", rating()}, {"overall", rating()},
               {"would_recommend", (rng() % 4) != 0}};
  if (const std::string note = kNotes[rng() % 5]; !note.empty()) {
    r.answers.push_back({"note", note});
    r.answers.push_back({"employee", std::string("Officer M. Alvarez")});
  }
  r.partial = (rng() % 10) == 0;
  r.started_at = "2026-11-22T07:37:40Z";
  r.completed_at = "2026-11-22T07:39:02Z";
  return r;
}

std::vector<std::size_t> parse_batches(const char* arg) {
  std::vector<std::size_t> out;
  std::stringstream in(arg);
  std::string item;
  while (std::getline(in, item, ',')) {
    const long v = std::atol(item.c_str());
    if (v <= 0) die("batch sizes must be positive: " + std::string(arg));
    out.push_back(static_cast<std::size_t>(v));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : kDefaultResponses;
  if (n <= 0) die("usage: sync_drain_bench [N > 0] [BATCH,BATCH,...]");
  const std::vector<std::size_t> batches = argc > 2 ? parse_batches(argv[2]) : std::vector<std::size_t>{250, 500};

  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/var/tmp") + "/fk-drain-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) die("cannot create a directory from " + pattern);
  const std::filesystem::path dir = pattern;
  std::printf("sync_drain_bench: N=%d responses, batch sizes", n);
  for (auto b : batches) std::printf(" %zu", b);
  std::printf(", in %s; loadavg at start %s\n", dir.c_str(), loadavg().c_str());
  std::fflush(stdout);

  // The backlog, filled once (setup, not the figure): one durable save per response, as the kiosk makes them.
  const std::filesystem::path outbox = dir / "outbox.sqlite";
  std::size_t payload_bytes = 0;
  {
    std::mt19937_64 rng(20261122);
    auto store = must(fk::store::SqliteResponseStore::open(outbox.string()), "open the outbox");
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
      const fk::model::Response r = lobby_response(rng);
      payload_bytes += fk::model::serialise(r).size();
      must(store->save(r), "save");
    }
    const double s = seconds(Clock::now() - start);
    std::printf("fill (setup): %d durable saves in %.1f s (%.0f/s); mean payload %zu bytes\n", n, s, n / s,
                payload_bytes / static_cast<std::size_t>(n));
    std::fflush(stdout);
  }  // closed: the WAL is checkpointed into the file, which is copied per run

  for (std::size_t batch : batches) {
    const std::string tag = "b" + std::to_string(batch);
    const std::filesystem::path kiosk_file = dir / ("outbox-" + tag + ".sqlite");
    const std::filesystem::path central_file = dir / ("central-" + tag + ".sqlite");
    std::filesystem::copy_file(outbox, kiosk_file);

    auto central_store = must(fk::central::SqliteCentralStore::open(central_file.string()), "open the centre");
    const std::string token = fk::central::new_token();
    must(central_store->add_kiosk("lobby-1", "Central Division", fk::central::token_hash(token),
                                  fk::model::utc_now_iso8601()),
         "enrol");
    fk::central::ServerConfig server_config;
    server_config.port = 0;
    fk::central::CentralServer server(*central_store, server_config);
    must(server.start(), "start the centre");

    auto kiosk = must(fk::store::SqliteResponseStore::open(kiosk_file.string()), "open the outbox copy");
    fk::uploader::UploaderConfig config;
    config.central_url = server.base_url();
    config.token = token;
    config.batch_size = batch;
    config.app_version = "bench";
    fk::uploader::Uploader uploader(*kiosk, config);

    const double cpu_before = cpu_seconds();
    const auto start = Clock::now();
    const fk::uploader::SyncResult result = uploader.sync_once();
    const double elapsed = seconds(Clock::now() - start);
    const double cpu = cpu_seconds() - cpu_before;
    server.stop();

    const std::int64_t stored = must(central_store->count_responses(), "count");
    const auto counts = must(kiosk->counts(), "counts");
    const double rate = static_cast<double>(result.delivered) / elapsed;
    std::printf(
        "batch %zu: %zu responses in %.2f s = %.0f responses/s (target >= 10000/s); %zu requests, %zu "
        "receipts; process CPU %.2f s (%.0f%% of one core); centre rows %lld, kiosk uploaded %lld pending %lld; "
        "complete: %s%s%s\n",
        batch, result.delivered, elapsed, rate, result.requests, result.receipts, cpu, 100.0 * cpu / elapsed,
        static_cast<long long>(stored), static_cast<long long>(counts.uploaded),
        static_cast<long long>(counts.pending), result.complete() ? "yes" : "NO",
        result.message.empty() ? "" : " — ", result.message.c_str());
    std::fflush(stdout);
  }
  std::printf("loadavg at end %s\n", loadavg().c_str());

  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return 0;
}
