// Connections, prepared statements, plain SQL and failure messages over libpq.
#include "sync/postgres/pg_handle.hpp"

#include <charconv>

namespace fk::postgres {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Expected<std::unique_ptr<Connection>> connect(const std::string& conninfo, const char* application_name) {
  // Earlier keywords are defaults the conninfo (expanded from dbname) may override; later ones win over it.
  const char* keys[] = {"connect_timeout", "dbname", "fallback_application_name", "client_encoding", nullptr};
  const char* values[] = {"10", conninfo.c_str(), application_name, "UTF8", nullptr};
  auto connection = std::make_unique<Connection>();
  connection->conn.reset(PQconnectdbParams(keys, values, 1));
  if (!connection->conn) return Error{"out of memory"};
  if (PQstatus(connection->get()) != CONNECTION_OK) return Error{connection_message(connection->get())};
  return connection;
}

Expected<Ok> prepare(PGconn* c, Statements statements) {
  for (const auto& [name, sql] : statements) {
    Result r(PQprepare(c, name, sql, 0, nullptr));
    if (!is(r, PGRES_COMMAND_OK)) return Error{std::string("cannot prepare ") + name + ": " + describe(c, r)};
  }
  return Ok{};
}

std::string connection_message(PGconn* c) {
  return trimmed(PQerrorMessage(c));
}

std::string describe(PGconn* c, const Result& r) {
  std::string message = r ? trimmed(PQresultErrorMessage(r.get())) : std::string();
  if (message.empty()) message = connection_message(c);
  return message.empty() ? "unknown PostgreSQL error" : message;
}

std::string_view sqlstate(const Result& r) {
  const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? std::string_view(state) : std::string_view();
}

std::string_view constraint(const Result& r) {
  const char* name = r ? PQresultErrorField(r.get(), PG_DIAG_CONSTRAINT_NAME) : nullptr;
  return name != nullptr ? std::string_view(name) : std::string_view();
}

std::int64_t affected(const Result& r) {
  const std::string_view n = PQcmdTuples(r.get());
  std::int64_t value = 0;
  std::from_chars(n.data(), n.data() + n.size(), value);
  return value;
}

Expected<Ok> exec(PGconn* c, const char* sql) {
  Result r(PQexec(c, sql));
  if (!is(r, PGRES_COMMAND_OK) && !is(r, PGRES_TUPLES_OK)) return Error{describe(c, r)};
  return Ok{};
}

Expected<Ok> commit(PGconn* c, std::string* state) {
  Result committed(PQexec(c, "COMMIT"));
  if (is(committed, PGRES_COMMAND_OK) && std::string_view(PQcmdStatus(committed.get())) == "COMMIT") {
    return Ok{};
  }
  if (state != nullptr) *state = std::string(sqlstate(committed));
  Error error{describe(c, committed)};
  if (PQtransactionStatus(c) != PQTRANS_IDLE) exec(c, "ROLLBACK");
  return error;
}

}  // namespace fk::postgres
