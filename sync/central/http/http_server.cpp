// HttpServer: the acceptor, the room-making when full, TLS context swaps, and a clean stop.
#include "sync/central/http/http_server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <future>

#include "sync/central/http/connection.hpp"
#include "sync/central/http/server_core.hpp"

namespace fk::central::http {
namespace {

namespace net = boost::asio;
using boost::system::error_code;
using tcp = net::ip::tcp;

// After running out of file descriptors the acceptor pauses this long (having made room if it could).
constexpr auto kAcceptRetry = std::chrono::milliseconds(20);
// stop(): how long requests in progress may take to be answered before their connections are closed.
constexpr auto kStopGrace = std::chrono::seconds(5);

// Runs `work` on the I/O thread and waits for it.
template <class Work>
void run_on_io(net::io_context& io, Work work) {
  std::promise<void> done;
  net::post(io, [&] {
    work();
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace

bool HttpServer::Impl::evict_oldest_waiting() {
  if (waiting.empty()) return false;
  waiting.front()->close();  // leaves the list itself
  return true;
}

void HttpServer::Impl::accept() {
  acceptor->async_accept(io, [this](error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
    if (ec) {
      // Out of descriptors (or a transient error): make room, pause, go on.
      if (ec == net::error::no_descriptors) evict_oldest_waiting();
      accept_retry->expires_after(kAcceptRetry);
      accept_retry->async_wait([this](error_code wec) {
        if (!wec) accept();
      });
      return;
    }
    if (stopping) return;
    if (open.size() >= limits.max_connections && !evict_oldest_waiting()) {
      error_code ignored;
      socket.close(ignored);  // full of connections in progress: this one waits for a later try
    } else {
      std::make_shared<Connection>(*this, std::move(socket), tls)->start();
    }
    accept();
  });
}

HttpServer::HttpServer(ServerLimits limits, Router router, ErrorAnswer errors,
                       std::function<void(const std::string&)> log, ExchangeObserver observer)
    : impl_(std::make_shared<Impl>(limits, std::move(router), std::move(errors), std::move(log),
                                   std::move(observer))) {}

HttpServer::~HttpServer() {
  stop();
}

Expected<Ok> HttpServer::start(const std::string& host, int port, std::shared_ptr<net::ssl::context> tls) {
  Impl& s = *impl_;
  if (s.io_thread.joinable()) return Error{"the server is already running"};
  const std::string where = host + ":" + std::to_string(port);
  error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return Error{"cannot listen on " + where + ": not an IP address"};
  tcp::acceptor acceptor(s.io);
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Error{"cannot listen on " + where + " (" + ec.message() + ")"};
  s.bound_port = acceptor.local_endpoint().port();
  s.acceptor.emplace(std::move(acceptor));
  s.accept_retry.emplace(s.io);
  s.tls = std::move(tls);
  s.stopping = false;
  s.accept();
  s.io_thread = std::thread([&s] {
    auto guard = net::make_work_guard(s.io);
    for (;;) {
      try {
        s.io.run();
        return;
      } catch (const std::exception& e) {
        // A handler threw (a bug): log it and keep serving the others.
        if (s.log) s.log(std::string("HTTP layer: ") + e.what());
      }
    }
  });
  return Ok{};
}

int HttpServer::port() const {
  return impl_->bound_port;
}

void HttpServer::set_tls_context(std::shared_ptr<net::ssl::context> tls) {
  Impl& s = *impl_;
  if (!s.io_thread.joinable()) {
    s.tls = std::move(tls);
    return;
  }
  run_on_io(s.io, [&] { s.tls = std::move(tls); });
}

std::size_t HttpServer::open_connections() const {
  return impl_->open_count.load();
}

void HttpServer::stop() {
  Impl& s = *impl_;
  if (!s.io_thread.joinable()) return;
  run_on_io(s.io, [&] {
    s.stopping = true;
    error_code ignored;
    s.acceptor->close(ignored);
    s.accept_retry->cancel();
    while (s.evict_oldest_waiting()) {
    }
  });
  // Requests in progress are answered (with Connection: close); give them a moment.
  const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (s.open_count.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  run_on_io(s.io, [&] {
    std::vector<Connection*> left(s.open.begin(), s.open.end());
    for (Connection* c : left) c->close();
  });
  s.pool.join();  // routes still running finish; what they post back finds closed connections
  run_on_io(s.io, [] {});
  s.io.stop();
  s.io_thread.join();
}

}  // namespace fk::central::http
