// The migration steps and the runner that applies them.
#include "sync/store/migrations.hpp"

#include <array>
#include <string>

#include "sync/store/sqlite_handle.hpp"

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
};

std::string newer_message(long long found) {
  return "database schema version " + std::to_string(found) + " is newer than this program supports (" +
         std::to_string(kLatestVersion) + ")";
}

}  // namespace

Expected<int> user_version(sqlite3* db) {
  auto version = sqlite::pragma_int(db, "user_version");
  if (!version) return version.error();
  return static_cast<int>(*version);
}

Expected<Ok> refuse_newer(sqlite3* db) {
  auto version = sqlite::pragma_int(db, "user_version");
  if (!version) return version.error();
  if (*version > kLatestVersion) return Error{newer_message(*version)};
  return Ok{};
}

Expected<int> migrate(sqlite3* db) {
  for (int target = 1; target <= kLatestVersion; ++target) {
    // IMMEDIATE takes the write lock before reading the version, so two processes opening the same file
    // cannot both apply one step.
    if (auto begun = sqlite::exec(db, "BEGIN IMMEDIATE"); !begun) {
      return Error{"cannot start migration " + std::to_string(target) + ": " + begun.error().message};
    }
    auto fail = [&](const std::string& what) -> Expected<int> {
      sqlite::exec(db, "ROLLBACK");
      return Error{"migration " + std::to_string(target) + " failed: " + what};
    };
    auto current = sqlite::pragma_int(db, "user_version");
    if (!current) return fail(current.error().message);
    if (*current > kLatestVersion) {
      sqlite::exec(db, "ROLLBACK");
      return Error{newer_message(*current)};
    }
    if (*current >= target) {
      sqlite::exec(db, "ROLLBACK");  // nothing to do for this step; release the lock
      continue;
    }
    if (auto applied = sqlite::exec(db, kSteps[static_cast<std::size_t>(target - 1)]); !applied) {
      return fail(applied.error().message);
    }
    const std::string set_version = "PRAGMA user_version = " + std::to_string(target);
    if (auto set = sqlite::exec(db, set_version.c_str()); !set) return fail(set.error().message);
    if (auto committed = sqlite::exec(db, "COMMIT"); !committed) return fail(committed.error().message);
  }
  return user_version(db);
}

}  // namespace fk::store::migrations
