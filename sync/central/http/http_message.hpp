// A request and an answer as the centre's routes see them: plain strings, no HTTP library. The server
// (http_server.hpp) fills an HttpRequest from the wire and writes an HttpResponse back.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fk::central::http {

// A query's or a form's parameters as they arrived (a name may repeat; the endpoints refuse that).
using Params = std::multimap<std::string, std::string>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded, without the query
  Params query;
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, in order
  std::string peer_address;                                  // the client's IP address, as text
  bool tls = false;                                          // arrived over this server's TLS
  std::string body;                                          // decoded (gzip undone); empty until read

  // The first header called `name` (case-insensitive), or "" when absent.
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/-Length and Connection
  bool close = false;                                        // close the connection after this answer
  std::string who;  // not sent: the kiosk id or user name that was authenticated, for the access log
};

// "a=1&b=x%20y+z" → {a:1, b:"x y z"}; '+' is a space (HTML forms). Malformed escapes are kept as they are.
Params parse_url_encoded(std::string_view text);
// Percent-decoding of a path (no '+' rule).
std::string percent_decode(std::string_view text, bool plus_is_space = false);

}  // namespace fk::central::http
