// Reading an HTTP Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string_view>

namespace fk::uploader {

// Longer values are cut to this; the back-off caps its own waits far below it anyway.
inline constexpr std::chrono::seconds kMaxRetryAfter{24 * 60 * 60};

// The delay a Retry-After value asks for, or nullopt when it is missing or unreadable.
// An HTTP-date is measured against the response's own Date header when there is one (both are the server's
// clock, so a kiosk that booted in 1970 still waits the right time), otherwise against `local_now`.
// A date in the past means "now" (zero).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::string_view date_header,
                                                      std::time_t local_now);

}  // namespace fk::uploader
