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

#include "support/bench.hpp"
#include "support/enrolled_centre.hpp"
#include "support/sample_responses.hpp"
#include "support/temp_dir.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/store/sqlite_response_store.hpp"
#include "sync/uploader/uploader.hpp"

namespace {

using namespace fk::test_support;  // tests/support: die, must, loadavg and the rest
using Clock = std::chrono::steady_clock;
constexpr int kDefaultResponses = 100'000;

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
  const std::vector<std::size_t> batches =
      argc > 2 ? parse_batches(argv[2]) : std::vector<std::size_t>{250, 500};

  const fk::test_support::TempDir temp("fk-drain-bench", fk::test_support::TempBase::Disk);
  const std::filesystem::path& dir = temp.path();
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

    const std::string token = fk::central::new_token();
    const auto centre =
        must(fk::test_support::start_enrolled_centre(central_file.string(), token), "the centre");
    fk::central::CentralServer& server = *centre.server;

    auto kiosk = must(fk::store::SqliteResponseStore::open(kiosk_file.string()), "open the outbox copy");
    fk::uploader::UploaderConfig config;
    config.central_url = server.base_url();
    config.token = token;
    config.batch_size = batch;
    config.app_version = "bench";
    fk::uploader::Uploader uploader(*kiosk, config);

    const double cpu_before = fk::test_support::process_cpu_seconds();
    const auto start = Clock::now();
    const fk::uploader::SyncResult result = uploader.sync_once();
    const double elapsed = seconds(Clock::now() - start);
    const double cpu = fk::test_support::process_cpu_seconds() - cpu_before;
    server.stop();

    const std::int64_t stored = must(centre.store->count_responses(), "count");
    const auto counts = must(kiosk->counts(), "counts");
    const double rate = static_cast<double>(result.delivered) / elapsed;
    std::printf(
        "batch %zu: %zu responses in %.2f s = %.0f responses/s (target >= 10000/s); %zu requests, %zu "
        "receipts; process CPU %.2f s (%.0f%% of one core); centre rows %lld, kiosk uploaded %lld pending "
        "%lld; "
        "complete: %s%s%s\n",
        batch, result.delivered, elapsed, rate, result.requests, result.receipts, cpu, 100.0 * cpu / elapsed,
        static_cast<long long>(stored), static_cast<long long>(counts.uploaded),
        static_cast<long long>(counts.pending), result.complete() ? "yes" : "NO",
        result.message.empty() ? "" : " — ", result.message.c_str());
    std::fflush(stdout);
  }
  std::printf("loadavg at end %s\n", loadavg().c_str());
  return 0;
}
