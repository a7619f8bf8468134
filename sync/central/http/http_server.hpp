// The centre's HTTP/1.1 server on Boost.Beast + Asio. One I/O thread serves every connection: an idle or
// slow client costs a socket, a small buffer and a timer, never a thread. Routes run on a bounded worker
// pool, because they touch the database. Framing is strict (RFC 9112), every phase has a deadline, heads
// and bodies have bounds, and TLS is spoken by the server itself when it is given a certificate.
//
// A request's life: head bytes are scanned against the bounds as they arrive (head_scan.hpp), parsed by
// Beast, then handed to the router on the pool. The router answers from the head alone (a refusal, a GET)
// or asks for the body; only then is the body read (after `100 Continue` when the client asked), at a
// minimum rate, into a buffer bounded per request and in total. Answers go out in request order; a
// refused body is read and thrown away when that is cheap, else the connection closes.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "sync/central/http/head_scan.hpp"
#include "sync/central/http/http_message.hpp"
#include "sync/model/expected.hpp"

namespace boost::asio::ssl {
class context;
}

namespace fk::central::http {

struct ServerLimits {
  std::chrono::milliseconds head_timeout{10000};
  std::chrono::milliseconds read_timeout{10000};  // the body's grace before min_body_rate applies
  std::size_t min_body_rate = 4096;               // bytes/s, averaged, for bodies and for answers
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds keep_alive_timeout{5000};
  std::size_t keep_alive_max_count = 10000;
  HeadLimits head{8192, 100, 32768};
  std::size_t max_body_bytes = 1 << 20;  // on the wire (and, for routes, after gzip)
  std::size_t max_connections = 16000;
  std::size_t body_memory_bytes = 64u << 20;
  int threads = 8;
};

// A route's answer to a request's head: an answer now, or "read the body and call this".
struct ReadBody {
  std::size_t max_bytes = 0;                         // after gzip decoding
  std::function<HttpResponse(HttpRequest&)> handle;  // on the worker pool, with request.body filled
};
using HeadAnswer = std::variant<HttpResponse, ReadBody>;
// Runs on the worker pool (it may touch the database); sees the head only (request.body is empty).
using Router = std::function<HeadAnswer(const HttpRequest& head)>;
// The server's own refusals (bounds, framing, deadlines) in the caller's error format.
using ErrorAnswer = std::function<HttpResponse(int status, std::string_view code, std::string_view message)>;

// One answer written in full: what the access log and the metrics see. `method` and `target` are empty when
// the head was refused before it could be parsed (414, 431, a plain request on the TLS port).
struct Exchange {
  std::string method;
  std::string target;  // as sent, query included: redact it before logging (access_log.hpp)
  std::string path;    // percent-decoded, without the query
  int status = 0;
  std::size_t bytes = 0;                // the answer on the wire, head and body
  std::chrono::nanoseconds duration{};  // from the complete head's arrival to the answer's last byte sent
  std::string who;                      // HttpResponse::who
  std::string peer_address;
};
// Called on the I/O thread once per answer written: keep it cheap and never block.
using ExchangeObserver = std::function<void(const Exchange&)>;

class HttpServer {
 public:
  HttpServer(ServerLimits limits, Router router, ErrorAnswer errors,
             std::function<void(const std::string&)> log, ExchangeObserver observer = {});
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on host:port (0: an ephemeral port) and returns once connections are accepted. With `tls`,
  // the port speaks only TLS: a plain HTTP request there gets a 400 in clear and is closed.
  Expected<Ok> start(const std::string& host, int port, std::shared_ptr<boost::asio::ssl::context> tls);
  int port() const;
  // New connections use `tls` from now on; open ones keep the context they started with.
  void set_tls_context(std::shared_ptr<boost::asio::ssl::context> tls);
  // Stops accepting, closes idle connections, lets requests in progress be answered (up to 5 s), then
  // closes the rest and waits for the routes running on the pool. Safe to call twice.
  void stop();
  // Connections open now (any thread; for tests and health figures).
  std::size_t open_connections() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace fk::central::http
