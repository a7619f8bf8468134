// The outbox's migration steps; sync/sqlite/migrations.cpp runs them.
#include "sync/store/migrations.hpp"

#include <array>

#include "sync/sqlite/migrations.hpp"

namespace fk::store::migrations {
namespace {

// Step i (0-based) takes the database from user_version i to i + 1.
// NEVER edit a step that has shipped: kiosks in the field already ran it. Append a new step instead.
constexpr std::array<const char*, kLatestVersion> kSteps = {
    // 1: the outbox.
    R"sql(
CREATE TABLE responses(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  survey_id TEXT NOT NULL,
  survey_version INTEGER NOT NULL,
  payload BLOB NOT NULL,
  payload_sha256 TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('pending','uploaded','quarantined')),
  saved_at TEXT NOT NULL);
)sql",
    // 2: partial flag, quarantine reason, status time; the uploader's index; frozen columns.
    R"sql(
ALTER TABLE responses ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN quarantine_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN status_changed_at TEXT;
CREATE INDEX responses_status_seq ON responses(status, seq);
-- A saved payload is never re-serialised or rewritten: the database itself refuses.
CREATE TRIGGER responses_frozen
  BEFORE UPDATE OF uuid, payload, payload_sha256, survey_id, survey_version ON responses
BEGIN
  SELECT RAISE(ABORT, 'frozen');
END;
)sql",
    // 3: the event a response was collected for (empty in the lobby), for the liaison's event report.
    R"sql(
ALTER TABLE responses ADD COLUMN event TEXT NOT NULL DEFAULT '';
CREATE INDEX responses_event_status ON responses(event, status);
CREATE TRIGGER responses_event_frozen
  BEFORE UPDATE OF event ON responses
BEGIN
  SELECT RAISE(ABORT, 'frozen');
END;
)sql",
};

}  // namespace

Expected<int> user_version(sqlite3* db) {
  return sqlite::user_version(db);
}

sqlite::MigrationSteps steps() {
  return kSteps;
}

}  // namespace fk::store::migrations
