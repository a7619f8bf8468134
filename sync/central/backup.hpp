// `feedback-central backup`: a consistent copy of the centre's SQLite database taken while the server keeps
// ingesting, through SQLite's online backup API. Restoring is copying the file back with the service stopped
// (README, "Backups"); PostgreSQL has pg_dump instead.
#pragma once

#include <cstdint>
#include <string>

#include "sync/model/expected.hpp"

namespace fk::central {

// What a backup holds: the rows of one consistent snapshot, and the file's size.
struct BackupSummary {
  std::int64_t responses = 0;
  std::int64_t kiosks = 0;
  std::int64_t users = 0;
  std::uintmax_t bytes = 0;
};

// Copies the SQLite database at `db` (which must exist) to `to`, from one read snapshot: every committed
// transaction (a batch is one) is wholly in the copy or wholly out. Writers on other connections are never
// blocked (the database is in WAL mode); pages are copied a few at a time. The copy is written to a temporary
// file beside `to` (mode 0600), flushed to disk, then renamed over `to`, so a crash leaves either no backup
// or a whole one. An existing `to` is refused unless `force`.
Expected<BackupSummary> backup_sqlite(const std::string& db, const std::string& to, bool force);

}  // namespace fk::central
