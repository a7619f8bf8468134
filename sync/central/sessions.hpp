// Browser sessions of the dashboard: a random id in an HttpOnly cookie stands for a signed-in user, so the
// user's token never sits in the browser. The sessions themselves live in the central store (its SHA-256
// only), so every process on one database serves them and a restart signs nobody out; api.cpp opens and
// closes them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fk::central {

// A session's absolute lifetime from sign-in; the cookie's Max-Age says the same to the browser.
inline constexpr std::chrono::hours kSessionLifetime{12};
inline constexpr std::int64_t kSessionMaxAgeSeconds = std::chrono::seconds(kSessionLifetime).count();
// Live sessions per user (a browser each, say): signing in beyond it ends that user's oldest session only, so
// one user signing in over and over never signs anyone else out.
inline constexpr std::size_t kMaxSessionsPerUser = 20;
inline constexpr std::string_view kSessionCookie = "fk_session";

// The value of cookie `name` in a Cookie header ("a=1; fk_session=abc"); empty when absent.
std::string cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace fk::central
