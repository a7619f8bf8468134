// HttpClient: one easy handle driven through a multi handle, so a transfer can be woken and cancelled from
// another thread (curl_multi_wakeup) and the connection cache survives between requests.
#include "sync/uploader/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>
#include <utility>

#include "sync/uploader/gzip.hpp"
#include "sync/uploader/retry_after.hpp"

namespace fk::uploader {
namespace {

// TCP keep-alive probes on an idle reused connection: a lobby NAT that forgot it is noticed, not waited on.
constexpr long kKeepAliveIdleS = 60;
constexpr long kKeepAliveIntervalS = 30;
// The longest curl_multi_poll sleeps; curl shortens it for its own timers and cancel() wakes it at once.
constexpr int kPollMs = 1000;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) !=
        std::tolower(static_cast<unsigned char>(name[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

TransportErrorKind kind_of(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TransportErrorKind::Connect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportErrorKind::Timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return TransportErrorKind::Tls;
    case CURLE_ABORTED_BY_CALLBACK:
      return TransportErrorKind::Cancelled;
    case CURLE_UNSUPPORTED_PROTOCOL:  // a URL that is not http or https: a bad argument
      return TransportErrorKind::Setup;
    default:
      return TransportErrorKind::Other;
  }
}

}  // namespace

const char* to_string(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::Connect:
      return "connect";
    case TransportErrorKind::Timeout:
      return "timeout";
    case TransportErrorKind::Tls:
      return "tls";
    case TransportErrorKind::Cancelled:
      return "cancelled";
    case TransportErrorKind::Setup:
      return "setup";
    case TransportErrorKind::Other:
      return "other";
  }
  return "other";
}

struct HttpClient::Curl {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};

  // Filled by the callbacks during one request.
  std::size_t max_body = kMaxResponseBodyBytes;
  HttpResponse response;
  std::string date_header;
  std::string retry_after_header;

  void start_request() {
    response = HttpResponse{};
    date_header.clear();
    retry_after_header.clear();
    error_buffer[0] = '\0';
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self_ptr) {
    auto* self = static_cast<Curl*>(self_ptr);
    const std::size_t n = size * count;
    std::string& body = self->response.body;
    if (body.size() + n > self->max_body) {
      body.append(data, self->max_body - body.size());
      self->response.body_truncated = true;
      return 0;  // refuses the rest: curl ends the transfer with CURLE_WRITE_ERROR
    }
    body.append(data, n);
    return n;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self_ptr) {
    auto* self = static_cast<Curl*>(self_ptr);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    // A new status line (after a 100 Continue, say) starts a new set of headers.
    if (iequals_prefix(line, "HTTP/")) {
      self->response.content_type.clear();
      self->response.location.clear();
      self->response.etag.clear();
      self->date_header.clear();
      self->retry_after_header.clear();
      return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    const std::string_view name = line.substr(0, colon);
    const std::string value(trim(line.substr(colon + 1)));
    auto is = [&](std::string_view wanted) {
      return name.size() == wanted.size() && iequals_prefix(name, wanted);
    };
    // Only these few headers are kept, each bounded by curl's own header-line limit: nothing grows unbounded.
    if (is("Retry-After"))
      self->retry_after_header = value;
    else if (is("Date"))
      self->date_header = value;
    else if (is("Content-Type"))
      self->response.content_type = value;
    else if (is("Location"))
      self->response.location = value;
    else if (is("ETag"))
      self->response.etag = value;
    return n;
  }

  ~Curl() {
    if (multi != nullptr && easy != nullptr) curl_multi_remove_handle(multi, easy);
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
};

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)), curl_(std::make_unique<Curl>()) {
  global_init_once();
  curl_->multi = curl_multi_init();
  curl_->easy = curl_easy_init();
  if (curl_->multi == nullptr || curl_->easy == nullptr) {
    setup_error_ = "cannot create a libcurl handle";
    return;
  }
  curl_->max_body = options_.max_response_bytes;
  CURL* h = curl_->easy;

  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption option, auto value, const char* what) {
    if (rc != CURLE_OK) return;
    rc = curl_easy_setopt(h, option, value);
    if (rc != CURLE_OK) setup_error_ = std::string("cannot set ") + what + ": " + curl_easy_strerror(rc);
  };
  set(CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");  // threads: no SIGALRM for DNS timeouts
  set(CURLOPT_ERRORBUFFER, curl_->error_buffer, "ERRORBUFFER");
  set(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR");
  set(CURLOPT_FOLLOWLOCATION, 0L, "FOLLOWLOCATION");  // a redirect is an answer, never a new destination
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()), "CONNECTTIMEOUT_MS");
  set(CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_limit, "LOW_SPEED_LIMIT");
  set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.low_speed_time.count()), "LOW_SPEED_TIME");
  set(CURLOPT_TCP_KEEPALIVE, 1L, "TCP_KEEPALIVE");
  set(CURLOPT_TCP_KEEPIDLE, kKeepAliveIdleS, "TCP_KEEPIDLE");
  set(CURLOPT_TCP_KEEPINTVL, kKeepAliveIntervalS, "TCP_KEEPINTVL");
  set(CURLOPT_TCP_NODELAY, 1L, "TCP_NODELAY");
  set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes), "MAXFILESIZE_LARGE");
  set(CURLOPT_USERAGENT, options_.user_agent.c_str(), "USERAGENT");
  set(CURLOPT_WRITEFUNCTION, &Curl::on_body, "WRITEFUNCTION");
  set(CURLOPT_WRITEDATA, static_cast<void*>(curl_.get()), "WRITEDATA");
  set(CURLOPT_HEADERFUNCTION, &Curl::on_header, "HEADERFUNCTION");
  set(CURLOPT_HEADERDATA, static_cast<void*>(curl_.get()), "HEADERDATA");
  if (!options_.ca_file.empty()) set(CURLOPT_CAINFO, options_.ca_file.c_str(), "CAINFO");
  if (!options_.pinned_public_key.empty()) {
    set(CURLOPT_PINNEDPUBLICKEY, options_.pinned_public_key.c_str(), "PINNEDPUBLICKEY");
  }
}

