// The centre's configuration file (/etc/feedback-central/central.toml, given as `serve --config FILE`):
// the same settings as the `serve` flags, read with toml++. Unknown keys, wrong types and values out of
// range are refused as "FILE:LINE:COLUMN: reason", like the kiosk's kiosk.toml. Flags given on the command
// line win over the file (main.cpp), so a unit's file can be overridden for one run.
#pragma once

#include <string>
#include <vector>

#include "sync/central/server_config.hpp"
#include "sync/model/expected.hpp"

namespace fk::central {

// The file's own keys, in the order the reference file (deploy/ or API.md) shows them.
//   listen = "0.0.0.0:8443"           database = "/var/lib/feedback-central/central.sqlite" (or postgresql://…)
//   k = 5   threads = 8   plain_http = false   access_log = "stdout" | "off"
//   tls_cert = "…pem"   tls_key = "…pem"   surveys = ["events.toml", …]
//   [limits]  max_body_bytes, max_items, max_depth, max_string_bytes, rate_limit, rate_burst, head_timeout,
//             read_timeout, min_body_rate, write_timeout, keep_alive_timeout, keep_alive_max,
//             max_request_line, max_header_count, max_header_bytes, max_connections, max_body_memory
//             (the serve flags' names; timeouts in whole seconds, as the flags)
// Relative file names (tls_cert, tls_key, surveys, a SQLite database) are relative to the file's directory.
struct ServeSettings {
  std::string database;
  std::string listen = "127.0.0.1:8080";
  bool plain_http = false;
  std::vector<std::string> survey_files;
  std::string access_log = "stdout";  // "stdout" or "off"
  ServerConfig config;
  // The deadlines in whole seconds, as the flags and the file give them (main.cpp converts).
  long long head_timeout_s = 0;
  long long read_timeout_s = 0;
  long long write_timeout_s = 0;
  long long keep_alive_timeout_s = 0;
};

// Reads `path` into `settings`, changing only what the file names. On an error `settings` may be half
// changed: the caller starts nothing.
Expected<Ok> read_central_config(const std::string& path, ServeSettings& settings);

}  // namespace fk::central
