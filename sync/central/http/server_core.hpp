// Internal to the HTTP layer: the state the acceptor and every connection share. All of it is touched on
// the one I/O thread only, except the atomics and what the worker pool runs.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <list>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_set>

#include "sync/central/http/http_server.hpp"

namespace fk::central::http {

class Connection;

struct HttpServer::Impl {
  Impl(ServerLimits l, Router r, ErrorAnswer e, std::function<void(const std::string&)> lg,
       ExchangeObserver o)
      : limits(l),
        router(std::move(r)),
        errors(std::move(e)),
        log(std::move(lg)),
        observer(std::move(o)),
        pool(static_cast<std::size_t>(std::max(1, l.threads))) {}

  const ServerLimits limits;
  const Router router;
  const ErrorAnswer errors;
  const std::function<void(const std::string&)> log;
  const ExchangeObserver observer;  // may be empty

  // Declared before the I/O context: connections still queued in it when it is destroyed unregister
  // themselves here. Connections waiting for (or still receiving) a request's head, the longest waiting
  // first: when the server is full, the front one makes room.
  std::list<Connection*> waiting;
  std::unordered_set<Connection*> open;

  boost::asio::io_context io{1};
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::optional<boost::asio::steady_timer> accept_retry;
  boost::asio::thread_pool pool;
  std::thread io_thread;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
  std::size_t body_bytes_reserved = 0;
  bool stopping = false;
  std::atomic<std::size_t> open_count{0};
  int bound_port = 0;

  void accept();
  // Closes the connection that has waited longest for a request, if any; true when one was closed.
  bool evict_oldest_waiting();
};

}  // namespace fk::central::http
