// Forward-only schema migrations of the central PostgreSQL database, numbered by the highest row of
// schema_migrations: the counterpart of central_migrations.hpp (SQLite).
#pragma once

#include <libpq-fe.h>

#include "sync/model/expected.hpp"

namespace fk::central::postgres_migrations {

// The schema version this program writes; equals the number of migration steps.
inline constexpr int kLatestVersion = 6;

// Applies the steps above the database's version up to `up_to`, each in its own transaction under an advisory
// lock, so two processes starting together apply each step once. Refuses a database from a newer program and
// leaves it untouched.
Expected<Ok> migrate(PGconn* c, int up_to = kLatestVersion);

}  // namespace fk::central::postgres_migrations
