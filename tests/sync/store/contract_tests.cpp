// The store contract: every test here runs against the SQLite store and the in-memory store alike.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "store_test_support.hpp"

using namespace fk;
using namespace fk::store;
using fk::store::testing::lobby_response;
using fk::store::testing::MemoryStoreFactory;
using fk::store::testing::SqliteStoreFactory;

namespace {

std::vector<std::string> uuids_of(const std::vector<StoredResponse>& rows) {
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(row.uuid);
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("save freezes the serialised payload and its hash", "[store][contract]",
                   MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  model::Response response = lobby_response();
  response.partial = true;

  auto saved = store.save(response);
  REQUIRE(saved.ok());
  CHECK(*saved == SaveOutcome::Created);

  auto pending = store.pending(10);
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 1);
  const StoredResponse& row = pending->front();
  CHECK(row.uuid == response.uuid);
  CHECK(row.survey_id == "lobby-2026");
  CHECK(row.survey_version == 3);
  CHECK(row.partial);
  CHECK(row.payload == model::serialise(response));
  CHECK(row.payload_hash == model::payload_hash(row.payload));
  CHECK(row.status == Status::Pending);
  CHECK(row.quarantine_reason.empty());
  CHECK_FALSE(row.saved_at.empty());
  CHECK(row.seq > 0);

  auto found = store.find(response.uuid);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->payload == row.payload);
  CHECK((*found)->seq == row.seq);

  auto missing = store.find(model::new_uuid_v4());
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
}

TEMPLATE_TEST_CASE("saving the same uuid twice stores it once", "[store][contract]", MemoryStoreFactory,
                   SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  const model::Response first = lobby_response();
  model::Response second = first;  // a double tap, or a retry with the visit re-rendered
  second.answers.front().value = 1;

  REQUIRE(*store.save(first) == SaveOutcome::Created);
  auto again = store.save(second);
  REQUIRE(again.ok());
  CHECK(*again == SaveOutcome::AlreadyStored);

  auto counts = store.counts();
  REQUIRE(counts.ok());
  CHECK(counts->pending == 1);
  CHECK(counts->total() == 1);
  // The first payload stays frozen; the second is not written over it.
  CHECK((*store.find(first.uuid))->payload == model::serialise(first));
}

TEMPLATE_TEST_CASE("pending is ordered by sequence even when the wall clock goes backwards",
                   "[store][contract]", MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  const auto a = lobby_response(model::new_uuid_v4(), "2026-11-22T07:39:02Z");
  const auto b = lobby_response(model::new_uuid_v4(), "1970-01-01T00:00:42Z");  // a kiosk that booted in 1970
  const auto c = lobby_response(model::new_uuid_v4(), "2026-11-22T07:41:00Z");
  for (const auto& r : {a, b, c}) REQUIRE(*store.save(r) == SaveOutcome::Created);

  auto all = store.pending(100);
  REQUIRE(all.ok());
  CHECK(uuids_of(*all) == std::vector<std::string>{a.uuid, b.uuid, c.uuid});
  CHECK((*all)[0].seq < (*all)[1].seq);
  CHECK((*all)[1].seq < (*all)[2].seq);

  auto first_two = store.pending(2);
  REQUIRE(first_two.ok());
  CHECK(uuids_of(*first_two) == std::vector<std::string>{a.uuid, b.uuid});
  CHECK(store.pending(0)->empty());
}

TEMPLATE_TEST_CASE("mark_uploaded is all or none", "[store][contract]", MemoryStoreFactory,
                   SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  const auto a = lobby_response();
  const auto b = lobby_response();
  REQUIRE(store.save(a).ok());
  REQUIRE(store.save(b).ok());

  const std::string unknown = model::new_uuid_v4();
  auto refused = store.mark_uploaded({a.uuid, unknown, b.uuid});
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains(unknown));
  CHECK(store.counts()->pending == 2);
  CHECK(store.counts()->uploaded == 0);

  REQUIRE(store.mark_uploaded({a.uuid, b.uuid}).ok());
  CHECK(store.counts()->uploaded == 2);
  CHECK(store.pending(10)->empty());
  CHECK((*store.find(a.uuid))->status == Status::Uploaded);

  // A repeated receipt for something already uploaded is not an error.
  CHECK(store.mark_uploaded({a.uuid}).ok());
  CHECK(store.mark_uploaded({}).ok());
  CHECK(store.counts()->uploaded == 2);
}