HttpClient::~HttpClient() = default;

void HttpClient::cancel() {
  cancelled_.store(true);
  if (curl_ && curl_->multi != nullptr) curl_multi_wakeup(curl_->multi);
}

void HttpClient::resume() {
  cancelled_.store(false);
}

Expected<long, TransportError> HttpClient::perform() {
  CURLM* multi = curl_->multi;
  CURL* easy = curl_->easy;
  if (CURLMcode mc = curl_multi_add_handle(multi, easy); mc != CURLM_OK) {
    return TransportError{TransportErrorKind::Setup, 0,
                          std::string("curl_multi_add_handle: ") + curl_multi_strerror(mc)};
  }
  std::optional<CURLcode> result;
  bool cancelled = false;
  std::string multi_error;
  for (;;) {
    if (cancelled_.load()) {
      cancelled = true;
      break;
    }
    int running = 0;
    if (CURLMcode mc = curl_multi_perform(multi, &running); mc != CURLM_OK) {
      multi_error = curl_multi_strerror(mc);
      break;
    }
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy) result = msg->data.result;
    }
    if (result || running == 0) break;
    if (CURLMcode mc = curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr); mc != CURLM_OK) {
      multi_error = curl_multi_strerror(mc);
      break;
    }
  }
  // Removing a handle mid-transfer closes that connection; a finished one goes back to the cache.
  curl_multi_remove_handle(multi, easy);

  long connects = 0;
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
  last_new_connections_ = connects;

  if (cancelled) return TransportError{TransportErrorKind::Cancelled, CURLE_ABORTED_BY_CALLBACK, "cancelled"};
  if (!result) {
    return TransportError{TransportErrorKind::Other, 0, "transfer did not finish: " + multi_error};
  }
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  const CURLcode code = *result;
  // A reply cut at our bound is still an answer: its status decides, its body is only a prefix.
  const bool refused_size =
      code == CURLE_FILESIZE_EXCEEDED || (code == CURLE_WRITE_ERROR && curl_->response.body_truncated);
  if (code == CURLE_OK || (refused_size && status > 0)) {
    if (refused_size) curl_->response.body_truncated = true;
    return status;
  }
  std::string message = curl_easy_strerror(code);
  if (curl_->error_buffer[0] != '\0') message += std::string(": ") + curl_->error_buffer;
  if (code == CURLE_UNSUPPORTED_PROTOCOL) {
    // CURLOPT_PROTOCOLS_STR refused the URL's scheme (file://, ftp://, …): a bad URL, not a network problem.
    message = "refused: only http and https URLs are fetched (" + message + ")";
  }
  return TransportError{kind_of(code), static_cast<int>(code), message};
}

