// Opening a connection the way both stores need it, and making it durable (WAL + synchronous=FULL),
// verified rather than trusted: an answer or receipt is promised only after COMMIT returned.
#pragma once

#include <sqlite3.h>

#include <string>

#include "sync/model/expected.hpp"
#include "sync/sqlite/sqlite_handle.hpp"

namespace fk::sqlite {

// Opens or creates `path` with extended result codes and a busy timeout, and writes nothing yet, so the
// caller can still refuse the file untouched. NOMUTEX: the caller serialises its use of the connection.
Expected<Db> open_connection(const std::string& path);

// Switches to WAL, sets synchronous=FULL and foreign_keys=ON, and reads the first two back. This writes
// the file (WAL mode is recorded in its header): refuse a newer schema before calling it.
Expected<Ok> make_durable(sqlite3* db);

// Runs a journal_mode PRAGMA (`sql`, which may set it) and returns the mode it reports.
Expected<std::string> read_journal_mode(sqlite3* db, const char* sql);

}  // namespace fk::sqlite
