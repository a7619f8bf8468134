// The same-origin decision for the dashboard's form POSTs, as a table: which header combinations a browser on
// this server's own page sends (accepted), and what a page on another site can make it send (refused).
#include "sync/central/same_origin.hpp"

#include <catch2/catch.hpp>
#include <string>

using fk::central::is_same_origin;
using fk::central::OriginHeaders;

namespace {

struct Case {
  const char* what;
  OriginHeaders headers;
  bool same;
};

OriginHeaders with(const char* origin, const char* referer, const char* fetch_site,
                   const char* host = "central.example:8443", const char* proto = "", bool tls = false) {
  return {origin, referer, fetch_site, host, proto, tls};
}

}  // namespace

TEST_CASE("a form POST is same-origin only when the browser says it came from this server", "[same-origin]") {
  const Case cases[] = {
      // Origin decides when present.
      {"Origin is this server", with("http://central.example:8443", "", ""), true},
      {"Origin differs in case only", with("HTTP://Central.Example:8443", "", ""), true},
      {"Origin of another site", with("http://evil.example", "", ""), false},
      {"Origin of another port", with("http://central.example:8444", "", ""), false},
      {"Origin https while we speak http", with("https://central.example:8443", "", ""), false},
      {"Origin null (sandboxed page)", with("null", "", "same-origin"), false},
      {"Origin wins over a matching Referer", with("http://evil.example", "http://central.example:8443/", ""),
       false},
      {"Origin wins over Sec-Fetch-Site", with("http://evil.example", "", "same-origin"), false},
      {"a suffix of our host is another host", with("http://central.example:8443.evil", "", ""), false},
      {"Origin with credentials is no origin", with("http://x@central.example:8443", "", ""), false},
      // The scheme: TLS here, or a proxy that terminated it.
      {"https over TLS", with("https://central.example:8443", "", "", "central.example:8443", "", true),
       true},
      {"http Origin on the TLS port",
       with("http://central.example:8443", "", "", "central.example:8443", "", true), false},
      {"https behind a proxy", with("https://central.example", "", "", "central.example", "https"), true},
      {"default port in Host, not in Origin",
       with("https://central.example", "", "", "central.example:443", "https"), true},
      {"default http port in Origin", with("http://central.example:80", "", "", "central.example"), true},
      {"IPv6 literal", with("http://[::1]:8080", "", "", "[::1]:8080"), true},
      // No Origin: Sec-Fetch-Site, then Referer.
      {"Sec-Fetch-Site same-origin", with("", "", "same-origin"), true},
      {"Sec-Fetch-Site none (typed by the user)", with("", "", "none"), true},
      {"Sec-Fetch-Site cross-site", with("", "http://central.example:8443/", "cross-site"), false},
      {"Sec-Fetch-Site same-site (a sibling subdomain)", with("", "", "same-site"), false},
      {"Referer from this server", with("", "http://central.example:8443/?from=2026-01-01", ""), true},
      {"Referer from another site", with("", "http://evil.example/central.example:8443", ""), false},
      {"Referer that is not a URL", with("", "central.example:8443", ""), false},
      // Nothing to go on.
      {"no Origin, Sec-Fetch-Site or Referer", with("", "", ""), false},
      {"no Host", with("http://central.example:8443", "", "", ""), false},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(is_same_origin(c.headers) == c.same);
  }
}
