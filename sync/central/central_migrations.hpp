// Forward-only schema migrations of the central SQLite database, numbered by PRAGMA user_version.
#pragma once

#include <sqlite3.h>

#include "sync/sqlite/migrations.hpp"

namespace fk::central::migrations {

// The schema version this program writes; equals the number of migration steps.
inline constexpr int kLatestVersion = 6;

// The steps, for sqlite::open_migrated (which refuses a newer database and applies the steps above it).
sqlite::MigrationSteps steps();

}  // namespace fk::central::migrations
