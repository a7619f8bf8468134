// CentralServer: the centre's routes on the HTTP layer (http/http_server.hpp). Each route turns a request
// into the Api's decision and the Api's reply into an answer; judging from the head comes first, so a
// refused kiosk never gets to send its body.
#include "sync/central/central_server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <mutex>

#include "sync/central/api.hpp"
#include "sync/central/dashboard.hpp"
#include "sync/central/http/access_log.hpp"
#include "sync/central/http/http_server.hpp"
#include "sync/central/http/tls_context.hpp"
#include "sync/central/metrics.hpp"
#include "sync/central/same_origin.hpp"
#include "sync/central/sessions.hpp"

namespace fk::central {
namespace {

using http::HeadAnswer;
using http::HttpRequest;
using http::HttpResponse;
using http::ReadBody;

HttpResponse to_response(const ApiReply& reply) {
  HttpResponse response;
  response.status = reply.status;
  response.content_type = reply.content_type;
  if (reply.status != 304) response.body = reply.body;  // a 304 has no body
  if (!reply.etag.empty()) response.headers.emplace_back("ETag", reply.etag);
  if (reply.retry_after_s > 0)
    response.headers.emplace_back("Retry-After", std::to_string(reply.retry_after_s));
  return response;
}

// A page of the dashboard: HTML that nothing else may frame or script, never cached (it carries counts).
HttpResponse html(int status, std::string page) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(page);
  response.headers = {
      {"Cache-Control", "no-store"},
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"}};
  return response;
}

HttpResponse redirect_home() {
  HttpResponse response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", "/");
  return response;
}

std::string session_of(const HttpRequest& req) {
  return cookie_value(req.header("Cookie"), kSessionCookie);
}

// The browser spoke HTTPS: to this server's TLS, or to a proxy that says so.
bool over_https(const HttpRequest& req) {
  return req.tls || req.header("X-Forwarded-Proto") == "https";
}

// The session cookie: HttpOnly, same-site only, gone when the session would expire anyway, and Secure
// whenever the browser spoke HTTPS.
std::string session_cookie(const HttpRequest& req, const std::string& id, bool clear) {
  std::string cookie = std::string(kSessionCookie) + "=" + id + "; HttpOnly; SameSite=Strict; Path=/";
  const auto max_age = clear ? std::chrono::seconds(0) : std::chrono::seconds(kSessionLifetime);
  cookie += "; Max-Age=" + std::to_string(max_age.count());
  if (over_https(req)) cookie += "; Secure";
  return cookie;
}

// Sign-in and sign-out only from this server's own pages (same_origin.hpp): no login CSRF, no forced sign-out.
bool same_origin(const HttpRequest& req) {
  return is_same_origin({req.header("Origin"), req.header("Referer"), req.header("Sec-Fetch-Site"),
                         req.header("Host"), req.header("X-Forwarded-Proto"), req.tls});
}

HttpResponse refuse_cross_site() {
  return html(403, render_login_page("This form did not come from this dashboard's own page."));
}

bool is_chunked(const HttpRequest& req) {
  std::string te(req.header("Transfer-Encoding"));
  for (char& c : te) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return te == "chunked";
}

QueryParams query_of(const HttpRequest& req) {
  return QueryParams(req.query.begin(), req.query.end());
}

// GET /metrics without a token: only from this host itself, and only when no proxy on this host forwarded
// the request for someone else (deploy/nginx sets X-Forwarded-For).
bool from_this_host(const HttpRequest& req) {
  if (req.has_header("X-Forwarded-For") || req.has_header("Forwarded") || req.has_header("X-Real-IP"))
    return false;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(req.peer_address, ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address.is_loopback();
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

http::ServerLimits limits_of(const ServerConfig& c) {
  http::ServerLimits l;
  l.head_timeout = c.head_timeout;
  l.read_timeout = c.read_timeout;
  l.min_body_rate = c.min_body_rate;
  l.write_timeout = c.write_timeout;
  l.keep_alive_timeout = c.keep_alive_timeout;
  l.keep_alive_max_count = c.keep_alive_max_count;
  l.head = {c.max_request_line, c.max_header_count, c.max_header_bytes};
  l.max_body_bytes = c.limits.max_body_bytes;
  l.max_connections = c.max_connections;
  l.body_memory_bytes = c.body_memory_bytes;
  l.threads = c.threads;
  return l;
}

}  // namespace

struct CentralServer::Impl {
  Impl(CentralStore& s, ServerConfig cfg)
      : config(std::move(cfg)),
        store(s),
        api(store, config, &metrics),
        server(
            limits_of(config), [this](const HttpRequest& req) { return route(req); },
            [](int status, std::string_view code, std::string_view message) {
              return to_response(error_reply(status, code, message));
            },
            [this](const std::string& what) { log(what); },
            [this](const http::Exchange& exchange) { answered(exchange); }) {}

  // Every answer written, on the I/O thread: counted, and logged when an access log is wanted.
  void answered(const http::Exchange& exchange) {
    metrics.observe_request(exchange.path, exchange.status, exchange.duration);
    if (config.access_log) config.access_log(http::access_log_line(exchange));
  }

  void log(const std::string& what) const {
    if (config.log) return config.log(what);
    std::fprintf(stderr, "feedback-central: %s\n", what.c_str());
  }

  // Every route. Runs on the worker pool with the request's head.
  HeadAnswer route(const HttpRequest& req) {
    try {
      return route_or_throw(req);
    } catch (const std::exception& e) {
      log(std::string("handler failed: ") + e.what());
      HttpResponse failed = to_response(error_reply(500, "internal_error", "the server failed to answer"));
      failed.close = true;
      return failed;
    }
  }

  HeadAnswer route_or_throw(const HttpRequest& req) {
    const std::string& m = req.method;
    const std::string& p = req.path;
    if (m == "POST" && p == "/api/v1/responses") return kiosk_post(req, &Api::ingest);
    if (m == "POST" && p == "/api/v1/kiosks/heartbeat") return kiosk_post(req, &Api::heartbeat);
    if (m == "GET" && p == "/api/v1/surveys") {
      return with_who(to_response(api.surveys(req.header("Authorization"), req.header("If-None-Match"))),
                      Credentials{req.header("Authorization"), {}});
    }
    // Readers: a bearer token, or the dashboard's session cookie (so its CSV links work in the browser).
    const std::string session = session_of(req);
    const Credentials who{req.header("Authorization"), session};
    if (m == "GET" && p == "/api/v1/kiosks") return with_who(to_response(api.list_kiosks(who)), who);
    if (m == "GET" && p == "/api/v1/aggregates")
      return with_who(to_response(api.aggregates(who, query_of(req))), who);
    if (m == "GET" && p == "/api/v1/thanks")
      return with_who(to_response(api.thanks(who, query_of(req))), who);
    // Readiness by default; ?live (any value) asks only whether the process answers.
    if (m == "GET" && p == "/api/v1/health") return to_response(api.health(req.query.count("live") > 0));
    if (m == "GET" && p == "/metrics") return scrape(req, who);
    if (m == "GET" && p == "/") return dashboard(req, who);
    if (m == "POST" && p == "/login") return login(req);
    if (m == "POST" && p == "/logout") {
      if (!same_origin(req)) return refuse_cross_site();  // the session stays valid
      api.sign_out(session);
      HttpResponse response = redirect_home();
      response.headers.emplace_back("Set-Cookie", session_cookie(req, "", true));
      return response;
    }
    return to_response(generic_error_reply(404));
  }

  // The access log's `who` for a reader's answer: looked up again only when the token or session was not
  // refused outright, so a flood of bad tokens costs no second lookup.
  HttpResponse with_who(HttpResponse response, const Credentials& who) {
    if (response.status != 401 && response.status != 503) response.who = api.principal_label(who);
    return response;
  }

  // GET /metrics: the counters, and what the store says now (a part it cannot say is left out).
  HttpResponse scrape(const HttpRequest& req, const Credentials& who) {
    if (auto refusal = api.refuse_metrics(who, from_this_host(req)))
      return with_who(to_response(*refusal), who);
    StoreFigures figures;
    figures.now_unix = unix_now();
    if (auto kiosks = store.list_kiosks(); kiosks) {
      figures.kiosks = std::move(*kiosks);
    } else {
      metrics.count_database_error();
      log("metrics: " + kiosks.error().message);
    }
    if (auto sessions = store.count_sessions(figures.now_unix); sessions) {
      figures.sessions = *sessions;
    } else {
      metrics.count_database_error();
      log("metrics: " + sessions.error().message);
    }
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.render(figures, server.open_connections());
    response.headers.emplace_back("Cache-Control", "no-store");
    if (!who.authorization.empty() || !who.session_id.empty()) response.who = api.principal_label(who);
    return response;
  }

  using KioskHandler = ApiReply (Api::*)(const Principal::Kiosk&, std::string_view);

  // A kiosk POST: judge the head; only an admitted kiosk's body is read, then handed to `handler`.
  HeadAnswer kiosk_post(const HttpRequest& req, KioskHandler handler) {
    auto admitted = api.admit_kiosk_post(
        {req.header("Authorization"), req.header("Content-Type"), req.header("Content-Encoding")});
    if (auto* refusal = std::get_if<ApiReply>(&admitted)) return to_response(*refusal);
    if (!req.has_header("Content-Length") && !is_chunked(req)) {
      // Without a length the body ends only when the client closes: nothing to keep in step.
      HttpResponse response =
          to_response(error_reply(411, "length_required", "send Content-Length or a chunked body"));
      response.close = true;
      return response;
    }
    return ReadBody{config.limits.max_body_bytes,
                    [this, handler, kiosk = std::get<Principal::Kiosk>(admitted)](HttpRequest& full) {
                      HttpResponse response = to_response((api.*handler)(kiosk, full.body));
                      response.who = "kiosk:" + kiosk.id;
                      return response;
                    }};
  }

  // GET /: the login form without a live session, else the dashboard for the filters in the query.
  HeadAnswer dashboard(const HttpRequest& req, const Credentials& who) {
    auto user = api.user(who);
    if (std::holds_alternative<ApiReply>(user)) return html(200, render_login_page(""));
    const DashboardFilters filters = dashboard_filters(query_of(req));
    const auto& signed_in = std::get<Principal::User>(user);
    HttpResponse page = html(200, render_dashboard(collect_dashboard(api, who, signed_in, filters)));
    page.who = "user:" + signed_in.name;
    return page;
  }

  // POST /login (form-urlencoded token=…): a user token opens a session; anything else gets the form again.
  // A cross-site post is refused from the head, before its body (the token) is read.
  HeadAnswer login(const HttpRequest& req) {
    if (!same_origin(req)) return refuse_cross_site();
    return ReadBody{
        config.limits.max_body_bytes, [this](HttpRequest& full) {
          const http::Params form = http::parse_url_encoded(full.body);
          const auto token = form.find("token");
          auto signed_in =
              api.sign_in(token == form.end() ? std::string() : token->second, full.peer_address);
          if (auto* refusal = std::get_if<ApiReply>(&signed_in); refusal && refusal->status == 429) {
            HttpResponse throttled =
                html(429, render_login_page("Too many refused tokens from here; try again later."));
            throttled.headers.emplace_back("Retry-After", std::to_string(refusal->retry_after_s));
            return throttled;
          }
          if (auto* refusal = std::get_if<ApiReply>(&signed_in)) {
            const bool refused = refusal->status == 401 || refusal->status == 403;
            return html(refused ? 401 : refusal->status,
                        render_login_page(refused ? "That token was not accepted."
                                                  : "The server cannot check tokens right now; "
                                                    "try again shortly."));
          }
          HttpResponse response = redirect_home();
          response.headers.emplace_back("Set-Cookie",
                                        session_cookie(full, std::get<std::string>(signed_in), false));
          return response;
        }};
  }

  ServerConfig config;
  CentralStore& store;
  Metrics metrics;  // before the Api and the server, which count into it
  Api api;
  http::HttpServer server;
  bool started = false;
};

CentralServer::CentralServer(CentralStore& store, ServerConfig config)
    : impl_(std::make_unique<Impl>(store, std::move(config))) {}

CentralServer::~CentralServer() {
  stop();
}

Expected<Ok> CentralServer::start() {
  Impl& s = *impl_;
  if (s.started) return Error{"the server is already running"};
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (s.config.tls.enabled()) {
    auto context = http::make_tls_context(s.config.tls.cert_file, s.config.tls.key_file);
    if (!context) return context.error();
    tls = std::move(*context);
  }
  auto started = s.server.start(s.config.host, s.config.port, std::move(tls));
  if (!started) return started;
  s.started = true;
  return Ok{};
}

Expected<Ok> CentralServer::reload_tls() {
  Impl& s = *impl_;
  if (!s.config.tls.enabled()) return Error{"the server speaks plain HTTP: no certificate to reload"};
  auto context = http::make_tls_context(s.config.tls.cert_file, s.config.tls.key_file);
  if (!context) return context.error();
  s.server.set_tls_context(std::move(*context));
  return Ok{};
}

int CentralServer::port() const {
  return impl_->server.port();
}

const std::string& CentralServer::host() const {
  return impl_->config.host;
}

std::string CentralServer::base_url() const {
  const std::string& h = host();
  const bool ipv6 = h.find(':') != std::string::npos;
  const char* scheme = impl_->config.tls.enabled() ? "https://" : "http://";
  return scheme + (ipv6 ? "[" + h + "]" : h) + ":" + std::to_string(port());
}

std::size_t CentralServer::open_connections() const {
  return impl_->server.open_connections();
}

void CentralServer::stop() {
  impl_->server.stop();
}

}  // namespace fk::central