Expected<HttpResponse, TransportError> HttpClient::post_json(const std::string& url, std::string_view body,
                                                             std::string_view bearer_token) {
  if (!setup_error_.empty()) return TransportError{TransportErrorKind::Setup, 0, setup_error_};
  if (cancelled_.load())
    return TransportError{TransportErrorKind::Cancelled, CURLE_ABORTED_BY_CALLBACK, "cancelled"};
  // A token with a line break would inject headers into the request.
  if (has_control_chars(bearer_token)) {
    return TransportError{TransportErrorKind::Setup, 0, "the token contains control characters"};
  }

  std::string compressed;
  const bool use_gzip = body.size() >= options_.gzip_min_bytes;
  if (use_gzip) {
    auto packed = gzip_compress(body);
    if (!packed) return TransportError{TransportErrorKind::Setup, 0, packed.error().message};
    compressed = std::move(*packed);
  }
  const std::string_view wire = use_gzip ? std::string_view(compressed) : body;

  const std::vector<std::string> lines = {
      "Content-Type: application/json",
      "Accept: application/json",
      "Authorization: Bearer " + std::string(bearer_token),
      "Expect:",  // no 100-continue round trip before a large body
      use_gzip ? "Content-Encoding: gzip" : "",
  };
  CURL* h = curl_->easy;
  CURLcode rc = curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_POST, 1L);
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(wire.size()));
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, wire.data());  // not copied: lives until perform returns
  if (rc != CURLE_OK) {
    return TransportError{TransportErrorKind::Setup, static_cast<int>(rc),
                          std::string("cannot prepare request: ") + curl_easy_strerror(rc)};
  }
  last_request_bytes_ = wire.size();
  return send(lines);
}

Expected<HttpResponse, TransportError> HttpClient::get(const std::string& url, std::string_view bearer_token,
                                                       std::string_view if_none_match) {
  if (!setup_error_.empty()) return TransportError{TransportErrorKind::Setup, 0, setup_error_};
  if (cancelled_.load())
    return TransportError{TransportErrorKind::Cancelled, CURLE_ABORTED_BY_CALLBACK, "cancelled"};
  // A token or tag with a line break would inject headers into the request.
  if (has_control_chars(bearer_token) || has_control_chars(if_none_match)) {
    return TransportError{TransportErrorKind::Setup, 0,
                          "the token or entity tag contains control characters"};
  }
  const std::vector<std::string> lines = {
      "Accept: application/json",
      "Authorization: Bearer " + std::string(bearer_token),
      if_none_match.empty() ? "" : "If-None-Match: " + std::string(if_none_match),
  };
  CURL* h = curl_->easy;
  CURLcode rc = curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  if (rc != CURLE_OK) {
    return TransportError{TransportErrorKind::Setup, static_cast<int>(rc),
                          std::string("cannot prepare request: ") + curl_easy_strerror(rc)};
  }
  last_request_bytes_ = 0;
  return send(lines);
}

Expected<HttpResponse, TransportError> HttpClient::send(const std::vector<std::string>& lines) {
  curl_slist* list = nullptr;
  for (const std::string& line : lines) {
    if (line.empty()) continue;
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) {
      curl_slist_free_all(list);
      return TransportError{TransportErrorKind::Setup, 0, "out of memory building headers"};
    }
    list = next;
  }
  struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  const std::unique_ptr<curl_slist, SlistDeleter> headers(list);

  curl_->start_request();
  CURL* h = curl_->easy;
  if (const CURLcode rc = curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get()); rc != CURLE_OK) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
    return TransportError{TransportErrorKind::Setup, static_cast<int>(rc),
                          std::string("cannot prepare request: ") + curl_easy_strerror(rc)};
  }

  auto status = perform();
  // The handle must not keep pointers to this call's header list and body.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
  if (!status) return status.error();

  HttpResponse response = std::move(curl_->response);
  response.status = *status;
  response.retry_after = parse_retry_after(curl_->retry_after_header, curl_->date_header, std::time(nullptr));
  return response;
}

}  // namespace fk::uploader
