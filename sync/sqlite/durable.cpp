// Connection set-up and the durability settings, each verified after it is set.
#include "sync/sqlite/durable.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "sync/sqlite/values.hpp"

namespace fk::sqlite {
namespace {

// Another process (`feedback-kiosk status`, `feedback-central kiosk add`) may hold the write lock briefly;
// wait rather than fail.
constexpr int kBusyTimeoutMs = 5000;
constexpr long long kSynchronousFull = 2;

// Owner read and write only: the files hold notes, names and token hashes.
constexpr mode_t kPrivateMode = 0600;

// Takes the group and other bits off `path` if it exists and this user owns it (another owner's file is that
// owner's decision, and chmod would fail anyway).
void tighten_if_ours(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) return;
  if ((st.st_mode & 077) != 0) ::chmod(path.c_str(), st.st_mode & 0700);
}

// Creates a new database file empty with mode 0600 whatever the umask (SQLite would create it 0644 less the
// umask), or tightens an existing one we own, with any -wal and -shm left beside it. SQLite gives the -wal
// and -shm it creates the main file's mode. A failure here is left for sqlite3_open_v2 to report.
void make_private(const std::string& path) {
  if (path.empty() || path == ":memory:") return;  // no file
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, kPrivateMode);
  if (fd >= 0) {
    ::fchmod(fd, kPrivateMode);  // the umask may have taken owner bits off
    ::close(fd);
    return;
  }
  if (errno != EEXIST) return;
  for (const char* suffix : {"", "-wal", "-shm"}) tighten_if_ours(path + suffix);
}

}  // namespace

Expected<Db> open_connection(const std::string& path) {
  make_private(path);
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return Error{raw != nullptr ? describe(raw, rc) : sqlite3_errstr(rc)};
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

Expected<Ok> make_durable(sqlite3* db) {
  auto mode = read_journal_mode(db, "PRAGMA journal_mode=WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") return Error{"journal_mode is '" + *mode + "', not 'wal'"};
  if (auto set = exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON"); !set) return set.error();
  auto synchronous = pragma_int(db, "synchronous");
  if (!synchronous) return synchronous.error();
  if (*synchronous != kSynchronousFull) {
    return Error{"synchronous is " + std::to_string(*synchronous) + ", not FULL (2)"};
  }
  return Ok{};
}

Expected<Db> open_migrated(const std::string& path, MigrationSteps steps) {
  auto db = open_connection(path);
  if (!db) return db.error();
  // Before any write (even switching to WAL changes the file), so a newer database is left untouched.
  if (auto newer = refuse_newer(db->get(), static_cast<int>(steps.size())); !newer) return newer.error();
  // A receipt or a saved answer rests on these: make_durable verifies them instead of trusting the PRAGMA.
  if (auto durable = make_durable(db->get()); !durable) return durable.error();
  if (auto migrated = migrate(db->get(), steps); !migrated) return migrated.error();
  return db;
}

Expected<std::string> read_journal_mode(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  Stmt stmt(raw);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return Error{"cannot set journal_mode: " + describe(db, rc)};
  return column_string(stmt.get(), 0);
}

}  // namespace fk::sqlite