TEMPLATE_TEST_CASE("mark_uploaded refuses a quarantined response and changes nothing", "[store][contract]",
                   MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  const auto a = lobby_response();
  const auto b = lobby_response();
  REQUIRE(store.save(a).ok());
  REQUIRE(store.save(b).ok());
  REQUIRE(store.quarantine(b.uuid, "409 conflict").ok());

  auto refused = store.mark_uploaded({a.uuid, b.uuid});
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("quarantined"));
  CHECK((*store.find(a.uuid))->status == Status::Pending);
  CHECK((*store.find(b.uuid))->status == Status::Quarantined);
}

TEMPLATE_TEST_CASE("quarantine keeps the reason and leaves the outbox", "[store][contract]",
                   MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  const auto a = lobby_response();
  const auto b = lobby_response();
  REQUIRE(store.save(a).ok());
  REQUIRE(store.save(b).ok());

  REQUIRE(store.quarantine(a.uuid, "422: answer 'wait' is not in survey lobby-2026 v3").ok());
  auto found = store.find(a.uuid);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->status == Status::Quarantined);
  CHECK((*found)->quarantine_reason == "422: answer 'wait' is not in survey lobby-2026 v3");
  CHECK((*found)->payload == model::serialise(a));  // flagged, never altered or deleted
  CHECK(uuids_of(*store.pending(10)) == std::vector<std::string>{b.uuid});

  // Again, with a new reason: the latest one is kept.
  REQUIRE(store.quarantine(a.uuid, "409 conflict").ok());
  CHECK((*store.find(a.uuid))->quarantine_reason == "409 conflict");

  auto unknown = store.quarantine(model::new_uuid_v4(), "x");
  CHECK_FALSE(unknown.ok());
  REQUIRE(store.mark_uploaded({b.uuid}).ok());
  auto uploaded = store.quarantine(b.uuid, "x");
  REQUIRE_FALSE(uploaded.ok());
  CHECK_THAT(uploaded.error().message, Catch::Contains("uploaded"));
  CHECK((*store.find(b.uuid))->status == Status::Uploaded);
}

TEMPLATE_TEST_CASE("a quarantine reason is bounded without splitting a character", "[store][contract]",
                   MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  const auto a = lobby_response();
  REQUIRE(store.save(a).ok());
  std::string reason;
  while (reason.size() < 3 * kMaxQuarantineReasonBytes) reason += "é";  // two bytes each
  reason = "x" + reason;  // so the bound falls inside a character
  REQUIRE(store.quarantine(a.uuid, reason).ok());
  const std::string kept = (*store.find(a.uuid))->quarantine_reason;
  CHECK(kept.size() <= kMaxQuarantineReasonBytes);
  CHECK(kept.size() >= kMaxQuarantineReasonBytes - 1);
  CHECK(reason.compare(0, kept.size(), kept) == 0);
  CHECK((static_cast<unsigned char>(kept.back()) & 0xC0U) == 0x80U);  // ends on a whole "é"
}

TEMPLATE_TEST_CASE("counts follow every status", "[store][contract]", MemoryStoreFactory,
                   SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  auto empty = store.counts();
  REQUIRE(empty.ok());
  CHECK(empty->total() == 0);

  std::vector<model::Response> saved;
  for (int i = 0; i < 5; ++i) {
    saved.push_back(lobby_response());
    REQUIRE(store.save(saved.back()).ok());
  }
  REQUIRE(store.mark_uploaded({saved[0].uuid, saved[1].uuid}).ok());
  REQUIRE(store.quarantine(saved[2].uuid, "400 bad request").ok());

  auto counts = store.counts();
  REQUIRE(counts.ok());
  CHECK(counts->pending == 2);
  CHECK(counts->uploaded == 2);
  CHECK(counts->quarantined == 1);
  CHECK(counts->total() == 5);
}

TEMPLATE_TEST_CASE("a response without a real uuid is refused and nothing is written", "[store][contract]",
                   MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  auto refused = store.save(lobby_response("not-a-uuid"));
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("not-a-uuid"));
  CHECK_FALSE(store.save(lobby_response("")).ok());
  CHECK(store.counts()->total() == 0);
}

