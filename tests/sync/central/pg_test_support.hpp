// Shared by the PostgreSQL tests (central_pg_tests): the server pg_fixture.sh started, a fresh database per
// test case, a plain libpq connection for looking at rows, and PostgresSubject for the store contract.
#pragma once

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "central_test_support.hpp"
#include "sync/central/postgres_central_store.hpp"

namespace fk::test {

// The fixture's URL, from $FK_PG_URL or the file $FK_PG_URL_FILE names (CTest sets it). Without one the
// test fails and says why: a PostgreSQL test that cannot reach PostgreSQL has not passed.
inline std::string pg_admin_url() {
  if (const char* url = std::getenv("FK_PG_URL"); url != nullptr && *url != '\0') return url;
  const char* file = std::getenv("FK_PG_URL_FILE");
  if (file == nullptr || *file == '\0') {
    throw std::runtime_error(
        "no PostgreSQL for this test: set FK_PG_URL, or FK_PG_URL_FILE to the url file "
        "`tests/support/pg_fixture.sh start DIR` writes (ctest runs the pg.start fixture)");
  }
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    throw std::runtime_error(std::string("no PostgreSQL for this test: cannot read a URL from ") + file +
                             " (did the pg.start fixture fail? see its output)");
  }
  return url;
}

// A libpq connection for the tests' own queries; throws on any failure.
class PgConnection {
 public:
  explicit PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str()), &PQfinish) {
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      throw std::runtime_error("cannot connect to PostgreSQL (" + conninfo +
                               "): " + PQerrorMessage(conn_.get()));
    }
  }

  // Runs `sql` with text parameters and returns every row, NULL as "".
  std::vector<std::vector<std::string>> rows(const std::string& sql,
                                             const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    std::unique_ptr<PGresult, decltype(&PQclear)> r(
        PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                     nullptr, nullptr, 0),
        &PQclear);
    const ExecStatusType status = PQresultStatus(r.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      throw std::runtime_error(sql + ": " + PQresultErrorMessage(r.get()));
    }
    std::vector<std::vector<std::string>> out;
    for (int row = 0; row < PQntuples(r.get()); ++row) {
      std::vector<std::string>& cells = out.emplace_back();
      for (int col = 0; col < PQnfields(r.get()); ++col) cells.emplace_back(PQgetvalue(r.get(), row, col));
    }
    return out;
  }
  void exec(const std::string& sql) { rows(sql); }
  std::int64_t scalar(const std::string& sql, const std::vector<std::string>& params = {}) {
    const auto r = rows(sql, params);
    if (r.size() != 1 || r[0].size() != 1) throw std::runtime_error(sql + ": not one value");
    return std::stoll(r[0][0]);
  }

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
};

// A database of its own for one test case, created on the fixture's server and dropped afterwards, so cases
// are independent and may run in any order.
class PgDatabase {
 public:
  PgDatabase() : admin_url_(pg_admin_url()), admin_(admin_url_) {
    std::random_device random;
    name_ = "fk_test_" + std::to_string(random()) + "_" + std::to_string(random());
    // DDL takes no parameters; the name is made here of [a-z0-9_] only.
    admin_.exec("CREATE DATABASE " + name_);
    url_ = with_dbname(admin_url_, name_);
  }
  ~PgDatabase() {
    try {
      admin_.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
      // Leaving a database behind on a throwaway server is harmless; throwing from here is not.
    }
  }
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  // A postgresql:// URL, as `feedback-central --db` takes it.
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  // The admin URL's host, port and user with another database.
  static std::string with_dbname(const std::string& url, const std::string& dbname) {
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(url.c_str(), &error),
                                                                         &PQconninfoFree);
    if (!options) {
      std::string what = error != nullptr ? error : "out of memory";
      PQfreemem(error);
      throw std::runtime_error("cannot parse " + url + ": " + what);
    }
    std::string user, host, port;
    for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
      if (o->val == nullptr) continue;
      const std::string key = o->keyword;
      if (key == "user") user = o->val;
      if (key == "host") host = o->val;
      if (key == "port") port = o->val;
    }
    std::string out = "postgresql://" + user + "@/" + dbname;
    std::string sep = "?";
    if (!host.empty()) out += std::exchange(sep, "&") + "host=" + host;
    if (!port.empty()) out += std::exchange(sep, "&") + "port=" + port;
    return out;
  }

  std::string admin_url_;
  PgConnection admin_;
  std::string name_;
  std::string url_;
};

// The contract tests' PostgreSQL subject: a fresh database; reopen() is a second store with connections of
// its own to the same database, as a second feedback-central process would have.
class PostgresSubject {
 public:
  PostgresSubject() : store_(must(central::PostgresCentralStore::open(db_.url()), "open")) {}
  central::CentralStore& get() { return *store_; }
  const std::string& url() const { return db_.url(); }
  std::unique_ptr<central::CentralStore> reopen() const {
    return must(central::PostgresCentralStore::open(db_.url()), "reopen");
  }
  // Takes the database back to schema version 2, before the weekly and monthly totals, so that the next
  // open runs migration 3 on what is stored.
  void rewind_to_version_2() const {
    PgConnection c(db_.url());
    c.exec("ALTER TABLE users DROP COLUMN revoked, DROP COLUMN token_expires_at");
    c.exec("ALTER TABLE kiosks DROP COLUMN token_expires_at");
    c.exec("DROP TABLE sessions");
    c.exec("DROP TABLE period_totals");
    c.exec("DROP TABLE survey_assignments");
    c.exec("DROP TABLE surveys");
    c.exec("DROP FUNCTION surveys_frozen");
    c.exec("DELETE FROM schema_migrations WHERE version >= 3");
  }

 private:
  PgDatabase db_;  // declared first: dropped after the store has closed its connections
  std::unique_ptr<central::PostgresCentralStore> store_;
};

}  // namespace fk::test
