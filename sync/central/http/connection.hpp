// One client connection of the HTTP layer, plain or TLS: its deadlines, its head and body reading, its
// answers in order, and its close. Lives on the I/O thread; routes run on the pool and post back.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <list>
#include <memory>
#include <optional>

#include "sync/central/http/capped_body.hpp"
#include "sync/central/http/server_core.hpp"

namespace fk::central::http {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(HttpServer::Impl& server, boost::asio::ip::tcp::socket socket,
             std::shared_ptr<boost::asio::ssl::context> tls);
  ~Connection();
  void start();
  // Closes the socket now; pending operations end and the connection goes away.
  void close();
  bool busy() const { return phase_ == Phase::Routing || phase_ == Phase::Writing; }

 private:
  using Clock = std::chrono::steady_clock;
  enum class Phase { Handshake, Waiting, Head, Routing, Body, Writing, Draining, Closing };
  // What follows an answer.
  enum class Then { NextRequest, DrainBody, Close };

  void detect_tls();
  void wait_request(bool first);
  void read_some(std::size_t max_bytes, std::function<void()> then);
  void on_head_bytes();
  void parse_head(std::size_t head_size);
  void on_head_answer(HeadAnswer answer);
  void read_body();
  void on_body_done();
  void respond(HttpResponse response, Then then);
  void refuse(int status, std::string_view code, std::string_view message);
  void linger_close();
  void linger_read(std::size_t drained);
  void arm(Clock::time_point deadline);
  void disarm();
  Clock::time_point body_deadline() const;
  void set_waiting(bool waiting);
  void release_body_memory();

  HttpServer::Impl& server_;
  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  boost::asio::steady_timer timer_;
  unsigned deadline_generation_ = 0;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<CappedBody>> parser_;
  HttpRequest request_;
  ReadBody body_plan_;
  Phase phase_ = Phase::Handshake;
  bool closed_ = false;
  bool expect_continue_ = false;
  bool keep_alive_ = true;
  std::size_t requests_ = 0;
  std::size_t body_bytes_seen_ = 0;
  std::size_t body_memory_ = 0;  // reserved from server_.body_bytes_reserved
  Clock::time_point body_started_{};
  Clock::time_point head_at_{};  // when the current request's head was complete (or refused)
  std::string out_;              // the answer being written
  std::unique_ptr<std::array<char, 4096>> linger_sink_;  // only while closing
  std::list<Connection*>::iterator waiting_at_;
  bool in_waiting_ = false;
};

}  // namespace fk::central::http
