// The response wire form: canonical, deterministic JSON that parses back, its hash, and UUIDs.
#include "sync/model/response.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace fk::model;

namespace {

Response sample() {
  Response r;
  r.uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
  r.survey_id = "lobby";
  r.survey_version = 1;
  r.language = "es";
  r.started_at = "2026-11-22T07:39:02Z";
  r.completed_at = "2026-11-22T07:40:15Z";
  r.answers = {
      {"overall", 2},
      {"improve", std::vector<std::string>{"wait", "explain"}},
      {"thank", true},
      {"thanks_note", std::string("¡Gracias, \"Ana\"!\nMuy amable.")},
      {"employee", std::string("Badge 1234")},
      {"reach_me", ContactAnswer{true, "ana@example.org"}},
  };
  return r;
}

}  // namespace

TEST_CASE("serialise gives the canonical bytes", "[response]") {
  Response r;
  r.uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
  r.survey_id = "lobby";
  r.survey_version = 1;
  r.language = "en";
  r.started_at = "2026-11-22T07:39:02Z";
  r.completed_at = "2026-11-22T07:40:15Z";
  r.answers = {{"overall", 5}, {"thank", false}, {"reach_me", ContactAnswer{false, "dropped"}}};
  // Keys sorted at every level, no whitespace, and the contact left out without consent.
  CHECK(serialise(r) ==
        R"({"answers":[{"question":"overall","rating":5},{"question":"thank","yes":false},)"
        R"({"consent":false,"question":"reach_me"}],"completed_at":"2026-11-22T07:40:15Z",)"
        R"("language":"en","partial":false,"started_at":"2026-11-22T07:39:02Z",)"
        R"("survey_id":"lobby","survey_version":1,"uuid":"0f8fad5b-d9cb-469f-a165-70867728950e"})");
}

TEST_CASE("serialise is deterministic", "[response]") {
  const Response r = sample();
  const std::string first = serialise(r);
  for (int i = 0; i < 10; ++i) CHECK(serialise(sample()) == first);
  CHECK(payload_hash(serialise(r)) == payload_hash(first));
}

TEST_CASE("parse_response is the inverse of serialise", "[response]") {
  Response r = sample();
  r.partial = true;
  const std::string payload = serialise(r);
  const auto parsed = parse_response(payload);
  if (!parsed) FAIL(parsed.error().message);
  CHECK(parsed->uuid == r.uuid);
  CHECK(parsed->survey_id == r.survey_id);
  CHECK(parsed->survey_version == r.survey_version);
  CHECK(parsed->language == r.language);
  CHECK(parsed->partial);
  CHECK(parsed->started_at == r.started_at);
  CHECK(parsed->completed_at == r.completed_at);
  REQUIRE(parsed->answers.size() == r.answers.size());
  for (std::size_t i = 0; i < r.answers.size(); ++i) {
    INFO("answer " << i);
    CHECK(parsed->answers[i].question_id == r.answers[i].question_id);
    CHECK(parsed->answers[i].value.index() == r.answers[i].value.index());
  }
  CHECK(std::get<int>(parsed->answers[0].value) == 2);
  CHECK(std::get<std::vector<std::string>>(parsed->answers[1].value) ==
        std::vector<std::string>{"wait", "explain"});
  CHECK(std::get<bool>(parsed->answers[2].value));
  CHECK(std::get<std::string>(parsed->answers[3].value) == "¡Gracias, \"Ana\"!\nMuy amable.");
  CHECK(std::get<ContactAnswer>(parsed->answers[5].value).contact == "ana@example.org");
  // And back to the very same bytes.
  CHECK(serialise(*parsed) == payload);
}

TEST_CASE("an event and a misuse flag travel in the payload only when set", "[response]") {
  Response r = sample();
  const std::string plain = serialise(r);
  CHECK(plain.find("\"event\"") == std::string::npos);
  CHECK(plain.find("misuse") == std::string::npos);
  r.event = "National Night Out 2026";
  r.misuse = true;
  r.misuse_reason = "rapid_repeat";
  const std::string tagged = serialise(r);
  CHECK(tagged.find(R"("event":"National Night Out 2026")") != std::string::npos);
  CHECK(tagged.find(R"("misuse":true,"misuse_reason":"rapid_repeat")") != std::string::npos);
  const auto parsed = parse_response(tagged);
  REQUIRE(parsed.ok());
  CHECK(parsed->event == "National Night Out 2026");
  CHECK(parsed->misuse);
  CHECK(parsed->misuse_reason == "rapid_repeat");
  CHECK(serialise(*parsed) == tagged);
  const auto untagged = parse_response(plain);
  REQUIRE(untagged.ok());
  CHECK(untagged->event.empty());
  CHECK_FALSE(untagged->misuse);
}

