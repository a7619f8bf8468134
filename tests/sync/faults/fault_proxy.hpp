// A small fault-injecting TCP proxy for tests: listens on 127.0.0.1 (an ephemeral port), forwards each
// accepted connection to 127.0.0.1:<upstream port>, and on each connection plays one fault, chosen by a
// seeded RNG when the connection is accepted:
//
//   PassThrough     forward both ways untouched
//   CutRequest      forward only part of the first request (before the server has all of it), then close
//   CutAfterCommit  forward the whole request; when the server's answer starts to come back (the server has
//                   committed), forward at most part of its first bytes and close: the kiosk never sees a
//                   whole receipt for a batch the centre stored
//   Delay           forward both ways, each chunk held back a random few hundred milliseconds
//   Reset           abort with a TCP RST (SO_LINGER 0) on accept, mid-request, or after the server answered
//
// Plain POSIX sockets and threads (one acceptor, one thread per connection), loopback only. Every blocking
// wait is bounded: stop() returns within ~100 ms plus any Delay in progress. It knows just enough HTTP to find
// where the first request ends and where each answer ends (headers and Content-Length), so "mid-request"
// really is mid-request.
//
// Connections that survive their fault (PassThrough, Delay) carry 1-3 answers (random; an answer's end is
// found from its Content-Length) and are closed the moment the last one has gone by whole, or earlier when
// idle for `idle_close` after an answer (a server's keep-alive timeout), so a client that reuses its connection meets a fresh fault every few requests
// instead of riding one lucky connection for ever. A close can race the client's next request on a reused
// connection; libcurl then retries on a new one, as it would against any keep-alive server.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fk::faults {

enum class Fault { PassThrough, CutRequest, CutAfterCommit, Delay, Reset };
inline constexpr std::size_t kFaultKinds = 5;
const char* to_string(Fault fault);

// Relative weights of the faults for new connections (all zero but PassThrough: no faults).
struct FaultMix {
  std::array<unsigned, kFaultKinds> weight{1, 1, 1, 1, 1};
  static FaultMix none() { return FaultMix{{1, 0, 0, 0, 0}}; }
};

struct ProxyStats {
  std::uint64_t connections = 0;
  std::array<std::uint64_t, kFaultKinds> by_fault{};  // connections per fault chosen
  std::uint64_t upstream_connect_failures = 0;        // the server was not there (e.g. restarting)
  // CutAfterCommit/Reset connections on which the server's answer did arrive and was withheld (in whole or
  // in part) from the client: the case that makes a kiosk resend a batch the centre already stored.
  std::uint64_t answers_withheld = 0;
  std::uint64_t requests_cut = 0;  // CutRequest/Reset connections cut while the request was still going up
  std::uint64_t idle_closes = 0;   // surviving connections closed by the proxy (budget spent or idle)
};

class FaultProxy {
 public:
  // Does not start; `seed` drives every random choice (fault, cut point, delay).
  FaultProxy(int upstream_port, std::uint64_t seed);
  ~FaultProxy();  // stop()s
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // Binds 127.0.0.1:0 and starts accepting. Throws std::runtime_error when it cannot.
  void start();
  // Stops accepting, ends every connection, joins all threads. Idempotent.
  void stop();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Affect connections accepted from now on.
  void set_upstream_port(int port) { upstream_port_.store(port); }
  void set_mix(const FaultMix& mix);
  void set_idle_close(std::chrono::milliseconds idle) { idle_close_ms_.store(idle.count()); }
  void set_max_delay(std::chrono::milliseconds delay) { max_delay_ms_.store(delay.count()); }

  ProxyStats stats() const;

 private:
  struct Plan;
  struct Connection;
  void accept_loop();
  void serve(int client_fd, Plan plan);
  Plan next_plan();
  void reap(bool all);

  std::atomic<int> upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<long long> idle_close_ms_{50};
  std::atomic<long long> max_delay_ms_{250};
  std::thread acceptor_;

  mutable std::mutex mutex_;  // guards everything below
  std::mt19937_64 rng_;
  FaultMix mix_;
  ProxyStats stats_;
  std::vector<std::unique_ptr<Connection>> connections_;
};

}  // namespace fk::faults
