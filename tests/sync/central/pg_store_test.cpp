// What PostgreSQL adds to the store contract: migrations raced by processes starting together, a newer
// database refused untouched, a dropped connection survived, and the CLI choosing PostgreSQL by URL.
#include <array>
#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

#include "pg_test_support.hpp"
#include "sync/central/commands.hpp"
#include "sync/central/open_store.hpp"
#include "wire_samples.hpp"

using namespace fk;

namespace {

std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  const auto at = trimmed.rfind('\n');
  return at == std::string::npos ? trimmed : trimmed.substr(at + 1);
}

// Everything a refused open must leave alone: the tables and functions, and the rows of the ones we know.
std::vector<std::vector<std::string>> fingerprint(test::PgConnection& c) {
  auto rows = c.rows(
      "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = 'public' ORDER BY 1");
  for (auto& r :
       c.rows("SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1")) {
    rows.push_back(r);
  }
  for (auto& r : c.rows("SELECT version::text FROM schema_migrations ORDER BY version")) rows.push_back(r);
  return rows;
}

}  // namespace

TEST_CASE("processes opening a fresh database together apply each migration once", "[pg][migrations]") {
  test::PgDatabase db;
  constexpr int kOpeners = 8;
  std::vector<std::string> failures(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto store = central::PostgresCentralStore::open(db.url());
      if (!store) failures[static_cast<std::size_t>(i)] = store.error().message;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& f : failures) CHECK(f.empty());
  test::PgConnection c(db.url());
  CHECK(c.scalar("SELECT count(*) FROM schema_migrations") == central::PostgresCentralStore::kSchemaVersion);
  CHECK(c.scalar("SELECT max(version) FROM schema_migrations") ==
        central::PostgresCentralStore::kSchemaVersion);
}

TEST_CASE("a database from a newer program is refused and left untouched", "[pg][migrations]") {
  SECTION("a migrated database one version ahead") {
    test::PgDatabase db;
    {
      auto store = test::must(central::PostgresCentralStore::open(db.url()), "open");
      REQUIRE(
          store->add_kiosk("lobby-1", "Central Division", central::token_hash("t"), "2026-11-22T08:00:00Z"));
    }
    test::PgConnection c(db.url());
    c.exec("INSERT INTO schema_migrations(version) VALUES (" +
           std::to_string(central::PostgresCentralStore::kSchemaVersion + 1) + ")");
    const auto before = fingerprint(c);
    auto refused = central::PostgresCentralStore::open(db.url());
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("newer than this program supports"));
    CHECK(fingerprint(c) == before);
    CHECK(c.scalar("SELECT count(*) FROM kiosks") == 1);
  }
  SECTION("a database that only has a newer version row") {
    test::PgDatabase db;
    test::PgConnection c(db.url());
    c.exec("CREATE TABLE schema_migrations(version integer PRIMARY KEY)");
    c.exec("INSERT INTO schema_migrations(version) VALUES (1), (7)");
    const auto before = fingerprint(c);
    CHECK_FALSE(central::open_central_store(db.url()).ok());
    CHECK(fingerprint(c) == before);
    CHECK(c.rows("SELECT 1 WHERE to_regclass('kiosks') IS NULL").size() == 1);
  }
}