TEST_CASE("invalid UTF-8 in a note is replaced, never thrown", "[response]") {
  Response r = sample();
  r.answers[3].value = std::string("ok \xff\xfe bad \xc3");
  std::string payload;
  REQUIRE_NOTHROW(payload = serialise(r));
  CHECK(payload.find("ok \xEF\xBF\xBD") != std::string::npos);  // U+FFFD
  const auto parsed = parse_response(payload);
  REQUIRE(parsed.ok());
}

TEST_CASE("parse_response rejects what serialise never writes", "[response]") {
  const std::string good = serialise(sample());
  const auto rejects = [](const std::string& payload, const std::string& why) {
    const auto r = parse_response(payload);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains(why));
  };
  const auto replaced = [&good](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  rejects("", "not valid JSON");
  rejects("{\"uuid\":", "not valid JSON");
  rejects("[]", "must be a JSON object");
  rejects(replaced("\"partial\":false", "\"partial\":0"), "partial must be true or false");
  rejects(replaced("\"survey_version\":1", "\"survey_version\":1.5"), "survey_version must be an integer");
  rejects(replaced("\"survey_version\":1", "\"version\":1"), "missing \"survey_version\"");
  rejects(replaced("\"partial\":false", "\"partial\":false,\"extra\":1"), "unknown key \"extra\"");
  rejects(replaced("0f8fad5b", "0F8FAD5B"), "uuid is not a lower-case UUID");
  rejects(replaced("\"rating\":2", "\"rating\":7"), "rating must be an integer 1..5");
  rejects(replaced("\"rating\":2", "\"rating\":2,\"yes\":true"), "unknown key \"yes\"");
  rejects(replaced("{\"question\":\"thank\",\"yes\":true}", "{\"question\":\"thank\"}"), "needs one of");
  rejects(replaced("\"consent\":true", "\"consent\":false"), "contact without consent");
  rejects(replaced("[\"wait\",\"explain\"]", "[\"wait\",3]"), "choices must hold strings");
  rejects(replaced("\"answers\":[", "\"answers\":[1,"), "answers[0] must be an object");
  rejects(replaced("\"partial\":false", "\"partial\":false,\"misuse\":\"yes\""),
          "misuse must be true or false");
  rejects(replaced("\"partial\":false", "\"partial\":false,\"event\":7"), "event");
}

TEST_CASE("payload_hash is lower-case hex SHA-256", "[response]") {
  CHECK(payload_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(payload_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("new_uuid_v4 gives distinct lower-case version-4 UUIDs", "[response]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string u = new_uuid_v4();
    INFO(u);
    REQUIRE(u.size() == 36);
    REQUIRE(is_uuid(u));
    REQUIRE(u[14] == '4');
    REQUIRE(std::string("89ab").find(u[19]) != std::string::npos);  // RFC 4122 variant
    seen.insert(u);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("is_uuid accepts only the canonical lower-case form", "[response]") {
  CHECK(is_uuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
  CHECK_FALSE(is_uuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
  CHECK_FALSE(is_uuid("0f8fad5bd9cb469fa16570867728950e"));
  CHECK_FALSE(is_uuid("0f8fad5b-d9cb-469f-a165-70867728950"));
  CHECK_FALSE(is_uuid("0f8fad5b-d9cb-469f-a165-70867728950g"));
  CHECK_FALSE(is_uuid("{0f8fad5b-d9cb-469f-a165-70867728950}"));
  CHECK_FALSE(is_uuid(""));
}

TEST_CASE("utc_now_iso8601 has the documented shape", "[response]") {
  const std::string now = utc_now_iso8601();
  REQUIRE(now.size() == 20);
  CHECK(now[4] == '-');
  CHECK(now[10] == 'T');
  CHECK(now[13] == ':');
  CHECK(now.back() == 'Z');
}