TEMPLATE_TEST_CASE("saves from two threads are all kept once", "[store][contract]", MemoryStoreFactory,
                   SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  constexpr int kPerThread = 25;
  std::vector<model::Response> responses;
  for (int i = 0; i < 2 * kPerThread; ++i) responses.push_back(lobby_response());

  // Each thread also re-saves the other's responses: duplicates must resolve to exactly one row.
  auto worker = [&](int offset, std::vector<SaveOutcome>& outcomes, int& errors) {
    for (int i = 0; i < 2 * kPerThread; ++i) {
      auto r = store.save(responses[static_cast<std::size_t>((i + offset) % (2 * kPerThread))]);
      if (r.ok())
        outcomes.push_back(*r);
      else
        ++errors;
    }
  };
  std::vector<SaveOutcome> first_outcomes, second_outcomes;
  int first_errors = 0, second_errors = 0;
  std::thread first(worker, 0, std::ref(first_outcomes), std::ref(first_errors));
  std::thread second(worker, kPerThread, std::ref(second_outcomes), std::ref(second_errors));
  first.join();
  second.join();

  CHECK(first_errors == 0);
  CHECK(second_errors == 0);
  int created = 0;
  for (const auto& outcomes : {first_outcomes, second_outcomes}) {
    for (SaveOutcome o : outcomes) created += o == SaveOutcome::Created ? 1 : 0;
  }
  CHECK(created == 2 * kPerThread);
  auto pending = store.pending(1000);
  REQUIRE(pending.ok());
  CHECK(pending->size() == 2 * kPerThread);
  std::set<std::int64_t> seqs;
  for (const auto& row : *pending) seqs.insert(row.seq);
  CHECK(seqs.size() == pending->size());
}

TEMPLATE_TEST_CASE("a payload over the bound is refused and nothing is written", "[store][contract]",
                   MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  model::Response huge = lobby_response();
  huge.answers.push_back({"note", std::string(kMaxPayloadBytes, 'a')});
  auto refused = store.save(huge);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("exceeds"));
  CHECK(store.counts()->total() == 0);
}

TEMPLATE_TEST_CASE("list gives the responses in one status, oldest first", "[store][contract]",
                   MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  std::vector<model::Response> saved;
  for (int i = 0; i < 5; ++i) {
    saved.push_back(lobby_response());
    REQUIRE(store.save(saved.back()).ok());
  }
  REQUIRE(store.quarantine(saved[3].uuid, "409 conflict").ok());
  REQUIRE(store.quarantine(saved[1].uuid, "invalid: unknown survey").ok());
  REQUIRE(store.mark_uploaded({saved[0].uuid}).ok());

  auto quarantined = store.list(Status::Quarantined, 10);
  REQUIRE(quarantined.ok());
  CHECK(uuids_of(*quarantined) == std::vector<std::string>{saved[1].uuid, saved[3].uuid});
  CHECK(quarantined->front().quarantine_reason == "invalid: unknown survey");
  CHECK(uuids_of(*store.list(Status::Uploaded, 10)) == std::vector<std::string>{saved[0].uuid});
  CHECK(uuids_of(*store.list(Status::Pending, 1)) == std::vector<std::string>{saved[2].uuid});
  CHECK(uuids_of(*store.pending(10)) == std::vector<std::string>{saved[2].uuid, saved[4].uuid});
}

TEMPLATE_TEST_CASE("event counts follow each response of an event from pending to uploaded or quarantined",
                   "[store][contract][event]", MemoryStoreFactory, SqliteStoreFactory) {
  TestType subject;
  ResponseStore& store = subject.get();
  std::vector<std::string> fair;
  for (int i = 0; i < 4; ++i) {
    model::Response r = lobby_response();
    r.event = "Spring fair";
    REQUIRE(store.save(r).ok());
    fair.push_back(r.uuid);
  }
  model::Response other_event = lobby_response();
  other_event.event = "Town hall";
  REQUIRE(store.save(other_event).ok());
  REQUIRE(store.save(lobby_response()).ok());  // the lobby: no event

  auto counts = store.event_counts("Spring fair");
  REQUIRE(counts.ok());
  CHECK(counts->pending == 4);
  CHECK(counts->uploaded == 0);
  CHECK(counts->quarantined == 0);

  REQUIRE(store.mark_uploaded({fair[0], fair[1], other_event.uuid}).ok());
  REQUIRE(store.quarantine(fair[2], "conflict").ok());
  counts = store.event_counts("Spring fair");
  REQUIRE(counts.ok());
  CHECK(counts->pending == 1);
  CHECK(counts->uploaded == 2);
  CHECK(counts->quarantined == 1);
  CHECK(counts->total() == 4);

  auto town_hall = store.event_counts("Town hall");
  REQUIRE(town_hall.ok());
  CHECK(town_hall->uploaded == 1);
  CHECK(town_hall->total() == 1);
  auto lobby = store.event_counts("");
  REQUIRE(lobby.ok());
  CHECK(lobby->pending == 1);
  CHECK(lobby->total() == 1);
  auto unknown = store.event_counts("Never held");
  REQUIRE(unknown.ok());
  CHECK(unknown->total() == 0);

  auto found = store.find(fair[3]);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->event == "Spring fair");
}
