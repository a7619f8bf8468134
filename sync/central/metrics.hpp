// The centre's figures for Prometheus (GET /metrics, text format 0.0.4): requests and their latency by
// route and status, responses ingested by outcome, database errors, and what the store says at scrape time
// (each kiosk's backlog and last contact, live dashboard sessions). The counters are atomics, because routes
// run on the worker pool and answers are written on the I/O thread; nothing here does I/O.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/central/central_store.hpp"
#include "sync/model/wire.hpp"

namespace fk::central {

// The route label of a request path: one of a fixed set, so an attacker's paths cannot grow the metrics.
inline constexpr std::array<std::string_view, 12> kMetricRoutes = {"/api/v1/responses",
                                                                   "/api/v1/kiosks/heartbeat",
                                                                   "/api/v1/surveys",
                                                                   "/api/v1/kiosks",
                                                                   "/api/v1/aggregates",
                                                                   "/api/v1/thanks",
                                                                   "/api/v1/health",
                                                                   "/metrics",
                                                                   "/",
                                                                   "/login",
                                                                   "/logout",
                                                                   "other"};
std::size_t metric_route_index(std::string_view path);

// Upper bounds (seconds) of the latency histogram's buckets; +Inf is implied.
inline constexpr std::array<double, 12> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,   0.25,   0.5,   1,    2.5,   10};

// What the store says at scrape time; a part the store could not give is left out of the text.
struct StoreFigures {
  std::optional<std::vector<KioskRecord>> kiosks;
  std::optional<std::int64_t> sessions;
  std::int64_t now_unix = 0;  // the centre's clock, for the kiosks' last-seen age
};

class Metrics {
 public:
  // An answer written: `path` is mapped to its route label, `status` to itself (100..599, else 0).
  void observe_request(std::string_view path, int status, std::chrono::nanoseconds duration);
  void count_ingested(model::ItemStatus outcome);
  void count_database_error();
  std::uint64_t database_errors() const { return database_errors_.load(); }

  // The whole exposition, in the text format 0.0.4.
  std::string render(const StoreFigures& store, std::size_t open_connections) const;

 private:
  static constexpr std::size_t kRoutes = kMetricRoutes.size();
  static constexpr std::size_t kStatuses = 600;
  struct Latency {
    std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size()> buckets{};  // not cumulative
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::array<std::array<std::atomic<std::uint64_t>, kStatuses>, kRoutes> requests_{};
  std::array<Latency, kRoutes> latency_{};
  std::array<std::atomic<std::uint64_t>, 4> ingested_{};  // by model::ItemStatus
  std::atomic<std::uint64_t> database_errors_{0};
};

// "2026-05-04T10:00:00Z" or with fractional seconds → Unix seconds; nothing when it does not parse.
std::optional<std::int64_t> unix_seconds_of(std::string_view iso8601_utc);

}  // namespace fk::central
