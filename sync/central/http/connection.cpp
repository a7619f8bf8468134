// A connection's life, phase by phase (connection.hpp). Every step runs on the I/O thread; each waits
// under a deadline, and a missed deadline closes the socket, which ends whatever was pending.
#include "sync/central/http/connection.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/status.hpp>
#include <limits>

#include "sync/central/http/gzip_body.hpp"

namespace fk::central::http {
namespace {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

// A TLS ClientHello starts with the handshake record type.
constexpr unsigned char kTlsHandshakeRecord = 0x16;
// How much is read at a time while a head arrives (heads are small; idle connections hold nothing).
constexpr std::size_t kHeadReadBytes = 4096;
constexpr std::size_t kBodyReadBytes = 16 * 1024;
// A chunked body may run to this many times the limit while being thrown away (API.md: refused bodies are
// read to keep the connection usable when that is cheap).
constexpr std::size_t kDrainFactor = 2;
// Closing after an answer: the unread rest of a request is read and dropped for this long (at most this
// much), so the kernel does not answer it with a reset that would destroy the answer in flight.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 64 * 1024;

std::string serialize(const HttpResponse& response, bool close) {
  std::string out;
  out.reserve(response.body.size() + 256);
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
  out += "HTTP/1.1 " + std::to_string(response.status) + " ";
  out.append(reason.data(), reason.size());
  out += "\r\n";
  if (response.status != 304) {
    out += "Content-Type: " + response.content_type + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  if (response.status != 304) out += response.body;
  return out;
}

bool is_gzip(std::string_view encoding) {
  std::string lower(encoding);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "gzip";
}

}  // namespace

Connection::Connection(HttpServer::Impl& server, net::ip::tcp::socket socket,
                       std::shared_ptr<net::ssl::context> tls)
    : server_(server), socket_(std::move(socket)), tls_context_(std::move(tls)), timer_(server.io) {
  ++server_.open_count;
  server_.open.insert(this);
  error_code ec;
  const auto peer = socket_.remote_endpoint(ec);
  if (!ec) request_.peer_address = peer.address().to_string();
  socket_.set_option(net::ip::tcp::no_delay(true), ec);
  // The head of a request must fit; bodies pass through in pieces.
  buffer_.max_size(server_.limits.head.max_head_bytes + kBodyReadBytes + 2);
}

Connection::~Connection() {
  set_waiting(false);
  release_body_memory();
  server_.open.erase(this);
  --server_.open_count;
}

void Connection::start() {
  arm(Clock::now() + server_.limits.head_timeout);  // the first head, handshake included
  if (tls_context_) return detect_tls();
  wait_request(true);
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  phase_ = Phase::Closing;
  set_waiting(false);
  disarm();
  error_code ec;
  socket_.close(ec);
}

void Connection::set_waiting(bool waiting) {
  if (waiting == in_waiting_) return;
  if (waiting) {
    waiting_at_ = server_.waiting.insert(server_.waiting.end(), this);
  } else {
    server_.waiting.erase(waiting_at_);
  }
  in_waiting_ = waiting;
}

void Connection::release_body_memory() {
  server_.body_bytes_reserved -= body_memory_;
  body_memory_ = 0;
}

void Connection::arm(Clock::time_point deadline) {
  const unsigned generation = ++deadline_generation_;
  timer_.expires_at(deadline);
  timer_.async_wait([self = shared_from_this(), generation](error_code ec) {
    if (!ec && generation == self->deadline_generation_) self->close();
  });
}

void Connection::disarm() {
  ++deadline_generation_;
  timer_.cancel();
}

void Connection::detect_tls() {
  phase_ = Phase::Handshake;
  set_waiting(true);
  socket_.async_wait(net::socket_base::wait_read, [self = shared_from_this()](error_code ec) {
    if (ec || self->closed_) return self->close();
    std::array<unsigned char, 1> first{};
    const std::size_t n = self->socket_.receive(net::buffer(first), net::socket_base::message_peek, ec);
    if (ec || n == 0) return self->close();
    if (first[0] != kTlsHandshakeRecord) {
      // Someone spoke plain HTTP to the TLS port: say so in clear, once, and close.
      self->set_waiting(false);
      self->head_at_ = Clock::now();
      return self->respond(self->server_.errors(400, "tls_required", "this port speaks HTTPS only"),
                           Then::Close);
    }
    self->tls_.emplace(self->socket_, *self->tls_context_);
    self->tls_->async_handshake(net::ssl::stream_base::server, [self](error_code hec) {
      if (hec || self->closed_) return self->close();
      self->set_waiting(false);
      self->wait_request(true);
    });
  });
}

void Connection::read_some(std::size_t max_bytes, std::function<void()> then) {
  const std::size_t room = buffer_.max_size() - buffer_.size();
  if (room == 0) return close();  // cannot happen within the head and body bounds; never spin
  const auto space = buffer_.prepare(std::min(max_bytes, room));
  auto done = [self = shared_from_this(), then = std::move(then)](error_code ec, std::size_t n) {
    if (self->closed_) return;
    self->buffer_.commit(n);
    if (ec) {
      // The client closed or the deadline struck. A head or body cut short gets no answer (there is
      // nobody left to read one, or the deadline said enough).
      return self->close();
    }
    then();
  };
  if (tls_) {
    tls_->async_read_some(space, std::move(done));
  } else {
    socket_.async_read_some(space, std::move(done));
  }
}

void Connection::wait_request(bool first) {
  phase_ = Phase::Waiting;
  parser_.reset();
  // A head refused before parsing must not be logged under the previous request's name.
  request_.method.clear();
  request_.target.clear();
  request_.path.clear();
  request_.body.clear();
  request_.body.shrink_to_fit();
  set_waiting(true);
  if (server_.stopping) return close();
  if (buffer_.size() > 0) return on_head_bytes();  // a pipelined request is already here
  buffer_.shrink_to_fit();
  if (!first) arm(Clock::now() + server_.limits.keep_alive_timeout);
  auto next = [this] {
    // From the first byte on, the head has head_timeout to arrive in full.
    if (phase_ == Phase::Waiting && requests_ > 0) arm(Clock::now() + server_.limits.head_timeout);
    on_head_bytes();
  };
  if (tls_) return read_some(kHeadReadBytes, next);
  // Plain: wait for readability without a buffer, so an idle connection holds none.
  socket_.async_wait(net::socket_base::wait_read, [self = shared_from_this(), next](error_code ec) {
    if (ec || self->closed_) return self->close();
    self->read_some(kHeadReadBytes, next);
  });
}

void Connection::on_head_bytes() {
  phase_ = Phase::Head;
  // Empty lines before a request are ignored (RFC 9112 2.2).
  while (buffer_.size() >= 2) {
    const auto* data = static_cast<const char*>(buffer_.data().data());
    if (data[0] != '\r' || data[1] != '\n') break;
    buffer_.consume(2);
  }
  const std::string_view bytes(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  const HeadScan scan = scan_head(bytes, server_.limits.head);
  head_at_ = Clock::now();  // the last one before Complete (or a refusal) is the head's arrival
  switch (scan.verdict) {
    case HeadVerdict::NeedMore:
      return read_some(kHeadReadBytes, [this] { on_head_bytes(); });
    case HeadVerdict::Complete:
      return parse_head(scan.head_size);
    case HeadVerdict::RequestLineTooLong:
      return refuse(
          414, "request_line_too_long",
          "the request line exceeds " + std::to_string(server_.limits.head.max_request_line) + " bytes");
    case HeadVerdict::HeadersTooLarge:
      return refuse(431, "headers_too_large",
                    "more than " + std::to_string(server_.limits.head.max_header_count) +
                        " header fields or " + std::to_string(server_.limits.head.max_head_bytes) +
                        " bytes of head");
    case HeadVerdict::ObsoleteFolding:
      return refuse(400, "bad_request", "obsolete line folding in a header field");
    case HeadVerdict::BadLineEnding:
      return refuse(400, "bad_request", "a header line does not end in CRLF");
  }
}

void Connection::parse_head(std::size_t head_size) {
  set_waiting(false);
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(head_size + 2));
  // Lengths are judged below (413 before any body byte); the parser's own default would say 400. Not
  // boost::none: Beast 1.74 compares a length with an empty optional as "greater" and refuses every body.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  parser_->eager(false);
  error_code ec;
  const std::size_t used = parser_->put(net::buffer(buffer_.data().data(), head_size), ec);
  if (ec || !parser_->is_header_done()) {
    return refuse(400, "bad_request", "the request head cannot be parsed: " + ec.message());
  }
  buffer_.consume(used);
  const auto& head = parser_->get();
  if (head.version() != 11 && head.version() != 10) {
    return refuse(400, "bad_request", "only HTTP/1.0 and HTTP/1.1 are spoken here");
  }
  request_.method = std::string(head.method_string());
  request_.target = std::string(head.target());
  const auto query_at = request_.target.find('?');
  request_.path = percent_decode(std::string_view(request_.target).substr(0, query_at));
  request_.query = query_at == std::string::npos
                       ? Params{}
                       : parse_url_encoded(std::string_view(request_.target).substr(query_at + 1));
  request_.headers.clear();
  for (const auto& field : head) {
    request_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request_.tls = tls_.has_value();
  // Beast already refuses differing Content-Lengths and Content-Length with Transfer-Encoding; a
  // Transfer-Encoding that is not exactly "chunked" leaves the body's end unknown.
  if (request_.has_header("Transfer-Encoding") && !parser_->chunked()) {
    return refuse(400, "bad_request", "Transfer-Encoding other than chunked");
  }
  const auto length = parser_->content_length();
  if (length && *length > server_.limits.max_body_bytes) {
    return refuse(413, "body_too_large",
                  "Content-Length exceeds " + std::to_string(server_.limits.max_body_bytes) + " bytes");
  }
  keep_alive_ = parser_->keep_alive();
  std::string expect(request_.header("Expect"));
  for (char& c : expect) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  expect_continue_ = expect == "100-continue";
  ++requests_;
  phase_ = Phase::Routing;
  disarm();  // the client waits for us now; the route is bounded by the pool, not by a deadline
  net::post(server_.pool, [self = shared_from_this(), head = request_]() mutable {
    HeadAnswer answer = self->server_.router(head);
    auto& io = self->server_.io;
    net::post(io, [self = std::move(self), answer = std::move(answer)]() mutable {
      if (!self->closed_) self->on_head_answer(std::move(answer));
    });
  });
}

void Connection::on_head_answer(HeadAnswer answer) {
  const bool has_body = parser_->chunked() || parser_->content_length().value_or(0) > 0;
  if (auto* response = std::get_if<HttpResponse>(&answer)) {
    // A client that waits for 100 Continue will never send the body we declined: close after answering.
    if (has_body && expect_continue_) response->close = true;
    return respond(std::move(*response), has_body ? Then::DrainBody : Then::NextRequest);
  }
  body_plan_ = std::move(std::get<ReadBody>(answer));
  const std::size_t max = server_.limits.max_body_bytes;
  const std::size_t reserve = parser_->chunked() ? max : parser_->content_length().value_or(0);
  if (server_.body_bytes_reserved + reserve > server_.limits.body_memory_bytes) {
    HttpResponse busy =
        server_.errors(503, "server_busy", "too many request bodies in progress; retry later");
    busy.headers.emplace_back("Retry-After", "5");
    busy.close = true;
    return respond(std::move(busy), Then::Close);
  }
  body_memory_ = reserve;
  server_.body_bytes_reserved += reserve;
  parser_->get().body().keep = max;
  parser_->body_limit(parser_->chunked() ? max * kDrainFactor : max);
  phase_ = Phase::Body;
  body_started_ = Clock::now();
  body_bytes_seen_ = 0;
  parser_->eager(true);
  if (expect_continue_ && has_body && buffer_.size() == 0) {
    out_ = "HTTP/1.1 100 Continue\r\n\r\n";
    arm(Clock::now() + server_.limits.write_timeout);
    auto sent = [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec || self->closed_) return self->close();
      self->arm(self->body_deadline());
      self->read_body();
    };
    if (tls_) return net::async_write(*tls_, net::buffer(out_), std::move(sent));
    return net::async_write(socket_, net::buffer(out_), std::move(sent));
  }
  arm(body_deadline());
  read_body();
}

Connection::Clock::time_point Connection::body_deadline() const {
  const auto rate = static_cast<double>(std::max<std::size_t>(1, server_.limits.min_body_rate));
  const auto allowance = std::chrono::duration<double>(static_cast<double>(body_bytes_seen_) / rate);
  return body_started_ + server_.limits.read_timeout + std::chrono::duration_cast<Clock::duration>(allowance);
}

void Connection::read_body() {
  // Feed what is buffered; read more while the body is not complete.
  while (!parser_->is_done() && buffer_.size() > 0) {
    error_code ec;
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    body_bytes_seen_ += used;
    if (ec == bhttp::error::need_more) break;
    if (ec == bhttp::error::body_limit) {
      if (phase_ == Phase::Draining) return linger_close();
      return refuse(413, "body_too_large",
                    "the body exceeds " + std::to_string(server_.limits.max_body_bytes) +
                        " bytes (after gzip decoding)");
    }
    if (ec) {
      // A malformed chunk: the body's framing is broken, so nothing after it can be trusted.
      if (phase_ == Phase::Draining) return close();
      return refuse(400, "bad_request", "malformed chunked body: " + ec.message());
    }
  }
  if (parser_->is_done()) {
    if (phase_ == Phase::Draining) return wait_request(false);
    return on_body_done();
  }
  arm(body_deadline());
  read_some(kBodyReadBytes, [this] { read_body(); });
}

void Connection::on_body_done() {
  disarm();
  auto& body = parser_->get().body();
  if (body.overflow) {
    // Read to its end, so the connection stays in step for the next request.
    release_body_memory();
    return respond(server_.errors(413, "body_too_large",
                                  "the body exceeds " + std::to_string(server_.limits.max_body_bytes) +
                                      " bytes (after gzip decoding)"),
                   Then::NextRequest);
  }
  request_.body = std::move(body.data);
  phase_ = Phase::Routing;
  net::post(server_.pool, [self = shared_from_this()]() mutable {
    HttpRequest& request = self->request_;
    HttpResponse response;
    bool decoded = true;
    if (is_gzip(request.header("Content-Encoding"))) {
      std::string plain;
      switch (gunzip_bounded(request.body, self->body_plan_.max_bytes, plain)) {
        case GunzipResult::Ok:
          request.body = std::move(plain);
          break;
        case GunzipResult::TooLarge:
          response = self->server_.errors(413, "body_too_large",
                                          "the body exceeds " + std::to_string(self->body_plan_.max_bytes) +
                                              " bytes (after gzip decoding)");
          decoded = false;
          break;
        case GunzipResult::Corrupt:
          response =
              self->server_.errors(400, "unreadable_body", "the body was cut short or is not valid gzip");
          decoded = false;
          break;
      }
    } else if (request.body.size() > self->body_plan_.max_bytes) {
      response = self->server_.errors(
          413, "body_too_large", "the body exceeds " + std::to_string(self->body_plan_.max_bytes) + " bytes");
      decoded = false;
    }
    if (decoded) response = self->body_plan_.handle(request);
    auto& io = self->server_.io;
    net::post(io, [self = std::move(self), response = std::move(response)]() mutable {
      self->release_body_memory();
      self->body_plan_ = {};
      if (!self->closed_) self->respond(std::move(response), Then::NextRequest);
    });
  });
}

void Connection::refuse(int status, std::string_view code, std::string_view message) {
  HttpResponse response = server_.errors(status, code, message);
  response.close = true;
  respond(std::move(response), Then::Close);
}

void Connection::respond(HttpResponse response, Then then) {
  if (closed_) return;
  bool drain = then == Then::DrainBody;
  if (drain && parser_) {
    // Throw the body away only when it is bounded: a declared length within the limit, or chunked (cut
    // off at kDrainFactor times the limit).
    const auto length = parser_->content_length();
    drain = parser_->chunked() || (length && *length <= server_.limits.max_body_bytes);
  }
  const bool close_after = response.close || then == Then::Close || (then == Then::DrainBody && !drain) ||
                           !keep_alive_ || server_.stopping ||
                           requests_ >= server_.limits.keep_alive_max_count;
  out_ = serialize(response, close_after);
  phase_ = Phase::Writing;
  const auto rate = static_cast<double>(std::max<std::size_t>(1, server_.limits.min_body_rate));
  const auto allowance = std::chrono::duration<double>(static_cast<double>(out_.size()) / rate);
  arm(Clock::now() + server_.limits.write_timeout + std::chrono::duration_cast<Clock::duration>(allowance));
  auto written = [self = shared_from_this(), close_after, drain, status = response.status,
                  who = std::move(response.who)](error_code ec, std::size_t) mutable {
    if (ec || self->closed_) return self->close();
    if (self->server_.observer) {
      const HttpRequest& r = self->request_;
      self->server_.observer(Exchange{r.method, r.target, r.path, status, self->out_.size(),
                                      Clock::now() - self->head_at_, std::move(who), r.peer_address});
    }
    self->out_.clear();
    self->out_.shrink_to_fit();
    if (close_after) return self->linger_close();
    if (drain) {
      self->phase_ = Phase::Draining;
      self->parser_->get().body().keep = 0;
      self->parser_->body_limit(self->server_.limits.max_body_bytes * kDrainFactor);
      self->parser_->eager(true);
      self->body_started_ = Clock::now();
      self->body_bytes_seen_ = 0;
      return self->read_body();
    }
    self->wait_request(false);
  };
  if (tls_) return net::async_write(*tls_, net::buffer(out_), std::move(written));
  net::async_write(socket_, net::buffer(out_), std::move(written));
}

void Connection::linger_close() {
  phase_ = Phase::Closing;
  set_waiting(false);
  arm(Clock::now() + kLingerTime);
  if (tls_) {
    // close_notify, then drop the connection whether or not the client answers in time.
    return tls_->async_shutdown([self = shared_from_this()](error_code) { self->close(); });
  }
  error_code ec;
  socket_.shutdown(net::socket_base::shutdown_send, ec);
  if (ec) return close();
  linger_sink_ = std::make_unique<std::array<char, 4096>>();
  linger_read(0);
}

void Connection::linger_read(std::size_t drained) {
  socket_.async_read_some(net::buffer(*linger_sink_),
                          [self = shared_from_this(), drained](error_code ec, std::size_t n) {
                            if (ec || self->closed_ || drained + n > kLingerBytes) return self->close();
                            self->linger_read(drained + n);
                          });
}

}  // namespace fk::central::http
