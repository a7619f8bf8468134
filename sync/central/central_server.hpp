// The central endpoint's HTTP server: runs on its own threads in-process (tests, benchmarks) or under
// `feedback-central serve`. The HTTP layer (sync/central/http/) stays behind this header.
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
  // e.g. "http://127.0.0.1:41234", or "https://…" with TLS
  std::string base_url() const;
  // Reads the TLS certificate and key again (SIGHUP under `serve`): new connections use them, open ones
  // keep theirs. A file that cannot be read leaves the running certificate in place.
  Expected<Ok> reload_tls();
  std::size_t open_connections() const;
  // Stops accepting, lets in-flight requests finish, joins the threads. Safe to call twice.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fk::central
