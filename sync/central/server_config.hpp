// Everything `feedback-central serve` can be told, with the defaults named beside what they bound.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "sync/central/rate_limiter.hpp"
#include "sync/model/wire.hpp"

namespace fk::central {

class SurveyRegistry;  // response_facts.hpp

// A kiosk normally sends a batch every few seconds; a backlog drain sends back to back. 200/s with a burst
// of 400 leaves a 10,000 responses/s drain unthrottled at 50 items a batch and still stops a runaway loop.
inline constexpr double kDefaultRatePerSecond = 200;
inline constexpr double kDefaultRateBurst = 400;
// Two cores, but handlers block on SQLite's fsync and keep-alive connections hold a thread while idle, so
// more threads than cores; SQLite serialises the writes anyway.
inline constexpr int kDefaultThreads = 8;
// A slow or stalled client gives up its thread after this long without progress.
inline constexpr std::chrono::seconds kDefaultReadTimeout{10};
inline constexpr std::chrono::seconds kDefaultWriteTimeout{10};
inline constexpr std::chrono::seconds kDefaultKeepAliveTimeout{5};
// httplib closes a connection after 5 requests by default, which costs each batch a reconnect.
inline constexpr std::size_t kDefaultKeepAliveMaxCount = 10000;
// Retry-After sent with a 503 when the store fails (the kiosk backs off at least this long).
inline constexpr int kStoreRetryAfterSeconds = 5;

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0;              // 0: an ephemeral port (tests)
  model::WireLimits limits;  // body size, items per batch, JSON depth and string length
  RateLimit rate{kDefaultRatePerSecond, kDefaultRateBurst};
  int threads = kDefaultThreads;
  std::chrono::seconds read_timeout = kDefaultReadTimeout;
  std::chrono::seconds write_timeout = kDefaultWriteTimeout;
  std::chrono::seconds keep_alive_timeout = kDefaultKeepAliveTimeout;
  std::size_t keep_alive_max_count = kDefaultKeepAliveMaxCount;
  // The smallest k an aggregates request may use (cells with fewer responses are suppressed); never below 3.
  int min_k = 5;
  // The surveys the centre knows: which question is a rating of which pillar, which is a thank-you note.
  // Null: every integer answer counts as a rating without a pillar, and no note is kept.
  std::shared_ptr<const SurveyRegistry> surveys;
  // Where the server reports failures of its own (store errors); stderr when empty.
  std::function<void(const std::string&)> log;
};

}  // namespace fk::central
