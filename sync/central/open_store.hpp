// Chooses the central store's backend from the --db value: a PostgreSQL URL or a SQLite file path.
#pragma once

#include <memory>
#include <string>

#include "sync/central/central_store.hpp"

namespace fk::central {

// "postgresql://…" or "postgres://…" opens PostgresCentralStore (several processes may share that database);
// anything else is a SQLite file, created if needed. Either is migrated before it is returned.
Expected<std::unique_ptr<CentralStore>> open_central_store(const std::string& db);

// Whether `db` names a PostgreSQL database ("postgresql://…" or "postgres://…") rather than a SQLite file.
bool is_postgres_conninfo(const std::string& db);

// The --db value fit for a log or a message: a password in a PostgreSQL URL or key=value string is replaced
// by ***.
std::string redact_conninfo(const std::string& db);

}  // namespace fk::central
