// Whether a dashboard form POST (sign-in, sign-out) came from this server's own pages, judged from the
// headers browsers attach and a page on another site cannot forge (Origin, Sec-Fetch-Site, Referer): the
// defence against login CSRF and forced sign-out. Pure: no I/O, no HTTP library.
#pragma once

#include <string_view>

namespace fk::central {

// The headers of one request, as received (empty: absent).
struct OriginHeaders {
  std::string_view origin;
  std::string_view referer;
  std::string_view sec_fetch_site;
  std::string_view host;
  std::string_view forwarded_proto;  // X-Forwarded-Proto, set by a TLS-terminating proxy in front
  bool tls = false;                  // the request reached this server over TLS
};

// Origin present: it must be scheme://Host of this server (scheme https over TLS or behind a proxy that says
// so, else http; default ports ignored; case-insensitive). Origin absent: Sec-Fetch-Site must be same-origin
// or none; absent too, the Referer's origin must match. None of them: refused, since browsers that post forms
// send Origin, and a client that sends none is no browser that CSRF could ride.
bool is_same_origin(const OriginHeaders& headers);

}  // namespace fk::central
