// RAII ownership of libpq connections and results, and the few call helpers the PostgreSQL store needs:
// connecting, preparing, running plain SQL and reading a failure's message, SQLSTATE and constraint.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "sync/model/expected.hpp"

namespace fk::postgres {

// SQLSTATEs the store acts on.
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";

struct ClearResult {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ClearResult>;

struct FinishConn {
  void operator()(PGconn* c) const { PQfinish(c); }
};

// One libpq connection. A struct (not an alias) so that a header can hold it by pointer without libpq.
struct Connection {
  std::unique_ptr<PGconn, FinishConn> conn;
  PGconn* get() const { return conn.get(); }
};

// Connects to `conninfo` (a URL or key=value string) with a connect timeout, `application_name` unless the
// conninfo names one, and UTF-8 text whatever the server's default.
Expected<std::unique_ptr<Connection>> connect(const std::string& conninfo, const char* application_name);

// (name, SQL) pairs prepared on a connection, to run later by name.
using Statements = std::span<const std::pair<const char*, const char*>>;
Expected<Ok> prepare(PGconn* c, Statements statements);

inline bool is(const Result& r, ExecStatusType status) {
  return r && PQresultStatus(r.get()) == status;
}

// PostgreSQL's own words for a failure: the result's message, else the connection's.
std::string describe(PGconn* c, const Result& r);
// The connection's last message without the trailing newline libpq adds.
std::string connection_message(PGconn* c);
// The failure's SQLSTATE and violated constraint; empty when there is none.
std::string_view sqlstate(const Result& r);
std::string_view constraint(const Result& r);
// Rows an INSERT / UPDATE / DELETE touched.
std::int64_t affected(const Result& r);

// Plain statements without parameters (transaction control, migration steps).
Expected<Ok> exec(PGconn* c, const char* sql);

// Runs COMMIT and says whether it committed: COMMIT of a transaction that failed answers "ROLLBACK" without
// an error, so only "COMMIT" means stored. On failure the transaction is rolled back if still open, and
// `state` (when given) gets the SQLSTATE.
Expected<Ok> commit(PGconn* c, std::string* state = nullptr);

}  // namespace fk::postgres
