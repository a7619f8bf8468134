// The access log's line for one answer (http_server.hpp's Exchange): one line per request, for the
// journal. Query values are dropped (a value may be a name or a filter worth keeping private; only the
// parameter names stay), and no header is ever logged, so neither tokens nor cookies reach the log.
#pragma once

#include <string>
#include <string_view>

#include "sync/central/http/http_server.hpp"

namespace fk::central::http {

// "/a/b?site=x&from=y" → "/a/b?site&from", bytes outside printable ASCII (and '"', '\') as %XX.
std::string redacted_target(std::string_view target);

// access method=POST path=/api/v1/responses status=201 bytes=312 ms=1.234 who=kiosk:lobby-1 client=10.0.0.7
// ("-" for what is unknown: a head refused before it was parsed, a request nobody signed).
std::string access_log_line(const Exchange& exchange);

}  // namespace fk::central::http
