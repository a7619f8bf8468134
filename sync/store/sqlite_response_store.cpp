// SqliteResponseStore: opening, durability settings, and the outbox operations on cached statements.
#include "sync/store/sqlite_response_store.hpp"

#include <limits>
#include <utility>

#include "sync/sqlite/durable.hpp"
#include "sync/sqlite/values.hpp"
#include "sync/store/freeze.hpp"
#include "sync/store/migrations.hpp"

namespace fk::store {
namespace {

using sqlite::bind_blob;
using sqlite::bind_text;
using sqlite::column_string;

constexpr const char* kColumns =
    "seq, uuid, survey_id, survey_version, partial, payload, payload_sha256, status, quarantine_reason, "
    "saved_at, event";

// Reads one row selected with kColumns.
Expected<StoredResponse> read_row(sqlite3_stmt* stmt) {
  StoredResponse row;
  row.seq = sqlite3_column_int64(stmt, 0);
  row.uuid = column_string(stmt, 1);
  row.survey_id = column_string(stmt, 2);
  row.survey_version = sqlite3_column_int64(stmt, 3);
  row.partial = sqlite3_column_int64(stmt, 4) != 0;
  row.payload = column_string(stmt, 5);
  row.payload_hash = column_string(stmt, 6);
  const std::string status = column_string(stmt, 7);
  const auto parsed = parse_status(status);
  if (!parsed) return Error{"response " + row.uuid + " has an unknown status '" + status + "'"};
  row.status = *parsed;
  row.quarantine_reason = column_string(stmt, 8);
  row.saved_at = column_string(stmt, 9);
  row.event = column_string(stmt, 10);
  return row;
}

bool is_identifier(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

}  // namespace

SqliteResponseStore::SqliteResponseStore(std::string path, sqlite::Db db)
    : path_(std::move(path)), db_(std::move(db)) {}

Expected<std::unique_ptr<SqliteResponseStore>> SqliteResponseStore::open(const std::string& path) {
  auto fail = [&](const std::string& what) { return Error{"cannot open outbox '" + path + "': " + what}; };

  // Guarantee 1 rests on the durability settings open_migrated verifies.
  auto db = sqlite::open_migrated(path, migrations::steps());
  if (!db) return fail(db.error().message);

  std::unique_ptr<SqliteResponseStore> store(new SqliteResponseStore(path, std::move(*db)));
  if (auto prepared = store->prepare_statements(); !prepared) return fail(prepared.error().message);
  return store;
}

Expected<Ok> SqliteResponseStore::prepare_statements() {
  const std::string cols = kColumns;
  const std::pair<sqlite::Stmt*, std::string> statements[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      // The UNIQUE constraint decides duplicates atomically; changes() tells which way it went.
      {&insert_,
       "INSERT INTO responses(uuid, survey_id, survey_version, partial, payload, payload_sha256, status, "
       "saved_at, status_changed_at, event) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7, ?8) "
       "ON CONFLICT(uuid) DO NOTHING"},
      {&select_by_status_, "SELECT " + cols + " FROM responses WHERE status = ?2 ORDER BY seq LIMIT ?1"},
      {&select_one_, "SELECT " + cols + " FROM responses WHERE uuid = ?1"},
      {&mark_uploaded_,
       "UPDATE responses SET status = 'uploaded', status_changed_at = ?2 "
       "WHERE uuid = ?1 AND status = 'pending'"},
      {&quarantine_,
       "UPDATE responses SET status = 'quarantined', quarantine_reason = ?2, status_changed_at = ?3 "
       "WHERE uuid = ?1 AND status IN ('pending', 'quarantined')"},
      {&count_by_status_, "SELECT status, COUNT(*) FROM responses GROUP BY status"},
      {&count_event_by_status_, "SELECT status, COUNT(*) FROM responses WHERE event = ?1 GROUP BY status"},
  };
  for (const auto& [slot, sql] : statements) {
    auto stmt = sqlite::prepare(db_.get(), sql.c_str());
    if (!stmt) return stmt.error();
    *slot = std::move(*stmt);
  }
  return Ok{};
}

std::string SqliteResponseStore::failure(const std::string& action, int rc, const char* step) const {
  const std::string where = step != nullptr ? std::string(step) + " failed: " : "";
  return "cannot " + action + " in '" + path_ + "': " + where + sqlite::describe(db_.get(), rc);
}

Expected<Ok> SqliteResponseStore::begin(const std::string& action) {
  sqlite::StmtUse use(begin_.get());
  const int rc = sqlite3_step(use.get());
  if (rc != SQLITE_DONE) return Error{failure(action, rc, "BEGIN")};
  return Ok{};
}

Expected<Ok> SqliteResponseStore::commit(const std::string& action) {
  sqlite::StmtUse use(commit_.get());
  const int rc = sqlite3_step(use.get());
  if (rc != SQLITE_DONE) return Error{failure(action, rc, "COMMIT")};
  return Ok{};
}

void SqliteResponseStore::rollback() {
  // After SQLITE_FULL or an I/O error SQLite may already have rolled the transaction back itself.
  if (sqlite3_get_autocommit(db_.get()) != 0) return;
  sqlite::StmtUse use(rollback_.get());
  sqlite3_step(use.get());
}

Expected<SaveOutcome> SqliteResponseStore::save(const model::Response& response) {
  auto frozen = freeze(response);  // serialise + hash outside the lock: they touch nothing shared
  if (!frozen) return frozen.error();

  const std::string action = "save response " + response.uuid;
  std::lock_guard lock(mutex_);
  if (auto begun = begin(action); !begun) return begun.error();
  {
    sqlite::StmtUse use(insert_.get());
    sqlite3_stmt* stmt = use.get();
    int rc = bind_text(stmt, 1, response.uuid);
    if (rc == SQLITE_OK) rc = bind_text(stmt, 2, response.survey_id);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int64(stmt, 3, response.survey_version);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int(stmt, 4, response.partial ? 1 : 0);
    if (rc == SQLITE_OK) rc = bind_blob(stmt, 5, frozen->payload);
    if (rc == SQLITE_OK) rc = bind_text(stmt, 6, frozen->payload_hash);
    if (rc == SQLITE_OK) rc = bind_text(stmt, 7, frozen->saved_at);
    if (rc == SQLITE_OK) rc = bind_text(stmt, 8, response.event);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
      Error error{failure(action, rc)};  // before rollback replaces SQLite's message
      rollback();
      return error;
    }
  }
  const bool created = sqlite3_changes(db_.get()) == 1;
  if (auto committed = commit(action); !committed) {
    rollback();
    return committed.error();
  }
  // Only now, with COMMIT returned, is the response durable.
  return created ? SaveOutcome::Created : SaveOutcome::AlreadyStored;
}

Expected<std::vector<StoredResponse>> SqliteResponseStore::list(Status status, std::size_t limit) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(select_by_status_.get());
  sqlite3_stmt* stmt = use.get();
  const auto max = static_cast<std::size_t>(std::numeric_limits<sqlite3_int64>::max());
  sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(limit < max ? limit : max));
  sqlite3_bind_text(stmt, 2, to_string(status), -1, SQLITE_STATIC);
  std::vector<StoredResponse> rows;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    auto row = read_row(stmt);
    if (!row) return row.error();
    rows.push_back(std::move(*row));
  }
  if (rc != SQLITE_DONE) return Error{failure(std::string("read ") + to_string(status) + " responses", rc)};
  return rows;
}

