// The identity lifecycle in the CentralStore contract: re-enrolling a revoked kiosk, rotating kiosk and user
// tokens, revoking users (their sessions with them), and token expiry. Like store_contract_test.cpp, it runs
// on SQLite in central_tests and again on PostgreSQL in central_pg_tests (FK_CENTRAL_STORE_PG).
#include <catch2/catch.hpp>
#include <string>

#include "central_test_support.hpp"
#include "wire_samples.hpp"

#ifdef FK_CENTRAL_STORE_PG
#include "pg_test_support.hpp"
#define FK_IDENTITY_SUBJECTS fk::test::PostgresSubject
#else
#define FK_IDENTITY_SUBJECTS fk::test::SqliteSubject
#endif

using namespace fk;

namespace {

const std::string kNow = "2026-11-22T08:00:00Z";
constexpr std::int64_t kT0 = 1'800'000'000;  // the clock these cases pass in, in Unix seconds

// Who `token` is at `now`: "kiosk:ID", "revoked-kiosk:ID", "user:NAME", or "" when it is unknown.
std::string who(central::CentralStore& store, const std::string& token, std::int64_t now = kT0) {
  auto found = store.find_principal(central::token_hash(token), now);
  REQUIRE(found.ok());
  if (!found->has_value()) return "";
  const central::Principal& p = **found;
  if (p.kiosk) return (p.kiosk->revoked ? "revoked-kiosk:" : "kiosk:") + p.kiosk->id;
  return "user:" + p.user->name;
}

bool session_alive(central::CentralStore& store, const std::string& id) {
  auto found = store.find_session(central::token_hash(id), kT0 + 1);
  REQUIRE(found.ok());
  return found->has_value();
}

void open_session(central::CentralStore& store, const std::string& id, const std::string& user) {
  REQUIRE(store.add_session({central::token_hash(id), user, kT0, kT0 + 3600}, 20).ok());
}

central::IngestItem ingest_item(const model::Response& r) {
  central::IngestItem item;
  item.uuid = r.uuid;
  item.payload = model::serialise(r);
  item.payload_sha256 = model::payload_hash(item.payload);
  item.survey_id = r.survey_id;
  item.survey_version = r.survey_version;
  item.language = r.language;
  item.completed_at = r.completed_at;
  item.day = "2026-11-22";
  return item;
}

}  // namespace

TEMPLATE_TEST_CASE("a revoked kiosk id is enrolled again under a new token, its responses still its own",
                   "[store][contract][identity]", FK_IDENTITY_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_kiosk("lobby-1", "Central Division", central::token_hash("old"), kNow).ok());
  const model::Response response = test::sample_response();
  REQUIRE(store.ingest("lobby-1", {ingest_item(response)}, kNow).ok());
  // An active id is still refused.
  CHECK_FALSE(store.add_kiosk("lobby-1", "Elsewhere", central::token_hash("other"), kNow).ok());
  CHECK(who(store, "other").empty());

  REQUIRE(store.revoke_kiosk("lobby-1").ok());
  CHECK(who(store, "old") == "revoked-kiosk:lobby-1");
  REQUIRE(store.add_kiosk("lobby-1", "Harbour Division", central::token_hash("new"), kNow).ok());
  CHECK(who(store, "new") == "kiosk:lobby-1");
  CHECK(who(store, "old").empty());
  const auto kiosks = store.list_kiosks();
  REQUIRE(kiosks.ok());
  REQUIRE(kiosks->size() == 1);
  CHECK_FALSE((*kiosks)[0].revoked);
  CHECK((*kiosks)[0].site == "Harbour Division");
  // The history stays linked: the same response again from the re-enrolled id is a duplicate, not a conflict.
  const auto again = store.ingest("lobby-1", {ingest_item(response)}, kNow);
  REQUIRE(again.ok());
  CHECK((*again)[0].status == model::ItemStatus::Duplicate);
  const auto stored = store.find_response(response.uuid);
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->kiosk_id == "lobby-1");
  CHECK((*stored)->site == "Central Division");  // where it was when it arrived
}

