// HttplibBaselineServer: sync/central/central_server.cpp as of commit 0882a79 (cpp-httplib), copied unchanged
// but for the class name and namespace, so the benchmark compares the new layer with the old one honestly.
#include "httplib_baseline_server.hpp"

#include <httplib.h>

#include <atomic>
#include <charconv>
#include <optional>
#include <thread>

#include "sync/central/api.hpp"
#include "sync/central/dashboard.hpp"
#include "sync/central/sessions.hpp"

namespace fk::bench {

using namespace fk::central;

namespace {

using httplib::Request;
using httplib::Response;
using HandlerResponse = httplib::Server::HandlerResponse;

// How long start() waits for the listening thread to come up before giving up.
constexpr auto kStartTimeout = std::chrono::seconds(10);

// `close`: the request body was not (fully) read, so the bytes left on the connection are not a request.
// Asking the client to close keeps it from sending its next request after them.
void send(Response& res, const ApiReply& reply, bool close = false) {
  res.status = reply.status;
  if (reply.status != 304) res.set_content(reply.body, reply.content_type);  // a 304 has no body
  if (!reply.etag.empty()) res.set_header("ETag", reply.etag);
  if (reply.retry_after_s > 0) res.set_header("Retry-After", std::to_string(reply.retry_after_s));
  if (close) res.set_header("Connection", "close");
}

std::optional<std::uint64_t> parse_content_length(const std::string& value) {
  std::uint64_t n = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, n);
  if (ec != std::errc() || ptr != end || value.empty()) return std::nullopt;
  return n;
}

bool is_chunked(const Request& req) {
  std::string te = req.get_header_value("Transfer-Encoding");
  for (char& c : te) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return te == "chunked";
}

// A refused body is still read (and thrown away) up to this many times the body limit, so the connection
// stays in step for the client's next request; past it the server stops reading and asks for a close.
constexpr std::size_t kDrainFactor = 2;

struct BodyRead {
  bool complete = false;   // the whole body went by
  bool too_large = false;  // more than the limit: `body` was discarded
};

// Keeps the first `max` bytes of the (already gunzipped) body and discards any more, reading no further
// than `drain_limit` bytes: neither a chunked body nor a gzip bomb is covered by a Content-Length check.
BodyRead read_body(const httplib::ContentReader& reader, std::size_t max, std::size_t drain_limit,
                   std::string& body) {
  BodyRead result;
  std::size_t seen = 0;
  result.complete = reader([&](const char* data, std::size_t n) {
    seen += n;
    if (seen > max) {
      if (!result.too_large) std::string().swap(body);
      result.too_large = true;
      return seen <= drain_limit;
    }
    body.append(data, n);
    return true;
  });
  return result;
}

// A page of the dashboard: HTML that nothing else may frame or script, never cached (it carries counts).
void send_html(Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_content(html, "text/html; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
}

void redirect_home(Response& res) {
  res.status = 303;
  res.set_header("Location", "/");
}

std::string session_of(const Request& req) {
  return cookie_value(req.get_header_value("Cookie"), kSessionCookie);
}

// The session cookie. `Secure` when a TLS-terminating proxy says the browser spoke HTTPS; this server itself
// speaks plain HTTP, so without such a proxy the cookie travels in clear (keep it on loopback/LAN).
std::string session_cookie(const Request& req, const std::string& id, bool clear) {
  std::string cookie = std::string(kSessionCookie) + "=" + id + "; HttpOnly; SameSite=Strict; Path=/";
  if (clear) cookie += "; Max-Age=0";
  if (req.get_header_value("X-Forwarded-Proto") == "https") cookie += "; Secure";
  return cookie;
}

}  // namespace

struct HttplibBaselineServer::Impl {
  Impl(CentralStore& store, ServerConfig cfg) : config(std::move(cfg)), api(store, config) {}

  using KioskHandler = ApiReply (Api::*)(const Principal::Kiosk&, std::string_view);