TEST_CASE("migration 2 fills day and response_totals from the responses already stored", "[pg][migrations]") {
  test::PgDatabase db;
  REQUIRE(central::PostgresCentralStore::migrate_only(db.url(), 1).ok());
  test::PgConnection c(db.url());
  REQUIRE(c.scalar("SELECT max(version) FROM schema_migrations") == 1);
  c.exec(
      "INSERT INTO kiosks(id, site, token_sha256, created_at) VALUES "
      "('lobby-1', 'Central Division', 'h1', '2026-11-01T00:00:00Z'), "
      "('lobby-2', 'Harbour Division', 'h2', '2026-11-01T00:00:00Z')");
  // Rows as version 1 stored them: no day, event, misuse, notes or totals.
  const std::vector<std::vector<std::string>> old_rows = {
      {"lobby-1", "Central Division", "lobby", "en", "2026-11-20T23:59:59Z"},
      {"lobby-1", "Central Division", "lobby", "en", "2026-11-20T08:00:00Z"},
      {"lobby-1", "Central Division", "lobby", "es", "2026-11-21T08:00:00Z"},
      {"lobby-2", "Harbour Division", "visit", "en", "2026-11-21T10:00:00Z"},
  };
  std::vector<std::string> uuids;
  for (const auto& row : old_rows) {
    const model::Response r = test::sample_response();
    uuids.push_back(r.uuid);
    c.rows(
        "INSERT INTO responses(uuid, kiosk_id, site, payload_sha256, payload, survey_id, survey_version, "
        "language, partial, completed_at, received_at) "
        "VALUES($1, $2, $3, 'sha', convert_to($4, 'UTF8'), $5, 1, $6, false, $7, $7)",
        {r.uuid, row[0], row[1], model::serialise(r), row[2], row[3], row[4]});
  }

  auto store = test::must(central::PostgresCentralStore::open(db.url()), "open");
  CHECK(c.scalar("SELECT max(version) FROM schema_migrations") ==
        central::PostgresCentralStore::kSchemaVersion);
  CHECK(c.rows("SELECT uuid, day, event, misuse::text FROM responses ORDER BY received_at") ==
        std::vector<std::vector<std::string>>{{uuids[1], "2026-11-20", "", "false"},
                                              {uuids[0], "2026-11-20", "", "false"},
                                              {uuids[2], "2026-11-21", "", "false"},
                                              {uuids[3], "2026-11-21", "", "false"}});
  CHECK(c.rows("SELECT site, event, survey_id, language, day, misuse::text, responses::text, thanks::text "
               "FROM response_totals ORDER BY site, survey_id, language, day") ==
        std::vector<std::vector<std::string>>{
            {"Central Division", "", "lobby", "en", "2026-11-20", "false", "2", "0"},
            {"Central Division", "", "lobby", "es", "2026-11-21", "false", "1", "0"},
            {"Harbour Division", "", "visit", "en", "2026-11-21", "false", "1", "0"}});
  // Their ratings and notes stay in their payloads only.
  CHECK(c.scalar("SELECT count(*) FROM rating_totals") == 0);
  CHECK(c.scalar("SELECT count(*) FROM thanks") == 0);

  // The store reads them, and new responses add to the same rows.
  central::AggregateQuery q;
  q.site = "Central Division";
  auto before = store->aggregate_partials(q, central::Grain::Day);
  REQUIRE(before.ok());
  REQUIRE(before->size() == 2);
  CHECK((*before)[0].day == "2026-11-20");
  CHECK((*before)[0].responses == 2);
  CHECK((*before)[0].ratings.empty());
  const model::Response fresh = test::sample_response();
  central::IngestItem item;
  item.uuid = fresh.uuid;
  item.payload = model::serialise(fresh);
  item.payload_sha256 = model::payload_hash(item.payload);
  item.survey_id = "lobby";
  item.survey_version = 1;
  item.language = "en";
  item.completed_at = fresh.completed_at;
  item.day = "2026-11-20";
  item.ratings = {{"overall", model::Pillar::Overall, 4}};
  item.thanks_note = "Thank you, Officer Diaz";
  item.employee = "Diaz";
  REQUIRE(store->ingest("lobby-1", {item}, "2026-11-22T08:00:00Z").ok());
  auto after = store->aggregate_partials(q, central::Grain::Day);
  REQUIRE(after.ok());
  REQUIRE(after->size() == 2);
  CHECK((*after)[0].responses == 3);
  CHECK((*after)[0].thanks == 1);
  REQUIRE((*after)[0].ratings.size() == 1);
  CHECK((*after)[0].ratings[0].counts == std::array<int, 5>{0, 0, 0, 1, 0});
  auto thanks = store->list_thanks({});
  REQUIRE(thanks.ok());
  REQUIRE(thanks->size() == 1);
  CHECK(thanks->front().uuid == fresh.uuid);
  CHECK(c.scalar("SELECT count(*) FROM thanks t JOIN responses r ON r.seq = t.response_seq WHERE r.uuid = $1",
                 {fresh.uuid}) == 1);
}

