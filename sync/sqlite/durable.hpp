// Opening a connection the way both stores need it, and making it durable (WAL + synchronous=FULL),
// verified rather than trusted: an answer or receipt is promised only after COMMIT returned. open_migrated is
// the whole sequence both stores open their file with.
#pragma once

#include <sqlite3.h>

#include <string>

#include "sync/model/expected.hpp"
#include "sync/sqlite/migrations.hpp"
#include "sync/sqlite/sqlite_handle.hpp"

namespace fk::sqlite {

// Opens or creates `path` with extended result codes and a busy timeout, and writes nothing yet, so the
// caller can still refuse the file untouched. NOMUTEX: the caller serialises its use of the connection.
// A new file is created 0600 whatever the umask (so its -wal and -shm are too); an existing one this user
// owns loses any group and other permission bits (its contents are not touched).
Expected<Db> open_connection(const std::string& path);

// Switches to WAL, sets synchronous=FULL and foreign_keys=ON, and reads the first two back. This writes
// the file (WAL mode is recorded in its header): refuse a newer schema before calling it.
Expected<Ok> make_durable(sqlite3* db);

// Opens or creates `path`, refuses a database newer than `steps` before writing anything (so a refused file is
// left exactly as it was), makes it durable, and migrates it through `steps`. The message of a failure says
// which step failed; the caller adds which file.
Expected<Db> open_migrated(const std::string& path, MigrationSteps steps);

// Runs a journal_mode PRAGMA (`sql`, which may set it) and returns the mode it reports.
Expected<std::string> read_journal_mode(sqlite3* db, const char* sql);

}  // namespace fk::sqlite