Expected<std::optional<StoredResponse>> SqliteResponseStore::find_locked(const std::string& uuid) {
  sqlite::StmtUse use(select_one_.get());
  sqlite3_stmt* stmt = use.get();
  int rc = bind_text(stmt, 1, uuid);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) return std::optional<StoredResponse>{};
  if (rc != SQLITE_ROW) return Error{failure("find response " + uuid, rc)};
  auto row = read_row(stmt);
  if (!row) return row.error();
  return std::optional<StoredResponse>{std::move(*row)};
}

Expected<std::optional<StoredResponse>> SqliteResponseStore::find(const std::string& uuid) {
  std::lock_guard lock(mutex_);
  return find_locked(uuid);
}

Expected<Ok> SqliteResponseStore::mark_uploaded(const std::vector<std::string>& uuids) {
  if (uuids.empty()) return Ok{};
  const std::string now = model::utc_now_iso8601();
  const std::string action = "mark " + std::to_string(uuids.size()) + " responses uploaded";
  std::lock_guard lock(mutex_);
  if (auto begun = begin(action); !begun) return begun.error();
  auto abort = [&](Error error) -> Expected<Ok> {
    rollback();
    return error;
  };
  for (const std::string& uuid : uuids) {
    {
      sqlite::StmtUse use(mark_uploaded_.get());
      int rc = bind_text(use.get(), 1, uuid);
      if (rc == SQLITE_OK) rc = bind_text(use.get(), 2, now);
      if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
      if (rc != SQLITE_DONE) return abort(Error{failure("mark " + uuid + " uploaded", rc)});
    }
    if (sqlite3_changes(db_.get()) == 1) continue;
    // Not pending: a repeated receipt is fine, anything else voids the whole batch.
    auto existing = find_locked(uuid);
    if (!existing) return abort(existing.error());
    if (!existing->has_value()) return abort(Error{"cannot mark " + uuid + " uploaded: no such response"});
    if ((*existing)->status == Status::Quarantined) {
      return abort(Error{"cannot mark " + uuid + " uploaded: it is quarantined"});
    }
  }
  if (auto committed = commit(action); !committed) return abort(committed.error());
  return Ok{};
}

