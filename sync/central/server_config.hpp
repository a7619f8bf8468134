// Everything `feedback-central serve` can be told, with the defaults named beside what they bound. The HTTP
// layer (http_server.hpp) enforces the deadlines and bounds; the API (api.hpp) the body and batch limits.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "sync/central/login_throttle.hpp"
#include "sync/central/rate_limiter.hpp"
#include "sync/model/wire.hpp"

namespace fk::central {

class SurveyRegistry;  // response_facts.hpp

// A kiosk normally sends a batch every few seconds; a backlog drain sends back to back. 200/s with a burst
// of 400 leaves a 10,000 responses/s drain unthrottled at 50 items a batch and still stops a runaway loop.
inline constexpr double kDefaultRatePerSecond = 200;
inline constexpr double kDefaultRateBurst = 400;
// Handlers block on SQLite's fsync or a PostgreSQL round trip; the connections themselves cost no thread
// (one I/O thread serves them all), so this bounds only how many requests touch the database at once.
inline constexpr int kDefaultThreads = 8;

// Deadlines. A connection that misses one is closed; it never holds a thread, only a socket and a timer.
// From accept (or from the first byte of a kept-alive connection's next request) to the end of its head.
inline constexpr std::chrono::seconds kDefaultHeadTimeout{10};
// A body may take this long before the minimum rate below applies.
inline constexpr std::chrono::seconds kDefaultReadTimeout{10};
// After that a body must have arrived at this average rate (bytes/s): a 1 MiB batch may take 10 s + 256 s,
// a slow-body attacker holds its connection ~10 s.
inline constexpr std::size_t kDefaultMinBodyRate = 4096;
// An answer must have been taken by the client within this long (plus its size at the minimum rate).
inline constexpr std::chrono::seconds kDefaultWriteTimeout{10};
// How long a connection may sit idle between requests.
inline constexpr std::chrono::seconds kDefaultKeepAliveTimeout{5};
inline constexpr std::size_t kDefaultKeepAliveMaxCount = 10000;

// Bounds on a request's head (RFC 9112 leaves them to the server): 414 past the request line's, 431 past
// the header count or their total bytes.
inline constexpr std::size_t kDefaultMaxRequestLine = 8 * 1024;
inline constexpr std::size_t kDefaultMaxHeaderCount = 100;
inline constexpr std::size_t kDefaultMaxHeaderBytes = 32 * 1024;
// Open connections. When full, the connection idle the longest is closed to make room; when none is idle
// the new one is closed. Also capped below the process's open-file limit at start.
inline constexpr std::size_t kDefaultMaxConnections = 16000;
// Bodies being received, summed over all connections (each counted at its declared length, or the body
// limit when chunked): past it a request gets 503 with Retry-After before its body is read.
inline constexpr std::size_t kDefaultBodyMemoryBytes = 64 * 1024 * 1024;
// Retry-After sent with a 503 when the store fails or the body memory is full (the kiosk backs off at
// least this long).
inline constexpr int kStoreRetryAfterSeconds = 5;

// TLS in the server itself: PEM files, read at start and again on reload (SIGHUP under `serve`).
struct TlsFiles {
  std::string cert_file;  // the certificate chain, leaf first
  std::string key_file;   // its private key (unencrypted PEM)
  bool enabled() const { return !cert_file.empty(); }
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0;              // 0: an ephemeral port (tests)
  model::WireLimits limits;  // body size, items per batch, JSON depth and string length
  RateLimit rate{kDefaultRatePerSecond, kDefaultRateBurst};
  int threads = kDefaultThreads;  // the worker pool that runs handlers
  std::chrono::milliseconds head_timeout = kDefaultHeadTimeout;
  std::chrono::milliseconds read_timeout = kDefaultReadTimeout;
  std::size_t min_body_rate = kDefaultMinBodyRate;
  std::chrono::milliseconds write_timeout = kDefaultWriteTimeout;
  std::chrono::milliseconds keep_alive_timeout = kDefaultKeepAliveTimeout;
  std::size_t keep_alive_max_count = kDefaultKeepAliveMaxCount;
  std::size_t max_request_line = kDefaultMaxRequestLine;
  std::size_t max_header_count = kDefaultMaxHeaderCount;
  std::size_t max_header_bytes = kDefaultMaxHeaderBytes;
  std::size_t max_connections = kDefaultMaxConnections;
  std::size_t body_memory_bytes = kDefaultBodyMemoryBytes;
  TlsFiles tls;  // empty: plain HTTP
  // The smallest k an aggregates request may use (cells with fewer responses are suppressed); never below 3.
  int min_k = 5;
  // Failed dashboard sign-ins tolerated per client address before it must wait (login_throttle.hpp).
  LoginThrottleLimits sign_in_throttle;
  // The surveys the centre knows: which question is a rating of which pillar, which is a thank-you note.
  // Null: every integer answer counts as a rating without a pillar, and no note is kept.
  std::shared_ptr<const SurveyRegistry> surveys;
  // Where the server reports failures of its own (store errors, refused sign-ins, handlers that threw);
  // stderr when empty.
  std::function<void(const std::string&)> log;
  // Where each answer's access-log line goes (http/access_log.hpp); empty: no access log.
  std::function<void(const std::string&)> access_log;
};

}  // namespace fk::central
