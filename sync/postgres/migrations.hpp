// The runner for forward-only schema migrations on PostgreSQL, numbered by the highest row of a
// schema_migrations table; each schema keeps its steps (sync/central/postgres_migrations.cpp).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <span>

#include "sync/model/expected.hpp"

namespace fk::postgres {

// Step i (0-based) takes a database from version i to i + 1, so the latest version is steps.size().
// Never edit a shipped step: databases in the field already ran it. Append a new one instead.
using MigrationSteps = std::span<const char* const>;

// Applies every step above the database's version up to `up_to`, each in its own transaction that first takes
// the advisory lock `lock_key`: a second process starting at the same moment waits, then finds the step
// applied. A database newer than steps.size() is refused inside the transaction and rolled back, so it is left
// exactly as it was.
Expected<Ok> migrate(PGconn* c, MigrationSteps steps, std::int64_t lock_key, int up_to);

}  // namespace fk::postgres