Expected<Ok> SqliteResponseStore::quarantine(const std::string& uuid, const std::string& reason) {
  const std::string bounded = bounded_reason(reason);
  const std::string now = model::utc_now_iso8601();
  std::lock_guard lock(mutex_);
  {
    // One UPDATE is its own transaction; when it changes nothing, nothing needs undoing.
    sqlite::StmtUse use(quarantine_.get());
    int rc = bind_text(use.get(), 1, uuid);
    if (rc == SQLITE_OK) rc = bind_text(use.get(), 2, bounded);
    if (rc == SQLITE_OK) rc = bind_text(use.get(), 3, now);
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_DONE) return Error{failure("quarantine " + uuid, rc)};
  }
  if (sqlite3_changes(db_.get()) == 1) return Ok{};
  auto existing = find_locked(uuid);
  if (!existing) return existing.error();
  if (!existing->has_value()) return Error{"cannot quarantine " + uuid + ": no such response"};
  return Error{"cannot quarantine " + uuid + ": it is already uploaded"};
}

Expected<StatusCounts> SqliteResponseStore::counts() {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(count_by_status_.get());
  return count_rows(use.get(), "count responses");
}

Expected<StatusCounts> SqliteResponseStore::event_counts(const std::string& event) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(count_event_by_status_.get());
  if (const int rc = bind_text(use.get(), 1, event); rc != SQLITE_OK) {
    return Error{failure("count the responses of event '" + event + "'", rc)};
  }
  return count_rows(use.get(), "count the responses of event '" + event + "'");
}

Expected<StatusCounts> SqliteResponseStore::count_rows(sqlite3_stmt* stmt, const std::string& action) {
  StatusCounts counts;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const std::string status = column_string(stmt, 0);
    const std::int64_t n = sqlite3_column_int64(stmt, 1);
    const auto parsed = parse_status(status);
    if (!parsed) return Error{"unknown status '" + status + "' in '" + path_ + "'"};
    switch (*parsed) {
      case Status::Pending:
        counts.pending = n;
        break;
      case Status::Uploaded:
        counts.uploaded = n;
        break;
      case Status::Quarantined:
        counts.quarantined = n;
        break;
    }
  }
  if (rc != SQLITE_DONE) return Error{failure(action, rc)};
  return counts;
}

Expected<int> SqliteResponseStore::user_version() {
  std::lock_guard lock(mutex_);
  return migrations::user_version(db_.get());
}

Expected<long long> SqliteResponseStore::pragma_int(std::string_view name) {
  if (!is_identifier(name)) return Error{"not a PRAGMA name: '" + std::string(name) + "'"};
  std::lock_guard lock(mutex_);
  return sqlite::pragma_int(db_.get(), std::string(name));
}

Expected<std::string> SqliteResponseStore::journal_mode() {
  std::lock_guard lock(mutex_);
  return sqlite::read_journal_mode(db_.get(), "PRAGMA journal_mode");
}

Expected<long long> SqliteResponseStore::set_max_page_count_for_tests(long long pages) {
  std::lock_guard lock(mutex_);
  return sqlite::pragma_int(db_.get(), "max_page_count = " + std::to_string(pages));
}

}  // namespace fk::store
