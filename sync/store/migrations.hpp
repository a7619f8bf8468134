// Forward-only schema migrations of the kiosk's SQLite outbox, numbered by PRAGMA user_version.
#pragma once

#include <sqlite3.h>

#include "sync/model/expected.hpp"

namespace fk::store::migrations {

// The schema version this program writes; equals the number of migration steps.
inline constexpr int kLatestVersion = 3;

Expected<int> user_version(sqlite3* db);

// Refuses a database written by a newer program, reading only: a refused file is left exactly as it was.
Expected<Ok> refuse_newer(sqlite3* db);

// Applies every step above the database's user_version, each in its own transaction that also sets
// user_version, so a crash leaves the database at a whole version. Returns the version reached.
Expected<int> migrate(sqlite3* db);

}  // namespace fk::store::migrations
