// The kiosk's durable outbox: a ResponseStore in one SQLite file (WAL, synchronous=FULL).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "sync/sqlite/sqlite_handle.hpp"
#include "sync/store/response_store.hpp"

namespace fk::store {

// Safe to share between the UI thread (save) and the uploader thread: one connection, one mutex.
class SqliteResponseStore : public ResponseStore {
 public:
  // Opens or creates the database at `path`, makes it durable (WAL + synchronous=FULL, verified) and
  // migrates it to the latest schema. A database newer than this program is refused untouched.
  static Expected<std::unique_ptr<SqliteResponseStore>> open(const std::string& path);

  Expected<SaveOutcome> save(const model::Response& response) override;
  Expected<std::vector<StoredResponse>> list(Status status, std::size_t limit) override;
  Expected<Ok> mark_uploaded(const std::vector<std::string>& uuids) override;
  Expected<Ok> quarantine(const std::string& uuid, const std::string& reason) override;
  Expected<std::optional<StoredResponse>> find(const std::string& uuid) override;
  Expected<StatusCounts> counts() override;
  Expected<StatusCounts> event_counts(const std::string& event) override;

  const std::string& path() const { return path_; }
  Expected<int> user_version();
  // Reads an integer PRAGMA on this store's own connection (synchronous, foreign_keys are per connection).
  // `name` must be a bare identifier.
  Expected<long long> pragma_int(std::string_view name);
  Expected<std::string> journal_mode();

  // TEST ONLY: caps this connection's database size so a test can reach SQLITE_FULL without filling a
  // disk. SQLite never lowers the cap below the current size; returns the cap in force.
  Expected<long long> set_max_page_count_for_tests(long long pages);

 private:
  explicit SqliteResponseStore(std::string path, sqlite::Db db);
  Expected<Ok> prepare_statements();
  // `action` names what the transaction was for, so a failed BEGIN or COMMIT says which response it hit.
  Expected<Ok> begin(const std::string& action);
  Expected<Ok> commit(const std::string& action);
  void rollback();
  std::string failure(const std::string& action, int rc, const char* step = nullptr) const;
  Expected<std::optional<StoredResponse>> find_locked(const std::string& uuid);
  // Reads "status, COUNT(*)" rows from a stepped statement (called with the mutex held).
  Expected<StatusCounts> count_rows(sqlite3_stmt* stmt, const std::string& action);

  std::string path_;
  std::mutex mutex_;
  sqlite::Db db_;  // declared before the statements: they are finalised first
  sqlite::Stmt begin_;
  sqlite::Stmt commit_;
  sqlite::Stmt rollback_;
  sqlite::Stmt insert_;
  sqlite::Stmt select_by_status_;
  sqlite::Stmt select_one_;
  sqlite::Stmt mark_uploaded_;
  sqlite::Stmt quarantine_;
  sqlite::Stmt count_by_status_;
  sqlite::Stmt count_event_by_status_;
};

}  // namespace fk::store
