// `feedback-central serve`: open the store, refuse plain HTTP where it would cross a network, make room in
// the open-file limit for the connections allowed, then serve until SIGINT/SIGTERM, reloading the TLS
// certificate on SIGHUP.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <boost/asio/ip/address.hpp>
#include <ostream>

#include "sync/central/central_server.hpp"
#include "sync/central/commands.hpp"
#include "sync/central/open_store.hpp"

namespace fk::central {
namespace {

// Descriptors the process needs besides its connections: the store, logs, the listening socket, libpq.
constexpr std::size_t kSpareDescriptors = 64;

// Raises the soft open-file limit to the hard one and, when even that is too low for max_connections,
// lowers max_connections to fit (saying so).
void fit_connections_to_descriptors(ServerConfig& config, std::ostream& out) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  const auto usable = limit.rlim_cur > kSpareDescriptors ? limit.rlim_cur - kSpareDescriptors : 1;
  if (config.max_connections > usable) {
    out << "feedback-central: the open-file limit is " << limit.rlim_cur << ", so at most " << usable
        << " connections (not " << config.max_connections << "); raise LimitNOFILE to allow more"
        << std::endl;
    config.max_connections = usable;
  }
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

int serve(const std::string& db, ServerConfig config, bool plain_http, std::ostream& out, std::ostream& err) {
  if (!config.tls.enabled() && !plain_http && !is_loopback_host(config.host)) {
    err << "error: refusing plain HTTP on " << config.host
        << ": tokens and notes would cross the network in clear. Give --tls-cert and --tls-key, or "
           "--plain-http when a TLS proxy (deploy/nginx/) is in front.\n";
    return 2;
  }
  if (config.tls.key_file.empty() != config.tls.cert_file.empty()) {
    err << "error: --tls-cert and --tls-key go together\n";
    return 2;
  }
  // Block the signals before any thread starts, so every server thread inherits the mask and only sigwait
  // below receives them: no async-signal-safety puzzles, and a clean stop().
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  fit_connections_to_descriptors(config, out);
  auto store = open_central_store(db);
  if (!store) {
    err << "error: " << store.error().message << '\n';
    return 1;
  }
  CentralServer server(**store, std::move(config));
  if (auto started = server.start(); !started) {
    err << "error: " << started.error().message << '\n';
    return 1;
  }
  out << "feedback-central listening on " << server.base_url() << " (database " << redact_conninfo(db) << ")"
      << std::endl;
  for (;;) {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    if (signal_number != SIGHUP) {
      out << "feedback-central: " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT") << ", stopping"
          << std::endl;
      break;
    }
    if (auto reloaded = server.reload_tls(); reloaded) {
      out << "feedback-central: SIGHUP, TLS certificate reloaded" << std::endl;
    } else {
      err << "feedback-central: SIGHUP, certificate not reloaded: " << reloaded.error().message << std::endl;
    }
  }
  server.stop();
  return 0;
}

}  // namespace fk::central
