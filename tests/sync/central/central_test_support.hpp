// Shared by the central tests: temporary directories, a SQLite store subject for the contract tests, and
// LiveCentral — a real CentralServer on an ephemeral loopback port with enrolled kiosks and users.
#pragma once

#include <httplib.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "support/temp_dir.hpp"
#include "sync/central/central_server.hpp"
#include "sync/central/response_facts.hpp"
#include "sync/central/sqlite_central_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/sqlite/sqlite_handle.hpp"

namespace fk::test {

using test_support::TempDir;

template <typename T>
T must(Expected<T> e, const char* what) {
  if (!e) throw std::runtime_error(std::string(what) + ": " + e.error().message);
  return std::move(e).value();
}

// The contract tests' subject: the SQLite store on a file of its own. A PostgreSQL subject joins later.
class SqliteSubject {
 public:
  SqliteSubject() : store_(must(central::SqliteCentralStore::open(dir_.file("central.sqlite")), "open")) {}
  central::CentralStore& get() { return *store_; }
  std::string path() const { return dir_.file("central.sqlite"); }
  // Another connection to the same file, as a second process would have.
  std::unique_ptr<central::CentralStore> reopen() const {
    return must(central::SqliteCentralStore::open(path()), "reopen");
  }
  // Takes the database back to schema version 2, before the weekly and monthly totals, so that the next
  // open runs migration 3 on what is stored.
  void rewind_to_version_2() const {
    sqlite3* raw = nullptr;
    if (sqlite3_open(path().c_str(), &raw) != SQLITE_OK) throw std::runtime_error("cannot open " + path());
    sqlite::Db db(raw);
    must(
        sqlite::exec(db.get(),
                     "ALTER TABLE users DROP COLUMN revoked; ALTER TABLE users DROP COLUMN token_expires_at; "
                     "ALTER TABLE kiosks DROP COLUMN token_expires_at; "
                     "DROP TABLE sessions; DROP TABLE period_totals; DROP TABLE survey_assignments; DROP "
                     "TABLE surveys; "
                     "PRAGMA user_version = 2"),
        "rewind");
  }

 private:
  TempDir dir_;
  std::unique_ptr<central::SqliteCentralStore> store_;
};

// Server settings for tests: quiet, and limits unchanged unless a test says otherwise.
inline central::ServerConfig test_config() {
  central::ServerConfig config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.log = [](const std::string&) {};
  return config;
}

// test_config() knowing the lobby survey (pillars, the thank-you note) from `lobby_file`, with k = 3 so that
// small fixtures show cells.
inline central::ServerConfig config_with_lobby(const std::string& lobby_file) {
  central::ServerConfig config = test_config();
  std::ifstream in(lobby_file);
  const std::string lobby((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  config.surveys = must(central::load_surveys(lobby, {}), "lobby survey");
  config.min_k = 3;
  return config;
}

// A running central with: kiosk "lobby-1" (kiosk_token), "lobby-2" (other_kiosk_token), revoked "old-1"
// (revoked_token), admin "ada", analyst "ann", supervisor "sam".
class LiveCentral {
 public:
  explicit LiveCentral(central::ServerConfig config = test_config())
      : store_(must(central::SqliteCentralStore::open(dir_.file("central.sqlite")), "open")) {
    const std::string now = model::utc_now_iso8601();
    enrol_kiosk("lobby-1", "Central Division", kiosk_token, now);
    enrol_kiosk("lobby-2", "Harbour Division", other_kiosk_token, now);
    enrol_kiosk("old-1", "Central Division", revoked_token, now);
    must(store_->revoke_kiosk("old-1"), "revoke");
    must(store_->add_user("ada", central::Role::Admin, central::token_hash(admin_token), now), "admin");
    must(store_->add_user("ann", central::Role::Analyst, central::token_hash(analyst_token), now), "analyst");
    must(store_->add_user("sam", central::Role::Supervisor, central::token_hash(supervisor_token), now),
         "sup");
    server_ = std::make_unique<central::CentralServer>(*store_, std::move(config));
    must(server_->start(), "start");
  }

  // A client that gives up quickly: a hung server must fail the test, not stall the suite.
  std::unique_ptr<httplib::Client> client(const std::string& token = {}) const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(10, 0);
    c->set_write_timeout(10, 0);
    c->set_tcp_nodelay(true);  // else Nagle holds the body back ~40 ms behind the headers
    if (!token.empty()) c->set_bearer_token_auth(token);
    return c;
  }

  std::int64_t rows() { return must(store_->count_responses(), "count"); }
  central::CentralStore& store() { return *store_; }
  central::CentralServer& server() { return *server_; }
  int port() const { return server_->port(); }
  // The database file, for the CLI's functions to work on beside the running server.
  std::string db_path() const { return dir_.file("central.sqlite"); }

  const std::string kiosk_token = central::new_token();
  const std::string other_kiosk_token = central::new_token();
  const std::string revoked_token = central::new_token();
  const std::string admin_token = central::new_token();
  const std::string analyst_token = central::new_token();
  const std::string supervisor_token = central::new_token();

 private:
  void enrol_kiosk(const std::string& id, const std::string& site, const std::string& token,
                   const std::string& now) {
    must(store_->add_kiosk(id, site, central::token_hash(token), now), "add kiosk");
  }

  TempDir dir_;
  std::unique_ptr<central::SqliteCentralStore> store_;
  std::unique_ptr<central::CentralServer> server_;
};

}  // namespace fk::test
