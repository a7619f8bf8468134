// The same-origin decision: origins normalised (lower case, default port dropped), then compared.
#include "sync/central/same_origin.hpp"

#include <optional>
#include <string>

namespace fk::central {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "scheme://host[:port]" in lower case without the scheme's default port; nothing when `authority` is empty
// or holds what no Host header may (a path, credentials, spaces).
std::optional<std::string> normal_origin(std::string_view scheme, std::string_view authority) {
  if (authority.empty() || authority.find_first_of("/?#@ \t\\") != std::string_view::npos)
    return std::nullopt;
  std::string host = lower(authority);
  const std::string default_port = scheme == "https" ? ":443" : ":80";
  // An IPv6 literal ends with ']' unless a port follows; the default port is dropped either way.
  if (host.size() > default_port.size() &&
      host.compare(host.size() - default_port.size(), default_port.size(), default_port) == 0) {
    host.resize(host.size() - default_port.size());
  }
  if (host.empty() || host.back() == ':') return std::nullopt;
  return std::string(scheme) + "://" + host;
}

// The origin of an absolute URL ("https://Example.org:443/x?y" → "https://example.org").
std::optional<std::string> url_origin(std::string_view url) {
  url = trim(url);
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string scheme = lower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(colon + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  return normal_origin(scheme, rest);
}

}  // namespace

bool is_same_origin(const OriginHeaders& h) {
  const bool https = h.tls || lower(trim(h.forwarded_proto)) == "https";
  const auto own = normal_origin(https ? "https" : "http", trim(h.host));
  if (!own) return false;  // without Host there is nothing to be the same as
  if (!trim(h.origin).empty()) {
    const auto origin = url_origin(h.origin);  // "null" (a sandboxed or privacy-hiding page) never matches
    return origin && *origin == *own;
  }
  const std::string site = lower(trim(h.sec_fetch_site));
  if (!site.empty()) return site == "same-origin" || site == "none";
  if (!trim(h.referer).empty()) {
    const auto referer = url_origin(h.referer);
    return referer && *referer == *own;
  }
  return false;
}

}  // namespace fk::central