  // A kiosk POST: judge the headers, then read a bounded body, then hand it to `handler`.
  void kiosk_post(const Request& req, Response& res, const httplib::ContentReader& reader,
                  KioskHandler handler) {
    const std::size_t max = config.limits.max_body_bytes;
    const bool has_length = req.has_header("Content-Length") || is_chunked(req);
    const std::string authorization = req.get_header_value("Authorization");
    const std::string content_type = req.get_header_value("Content-Type");
    const std::string content_encoding = req.get_header_value("Content-Encoding");
    auto admitted = api.admit_kiosk_post({authorization, content_type, content_encoding});
    if (auto* refusal = std::get_if<ApiReply>(&admitted)) {
      // Declared lengths over the limit never get here (pre-routing), so this drain is bounded.
      std::string ignored;
      const bool drained = has_length && read_body(reader, 0, max, ignored).complete;
      return send(res, *refusal, /*close=*/!drained);
    }
    if (!has_length) {
      // Without a length the body ends only when the client closes: nothing to keep in step.
      return send(res, error_reply(411, "length_required", "send Content-Length or a chunked body"), true);
    }
    std::string body;
    const BodyRead read = read_body(reader, max, max * kDrainFactor, body);
    if (read.too_large) {
      return send(res,
                  error_reply(413, "body_too_large",
                              "the body exceeds " + std::to_string(max) + " bytes (after gzip decoding)"),
                  !read.complete);
    }
    if (!read.complete) {
      return send(res, error_reply(400, "unreadable_body", "the body was cut short or is not valid gzip"),
                  true);
    }
    send(res, (api.*handler)(std::get<Principal::Kiosk>(admitted), body));
  }

  // GET /: the login form without a live session, else the dashboard for the filters in the query.
  void dashboard(const Request& req, Response& res) {
    const std::string session = session_of(req);
    const Credentials who{{}, session};
    auto user = api.user(who);
    if (std::holds_alternative<ApiReply>(user)) return send_html(res, 200, render_login_page(""));
    const DashboardFilters filters = dashboard_filters(QueryParams(req.params.begin(), req.params.end()));
    send_html(res, 200,
              render_dashboard(collect_dashboard(api, who, std::get<Principal::User>(user), filters)));
  }

  // POST /login (form-urlencoded token=…): a user token opens a session; anything else gets the form again.
  void login(const Request& req, Response& res) {
    auto signed_in = api.sign_in(req.get_param_value("token"), req.remote_addr);
    if (auto* refusal = std::get_if<ApiReply>(&signed_in)) {
      const bool refused = refusal->status == 401 || refusal->status == 403;
      return send_html(
          res, refused ? 401 : refusal->status,
          render_login_page(refused ? "That token was not accepted."
                                    : "The server cannot check tokens right now; try again shortly."));
    }
    res.set_header("Set-Cookie", session_cookie(req, std::get<std::string>(signed_in), false));
    redirect_home(res);
  }

  void configure() {
    server.set_tcp_nodelay(true);  // httplib's default (off) stalls each keep-alive request ~40 ms
    server.set_keep_alive_max_count(config.keep_alive_max_count);
    server.set_keep_alive_timeout(
        std::chrono::duration_cast<std::chrono::seconds>(config.keep_alive_timeout).count());
    server.set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(config.read_timeout).count(), 0);
    server.set_write_timeout(std::chrono::duration_cast<std::chrono::seconds>(config.write_timeout).count(),
                             0);
    // Bounds the raw body of any route; the pre-routing check below answers before reading any of it.
    server.set_payload_max_length(config.limits.max_body_bytes);
    const auto threads = static_cast<std::size_t>(std::max(1, config.threads));
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

    // A declared length over the limit is refused from the headers alone, on every route: httplib's own
    // check would first read (and discard) the whole declared body.
    server.set_pre_routing_handler([this](const Request& req, Response& res) {
      if (!req.has_header("Content-Length")) return HandlerResponse::Unhandled;
      const auto length = parse_content_length(req.get_header_value("Content-Length"));
      if (!length) {
        send(res, error_reply(400, "bad_request", "Content-Length is not a number"), true);
        return HandlerResponse::Handled;
      }
      if (*length > config.limits.max_body_bytes) {
        send(res,
             error_reply(413, "body_too_large",
                         "Content-Length exceeds " + std::to_string(config.limits.max_body_bytes) + " bytes"),
             true);
        return HandlerResponse::Handled;
      }
      return HandlerResponse::Unhandled;
    });
    // A client that asks before sending (Expect: 100-continue, as curl does for large bodies) hears "no"
    // before it uploads anything.
    server.set_expect_100_continue_handler([this](const Request& req, Response& res) {
      const auto length = parse_content_length(req.get_header_value("Content-Length"));
      if (length && *length > config.limits.max_body_bytes) {
        send(res,
             error_reply(413, "body_too_large",
                         "Content-Length exceeds " + std::to_string(config.limits.max_body_bytes) + " bytes"),
             true);
        return 413;
      }
      return 100;
    });
    // httplib's own refusals (bad request line, unknown route, …) get a JSON body like ours.
    // Always "Handled", even when a body is set: on httplib's header-only answer paths (Expect, bad request
    // line) that is what makes it send Content-Length, without which a client waits for the close.
    server.set_error_handler(httplib::Server::HandlerWithResponse([](const Request&, Response& res) {
      if (res.body.empty()) {
        const ApiReply reply = generic_error_reply(res.status);
        res.set_content(reply.body, "application/json");
      }
      return HandlerResponse::Handled;
    }));
    server.set_exception_handler([this](const Request&, Response& res, std::exception_ptr ep) {
      std::string what = "unknown exception";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      if (config.log) config.log("handler failed: " + what);
      // Closing: the exception may have struck with the body half read.
      send(res, error_reply(500, "internal_error", "the server failed to answer"), true);
    });

