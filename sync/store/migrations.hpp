// Forward-only schema migrations of the kiosk's SQLite outbox, numbered by PRAGMA user_version.
#pragma once

#include <sqlite3.h>

#include "sync/model/expected.hpp"
#include "sync/sqlite/migrations.hpp"

namespace fk::store::migrations {

// The schema version this program writes; equals the number of migration steps.
inline constexpr int kLatestVersion = 3;

Expected<int> user_version(sqlite3* db);

// The steps, for sqlite::open_migrated (which refuses a newer database and applies the steps above it).
sqlite::MigrationSteps steps();

}  // namespace fk::store::migrations
