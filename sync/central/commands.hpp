// The `feedback-central` subcommands, callable from main.cpp's CLI11 wiring and from tests. Each returns a
// process exit code and writes to the streams it is given.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "sync/central/central_store.hpp"
#include "sync/central/server_config.hpp"

namespace fk::central {

// Default database when neither --db nor $FEEDBACK_CENTRAL_DB is given.
inline constexpr const char* kDefaultDbPath = "./central.sqlite";

// "127.0.0.1:8080", "localhost:0", "[::1]:8080" → host and port.
struct ListenAddress {
  std::string host;
  int port = 0;
};
Expected<ListenAddress> parse_listen(const std::string& text);

// Kiosk ids and user names: 1-64 of [A-Za-z0-9._-], so they are safe in logs, tables and URLs.
bool is_valid_name(const std::string& name);

// Token-issuing commands print the new token alone on the last line of `out`, once (only its hash is kept).
// `expires_in_days` > 0 makes the token expire that many days from now (then it is refused like an unknown
// one); 0 means never.
//
// Enrols a kiosk; a revoked id is enrolled again with a new token, its responses still linked to it.
int kiosk_add(const std::string& db, const std::string& id, const std::string& site, std::ostream& out,
              std::ostream& err, int expires_in_days = 0);
int kiosk_revoke(const std::string& db, const std::string& id, std::ostream& out, std::ostream& err);
// A new token for an enrolled kiosk; the old one is refused from the next request on.
int kiosk_rotate(const std::string& db, const std::string& id, std::ostream& out, std::ostream& err,
                 int expires_in_days = 0);
int kiosk_list(const std::string& db, std::ostream& out, std::ostream& err);
int user_add(const std::string& db, const std::string& name, const std::string& role, std::ostream& out,
             std::ostream& err, int expires_in_days = 0);
// Name, role, created, revoked and token expiry of every user; never a token or its hash.
int user_list(const std::string& db, std::ostream& out, std::ostream& err);
// The user's token and every dashboard session of theirs are refused from now on.
int user_revoke(const std::string& db, const std::string& name, std::ostream& out, std::ostream& err);
// A new token for a user; the old one and their dashboard sessions are refused from now on.
int user_rotate(const std::string& db, const std::string& name, std::ostream& out, std::ostream& err,
                int expires_in_days = 0);
// Copies a SQLite --db to `to` while it may be in use (backup.hpp); exit 1 when `to` exists and not `force`,
// 2 for a PostgreSQL --db (the message gives the pg_dump command).
int backup(const std::string& db, const std::string& to, bool force, std::ostream& out, std::ostream& err);
// Validates a survey file exactly as the kiosk does: 0 and a summary on `out`, or 1 and one
// "FILE:LINE:COLUMN: reason" line per mistake on `err`.
int survey_check(const std::string& file, std::ostream& out, std::ostream& err);
// Validates `file`, then stores its bytes as (id, version) and assigns it to each site (its lobby survey) and
// event. The same bytes again only add assignments; different bytes under a published version are refused.
// On any refusal nothing is stored.
int survey_publish(const std::string& db, const std::string& file, const std::vector<std::string>& sites,
                   const std::vector<std::string>& events, std::ostream& out, std::ostream& err);
// Every published version, and where the newest version of each survey runs.
int survey_list(const std::string& db, std::ostream& out, std::ostream& err);
// Serves until SIGINT or SIGTERM (SIGHUP reloads the TLS certificate); prints the bound address once it
// accepts connections.
// Plain HTTP is served only on a loopback address unless `plain_http` says a TLS proxy is in front.
int serve(const std::string& db, ServerConfig config, bool plain_http, std::ostream& out, std::ostream& err);
// 127.0.0.0/8, ::1 or "localhost".
bool is_loopback_host(const std::string& host);

}  // namespace fk::central