TEMPLATE_TEST_CASE("rotating a kiosk's token makes the old one unknown at once",
                   "[store][contract][identity]", FK_IDENTITY_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_kiosk("lobby-1", "Central Division", central::token_hash("old"), kNow).ok());
  REQUIRE(store.rotate_kiosk("lobby-1", central::token_hash("new"), central::kNeverExpires).ok());
  CHECK(who(store, "old").empty());
  CHECK(who(store, "new") == "kiosk:lobby-1");
  CHECK_FALSE(store.rotate_kiosk("missing", central::token_hash("x"), central::kNeverExpires).ok());
  REQUIRE(store.revoke_kiosk("lobby-1").ok());
  // A revoked kiosk is enrolled again with `kiosk add`, not rotated back to life.
  CHECK_FALSE(store.rotate_kiosk("lobby-1", central::token_hash("newer"), central::kNeverExpires).ok());
  CHECK(who(store, "new") == "revoked-kiosk:lobby-1");
}

TEMPLATE_TEST_CASE("revoking a user refuses their token and ends their sessions, no one else's",
                   "[store][contract][identity]", FK_IDENTITY_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_user("ann", central::Role::Analyst, central::token_hash("ann"), kNow).ok());
  REQUIRE(store.add_user("ada", central::Role::Admin, central::token_hash("ada"), kNow).ok());
  open_session(store, "s-ann", "ann");
  open_session(store, "s-ada", "ada");
  REQUIRE(store.revoke_user("ann").ok());
  CHECK(who(store, "ann").empty());
  CHECK_FALSE(session_alive(store, "s-ann"));
  CHECK(who(store, "ada") == "user:ada");
  CHECK(session_alive(store, "s-ada"));
  CHECK(store.revoke_user("ann").ok());  // twice is fine
  CHECK_FALSE(store.revoke_user("nobody").ok());
  CHECK_FALSE(store.rotate_user("ann", central::token_hash("ann2"), central::kNeverExpires).ok());
  CHECK(who(store, "ann2").empty());

  const auto users = store.list_users();
  REQUIRE(users.ok());
  REQUIRE(users->size() == 2);
  CHECK((*users)[0].name == "ada");
  CHECK((*users)[0].role == central::Role::Admin);
  CHECK_FALSE((*users)[0].revoked);
  CHECK((*users)[0].created_at == kNow);
  CHECK((*users)[1].name == "ann");
  CHECK((*users)[1].revoked);
}

TEMPLATE_TEST_CASE("rotating a user's token refuses the old one and ends their sessions",
                   "[store][contract][identity]", FK_IDENTITY_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_user("ann", central::Role::Analyst, central::token_hash("old"), kNow).ok());
  open_session(store, "s-ann", "ann");
  REQUIRE(store.rotate_user("ann", central::token_hash("new"), kT0 + 100).ok());
  CHECK(who(store, "old").empty());
  CHECK(who(store, "new") == "user:ann");
  CHECK_FALSE(session_alive(store, "s-ann"));
  CHECK_FALSE(store.rotate_user("nobody", central::token_hash("x"), central::kNeverExpires).ok());
  const auto users = store.list_users();
  REQUIRE(users.ok());
  CHECK((*users)[0].token_expires_at == kT0 + 100);
}

TEMPLATE_TEST_CASE("an expired token is unknown", "[store][contract][identity]", FK_IDENTITY_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_kiosk("lobby-1", "Central Division", central::token_hash("k"), kNow, kT0 + 10).ok());
  REQUIRE(store.add_user("ann", central::Role::Analyst, central::token_hash("u"), kNow, kT0 + 10).ok());
  REQUIRE(store.add_user("ada", central::Role::Admin, central::token_hash("forever"), kNow).ok());
  CHECK(who(store, "k", kT0 + 9) == "kiosk:lobby-1");
  CHECK(who(store, "u", kT0 + 9) == "user:ann");
  CHECK(who(store, "k", kT0 + 10).empty());
  CHECK(who(store, "u", kT0 + 10).empty());
  CHECK(who(store, "forever", kT0 + 1'000'000'000) == "user:ada");
  // A new token with a new expiry brings the kiosk back.
  REQUIRE(store.rotate_kiosk("lobby-1", central::token_hash("k2"), kT0 + 20).ok());
  CHECK(who(store, "k2", kT0 + 15) == "kiosk:lobby-1");
}
