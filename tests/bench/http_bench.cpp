// Benchmark: the centre's HTTP layer (CentralServer) under a crowd of idle connections and under ingest load,
// against the old cpp-httplib layer (HttplibBaselineServer, tests/bench/httplib_baseline_server.cpp) in the
// same run. Not a test: it prints its figures and fails only on an error.
//
//   build/tests/bench/http_bench            the full run (10,000 idle connections, 10 s per load figure)
//   build/tests/bench/http_bench --quick    a short smoke run (1,000 idle connections, 1 s), as CTest runs it
//   options: --idle N  --seconds S  --layers current,baseline
//
// Each server runs in a child process forked for it (so the clients' and the server's descriptors count
// against two limits, not one) on a fresh SQLite file under /var/tmp (or $TMPDIR), with 64 enrolled kiosks,
// the default ServerConfig but for no rate limit. Figures, for each layer:
//   crowd   with N idle connections open: a legitimate client's p50/p99 latency, each request on a fresh
//           connection, on GET /api/v1/health and on one ingest batch of 20 responses (target p99 <= 50 ms);
//           the server's VmRSS before and with the connections open (target <= 200 MiB)
//   ingest  responses/s with 8 and with 64 concurrent kiosks, each a keep-alive client with a token of its
//           own posting batches of 20 back to back; the ratio current / baseline
#include <httplib.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "hostile_clients.hpp"
#include "httplib_baseline_server.hpp"
#include "support/bench.hpp"
#include "support/sample_responses.hpp"
#include "support/temp_dir.hpp"
#include "sync/central/central_server.hpp"
#include "sync/central/sqlite_central_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/model/wire.hpp"

namespace {

using namespace fk::test_support;  // die, must, seconds, loadavg
using Clock = std::chrono::steady_clock;
constexpr std::size_t kKiosks = 64;
constexpr std::size_t kBatchItems = 20;

enum class Layer { current, baseline };

const char* name(Layer layer) {
  return layer == Layer::current ? "current" : "baseline";
}

struct Options {
  std::size_t idle = 10'000;
  double seconds = 10;
  std::size_t health_requests = 500;
  std::size_t ingest_requests = 200;
  int starved_after_s = 5;  // a layer that has not answered the first request by then is reported starved
  std::vector<Layer> layers{Layer::current, Layer::baseline};
};

// A server in a child process; killed (SIGKILL: nothing to keep, the database is thrown away) on scope exit.
class ServerProcess {
 public:
  ServerProcess(Layer layer, const std::string& db, const std::vector<std::string>& tokens) {
    int fds[2];
    if (pipe(fds) != 0) die("pipe");
    pid_ = fork();
    if (pid_ < 0) die("fork");
    if (pid_ == 0) {
      close(fds[0]);
      layer == Layer::current ? serve<fk::central::CentralServer>(db, tokens, fds[1])
                              : serve<fk::bench::HttplibBaselineServer>(db, tokens, fds[1]);
    }
    close(fds[1]);
    if (read(fds[0], &port_, sizeof port_) != static_cast<ssize_t>(sizeof port_) || port_ <= 0)
      die(std::string("the ") + name(layer) + " server did not start");
    close(fds[0]);
  }
  ~ServerProcess() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }

  // The child's resident set (VmRSS), in MiB.
  double rss_mib() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string key;
    while (in >> key) {
      if (key == "VmRSS:") {
        double kib = 0;
        in >> kib;
        return kib / 1024;
      }
      in.ignore(4096, '\n');
    }
    return 0;
  }

 private:
  // The child: enrol the kiosks, serve, report the port, then wait to be killed.
  template <typename Server>
  [[noreturn]] static void serve(const std::string& db, const std::vector<std::string>& tokens, int port_fd) {
    auto store = must(fk::central::SqliteCentralStore::open(db), "open the centre");
    const std::string now = fk::model::utc_now_iso8601();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      must(store->add_kiosk("bench-" + std::to_string(i), "Bench Division",
                            fk::central::token_hash(tokens[i]), now),
           "enrol");
    }
    fk::central::ServerConfig config;
    config.rate = fk::central::RateLimit{1e9, 1e9};
    config.log = [](const std::string&) {};
    Server server(*store, config);
    must(server.start(), "start");
    const int port = server.port();
    if (write(port_fd, &port, sizeof port) != static_cast<ssize_t>(sizeof port)) _exit(1);
    close(port_fd);
    for (;;) pause();
  }

  pid_t pid_ = -1;
  int port_ = 0;
};

