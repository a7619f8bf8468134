// The central endpoint's HTTP server: runs on its own thread in-process (tests, benchmarks) or under
// `feedback-central serve`. The HTTP library stays behind this header.
#pragma once

#include <memory>
#include <string>

#include "sync/central/central_store.hpp"
#include "sync/central/server_config.hpp"
#include "sync/model/expected.hpp"

namespace fk::central {

class CentralServer {
 public:
  // `store` must outlive the server.
  CentralServer(CentralStore& store, ServerConfig config);
  ~CentralServer();  // stops and joins
  CentralServer(const CentralServer&) = delete;
  CentralServer& operator=(const CentralServer&) = delete;

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

}  // namespace fk::central
