// RAII ownership of sqlite3 / sqlite3_stmt handles and the few call helpers both SQLite stores share.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "sync/model/expected.hpp"

namespace fk::sqlite {

struct CloseDb {
  // close_v2 defers the close until any straggling statement is finalised instead of failing with BUSY.
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Stmt = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

// SQLite's own words for the last failure on `db`, with the extended code for the log.
inline std::string describe(sqlite3* db, int rc) {
  const std::string message = sqlite3_errmsg(db);
  const std::string generic = sqlite3_errstr(rc);
  if (message == generic) return message + " (code " + std::to_string(rc) + ")";
  return message + " (" + generic + ", code " + std::to_string(rc) + ")";
}

// Runs one or more statements that return no rows the caller needs.
inline Expected<Ok> exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Ok{};
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Error{text + " (code " + std::to_string(rc) + ")"};
}

inline Expected<Stmt> prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  // PREPARE_PERSISTENT: these statements live as long as the connection and are reused for every call.
  const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) return Error{"cannot prepare \"" + std::string(sql) + "\": " + describe(db, rc)};
  return stmt;
}

// Resets a cached statement when the scope that used it ends, so no statement is left holding a read lock
// and no bound pointer outlives the strings it points into.
class StmtUse {
 public:
  explicit StmtUse(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StmtUse() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StmtUse(const StmtUse&) = delete;
  StmtUse& operator=(const StmtUse&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

// Reads one integer-valued PRAGMA (user_version, synchronous, page_count ...).
inline Expected<long long> pragma_int(sqlite3* db, const std::string& name) {
  sqlite3_stmt* raw = nullptr;
  const std::string sql = "PRAGMA " + name;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) return Error{"cannot read PRAGMA " + name + ": " + describe(db, rc)};
  rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return Error{"cannot read PRAGMA " + name + ": " + describe(db, rc)};
  return static_cast<long long>(sqlite3_column_int64(stmt.get(), 0));
}

}  // namespace fk::sqlite
