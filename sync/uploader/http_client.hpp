// A small libcurl client for the kiosk's requests to the centre: JSON POSTs with a bearer token on ONE reused
// handle (so the connection is reused), bounded replies, no redirects, and a cancel() that ends a request in
// flight at once. It knows HTTP, not the wire format: classifying answers is the caller's job.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/expected.hpp"

namespace fk::uploader {

// A reply is buffered up to this many bytes and no further: a captive portal could send anything.
// A receipt for the largest batch the centre accepts (500 items) is ~60 KiB.
inline constexpr std::size_t kMaxResponseBodyBytes = 1024 * 1024;

struct HttpOptions {
  // Time to set up TCP (and TLS). The request itself has no total timeout — a large batch on a slow link may
  // take long — but ends when it moves slower than low_speed_limit bytes/s for low_speed_time. (curl
  // averages the speed over the last few seconds, so a stall right after a large upload is noticed a few
  // seconds later than low_speed_time.)
  std::chrono::milliseconds connect_timeout{10'000};
  long low_speed_limit = 10;  // bytes per second
  std::chrono::seconds low_speed_time{60};
  std::string ca_file;            // CURLOPT_CAINFO: trust these CAs instead of the system's (empty: system)
  std::string pinned_public_key;  // CURLOPT_PINNEDPUBLICKEY: "sha256//base64…" or a PEM/DER file (empty: off)
  // Bodies at least this long go gzip-compressed (Content-Encoding: gzip); SIZE_MAX turns gzip off.
  std::size_t gzip_min_bytes = 16 * 1024;
  std::size_t max_response_bytes = kMaxResponseBodyBytes;
  std::string user_agent = "feedback-kiosk";
};

struct HttpResponse {
  long status = 0;
  std::string body;             // at most max_response_bytes
  bool body_truncated = false;  // the reply was longer than max_response_bytes: `body` is only its start
  std::string content_type;
  std::string location;                             // a redirect's target, reported and never followed
  std::string etag;                                 // the ETag header, as sent (quotes included)
  std::optional<std::chrono::seconds> retry_after;  // Retry-After, either form (see retry_after.hpp)
};

enum class TransportErrorKind {
  Connect,    // could not resolve or connect
  Timeout,    // connect timeout, or the low-speed limit ended a stalled transfer
  Tls,        // certificate, CA file or pinned key did not verify
  Cancelled,  // cancel() was called
  Setup,      // this client could not be set up (e.g. an option libcurl refused), or a bad argument
              // (e.g. a URL that is not http or https: its message starts "refused: only http and https")
  Other,      // connection reset, empty reply, …
};
const char* to_string(TransportErrorKind kind);

// No HTTP answer at all.
struct TransportError {
  TransportErrorKind kind = TransportErrorKind::Other;
  int curl_code = 0;  // the CURLcode (an int so curl.h stays out of this header)
  std::string message;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` as application/json with "Authorization: Bearer <token>" and waits for the answer.
  // Any HTTP status is a response (3xx included: redirects are never followed); no answer is a TransportError.
  // One request at a time: not to be called from two threads at once.
  Expected<HttpResponse, TransportError> post_json(const std::string& url, std::string_view body,
                                                   std::string_view bearer_token);

  // GETs `url` with the bearer token (and If-None-Match when `if_none_match` is not empty). Same rules as
  // post_json: bounded reply, no redirects, one request at a time.
  Expected<HttpResponse, TransportError> get(const std::string& url, std::string_view bearer_token,
                                             std::string_view if_none_match = {});

  // Thread-safe. Ends the request in flight within milliseconds and makes every post_json fail fast with
  // Cancelled until resume().
  void cancel();
  void resume();

  // New connections the last request opened (0 when it reused one), and its request body size on the wire.
  long last_new_connections() const { return last_new_connections_; }
  std::size_t last_request_bytes() const { return last_request_bytes_; }

 private:
  struct Curl;  // libcurl's handles and the per-request capture buffers
  Expected<long, TransportError> perform();
  // Runs the request set up on the handle with `headers`, then clears what pointed into this call.
  Expected<HttpResponse, TransportError> send(const std::vector<std::string>& headers);

  HttpOptions options_;
  std::unique_ptr<Curl> curl_;  // defined in the .cpp: curl.h stays out of this header
  std::string setup_error_;
  std::atomic<bool> cancelled_{false};
  long last_new_connections_ = 0;
  std::size_t last_request_bytes_ = 0;
};

}  // namespace fk::uploader