TEST_CASE("a store survives its connections being cut", "[pg][connections]") {
  test::PostgresSubject subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_kiosk("lobby-1", "Central Division", central::token_hash("t"), "2026-11-22T08:00:00Z"));
  test::PgConnection c(subject.url());
  // As a server restart or an idle-connection reaper would.
  c.rows(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database() "
      "AND pid <> pg_backend_pid()");
  // The call that finds its connection dead may fail (the kiosk retries it); the next one reconnects.
  (void)store.count_responses();
  auto listed = store.list_kiosks();
  REQUIRE(listed.ok());
  CHECK(listed->size() == 1);
}

TEST_CASE("a batch with a text the database cannot hold fails whole", "[pg][ingest]") {
  test::PostgresSubject subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_kiosk("lobby-1", "Central Division", central::token_hash("t"), "2026-11-22T08:00:00Z"));
  auto item = [](const model::Response& r) {
    central::IngestItem i;
    i.uuid = r.uuid;
    i.payload = model::serialise(r);
    i.payload_sha256 = model::payload_hash(i.payload);
    i.survey_id = r.survey_id;
    i.survey_version = r.survey_version;
    i.language = r.language;
    i.completed_at = r.completed_at;
    return i;
  };
  central::IngestItem good = item(test::sample_response());
  central::IngestItem bad = item(test::sample_response());
  bad.language = std::string("e\0n", 3);  // PostgreSQL text holds no NUL: refused, never truncated
  CHECK_FALSE(store.ingest("lobby-1", {good, bad}, "2026-11-22T08:00:00Z").ok());
  CHECK(*store.count_responses() == 0);
  // The connection went back to the pool usable.
  CHECK(store.ingest("lobby-1", {good}, "2026-11-22T08:00:00Z").ok());
  CHECK(*store.count_responses() == 1);
}

TEST_CASE("feedback-central commands take a postgresql:// --db", "[pg][cli]") {
  test::PgDatabase db;
  std::ostringstream out, err;
  REQUIRE(central::kiosk_add(db.url(), "lobby-1", "Central Division", out, err) == 0);
  const std::string kiosk_token = last_line(out.str());
  REQUIRE(central::user_add(db.url(), "ada", "admin", out, err) == 0);
  const std::string admin_token = last_line(out.str());
  CHECK(central::kiosk_add(db.url(), "lobby-1", "Elsewhere", out, err) == 1);
  CHECK_THAT(err.str(), Catch::Contains("kiosk 'lobby-1' already exists"));
  REQUIRE(central::kiosk_revoke(db.url(), "lobby-1", out, err) == 0);
  std::ostringstream listing;
  REQUIRE(central::kiosk_list(db.url(), listing, err) == 0);
  CHECK_THAT(listing.str(), Catch::Contains("lobby-1  Central Division  yes"));

  // The other spelling of the scheme opens the same database.
  const std::string short_scheme = "postgres://" + db.url().substr(std::string("postgresql://").size());
  auto store = test::must(central::open_central_store(short_scheme), "open");
  CHECK((*store->find_principal(central::token_hash(kiosk_token)))->kiosk->revoked);
  CHECK((*store->find_principal(central::token_hash(admin_token)))->user->role == central::Role::Admin);
  CHECK(dynamic_cast<central::PostgresCentralStore*>(store.get()) != nullptr);
}

TEST_CASE("an unreachable PostgreSQL is an error that hides the password", "[pg][cli]") {
  auto store = central::open_central_store("postgresql://fk:s3cret@/nowhere?host=/nonexistent&port=1");
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(store.error().message, Catch::Contains("fk:***@"));
  CHECK_THAT(store.error().message, !Catch::Contains("s3cret"));
}
