// parse_retry_after: delay-seconds by hand, HTTP-dates through curl_getdate (all three RFC date forms).
#include "sync/uploader/retry_after.hpp"

#include <curl/curl.h>

#include <string>

namespace fk::uploader {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<std::time_t> http_date(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string copy(text);  // curl_getdate wants a NUL-terminated string
  const std::time_t t = curl_getdate(copy.c_str(), nullptr);
  if (t == -1) return std::nullopt;
  return t;
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::string_view date_header,
                                                      std::time_t local_now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;

  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    long long seconds = 0;
    for (char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds >= kMaxRetryAfter.count()) return kMaxRetryAfter;  // also stops overflow on long input
    }
    return std::chrono::seconds(seconds);
  }

  const auto until = http_date(value);
  if (!until) return std::nullopt;
  const std::time_t now = http_date(trim(date_header)).value_or(local_now);
  const long long delta = static_cast<long long>(*until) - static_cast<long long>(now);
  if (delta <= 0) return std::chrono::seconds(0);
  if (delta >= kMaxRetryAfter.count()) return kMaxRetryAfter;
  return std::chrono::seconds(delta);
}

}  // namespace fk::uploader
