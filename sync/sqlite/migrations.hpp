// The runner for forward-only schema migrations numbered by PRAGMA user_version; each schema keeps its steps.
#pragma once

#include <sqlite3.h>

#include <span>

#include "sync/model/expected.hpp"

namespace fk::sqlite {

// Step i (0-based) takes a database from user_version i to i + 1, so the latest version is steps.size().
// Never edit a shipped step: databases in the field already ran it. Append a new one instead.
using MigrationSteps = std::span<const char* const>;

Expected<int> user_version(sqlite3* db);

// Refuses a database written by a program newer than `latest`, reading only: a refused file is left exactly
// as it was.
Expected<Ok> refuse_newer(sqlite3* db, int latest);

// Applies every step above the database's user_version, each in its own IMMEDIATE transaction that also
// sets user_version, so a crash leaves the database at a whole version. Returns the version reached.
Expected<int> migrate(sqlite3* db, MigrationSteps steps);

}  // namespace fk::sqlite