std::string batch_of(std::mt19937_64& rng) {
  std::vector<fk::model::BatchItem> items;
  for (std::size_t i = 0; i < kBatchItems; ++i) {
    const fk::model::Response r = lobby_response(rng);
    const std::string payload = fk::model::serialise(r);
    items.push_back({r.uuid, fk::model::payload_hash(payload), payload});
  }
  return fk::model::encode_batch(items);
}

std::unique_ptr<httplib::Client> client_for(int port, const std::string& token, int timeout_s) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_connection_timeout(timeout_s, 0);
  c->set_read_timeout(timeout_s, 0);
  c->set_write_timeout(timeout_s, 0);
  c->set_tcp_nodelay(true);
  if (!token.empty()) c->set_bearer_token_auth(token);
  return c;
}

struct Latencies {
  std::vector<double> ms;
  bool starved = false;
  std::string summary() const {
    if (starved) return "no answer (starved)";
    std::vector<double> v = ms;
    std::sort(v.begin(), v.end());
    const auto at = [&v](double q) {
      return v[static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1];
    };
    char buf[128];
    std::snprintf(buf, sizeof buf, "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%zu requests)", at(0.5), at(0.99),
                  v.back(), v.size());
    return buf;
  }
};

// `n` requests, each on a fresh connection, timed one by one; the first gets `first_timeout_s` to answer.
template <typename Send>
Latencies time_requests(int port, const std::string& token, std::size_t n, int first_timeout_s, int want,
                        Send send) {
  Latencies out;
  for (std::size_t i = 0; i < n; ++i) {
    auto client = client_for(port, token, i == 0 ? first_timeout_s : 30);
    const auto start = Clock::now();
    const httplib::Result res = send(*client);
    const double ms = seconds(Clock::now() - start) * 1000;
    if (!res && i == 0) {
      out.starved = true;
      return out;
    }
    if (!res || res->status != want)
      die("request " + std::to_string(i) + ": " +
          (res ? std::to_string(res->status) : httplib::to_string(res.error())));
    out.ms.push_back(ms);
  }
  return out;
}

void crowd_figures(Layer layer, const Options& opt, TempDir& dir, const std::vector<std::string>& tokens) {
  ServerProcess server(layer, dir.file(std::string(name(layer)) + "-crowd.sqlite"), tokens);
  const double rss_before = server.rss_mib();
  const auto start = Clock::now();
  std::vector<fk::test::Socket> idle =
      fk::test::connect_many(server.port(), opt.idle, Clock::now() + std::chrono::seconds(60));
  // A layer too slow to accept them all within the minute is reported with those it took.
  const double connect_s = seconds(Clock::now() - start);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // all accepted
  const double rss_open = server.rss_mib();
  std::mt19937_64 rng(13);
  const Latencies health = time_requests(server.port(), "", opt.health_requests, opt.starved_after_s, 200,
                                         [](httplib::Client& c) { return c.Get("/api/v1/health"); });
  Latencies ingest;
  if (health.starved) {
    ingest.starved = true;
  } else {
    ingest = time_requests(server.port(), tokens[0], opt.ingest_requests, opt.starved_after_s, 201,
                           [&rng](httplib::Client& c) {
                             return c.Post("/api/v1/responses", batch_of(rng), "application/json");
                           });
  }
  const double rss_after = server.rss_mib();
  std::printf(
      "%-8s crowd  %zu of %zu idle connections open (opening took %.1f s), server RSS %.1f MiB before, %.1f "
      "MiB with them "
      "open, %.1f MiB after the requests\n",
      name(layer), idle.size(), opt.idle, connect_s, rss_before, rss_open, rss_after);
  std::printf("%-8s crowd  GET /api/v1/health: %s\n", name(layer), health.summary().c_str());
  std::printf("%-8s crowd  POST one batch of %zu: %s\n", name(layer), kBatchItems, ingest.summary().c_str());
  std::fflush(stdout);
}