    server.Post("/api/v1/responses",
                [this](const Request& req, Response& res, const httplib::ContentReader& reader) {
                  kiosk_post(req, res, reader, &Api::ingest);
                });
    server.Post("/api/v1/kiosks/heartbeat",
                [this](const Request& req, Response& res, const httplib::ContentReader& reader) {
                  kiosk_post(req, res, reader, &Api::heartbeat);
                });
    server.Get("/api/v1/surveys", [this](const Request& req, Response& res) {
      send(res, api.surveys(req.get_header_value("Authorization"), req.get_header_value("If-None-Match")));
    });
    // Readers: a bearer token, or the dashboard's session cookie (so its CSV links work in the browser).
    server.Get("/api/v1/kiosks", [this](const Request& req, Response& res) {
      const std::string authorization = req.get_header_value("Authorization"), session = session_of(req);
      send(res, api.list_kiosks(Credentials{authorization, session}));
    });
    server.Get("/api/v1/aggregates", [this](const Request& req, Response& res) {
      const std::string authorization = req.get_header_value("Authorization"), session = session_of(req);
      send(res, api.aggregates(Credentials{authorization, session},
                               QueryParams(req.params.begin(), req.params.end())));
    });
    server.Get("/api/v1/thanks", [this](const Request& req, Response& res) {
      const std::string authorization = req.get_header_value("Authorization"), session = session_of(req);
      send(res, api.thanks(Credentials{authorization, session},
                           QueryParams(req.params.begin(), req.params.end())));
    });
    server.Get("/", [this](const Request& req, Response& res) { dashboard(req, res); });
    server.Post("/login", [this](const Request& req, Response& res) { login(req, res); });
    server.Post("/logout", [this](const Request& req, Response& res) {
      api.sign_out(session_of(req));
      res.set_header("Set-Cookie", session_cookie(req, "", true));
      redirect_home(res);
    });
    server.Get("/api/v1/health",
               [this](const Request& req, Response& res) { send(res, api.health(req.has_param("live"))); });
  }

  ServerConfig config;
  Api api;
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
  int bound_port = 0;
};

HttplibBaselineServer::HttplibBaselineServer(CentralStore& store, ServerConfig config)
    : impl_(std::make_unique<Impl>(store, std::move(config))) {
  impl_->configure();
}

HttplibBaselineServer::~HttplibBaselineServer() {
  stop();
}

Expected<Ok> HttplibBaselineServer::start() {
  Impl& s = *impl_;
  if (s.thread.joinable()) return Error{"the server is already running"};
  const std::string where = s.config.host + ":" + std::to_string(s.config.port);
  if (s.config.port == 0) {
    s.bound_port = s.server.bind_to_any_port(s.config.host);
  } else {
    s.bound_port = s.server.bind_to_port(s.config.host, s.config.port) ? s.config.port : -1;
  }
  if (s.bound_port <= 0) return Error{"cannot listen on " + where + " (in use, or not a local address?)"};
  s.listen_returned = false;
  s.thread = std::thread([&s] {
    s.server.listen_after_bind();
    s.listen_returned = true;
  });
  // httplib's stop() does nothing until the loop runs, so wait for it: a stop() right after start() must
  // not be lost.
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!s.server.is_running()) {
    if (s.listen_returned || std::chrono::steady_clock::now() > deadline) {
      stop();
      return Error{"the server on " + where + " did not start"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Ok{};
}

int HttplibBaselineServer::port() const {
  return impl_->bound_port;
}

const std::string& HttplibBaselineServer::host() const {
  return impl_->config.host;
}

std::string HttplibBaselineServer::base_url() const {
  const std::string& h = host();
  const bool ipv6 = h.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + h + "]" : h) + ":" + std::to_string(port());
}

void HttplibBaselineServer::stop() {
  Impl& s = *impl_;
  if (!s.thread.joinable()) return;
  // httplib's stop() is a no-op until the accept loop runs; wait for that (or for the loop to have died).
  while (!s.server.is_running() && !s.listen_returned)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!s.listen_returned) s.server.stop();
  s.thread.join();
}

}  // namespace fk::bench
