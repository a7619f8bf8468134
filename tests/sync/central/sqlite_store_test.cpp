// The SQLite store's own promises beyond the contract: durability settings, migrations, frozen rows.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "central_test_support.hpp"
#include "support/file_modes.hpp"
#include "sync/central/central_migrations.hpp"
#include "sync/sqlite/sqlite_handle.hpp"
#include "wire_samples.hpp"

using namespace fk;

namespace {

long long query_int(const std::string& path, const char* sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite::Db db(raw);
  auto v = sqlite::pragma_int(db.get(), sql);  // pragma_int runs "PRAGMA <sql>"
  REQUIRE(v.ok());
  return *v;
}

}  // namespace

TEST_CASE("the central database is WAL, synchronous FULL and at the latest schema", "[store][sqlite]") {
  test::SqliteSubject subject;
  CHECK(query_int(subject.path(), "user_version") == central::migrations::kLatestVersion);
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(subject.path().c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite::Db db(raw);
  sqlite3_stmt* stmt_raw = nullptr;
  REQUIRE(sqlite3_prepare_v2(db.get(), "PRAGMA journal_mode", -1, &stmt_raw, nullptr) == SQLITE_OK);
  sqlite::Stmt stmt(stmt_raw);
  REQUIRE(sqlite3_step(stmt.get()) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0))) == "wal");
}

TEST_CASE("a database from a newer program is refused and left untouched", "[store][sqlite]") {
  test::TempDir dir;
  const std::string path = dir.file("newer.sqlite");
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    sqlite::Db db(raw);
    REQUIRE(sqlite::exec(db.get(), "PRAGMA user_version = 99").ok());
  }
  auto opened = central::SqliteCentralStore::open(path);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find("newer") != std::string::npos);
  CHECK(query_int(path, "user_version") == 99);
}

TEST_CASE("reopening keeps everything, and stored payloads cannot be rewritten", "[store][sqlite]") {
  test::SqliteSubject subject;
  const model::BatchItem item = test::sample_item();
  {
    auto store = subject.reopen();
    REQUIRE(store->add_kiosk("lobby-1", "Central", central::token_hash("t"), "now").ok());
    central::IngestItem in;
    in.uuid = item.uuid;
    in.payload_sha256 = item.sha256;
    in.payload = item.payload;
    in.survey_id = "lobby";
    in.language = "en";
    in.completed_at = "then";
    REQUIRE(store->ingest("lobby-1", {in}, "now").ok());
  }
  auto again = subject.reopen();
  CHECK(*again->count_responses() == 1);
  CHECK((*again->find_response(item.uuid))->payload == item.payload);

  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(subject.path().c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite::Db db(raw);
  CHECK_FALSE(sqlite::exec(db.get(), "UPDATE responses SET payload = 'x'").ok());
  CHECK_FALSE(sqlite::exec(db.get(), "UPDATE responses SET kiosk_id = 'lobby-1'").ok());
  CHECK(sqlite::exec(db.get(), "INSERT INTO users VALUES('x', 'root', 'h', 'now')").ok() == false);
}

TEST_CASE("the central database, its WAL and its shared memory are readable only by their owner",
          "[store][sqlite]") {
  using test_support::mode_of;
  test::TempDir dir;
  const std::string path = dir.file("central.sqlite");
  const test_support::ScopedUmask loose(022);  // what SQLite alone would turn into 0644
  auto store = test::must(central::SqliteCentralStore::open(path), "open");
  REQUIRE(store->add_kiosk("lobby-1", "Central", central::token_hash("t"), "now").ok());
  // While the store is open, after a write in WAL mode, all three files exist.
  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(path + "-wal") == 0600);
  CHECK(mode_of(path + "-shm") == 0600);
}
