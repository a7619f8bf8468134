// The centre's HTTP layer as it was before issue 13 (cpp-httplib 0.11.4, a thread per connection), kept for
// tests/bench/http_bench.cpp to measure the new layer against in the same run: the same Api, store and
// ServerConfig behind the same start/port/stop interface as CentralServer. Built only for the benchmark.
#pragma once

#include <memory>
#include <string>

#include "sync/central/central_store.hpp"
#include "sync/central/server_config.hpp"
#include "sync/model/expected.hpp"

namespace fk::bench {

using central::CentralStore;
using central::ServerConfig;

class HttplibBaselineServer {
 public:
  // `store` must outlive the server.
  HttplibBaselineServer(CentralStore& store, ServerConfig config);
  ~HttplibBaselineServer();  // stops and joins
  HttplibBaselineServer(const HttplibBaselineServer&) = delete;
  HttplibBaselineServer& operator=(const HttplibBaselineServer&) = delete;

  // Binds config.host:config.port (port 0: an ephemeral port), starts serving on a thread and returns only
  // once the server is accepting connections, so a test may connect at once.
  Expected<Ok> start();
  // The bound port (after start).
  int port() const;
  const std::string& host() const;
  // e.g. "http://127.0.0.1:41234"
  std::string base_url() const;
  // Stops accepting, lets in-flight requests finish, joins the thread. Safe to call twice.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fk::bench