struct IngestFigure {
  double responses_per_s = 0;
  std::size_t kiosks_answered = 0;  // kiosks that had at least one receipt: a starved one has none
};

// Responses/s stored by `kiosks` keep-alive clients posting batches back to back for opt.seconds.
IngestFigure ingest_rate(Layer layer, std::size_t kiosks, const Options& opt, TempDir& dir,
                         const std::vector<std::string>& tokens) {
  ServerProcess server(
      layer, dir.file(std::string(name(layer)) + "-ingest-" + std::to_string(kiosks) + ".sqlite"), tokens);
  std::atomic<std::size_t> receipts{0}, failures{0}, answered{0};
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.seconds));
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < kiosks; ++k) {
    threads.emplace_back([&, k] {
      std::mt19937_64 rng(k);
      auto client = client_for(server.port(), tokens[k], 30);
      client->set_keep_alive(true);
      std::size_t mine = 0;
      while (Clock::now() < deadline) {
        const std::string batch = batch_of(rng);
        const httplib::Result res = client->Post("/api/v1/responses", batch, "application/json");
        if (Clock::now() > deadline) break;  // finished after the bell: not counted
        if (res && res->status == 201) {
          ++receipts;
          ++mine;
        } else {
          ++failures;
        }
      }
      if (mine > 0) ++answered;
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::min(seconds(Clock::now() - start), opt.seconds);
  if (failures > 0)
    std::printf("%-8s ingest %zu kiosks: %zu failed requests\n", name(layer), kiosks, failures.load());
  return {static_cast<double>(receipts * kBatchItems) / elapsed, answered};
}

Options parse(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--quick") {
      opt.idle = 1000;
      opt.seconds = 1;
      opt.health_requests = 100;
      opt.ingest_requests = 30;
      opt.starved_after_s = 2;
    } else if (arg == "--idle" && has_value) {
      opt.idle = std::stoul(argv[++i]);
    } else if (arg == "--seconds" && has_value) {
      opt.seconds = std::stod(argv[++i]);
    } else if (arg == "--layers" && has_value) {
      const std::string v = argv[++i];
      opt.layers.clear();
      if (v.find("current") != std::string::npos) opt.layers.push_back(Layer::current);
      if (v.find("baseline") != std::string::npos) opt.layers.push_back(Layer::baseline);
    } else {
      die("usage: http_bench [--quick] [--idle N] [--seconds S] [--layers current,baseline]");
    }
  }
  return opt;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  // Both sides of 10,000 connections fit under one limit each, but only if the soft limit is raised.
  rlimit fds{};
  getrlimit(RLIMIT_NOFILE, &fds);
  fds.rlim_cur = fds.rlim_max;
  setrlimit(RLIMIT_NOFILE, &fds);
  if (fds.rlim_cur < opt.idle + 512)
    die("the open-file limit " + std::to_string(fds.rlim_cur) + " is too low");
  signal(SIGPIPE, SIG_IGN);

  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < kKiosks; ++i) tokens.push_back(fk::central::new_token());
  TempDir dir("fk-http-bench", TempBase::Disk);
  std::printf("http_bench: load average %s; %zu idle connections, %.0f s per ingest figure\n",
              loadavg().c_str(), opt.idle, opt.seconds);

  for (const Layer layer : opt.layers) crowd_figures(layer, opt, dir, tokens);
  for (const std::size_t kiosks : {std::size_t{8}, kKiosks}) {
    double rates[2] = {0, 0};
    for (const Layer layer : opt.layers) {
      const IngestFigure figure = ingest_rate(layer, kiosks, opt, dir, tokens);
      rates[static_cast<int>(layer)] = figure.responses_per_s;
      std::printf("%-8s ingest %2zu kiosks: %.0f responses/s (%zu of the %zu kiosks had a receipt)\n",
                  name(layer), kiosks, figure.responses_per_s, figure.kiosks_answered, kiosks);
      std::fflush(stdout);
    }
    if (rates[0] > 0 && rates[1] > 0)
      std::printf("ratio    ingest %2zu kiosks: current / baseline = %.2fx\n", kiosks, rates[0] / rates[1]);
  }
  std::printf("http_bench: load average %s at the end\n", loadavg().c_str());
  return 0;
}
